//! [`train`]: validation, split, gazetteer, feature encoding, L-BFGS fitting and evaluation in
//! one call, as the server's job queue runs it.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::crf::{FeatureTable, Layout};
use crate::gazetteer::{Entry, Gazetteer};
use crate::lbfgs::{Settings, minimise};
use crate::metrics::{Evaluation, evaluation};
use crate::model::gaz_tags;
use crate::objective::{Encoded, Objective};
use crate::split::{SplitMix64, holdout};
use crate::tokenize::tokenize_with_cuts;
use crate::{
    AnnotatedDocument, EntityList, Limits, MAX_ENTITY_TYPES, NerError, Recognizer, calibrate,
    features, perceptron, tags,
};

/// Which learner fits the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Learner {
    /// Averaged structured perceptron, `max_iterations` epochs (the default: about a tenth of
    /// the CRF's training time for a similar F1).
    Perceptron,
    /// Linear-chain CRF, L2-regularised log-likelihood, argmin's L-BFGS.
    Crf,
}

/// Training settings; [`TrainParams::default`] gives the values the benchmark was run with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainParams {
    /// Seed of the train/test split, the perceptron's order and the gazetteer dropout.
    pub seed: u64,
    /// Limits the training data must respect.
    pub limits: Limits,
    /// The learner.
    pub learner: Learner,
    /// CRF: L2 regularisation, the objective adds `c2 · ‖w‖²`.
    pub c2: f64,
    /// Most L-BFGS iterations (CRF) or epochs (perceptron).
    pub max_iterations: u64,
    /// CRF: stop when the objective improved by less than this share over `period` iterations.
    pub delta: f64,
    /// See `delta`.
    pub period: usize,
    /// CRF: L-BFGS history length.
    pub lbfgs_history: usize,
    /// Share of documents held out for testing when no test data is given.
    pub test_fraction: f64,
    /// Share of gazetteer matches hidden from the tagger in training documents, so that it
    /// also learns names from context instead of trusting the gazetteer alone.
    pub gazetteer_dropout: f64,
    /// Whether mentions annotated in the training split join the gazetteer.
    pub mention_gazetteer: bool,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            seed: 0,
            limits: Limits::default(),
            learner: Learner::Perceptron,
            c2: 0.1,
            max_iterations: 20,
            delta: 1e-4,
            period: 10,
            lbfgs_history: 6,
            test_fraction: 0.1,
            gazetteer_dropout: 0.6,
            mention_gazetteer: true,
        }
    }
}

/// A progress report: the share of training done, in [0, 1], never decreasing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Share done.
    pub fraction: f64,
}

/// What [`train`] returns.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The recognizer.
    pub model: Recognizer,
    /// Its evaluation on the test documents.
    pub evaluation: Evaluation,
}

/// Share of the progress range spent before fitting starts, and where fitting ends.
const FIT_START: f64 = 0.1;
const FIT_END: f64 = 0.95;

/// Trains a recognizer for `entity_types` on `train` and evaluates it on `test`, or, when
/// `test` is `None`, on a held-out part of `train` (see [`holdout`]).
///
/// Mentions of types not in `entity_types` are ignored. `gazetteer` (an entity list) feeds the
/// gazetteer feature together with the training mentions. `progress` is called as training
/// advances; setting `cancel` makes training return [`NerError::Stopped`] within one optimizer
/// iteration. The same inputs and seed give the same model bytes.
pub fn train(
    train: Vec<AnnotatedDocument>,
    test: Option<Vec<AnnotatedDocument>>,
    entity_types: &[String],
    gazetteer: Option<&EntityList>,
    params: &TrainParams,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Trained, NerError> {
    check_params(params)?;
    check_entity_types(entity_types)?;
    let train = keep_types(train, entity_types);
    check_training_set(&train, entity_types, &params.limits)?;
    let (train, test) = match test {
        Some(test) => {
            let test = keep_types(test, entity_types);
            check_test_set(&test, entity_types)?;
            (train, test)
        }
        None => split(train, entity_types, params),
    };
    progress(Progress { fraction: 0.02 });
    let gaz = build_gazetteer(&train, entity_types, gazetteer, params.mention_gazetteer);
    let (table, encoded) = encode(&train, entity_types, &gaz, params);
    progress(Progress {
        fraction: FIT_START,
    });
    let layout = Layout::new(table.n_state(), tags::n_labels(entity_types.len()));
    let mut fit_progress = |f: f64| {
        progress(Progress {
            fraction: FIT_START + (FIT_END - FIT_START) * f.clamp(0.0, 1.0),
        });
    };
    let weights = fit(&table, layout, &encoded, params, &mut fit_progress, cancel)?;
    drop(encoded);
    let mut model = Recognizer::new(
        entity_types.to_vec(),
        table,
        weights,
        gaz,
        train.len() as u64,
    );
    model.set_temperature(calibrate::temperature(&model, &test));
    let counts = model.count(&test);
    let evaluation = evaluation(
        entity_types,
        &counts,
        &mention_counts(&train, entity_types),
        train.len() as u64,
        test.len() as u64,
    );
    progress(Progress { fraction: 1.0 });
    Ok(Trained { model, evaluation })
}

fn fit(
    table: &FeatureTable,
    layout: Layout,
    encoded: &Encoded,
    params: &TrainParams,
    progress: &mut dyn FnMut(f64),
    cancel: &AtomicBool,
) -> Result<Vec<f64>, NerError> {
    match params.learner {
        Learner::Perceptron => perceptron::train(
            table,
            layout,
            encoded,
            params.max_iterations,
            params.seed,
            progress,
            cancel,
        ),
        Learner::Crf => {
            let objective = Objective::new(table, layout, encoded, params.c2, cancel);
            let settings = Settings {
                max_iterations: params.max_iterations,
                history: params.lbfgs_history,
                delta: params.delta,
                period: params.period,
            };
            minimise(objective, settings, progress, cancel)
        }
    }
}

fn check_params(p: &TrainParams) -> Result<(), NerError> {
    let bad = |m: &str| Err(NerError::InvalidParams(m.to_owned()));
    if !(p.c2.is_finite() && p.c2 >= 0.0) {
        return bad("c2 must be a finite number ≥ 0");
    }
    if p.lbfgs_history == 0 || p.max_iterations == 0 {
        return bad("lbfgs_history and max_iterations must be ≥ 1");
    }
    if !(0.0..1.0).contains(&p.test_fraction) || !(0.0..=1.0).contains(&p.gazetteer_dropout) {
        return bad("test_fraction must be in [0, 1) and gazetteer_dropout in [0, 1]");
    }
    Ok(())
}

/// Checks the `EntityTypes` list: 1–25 distinct types, each 1–64 characters without newline,
/// carriage return, tab or comma (the API's `Type` pattern).
pub fn check_entity_types(types: &[String]) -> Result<(), NerError> {
    let err = |m: String| Err(NerError::EntityTypes(m));
    if types.is_empty() || types.len() > MAX_ENTITY_TYPES {
        return err(format!(
            "A recognizer needs between 1 and {MAX_ENTITY_TYPES} entity types; {} were given.",
            types.len()
        ));
    }
    for (i, t) in types.iter().enumerate() {
        let forbidden = t.contains(['\n', '\r', '\t', ','])
            || t.contains("\\n")
            || t.contains("\\r")
            || t.contains("\\t");
        if t.is_empty() || t.chars().count() > 64 || forbidden {
            return err(format!(
                "The entity type {t:?} is invalid: types are 1 to 64 characters without commas, tabs or line breaks."
            ));
        }
        if types[..i].contains(t) {
            return err(format!("The entity type {t} is listed twice."));
        }
    }
    Ok(())
}

/// Keeps the spans of known types. Documents built by hand (not by this crate's readers) are
/// also made safe: spans that are empty, reversed or past the text are dropped, and of
/// overlapping spans the first (in offset order) is kept.
fn keep_types(mut docs: Vec<AnnotatedDocument>, types: &[String]) -> Vec<AnnotatedDocument> {
    for d in &mut docs {
        let length = d.document.text.chars().count();
        d.spans
            .retain(|s| types.contains(&s.entity_type) && s.begin < s.end && s.end <= length);
        d.spans.sort();
        let mut end = 0;
        d.spans.retain(|s| {
            let keep = s.begin >= end;
            if keep {
                end = s.end;
            }
            keep
        });
    }
    docs
}

fn mention_counts(docs: &[AnnotatedDocument], types: &[String]) -> Vec<u64> {
    let mut counts = vec![0u64; types.len()];
    for s in docs.iter().flat_map(|d| &d.spans) {
        if let Some(k) = types.iter().position(|t| *t == s.entity_type) {
            counts[k] += 1;
        }
    }
    counts
}

fn check_training_set(
    docs: &[AnnotatedDocument],
    types: &[String],
    limits: &Limits,
) -> Result<(), NerError> {
    if docs.len() < limits.min_documents {
        return Err(NerError::TooFewDocuments {
            count: docs.len(),
            min: limits.min_documents,
        });
    }
    for (t, &count) in types.iter().zip(&mention_counts(docs, types)) {
        if (count as usize) < limits.min_mentions_per_type {
            return Err(NerError::TooFewMentions {
                entity_type: t.clone(),
                count: count as usize,
                min: limits.min_mentions_per_type,
            });
        }
    }
    Ok(())
}

fn check_test_set(docs: &[AnnotatedDocument], types: &[String]) -> Result<(), NerError> {
    let counts = mention_counts(docs, types);
    match types.iter().zip(&counts).find(|&(_, &c)| c == 0) {
        Some((t, _)) => Err(NerError::TestMissingType {
            entity_type: t.clone(),
        }),
        None => Ok(()),
    }
}

fn split(
    docs: Vec<AnnotatedDocument>,
    types: &[String],
    params: &TrainParams,
) -> (Vec<AnnotatedDocument>, Vec<AnnotatedDocument>) {
    let is_test = holdout(&docs, types, params.test_fraction, params.seed);
    let (mut train, mut test) = (Vec::new(), Vec::new());
    for (doc, t) in docs.into_iter().zip(is_test) {
        if t { test.push(doc) } else { train.push(doc) }
    }
    (train, test)
}

/// The gazetteer: the entity list's entries of known types, then (optionally) the surface forms
/// annotated in the training split, with the number of documents annotating each.
fn build_gazetteer(
    train: &[AnnotatedDocument],
    types: &[String],
    list: Option<&EntityList>,
    mentions: bool,
) -> Gazetteer {
    let mut entries: Vec<Entry> = list.map_or_else(Vec::new, |l| l.gazetteer_entries(types));
    let mut index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.text.clone(), i))
        .collect();
    if mentions {
        for doc in train {
            let chars: Vec<(usize, char)> = doc.document.text.char_indices().collect();
            let byte = |c: usize| chars.get(c).map_or(doc.document.text.len(), |&(b, _)| b);
            let mut seen_here = FxHashSet::default();
            for s in &doc.spans {
                let text = &doc.document.text[byte(s.begin)..byte(s.end)];
                let k = types
                    .iter()
                    .position(|t| *t == s.entity_type)
                    .expect("kept types");
                if text.trim().is_empty() || !seen_here.insert(text) {
                    continue;
                }
                let i = *index.entry(text.to_owned()).or_insert_with(|| {
                    entries.push(Entry {
                        text: text.to_owned(),
                        entity_type: k as u16,
                        from_list: false,
                        documents: 0,
                    });
                    entries.len() - 1
                });
                entries[i].documents += 1;
            }
        }
    }
    Gazetteer::new(entries)
}

/// One training document's words, position-dependent attributes and gold labels.
struct DocFeatures {
    words: Vec<String>,
    context: Vec<u64>,
    context_ends: Vec<u32>,
    gold: Vec<u16>,
}

fn doc_features(
    d: usize,
    doc: &AnnotatedDocument,
    types: &[String],
    gaz: &Gazetteer,
    params: &TrainParams,
) -> DocFeatures {
    let text = &doc.document.text;
    let mut cuts: Vec<usize> = doc.spans.iter().flat_map(|s| [s.begin, s.end]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let tokens = tokenize_with_cuts(text, &cuts);
    let gold = tags::encode(&tokens, &doc.spans, |t| types.iter().position(|x| x == t));
    let own: FxHashSet<&str> = doc
        .spans
        .iter()
        .filter_map(|s| {
            let b = tokens.iter().find(|t| t.begin == s.begin)?.byte_begin;
            let e = tokens.iter().find(|t| t.end == s.end)?.byte_end;
            Some(&text[b..e])
        })
        .collect();
    let matches: Vec<_> = gaz
        .find(text, &tokens)
        .into_iter()
        .filter(|m| {
            let e = &gaz.entries()[m.entry];
            // Leave one out: a form only this document annotates would be a perfect clue here
            // and absent on new text.
            let only_here = !e.from_list && e.documents <= 1 && own.contains(e.text.as_str());
            let mut rng = SplitMix64::new(params.seed ^ ((d as u64) << 20) ^ m.start as u64);
            let dropped =
                (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= params.gazetteer_dropout;
            !only_here && !dropped
        })
        .collect();
    let tags = gaz_tags(gaz, &matches, tokens.len());
    let words: Vec<features::Word<'_>> = tokens
        .iter()
        .map(|t| features::Word::new(t.text(text)))
        .collect();
    let (mut context, mut context_ends) = (Vec::new(), Vec::new());
    for i in 0..words.len() {
        features::context_attributes(&words, &tags, i, &mut context);
        context_ends.push(context.len() as u32);
    }
    DocFeatures {
        words: tokens.iter().map(|t| t.text(text).to_owned()).collect(),
        context,
        context_ends,
        gold,
    }
}

/// Extracts features of the training documents in parallel, then interns them in document
/// order (so ids do not depend on threads) into the feature table and the encoded set.
fn encode(
    train: &[AnnotatedDocument],
    types: &[String],
    gaz: &Gazetteer,
    params: &TrainParams,
) -> (FeatureTable, Encoded) {
    let docs: Vec<DocFeatures> = train
        .par_iter()
        .enumerate()
        .map(|(d, doc)| doc_features(d, doc, types, gaz, params))
        .collect();
    let mut interner = Interner::default();
    let mut enc = Encoded::default();
    for doc in docs {
        let first = enc.words.len();
        for word in &doc.words {
            let id = interner.word(word, &mut enc);
            enc.words.push(id);
        }
        let mut start = 0;
        for &end in &doc.context_ends {
            for &h in &doc.context[start..end as usize] {
                let id = interner.attribute(h);
                enc.context.push(id);
            }
            enc.context_ends.push(enc.context.len() as u32);
            start = end as usize;
        }
        enc.gold.extend_from_slice(&doc.gold);
        enc.seq_ends.push(enc.gold.len() as u32);
        let seq = first..enc.words.len();
        for token in seq.clone() {
            let label = enc.gold[token];
            enc.for_each_id(token, &seq, |a| {
                interner.pairs.insert((a, label));
            });
        }
    }
    (FeatureTable::build(interner.order, &interner.pairs), enc)
}

/// Attribute ids in order of first sight, distinct words, and the (attribute, label) pairs.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<u64, u32>,
    order: Vec<u64>,
    words: FxHashMap<String, u32>,
    pairs: FxHashSet<(u32, u16)>,
    scratch: Vec<u64>,
}

impl Interner {
    fn attribute(&mut self, h: u64) -> u32 {
        *self.ids.entry(h).or_insert_with(|| {
            self.order.push(h);
            self.order.len() as u32 - 1
        })
    }

    /// The id of `text` as a word, storing its attributes in `enc` when it is new.
    fn word(&mut self, text: &str, enc: &mut Encoded) -> u32 {
        if let Some(&id) = self.words.get(text) {
            return id;
        }
        let word = features::Word::new(text);
        let mut own = std::mem::take(&mut self.scratch);
        own.clear();
        features::own_attributes(&word, &mut own);
        for &h in &own {
            let id = self.attribute(h);
            enc.word_own.push(id);
        }
        self.scratch = own;
        enc.word_own_ends.push(enc.word_own.len() as u32);
        let mut neighbour = [0u32; 8];
        for slot in 0..features::OFFSETS.len() {
            let [lower, shape] = features::neighbour_attributes(&word, slot);
            neighbour[2 * slot] = self.attribute(lower);
            neighbour[2 * slot + 1] = self.attribute(shape);
        }
        enc.word_neighbour.push(neighbour);
        let id = self.words.len() as u32;
        self.words.insert(text.to_owned(), id);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;
    use crate::{Document, Span};

    /// The compact training encoding must give every token exactly the attributes that
    /// detection computes for it, or the model would be trained on other features.
    #[test]
    fn training_encoding_matches_detection_features() {
        let text = "Ann Lee met Bob in Paris , then Ann left .";
        let doc = AnnotatedDocument {
            document: Document {
                file: "f".into(),
                line: None,
                text: text.into(),
            },
            spans: vec![Span {
                begin: 0,
                end: 7,
                entity_type: "PER".into(),
            }],
        };
        let types = vec!["PER".to_string()];
        let params = TrainParams {
            gazetteer_dropout: 0.0,
            ..TrainParams::default()
        };
        let gaz = Gazetteer::new(Vec::new());
        let (table, enc) = encode(std::slice::from_ref(&doc), &types, &gaz, &params);
        let tokens = tokenize(text);
        let (mut hashes, mut ends) = (Vec::new(), Vec::new());
        features::extract(
            text,
            &tokens,
            &vec![None; tokens.len()],
            &mut hashes,
            &mut ends,
        );
        let seq = enc.tokens(0);
        let mut start = 0;
        for (t, &end) in ends.iter().enumerate() {
            let mut expected = hashes[start..end as usize].to_vec();
            let mut got = Vec::new();
            enc.for_each_id(t, &seq, |a| got.push(table.hashes[a as usize]));
            expected.sort_unstable();
            got.sort_unstable();
            assert_eq!(got, expected, "token {t}");
            start = end as usize;
        }
    }
}
