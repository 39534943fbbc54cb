//! How the shipped NAME/ADDRESS tagger is trained: the labelled documents of
//! `data/pii/names-train.jsonl` (wikigold's PER mentions as NAME, and generated en/es letters,
//! forms and messages; see `data/pii/make_names_data.py`) fitted by comprehend-ner with fixed
//! parameters and seed, so the same data always gives the same model bytes.

#[cfg(test)]
use comprehend_ner::AnnotatedDocument;
use comprehend_ner::{Recognizer, TrainParams, Trained};

use crate::shipped::{self, TrainError};

/// The training documents, one JSON object a line, offsets in code points.
pub(super) const TRAINING_DATA: &str = include_str!("../../../data/pii/names-train.jsonl");

/// The entity types of the tagger, in its order: the service's wire names.
pub(super) const ENTITY_TYPES: [&str; 2] = ["NAME", "ADDRESS"];

/// The data's name in training errors and documents.
const FILE: &str = "names-train.jsonl";

/// Seed of the hold-out split, the perceptron's order and the gazetteer dropout.
const SEED: u64 = 7;

/// The labelled documents of `jsonl` (blank lines skipped; the tests' held-out sweeps).
#[cfg(test)]
pub(super) fn documents(jsonl: &str) -> Result<Vec<AnnotatedDocument>, serde_json::Error> {
    shipped::documents(jsonl, FILE)
}

/// The parameters: comprehend-ner's defaults (averaged perceptron, 20 epochs, 10 % held out
/// to calibrate the scores) with this module's seed, and without the gazetteer of training
/// mentions: the generated names would teach it to trust whole names it has seen, and on the
/// held-out set it cost 0.06 F1 on wikigold's names (0.71 against 0.77).
pub(super) fn params() -> TrainParams {
    TrainParams {
        seed: SEED,
        mention_gazetteer: false,
        ..TrainParams::default()
    }
}

/// Trains the tagger on the shipped data.
pub(super) fn train_shipped() -> Result<Trained, TrainError> {
    shipped::train(TRAINING_DATA, FILE, &ENTITY_TYPES, &params())
}

/// The trained recognizer alone.
pub(super) fn recognizer() -> Result<Recognizer, TrainError> {
    train_shipped().map(|t| t.model)
}
