//! [`Recognizer`]: a trained entity recognizer (types, feature table, weights, gazetteer), its
//! predictions, its evaluation on new documents, and its versioned binary file format.
//!
//! File layout: `CNERMODL` (8 bytes), format version (u32 LE), CRC-32 of the payload (u32 LE),
//! then the payload, a postcard encoding of the model. The checksum makes a damaged file an
//! error even where the damage would still decode (inside the weights).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::crf::{FeatureTable, Lattice, Layout, Potentials, add_state_scores};
use crate::features::{self, GazTag};
use crate::gazetteer::{Entry, Gazetteer, Match};
use crate::metrics::{Counts, Evaluation, count_document, evaluation};
use crate::tokenize::{Token, tokenize};
use crate::{AnnotatedDocument, NerError, Span, tags, viterbi};

const MAGIC: &[u8; 8] = b"CNERMODL";
/// The model file format version this build writes and reads.
pub const MODEL_FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 16;

/// One detected entity. Offsets are code points, end exclusive; `text` is exactly that
/// substring; `score` is the model's probability of this exact mention, in (0, 1].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// First code point.
    pub begin: usize,
    /// One past the last code point.
    pub end: usize,
    /// The mention's text.
    pub text: String,
    /// Its entity type.
    pub entity_type: String,
    /// Probability of the mention (see the crate documentation).
    pub score: f64,
}

/// A trained custom entity recognizer.
#[derive(Debug, Clone)]
pub struct Recognizer {
    entity_types: Vec<String>,
    table: FeatureTable,
    weights: Vec<f64>,
    gazetteer: Gazetteer,
    number_of_trained_documents: u64,
    temperature: f64,
}

#[derive(Serialize, Deserialize)]
struct FileV1 {
    entity_types: Vec<String>,
    table: FeatureTable,
    weights: Vec<f64>,
    gazetteer: Vec<Entry>,
    number_of_trained_documents: u64,
    temperature: f64,
}

impl Recognizer {
    pub(crate) fn new(
        entity_types: Vec<String>,
        table: FeatureTable,
        weights: Vec<f64>,
        gazetteer: Gazetteer,
        number_of_trained_documents: u64,
    ) -> Self {
        Recognizer {
            entity_types,
            table,
            weights,
            gazetteer,
            number_of_trained_documents,
            temperature: 1.0,
        }
    }

    /// The entity types, in the order given at training.
    pub fn entity_types(&self) -> &[String] {
        &self.entity_types
    }

    /// Documents the model was trained on.
    pub fn number_of_trained_documents(&self) -> u64 {
        self.number_of_trained_documents
    }

    /// Number of weights (state features, transitions, start and end).
    pub fn number_of_weights(&self) -> usize {
        self.weights.len()
    }

    fn layout(&self) -> Layout {
        Layout::new(
            self.table.n_state(),
            tags::n_labels(self.entity_types.len()),
        )
    }

    /// The entities in `text`, in text order, never overlapping.
    pub fn detect(&self, text: &str) -> Vec<Entity> {
        let tokens = tokenize(text);
        if tokens.is_empty() {
            return Vec::new();
        }
        let layout = self.layout();
        let l = layout.n_labels;
        let mut scores = self.state_scores(text, &tokens);
        let labels = viterbi::decode(&scores, &layout, &self.weights);
        let mentions = tags::decode(&labels);
        if mentions.is_empty() {
            return Vec::new();
        }
        // Scaling by the temperature leaves the Viterbi path unchanged; it only calibrates
        // the probabilities.
        let inv = 1.0 / self.temperature;
        scores.iter_mut().for_each(|s| *s *= inv);
        let pot = Potentials::scaled(&layout, &self.weights, inv);
        let mut lattice = Lattice::default();
        lattice.compute(&pot, &scores, l);
        mentions
            .into_iter()
            .map(|(s, e, k)| {
                self.entity(
                    text,
                    &tokens,
                    s,
                    e,
                    k,
                    lattice.span_probability(&pot, s, e, k),
                )
            })
            .collect()
    }

    fn entity(
        &self,
        text: &str,
        tokens: &[Token],
        s: usize,
        e: usize,
        k: usize,
        score: f64,
    ) -> Entity {
        Entity {
            begin: tokens[s].begin,
            end: tokens[e - 1].end,
            text: text[tokens[s].byte_begin..tokens[e - 1].byte_end].to_owned(),
            entity_type: self.entity_types[k].clone(),
            score,
        }
    }

    /// Raw state scores (`tokens × labels`) of `text` cut into `tokens`.
    pub(crate) fn state_scores(&self, text: &str, tokens: &[Token]) -> Vec<f64> {
        let gaz = gaz_tags(
            &self.gazetteer,
            &self.gazetteer.find(text, tokens),
            tokens.len(),
        );
        let (mut hashes, mut ends) = (Vec::new(), Vec::new());
        features::extract(text, tokens, &gaz, &mut hashes, &mut ends);
        let l = self.layout().n_labels;
        let mut scores = vec![0.0; tokens.len() * l];
        let mut ids = Vec::new();
        let mut start = 0;
        for (t, &end) in ends.iter().enumerate() {
            ids.clear();
            let token_hashes = &hashes[start..end as usize];
            ids.extend(token_hashes.iter().filter_map(|h| self.table.index.get(h)));
            add_state_scores(
                &self.table,
                &self.weights,
                &ids,
                &mut scores[t * l..(t + 1) * l],
            );
            start = end as usize;
        }
        scores
    }

    /// The weights and their layout.
    pub(crate) fn weights(&self) -> (&[f64], Layout) {
        (&self.weights, self.layout())
    }

    /// Sets the temperature that divides all scores before probabilities are computed.
    pub(crate) fn set_temperature(&mut self, temperature: f64) {
        self.temperature = temperature;
    }

    /// The temperature dividing all scores before probabilities are computed: chosen after
    /// training to maximise the likelihood of the held-out documents (it changes no
    /// prediction, only how confident scores are).
    pub fn temperature(&self) -> f64 {
        self.temperature
    }

    /// Evaluates the recognizer on annotated documents (for flywheel iterations): train
    /// counts are 0, `number_of_test_documents` is `docs.len()`. Gold mentions of types the
    /// recognizer does not have are ignored.
    pub fn evaluate(&self, docs: &[AnnotatedDocument]) -> Evaluation {
        let counts = self.count(docs);
        let zeros = vec![0; self.entity_types.len()];
        evaluation(&self.entity_types, &counts, &zeros, 0, docs.len() as u64)
    }

    /// Per-type counts of exact matches over `docs`, detected in parallel.
    pub(crate) fn count(&self, docs: &[AnnotatedDocument]) -> Vec<Counts> {
        let predicted: Vec<Vec<Span>> = docs
            .par_iter()
            .map(|d| {
                self.detect(&d.document.text)
                    .into_iter()
                    .map(|e| Span {
                        begin: e.begin,
                        end: e.end,
                        entity_type: e.entity_type,
                    })
                    .collect()
            })
            .collect();
        let mut counts = vec![Counts::default(); self.entity_types.len()];
        for (doc, pred) in docs.iter().zip(&predicted) {
            count_document(&self.entity_types, &doc.spans, pred, &mut counts);
        }
        counts
    }

    /// The model file: versioned header, checksum, compact encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let file = FileV1 {
            entity_types: self.entity_types.clone(),
            table: self.table.clone(),
            weights: self.weights.clone(),
            gazetteer: self.gazetteer.entries().to_vec(),
            number_of_trained_documents: self.number_of_trained_documents,
            temperature: self.temperature,
        };
        let payload = postcard::to_stdvec(&file).expect("in-memory encoding cannot fail");
        let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&MODEL_FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&crc32fast::hash(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// Reads a model file. Anything but an intact version-1 file is [`NerError::BadModel`],
    /// never a panic.
    pub fn from_bytes(bytes: &[u8]) -> Result<Recognizer, NerError> {
        let bad = |m: &str| NerError::BadModel(m.to_owned());
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return Err(bad("not a comprehend-local entity recognizer file"));
        }
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let version = word(8);
        if version != MODEL_FORMAT_VERSION {
            return Err(NerError::BadModel(format!(
                "unsupported format version {version} (this build reads version {MODEL_FORMAT_VERSION})"
            )));
        }
        let payload = &bytes[HEADER_LEN..];
        if crc32fast::hash(payload) != word(12) {
            return Err(bad("checksum mismatch (truncated or damaged)"));
        }
        let mut file: FileV1 =
            postcard::from_bytes(payload).map_err(|e| NerError::BadModel(e.to_string()))?;
        let n_types = file.entity_types.len();
        let n_labels = tags::n_labels(n_types);
        if n_types == 0
            || !(file.temperature.is_finite() && file.temperature > 0.0)
            || !file.table.is_valid(n_labels)
            || file.weights.len() != Layout::new(file.table.n_state(), n_labels).len
            || file
                .gazetteer
                .iter()
                .any(|e| e.entity_type as usize >= n_types || e.text.is_empty())
        {
            return Err(bad("inconsistent model contents"));
        }
        file.table.reindex();
        Ok(Recognizer {
            entity_types: file.entity_types,
            table: file.table,
            weights: file.weights,
            gazetteer: Gazetteer::new(file.gazetteer),
            number_of_trained_documents: file.number_of_trained_documents,
            temperature: file.temperature,
        })
    }
}

/// One gazetteer tag per token from `matches`.
pub(crate) fn gaz_tags(
    gazetteer: &Gazetteer,
    matches: &[Match],
    n_tokens: usize,
) -> Vec<Option<GazTag>> {
    let mut out = vec![None; n_tokens];
    for m in matches {
        let entity_type = gazetteer.entries()[m.entry].entity_type;
        for (t, slot) in out.iter_mut().enumerate().take(m.end).skip(m.start) {
            *slot = Some(GazTag {
                begin: t == m.start,
                entity_type,
            });
        }
    }
    out
}
