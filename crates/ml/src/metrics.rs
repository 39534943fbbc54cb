//! Comprehend's evaluation metrics (Amazon Comprehend Developer Guide, "Custom classifier
//! metrics") and `confusion_matrix.json` ("Custom classifier output": the training
//! output's confusion matrix).
//!
//! Conventions, chosen to equal scikit-learn where the guide points to it:
//! - The labels averaged over and indexing the confusion matrix are those that occur in the test
//!   documents' true or predicted labels, sorted — scikit-learn's default `labels`.
//! - A ratio with a zero denominator is 0 (scikit-learn's `zero_division=0`).
//! - Per-label F1 is `2·TP / (2·TP + FP + FN)`; macro `F1Score` is the mean of per-label F1s.
//! - `Accuracy` is the fraction of documents whose predicted label set equals the true one:
//!   for multi-class, correct documents / documents; for multi-label, scikit-learn's subset
//!   accuracy. (The guide leaves multi-label unclear; label-wise accuracy would be exactly
//!   `1 − HammingLoss` and so say nothing new, and subset accuracy is what `accuracy_score`
//!   gives on an indicator matrix, the tool the guide points to.)
//! - `HammingLoss`: multi-class, wrong documents / documents (so `= 1 − Accuracy`);
//!   multi-label, wrong label decisions / (documents × labels), scikit-learn's `hamming_loss`.

use serde::{Deserialize, Serialize};

use crate::Mode;

/// The eight metrics of `ClassifierEvaluationMetrics`, serialised with their AWS names.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Metrics {
    /// Exact-match accuracy.
    pub accuracy: f64,
    /// Macro precision.
    pub precision: f64,
    /// Macro recall.
    pub recall: f64,
    /// Mean of per-label F1 scores.
    pub f1_score: f64,
    /// Precision of pooled counts.
    pub micro_precision: f64,
    /// Recall of pooled counts.
    pub micro_recall: f64,
    /// Harmonic mean of micro precision and recall.
    pub micro_f1_score: f64,
    /// Fraction of wrong label decisions.
    pub hamming_loss: f64,
}

/// `confusion_matrix.json` as written into Comprehend's `output.tar.gz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ConfusionMatrix {
    /// `{"type": "multi_class", "confusion_matrix": [[..]], "labels": [..], "all_labels": [..]}`:
    /// rows are the actual label, columns the predicted one, both ordered as `labels`.
    #[serde(rename = "multi_class")]
    MultiClass {
        /// Square matrix of counts.
        confusion_matrix: Vec<Vec<u64>>,
        /// The labels indexing the matrix (in the test data or predicted for it), sorted.
        labels: Vec<String>,
        /// Every label the evaluation knows: the model's plus any only in the test data, sorted.
        all_labels: Vec<String>,
    },
    /// `{"type": "multi_label", "confusion_matrix": [[[TN, FP], [FN, TP]], ..], ...}`: one 2×2
    /// matrix per label, rows actual No/Yes, columns predicted No/Yes.
    #[serde(rename = "multi_label")]
    MultiLabel {
        /// One `[[TN, FP], [FN, TP]]` per label of `labels`.
        confusion_matrix: Vec<[[u64; 2]; 2]>,
        /// As for multi-class.
        labels: Vec<String>,
        /// As for multi-class.
        all_labels: Vec<String>,
    },
}

impl ConfusionMatrix {
    /// The JSON text of `confusion_matrix.json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain data serialises")
    }
}

/// Metrics and confusion matrix of predictions against truth.
///
/// `names` is every label the indexes refer to; `truth[i]` / `pred[i]` are the label indexes of
/// document i (each without repeats).
pub fn evaluate_predictions(
    mode: Mode,
    names: &[String],
    truth: &[Vec<u32>],
    pred: &[Vec<u32>],
) -> (Metrics, ConfusionMatrix) {
    assert_eq!(truth.len(), pred.len(), "one prediction per document");
    let labels = present_labels(names, truth, pred);
    let counts = Counts::of(mode, names.len(), &labels, truth, pred);
    let metrics = counts.metrics();
    let label_names: Vec<String> = labels.iter().map(|&l| names[l as usize].clone()).collect();
    let mut all_labels = names.to_vec();
    all_labels.sort();
    (metrics, counts.confusion_matrix(label_names, all_labels))
}

/// The labels that occur in `truth` or `pred`, sorted by name (scikit-learn's default `labels`).
fn present_labels(names: &[String], truth: &[Vec<u32>], pred: &[Vec<u32>]) -> Vec<u32> {
    let mut present = vec![false; names.len()];
    for l in truth.iter().chain(pred).flatten() {
        present[*l as usize] = true;
    }
    let mut labels: Vec<u32> = (0..names.len() as u32)
        .filter(|&l| present[l as usize])
        .collect();
    labels.sort_by(|&a, &b| names[a as usize].cmp(&names[b as usize]));
    labels
}

/// Per-label decision counts, indexed by position in the sorted present labels.
struct Counts {
    mode: Mode,
    /// Documents.
    n: usize,
    /// True positives, false positives and false negatives per label.
    tp: Vec<u64>,
    fp: Vec<u64>,
    fn_: Vec<u64>,
    /// Documents whose predicted label set equals the true one.
    exact: u64,
    /// Multi-class confusion matrix (actual × predicted); empty for multi-label.
    matrix: Vec<Vec<u64>>,
}

impl Counts {
    /// Counts the decisions of `pred` against `truth` over `labels` (of `n_names` names).
    fn of(
        mode: Mode,
        n_names: usize,
        labels: &[u32],
        truth: &[Vec<u32>],
        pred: &[Vec<u32>],
    ) -> Counts {
        let mut position = vec![usize::MAX; n_names];
        for (p, &l) in labels.iter().enumerate() {
            position[l as usize] = p;
        }
        let m = labels.len();
        let (mut tp, mut fp, mut fn_) = (vec![0u64; m], vec![0u64; m], vec![0u64; m]);
        let mut exact = 0u64;
        let mut matrix = vec![vec![0u64; m]; if mode == Mode::MultiClass { m } else { 0 }];
        for (t, p) in truth.iter().zip(pred) {
            for &l in t {
                if p.contains(&l) {
                    tp[position[l as usize]] += 1;
                } else {
                    fn_[position[l as usize]] += 1;
                }
            }
            for &l in p {
                if !t.contains(&l) {
                    fp[position[l as usize]] += 1;
                }
            }
            if t.len() == p.len() && t.iter().all(|l| p.contains(l)) {
                exact += 1;
            }
            if mode == Mode::MultiClass
                && let (Some(&a), Some(&b)) = (t.first(), p.first())
            {
                matrix[position[a as usize]][position[b as usize]] += 1;
            }
        }
        Counts {
            mode,
            n: truth.len(),
            tp,
            fp,
            fn_,
            exact,
            matrix,
        }
    }

    /// The eight metrics of these counts.
    fn metrics(&self) -> Metrics {
        let (tp, fp, fn_, n, exact) = (&self.tp, &self.fp, &self.fn_, self.n, self.exact);
        let m = tp.len();
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let mean = |v: Vec<f64>| {
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let precision = mean((0..m).map(|i| ratio(tp[i], tp[i] + fp[i])).collect());
        let recall = mean((0..m).map(|i| ratio(tp[i], tp[i] + fn_[i])).collect());
        let f1_score = mean(
            (0..m)
                .map(|i| ratio(2 * tp[i], 2 * tp[i] + fp[i] + fn_[i]))
                .collect(),
        );
        let (stp, sfp, sfn) = (
            tp.iter().sum::<u64>(),
            fp.iter().sum::<u64>(),
            fn_.iter().sum::<u64>(),
        );
        let hamming_loss = match self.mode {
            Mode::MultiClass => ratio(n as u64 - exact, n as u64),
            Mode::MultiLabel => ratio(sfp + sfn, (n * m) as u64),
        };
        Metrics {
            accuracy: ratio(exact, n as u64),
            precision,
            recall,
            f1_score,
            micro_precision: ratio(stp, stp + sfp),
            micro_recall: ratio(stp, stp + sfn),
            micro_f1_score: ratio(2 * stp, 2 * stp + sfp + sfn),
            hamming_loss,
        }
    }

    /// `confusion_matrix.json`: the multi-class matrix, or one `[[TN, FP], [FN, TP]]` per label.
    fn confusion_matrix(self, labels: Vec<String>, all_labels: Vec<String>) -> ConfusionMatrix {
        match self.mode {
            Mode::MultiClass => ConfusionMatrix::MultiClass {
                confusion_matrix: self.matrix,
                labels,
                all_labels,
            },
            Mode::MultiLabel => ConfusionMatrix::MultiLabel {
                confusion_matrix: (0..self.tp.len())
                    .map(|i| {
                        let (tp, fp, fn_) = (self.tp[i], self.fp[i], self.fn_[i]);
                        let tn = self.n as u64 - tp - fp - fn_;
                        [[tn, fp], [fn_, tp]]
                    })
                    .collect(),
                labels,
                all_labels,
            },
        }
    }
}

/// The result of evaluating a model on test documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The eight Comprehend metrics.
    pub metrics: Metrics,
    /// `confusion_matrix.json`.
    pub confusion_matrix: ConfusionMatrix,
    /// Labels the model knows (`NumberOfLabels`).
    pub number_of_labels: usize,
    /// Documents the model was trained on (`NumberOfTrainedDocuments`).
    pub number_of_trained_documents: usize,
    /// Documents evaluated (`NumberOfTestDocuments`).
    pub number_of_test_documents: usize,
    /// Labels of the test documents the model was not trained on, sorted; their documents
    /// count as errors.
    pub labels_missing_from_training: Vec<String>,
}
