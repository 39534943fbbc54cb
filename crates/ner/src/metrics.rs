//! Amazon Comprehend's recognizer metrics (Amazon Comprehend Developer Guide, "Custom entity
//! recognizer metrics"): a predicted mention is a true positive when a gold mention has the
//! same begin, end and type; every other prediction is a false positive and every unmatched
//! gold mention a false negative. Per type and overall (micro: counts summed over types)
//! precision, recall and F1, on the 0–100 scale plain-text recognizers report. A ratio with a
//! zero denominator is 0.0.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::Span;

/// Precision, recall and F1 on a 0–100 scale.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Scores {
    /// TP / (TP + FP) × 100.
    pub precision: f64,
    /// TP / (TP + FN) × 100.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1_score: f64,
}

/// The metrics of one entity type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TypeEvaluation {
    /// The type.
    pub entity_type: String,
    /// Its scores on the test documents.
    pub scores: Scores,
    /// Its mentions in the training documents.
    pub number_of_train_mentions: u64,
}

/// A recognizer's evaluation (`RecognizerMetadata`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Documents trained on.
    pub number_of_trained_documents: u64,
    /// Documents evaluated.
    pub number_of_test_documents: u64,
    /// Micro-averaged scores over all types.
    pub overall: Scores,
    /// Per type, in the recognizer's entity type order.
    pub per_type: Vec<TypeEvaluation>,
}

/// True positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Exact matches.
    pub tp: u64,
    /// Predictions without a match.
    pub fp: u64,
    /// Gold mentions without a match.
    pub fn_: u64,
}

impl Counts {
    /// The scores of these counts.
    pub fn scores(&self) -> Scores {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.tp + self.fn_);
        let f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Scores {
            precision: 100.0 * p,
            recall: 100.0 * r,
            f1_score: 100.0 * f1,
        }
    }
}

/// Adds one document's counts per type (index into `types`); spans of other types are ignored.
pub fn count_document(types: &[String], gold: &[Span], predicted: &[Span], counts: &mut [Counts]) {
    let type_of = |s: &Span| types.iter().position(|t| *t == s.entity_type);
    let gold_set: HashSet<&Span> = gold.iter().filter(|s| type_of(s).is_some()).collect();
    for p in predicted {
        let Some(k) = type_of(p) else { continue };
        if gold_set.contains(p) {
            counts[k].tp += 1;
        } else {
            counts[k].fp += 1;
        }
    }
    for g in &gold_set {
        if !predicted.contains(g) {
            counts[type_of(g).expect("filtered")].fn_ += 1;
        }
    }
}

/// The evaluation from per-type counts.
pub fn evaluation(
    types: &[String],
    counts: &[Counts],
    train_mentions: &[u64],
    number_of_trained_documents: u64,
    number_of_test_documents: u64,
) -> Evaluation {
    let total = counts.iter().fold(Counts::default(), |a, c| Counts {
        tp: a.tp + c.tp,
        fp: a.fp + c.fp,
        fn_: a.fn_ + c.fn_,
    });
    Evaluation {
        number_of_trained_documents,
        number_of_test_documents,
        overall: total.scores(),
        per_type: types
            .iter()
            .zip(counts)
            .zip(train_mentions)
            .map(|((t, c), &m)| TypeEvaluation {
                entity_type: t.clone(),
                scores: c.scores(),
                number_of_train_mentions: m,
            })
            .collect(),
    }
}
