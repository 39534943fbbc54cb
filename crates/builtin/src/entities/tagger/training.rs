//! How the shipped tagger is trained: the labelled documents of
//! `data/entities/entities-train.jsonl` (wikigold's training split with its PER/LOC/ORG/MISC
//! mentions, and generated en/es sentences; see `data/entities/make_entities_data.py`) fitted
//! by comprehend-ner with fixed parameters and seed, so the same data always gives the same
//! model bytes.

#[cfg(test)]
use comprehend_ner::AnnotatedDocument;
use comprehend_ner::{Recognizer, TrainParams, Trained};

use crate::shipped::{self, TrainError};

/// The training documents, one JSON object a line, offsets in code points.
pub(super) const TRAINING_DATA: &str = include_str!("../../../data/entities/entities-train.jsonl");

/// The tagger's types, in its order. MISC is wikigold's class of other names (events, works,
/// products, nationalities…), sorted after detection ([`super::misc`]).
pub(super) const ENTITY_TYPES: [&str; 4] = ["PERSON", "LOCATION", "ORGANIZATION", "MISC"];

/// The data's name in training errors and documents.
const FILE: &str = "entities-train.jsonl";

/// Seed of the hold-out split, the perceptron's order and the gazetteer dropout.
const SEED: u64 = 11;

/// The labelled documents of `jsonl` (blank lines skipped; the tests' held-out sweeps).
#[cfg(test)]
pub(super) fn documents(jsonl: &str) -> Result<Vec<AnnotatedDocument>, serde_json::Error> {
    shipped::documents(jsonl, FILE)
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

/// Trains the tagger on the shipped data.
pub(super) fn train_shipped() -> Result<Trained, TrainError> {
    shipped::train(TRAINING_DATA, FILE, &ENTITY_TYPES, &params())
}

/// The trained recognizer alone.
pub(super) fn recognizer() -> Result<Recognizer, TrainError> {
    train_shipped().map(|t| t.model)
}
