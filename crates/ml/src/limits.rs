//! Training limits (Amazon Comprehend Developer Guide, "Guidelines and quotas": document
//! classification) and the check of a training set against them.
//!
//! Kept apart from training because the flywheel's dataset ingestion validates the same way
//! before any model is trained.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Document, MlError, Mode};

/// The limits a training set must respect. AWS sources disagree on the per-label minimum for
/// multi-class (10 on the older data-preparation page, 50 in the quota table), hence a setting;
/// the default follows the issue (10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingLimits {
    /// Minimum training documents per label (both modes).
    pub min_docs_per_label: usize,
    /// Minimum training documents in total for [`Mode::MultiLabel`].
    pub min_total_docs_multi_label: usize,
    /// Maximum distinct labels for [`Mode::MultiClass`].
    pub max_labels_multi_class: usize,
    /// Maximum distinct labels for [`Mode::MultiLabel`].
    pub max_labels_multi_label: usize,
    /// Maximum label length in characters.
    pub max_label_chars: usize,
}

impl Default for TrainingLimits {
    fn default() -> Self {
        TrainingLimits {
            min_docs_per_label: 10,
            min_total_docs_multi_label: 50,
            max_labels_multi_class: 1000,
            max_labels_multi_label: 100,
            max_label_chars: 5000,
        }
    }
}

/// What validation learnt about a training set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelStats {
    /// Every distinct label with its number of documents, sorted by label.
    pub labels: Vec<(String, usize)>,
    /// Number of documents.
    pub documents: usize,
}

/// Checks a training set against `limits` for `mode`.
///
/// Order of checks: no documents, label count per document (multi-class: exactly one),
/// label length, number of distinct labels (too many; multi-class also fewer than 2), total
/// documents (multi-label), documents per label (all offending labels are listed).
pub fn validate_training_set(
    docs: &[Document],
    mode: Mode,
    limits: &TrainingLimits,
) -> Result<LabelStats, MlError> {
    if docs.is_empty() {
        return Err(MlError::NoDocuments);
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, doc) in docs.iter().enumerate() {
        let ok = match mode {
            Mode::MultiClass => doc.labels.len() == 1,
            Mode::MultiLabel => !doc.labels.is_empty(),
        };
        if !ok {
            return Err(MlError::LabelCount {
                index,
                count: doc.labels.len(),
            });
        }
        for label in &doc.labels {
            *counts.entry(label.as_str()).or_default() += 1;
        }
    }
    for label in counts.keys() {
        let chars = label.chars().count();
        if chars > limits.max_label_chars {
            return Err(MlError::LabelTooLong {
                start: label.chars().take(40).collect(),
                chars,
                max: limits.max_label_chars,
            });
        }
    }
    let max = match mode {
        Mode::MultiClass => limits.max_labels_multi_class,
        Mode::MultiLabel => limits.max_labels_multi_label,
    };
    if counts.len() > max {
        return Err(MlError::TooManyLabels {
            count: counts.len(),
            max,
            mode,
        });
    }
    if mode == Mode::MultiClass && counts.len() < 2 {
        return Err(MlError::TooFewLabels {
            count: counts.len(),
        });
    }
    if mode == Mode::MultiLabel && docs.len() < limits.min_total_docs_multi_label {
        return Err(MlError::TooFewDocuments {
            count: docs.len(),
            min: limits.min_total_docs_multi_label,
            mode,
        });
    }
    let too_few: Vec<(String, usize)> = counts
        .iter()
        .filter(|&(_, &n)| n < limits.min_docs_per_label)
        .map(|(l, &n)| ((*l).to_owned(), n))
        .collect();
    if !too_few.is_empty() {
        return Err(MlError::TooFewDocumentsForLabel {
            labels: too_few,
            min: limits.min_docs_per_label,
        });
    }
    Ok(LabelStats {
        labels: counts.into_iter().map(|(l, n)| (l.to_owned(), n)).collect(),
        documents: docs.len(),
    })
}
