//! [`Model`]: a trained classifier (labels, vectorizer, weights), its predictions, its
//! evaluation on new documents, and its versioned binary file format.
//!
//! File layout: `CMLMODEL` (8 bytes), format version (u32 LE), CRC-32 of the payload (u32 LE),
//! then the payload, a postcard encoding of [`ModelFileV1`]. The checksum makes a damaged file
//! an error even where the damage would still decode (inside the weights).

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::logistic::{LinearModel, Link, argmax};
use crate::metrics::{Evaluation, evaluate_predictions};
use crate::tfidf::{Scratch, TfidfVectorizer};
use crate::{Document, MlError, Mode};

const MAGIC: &[u8; 8] = b"CMLMODEL";
/// The model file format version this build writes and reads.
pub const MODEL_FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 16;
/// Multi-label decision threshold on the sigmoid score.
pub const MULTI_LABEL_THRESHOLD: f64 = 0.5;

/// A trained text classifier.
#[derive(Debug, Clone)]
pub struct Model {
    mode: Mode,
    labels: Vec<String>,
    vectorizer: TfidfVectorizer,
    linear: LinearModel,
    number_of_trained_documents: usize,
}

/// Version 1 of the serialised model.
#[derive(Serialize, Deserialize)]
struct ModelFileV1 {
    mode: Mode,
    labels: Vec<String>,
    terms: Vec<String>,
    idf: Vec<f32>,
    linear: LinearModel,
    number_of_trained_documents: u64,
}

/// The same layout, borrowed, so that saving copies nothing.
#[derive(Serialize)]
struct ModelFileV1Ref<'a> {
    mode: Mode,
    labels: &'a [String],
    terms: Vec<&'a str>,
    idf: &'a [f32],
    linear: &'a LinearModel,
    number_of_trained_documents: u64,
}

impl Model {
    /// Assembles a model; `labels` are sorted and index the linear model's outputs.
    pub(crate) fn new(
        mode: Mode,
        labels: Vec<String>,
        vectorizer: TfidfVectorizer,
        linear: LinearModel,
        number_of_trained_documents: usize,
    ) -> Self {
        Model {
            mode,
            labels,
            vectorizer,
            linear,
            number_of_trained_documents,
        }
    }

    /// The classifier mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The labels, sorted; score vectors from [`Model::scores`] follow this order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Documents the model was trained on.
    pub fn number_of_trained_documents(&self) -> usize {
        self.number_of_trained_documents
    }

    /// The vocabulary and IDF.
    pub fn vectorizer(&self) -> &TfidfVectorizer {
        &self.vectorizer
    }

    /// The weights.
    pub fn linear(&self) -> &LinearModel {
        &self.linear
    }

    /// Scores of every label for `text`, in [`Model::labels`] order: softmax probabilities
    /// (multi-class) or independent sigmoid probabilities (multi-label).
    pub fn scores(&self, text: &str) -> Vec<f64> {
        let mut out = vec![0.0; self.labels.len()];
        let (mut idx, mut val) = (Vec::new(), Vec::new());
        self.scores_into(text, &mut Scratch::default(), &mut idx, &mut val, &mut out);
        out
    }

    fn scores_into(
        &self,
        text: &str,
        scratch: &mut Scratch,
        idx: &mut Vec<u32>,
        val: &mut Vec<f32>,
        out: &mut [f64],
    ) {
        idx.clear();
        val.clear();
        self.vectorizer.transform_one_into(text, scratch, idx, val);
        self.linear.scores_into(idx, val, out);
    }

    /// Every label with its score for `text`, highest first (ties in label order).
    pub fn predict(&self, text: &str) -> Vec<(String, f64)> {
        self.ranked(&self.scores(text))
    }

    /// [`Model::predict`] for many texts, spread over all rayon threads.
    pub fn predict_batch<T: AsRef<str> + Sync>(&self, texts: &[T]) -> Vec<Vec<(String, f64)>> {
        self.scores_batch(texts)
            .iter()
            .map(|s| self.ranked(s))
            .collect()
    }

    /// Score vectors (label order) for many texts, in parallel.
    pub fn scores_batch<T: AsRef<str> + Sync>(&self, texts: &[T]) -> Vec<Vec<f64>> {
        texts
            .par_iter()
            .map_init(
                || (Scratch::default(), Vec::new(), Vec::new()),
                |(scratch, idx, val), text| {
                    let mut out = vec![0.0; self.labels.len()];
                    self.scores_into(text.as_ref(), scratch, idx, val, &mut out);
                    out
                },
            )
            .collect()
    }

    fn ranked(&self, scores: &[f64]) -> Vec<(String, f64)> {
        let mut order: Vec<usize> = (0..scores.len()).collect();
        // Stable sort keeps label order among equal scores.
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        order
            .into_iter()
            .map(|i| (self.labels[i].clone(), scores[i]))
            .collect()
    }

    /// The labels the model assigns given its scores (indexes into [`Model::labels`]):
    /// the best one for multi-class; for multi-label every label scoring at least
    /// [`MULTI_LABEL_THRESHOLD`], or the best one when none does.
    pub fn decide(&self, scores: &[f64]) -> Vec<u32> {
        match self.linear.link() {
            Link::Softmax => vec![argmax(scores) as u32],
            Link::Sigmoid => {
                let chosen: Vec<u32> = (0..scores.len() as u32)
                    .filter(|&i| scores[i as usize] >= MULTI_LABEL_THRESHOLD)
                    .collect();
                if chosen.is_empty() {
                    vec![argmax(scores) as u32]
                } else {
                    chosen
                }
            }
        }
    }

    /// Evaluates the model on labelled documents. Labels the model does not know are kept (the
    /// model can never predict them, so their documents count as errors) and listed in
    /// `labels_missing_from_training`.
    pub fn evaluate(&self, docs: &[Document]) -> Evaluation {
        let mut names = self.labels.clone();
        let mut index: FxHashMap<&str, u32> = self
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| (l.as_str(), i as u32))
            .collect();
        let mut missing: Vec<String> = Vec::new();
        let mut truth: Vec<Vec<u32>> = Vec::with_capacity(docs.len());
        for doc in docs {
            let mut t: Vec<u32> = Vec::with_capacity(doc.labels.len());
            for label in &doc.labels {
                let id = match index.get(label.as_str()) {
                    Some(&id) => id,
                    None => {
                        let id = names.len() as u32;
                        names.push(label.clone());
                        missing.push(label.clone());
                        index.insert(label.as_str(), id);
                        id
                    }
                };
                if !t.contains(&id) {
                    t.push(id);
                }
            }
            truth.push(t);
        }
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
        let pred: Vec<Vec<u32>> = self
            .scores_batch(&texts)
            .iter()
            .map(|s| self.decide(s))
            .collect();
        let (metrics, confusion_matrix) = evaluate_predictions(self.mode, &names, &truth, &pred);
        missing.sort();
        Evaluation {
            metrics,
            confusion_matrix,
            number_of_labels: self.labels.len(),
            number_of_trained_documents: self.number_of_trained_documents,
            number_of_test_documents: docs.len(),
            labels_missing_from_training: missing,
        }
    }

    /// The model file: versioned header, checksum, compact encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let file = ModelFileV1Ref {
            mode: self.mode,
            labels: &self.labels,
            terms: self.vectorizer.terms(),
            idf: self.vectorizer.idf(),
            linear: &self.linear,
            number_of_trained_documents: self.number_of_trained_documents as u64,
        };
        let payload = postcard::to_stdvec(&file).expect("in-memory encoding cannot fail");
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&MODEL_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// Reads a model file. Anything but an intact version-1 file is an error, never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, MlError> {
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return Err(MlError::CorruptModel(
                "not a comprehend-local model file".into(),
            ));
        }
        let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        let version = word(8);
        if version != MODEL_FORMAT_VERSION {
            return Err(MlError::UnsupportedModelVersion {
                found: version,
                supported: MODEL_FORMAT_VERSION,
            });
        }
        let payload = &bytes[HEADER_LEN..];
        if crc32fast::hash(payload) != word(12) {
            return Err(MlError::CorruptModel(
                "checksum mismatch (truncated or damaged)".into(),
            ));
        }
        let file: ModelFileV1 =
            postcard::from_bytes(payload).map_err(|e| MlError::CorruptModel(e.to_string()))?;
        file.linear.check()?;
        if file.labels.len() != file.linear.n_labels()
            || file.terms.len() != file.linear.n_features()
        {
            return Err(MlError::CorruptModel(
                "labels or vocabulary do not match the weights".into(),
            ));
        }
        let mode_ok = matches!(
            (file.mode, file.linear.link()),
            (Mode::MultiClass, Link::Softmax) | (Mode::MultiLabel, Link::Sigmoid)
        );
        if !mode_ok {
            return Err(MlError::CorruptModel(
                "mode does not match the model type".into(),
            ));
        }
        Ok(Model {
            mode: file.mode,
            labels: file.labels,
            vectorizer: TfidfVectorizer::from_parts(file.terms, file.idf)?,
            linear: file.linear,
            number_of_trained_documents: file.number_of_trained_documents as usize,
        })
    }
}
