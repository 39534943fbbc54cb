//! How the shipped tagger is trained: the labelled documents of
//! `data/entities/entities-train.jsonl` (wikigold's training split with its PER/LOC/ORG/MISC
//! mentions, and generated en/es sentences; see `data/entities/make_entities_data.py`) fitted
//! by comprehend-ner with fixed parameters and seed, so the same data always gives the same
//! model bytes.

use std::sync::atomic::AtomicBool;

use comprehend_ner::{
    AnnotatedDocument, Document, NerError, Recognizer, Span, TrainParams, Trained, train,
};
use serde::Deserialize;

/// The training documents, one JSON object a line, offsets in code points.
pub(super) const TRAINING_DATA: &str = include_str!("../../../data/entities/entities-train.jsonl");

/// The tagger's types, in its order. MISC is wikigold's class of other names (events, works,
/// products, nationalities…), sorted after detection ([`super::misc`]).
pub(super) const ENTITY_TYPES: [&str; 4] = ["PERSON", "LOCATION", "ORGANIZATION", "MISC"];

/// Seed of the hold-out split, the perceptron's order and the gazetteer dropout.
const SEED: u64 = 11;

#[derive(Deserialize)]
struct Line {
    text: String,
    entities: Vec<Mention>,
}

#[derive(Deserialize)]
struct Mention {
    #[serde(rename = "type")]
    kind: String,
    begin: usize,
    end: usize,
}

/// The labelled documents of `jsonl` (blank lines skipped).
pub(super) fn documents(jsonl: &str) -> Result<Vec<AnnotatedDocument>, serde_json::Error> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| {
            let line: Line = serde_json::from_str(l)?;
            Ok(annotated(i, line))
        })
        .collect()
}

fn annotated(i: usize, line: Line) -> AnnotatedDocument {
    let spans = line
        .entities
        .into_iter()
        .map(|m| Span {
            begin: m.begin,
            end: m.end,
            entity_type: m.kind,
        })
        .collect();
    AnnotatedDocument {
        document: Document {
            file: "entities-train.jsonl".into(),
            line: Some(i as u64),
            text: line.text,
        },
        spans,
    }
}

/// The parameters: comprehend-ner's defaults (averaged perceptron, 20 epochs, 10 % held out
/// to calibrate the scores, a gazetteer of the training mentions with dropout) with this
/// module's seed.
pub(super) fn params() -> TrainParams {
    TrainParams {
        seed: SEED,
        ..TrainParams::default()
    }
}

/// Why training on the shipped data failed (neither happens with the data as shipped).
#[derive(Debug, thiserror::Error)]
pub(super) enum TrainError {
    #[error("entities-train.jsonl: {0}")]
    Data(#[from] serde_json::Error),
    #[error(transparent)]
    Ner(#[from] NerError),
}

/// Trains the tagger on the shipped data.
pub(super) fn train_shipped() -> Result<Trained, TrainError> {
    let docs = documents(TRAINING_DATA)?;
    let types: Vec<String> = ENTITY_TYPES.iter().map(|t| t.to_string()).collect();
    let cancel = AtomicBool::new(false);
    Ok(train(
        docs,
        None,
        &types,
        None,
        &params(),
        &mut |_| {},
        &cancel,
    )?)
}

/// The trained recognizer alone.
pub(super) fn recognizer() -> Result<Recognizer, TrainError> {
    train_shipped().map(|t| t.model)
}
