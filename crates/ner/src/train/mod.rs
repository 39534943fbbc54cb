//! [`train_corpus`] (and its in-memory form [`train`]): validation, split, gazetteer, feature
//! encoding, fitting and evaluation in one call, as the server's job queue runs it, each stage
//! a streaming pass over the corpora (see [`passes`] and [`encode`]).

mod encode;
mod passes;

use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::corpus::{Corpus, Scratch};
use crate::crf::{FeatureTable, Layout};
use crate::encoded::{BlockStore, Encoded, Tokens, WordTable};
use crate::lbfgs::{Settings, minimise};
use crate::metrics::{Evaluation, evaluation};
use crate::objective::Objective;
use crate::split::{BitSet, holdout_masks};
use crate::{
    AnnotatedDocument, EntityList, Limits, MAX_ENTITY_TYPES, NerError, Recognizer, calibrate,
    perceptron, tags,
};
use passes::{Summary, View};

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

/// Share of the progress range done once the data is checked and split, where fitting starts
/// (after encoding), and where fitting ends.
const SPLIT_DONE: f64 = 0.02;
const FIT_START: f64 = 0.1;
const FIT_END: f64 = 0.95;

/// Trains a recognizer for `entity_types` on `train` and evaluates it on `test`, or, when
/// `test` is `None`, on a held-out part of `train` (see [`crate::split::holdout`]).
///
/// Mentions of types not in `entity_types` are ignored. `gazetteer` (an entity list) feeds the
/// gazetteer feature together with the training mentions. `progress` is called as training
/// advances; setting `cancel` makes training return [`NerError::Stopped`] within one optimizer
/// iteration. The same inputs and seed give the same model bytes. This is [`train_corpus`]
/// with the documents and the scratch space in memory.
pub fn train(
    train: Vec<AnnotatedDocument>,
    test: Option<Vec<AnnotatedDocument>>,
    entity_types: &[String],
    gazetteer: Option<&EntityList>,
    params: &TrainParams,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Trained, NerError> {
    train_corpus(
        &train,
        test.as_ref().map(|t| t as &dyn Corpus),
        entity_types,
        gazetteer,
        params,
        &mut || Ok(Box::new(Vec::<u8>::new())),
        progress,
        cancel,
    )
}

/// [`train`] over corpora read one document at a time, with the per-token training data in
/// scratch space from `scratch` (called for each fresh space needed): memory grows with the
/// distinct words, attributes and gazetteer forms, not with the number of documents (besides
/// one bit per document for the automatic split, and, for [`Learner::Crf`], the encoded
/// training set, which the CRF keeps in memory). Each corpus is read several times.
///
/// The perceptron reads the encoded sequences back from scratch in every epoch; up to
/// `4 × 4096` documents it visits them in one seeded permutation per epoch, past that in a
/// seeded order of blocks of 4,096 documents, shuffled within windows of four blocks. The
/// temperature is fitted on the first test documents up to 2²¹ state scores (about 230,000
/// tokens with 4 types); the evaluation covers all of them. Errors: those of [`train`], and
/// [`NerError::Scratch`] when the scratch space fails.
#[allow(clippy::too_many_arguments)]
pub fn train_corpus(
    train: &dyn Corpus,
    test: Option<&dyn Corpus>,
    entity_types: &[String],
    gazetteer: Option<&EntityList>,
    params: &TrainParams,
    scratch: &mut dyn FnMut() -> std::io::Result<Box<dyn Scratch>>,
    progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<Trained, NerError> {
    check_params(params)?;
    check_entity_types(entity_types)?;
    let types = entity_types;
    let summary = passes::summarize(&View::all(train, types), types, test.is_none())?;
    check_training_set(&summary, types, &params.limits)?;
    let parts = Parts::new(train, test, types, params, summary)?;
    progress(Progress {
        fraction: SPLIT_DONE,
    });
    let train_view = parts.train();
    let (gaz, mentions) =
        passes::build_gazetteer(&train_view, types, gazetteer, params.mention_gazetteer)?;
    let blocks = scratch().map_err(NerError::Scratch)?;
    let n_docs = train_view.len().max(1) as f64;
    let mut encoded = |done: usize| {
        let share = done as f64 / n_docs;
        progress(Progress {
            fraction: SPLIT_DONE + (FIT_START - SPLIT_DONE) * share.clamp(0.0, 1.0),
        });
    };
    let (table, words, store) = encode::encode(
        &train_view,
        types,
        &gaz,
        params,
        blocks,
        &mut encoded,
        cancel,
    )?;
    progress(Progress {
        fraction: FIT_START,
    });
    let layout = Layout::new(table.n_state(), tags::n_labels(types.len()));
    let mut fit_progress = |f: f64| {
        progress(Progress {
            fraction: FIT_START + (FIT_END - FIT_START) * f.clamp(0.0, 1.0),
        });
    };
    let data = Fitting {
        table: &table,
        layout,
        words: &words,
        store: &store,
    };
    let weights = fit(data, params, &mut fit_progress, cancel)?;
    drop((words, store));
    let n_train = train_view.len() as u64;
    let mut model = Recognizer::new(types.to_vec(), table, weights, gaz, n_train);
    let test_view = parts.test();
    let sample = passes::calibration_sample(&model, &test_view)?;
    model.set_temperature(calibrate::temperature(&model, &sample));
    drop(sample);
    let counts = passes::count(&model, &test_view)?;
    let n_test = test_view.len() as u64;
    let evaluation = evaluation(types, &counts, &mentions, n_train, n_test);
    progress(Progress { fraction: 1.0 });
    Ok(Trained { model, evaluation })
}

/// The automatic train/test split [`train_corpus`] makes of `corpus` when it is given no test
/// corpus: the set holds the indices (in `corpus` order) of the test documents. For callers
/// that keep the two sides themselves (a flywheel's first datasets, an iteration without
/// TEST data), so that the documents they test on are the ones training would hold out.
pub fn holdout_corpus(
    corpus: &dyn Corpus,
    entity_types: &[String],
    params: &TrainParams,
) -> Result<BitSet, NerError> {
    check_params(params)?;
    let summary = passes::summarize(&View::all(corpus, entity_types), entity_types, true)?;
    Ok(holdout_masks(
        &summary.masks,
        entity_types.len(),
        params.test_fraction,
        params.seed,
    ))
}

impl Recognizer {
    /// [`Recognizer::evaluate`] over a corpus read in batches, so its size is not bounded by
    /// memory (a flywheel's TEST datasets).
    pub fn evaluate_corpus(&self, docs: &dyn Corpus) -> Result<Evaluation, NerError> {
        let counts = passes::count(self, docs)?;
        let zeros = vec![0; self.entity_types().len()];
        Ok(evaluation(
            self.entity_types(),
            &counts,
            &zeros,
            0,
            docs.len() as u64,
        ))
    }
}

/// The training and test parts: the given corpora, or the two sides of the automatic split.
struct Parts<'a> {
    train: &'a dyn Corpus,
    test: Option<&'a dyn Corpus>,
    types: &'a [String],
    split: BitSet,
    n_train: usize,
    n_test: usize,
}

impl<'a> Parts<'a> {
    /// Checks the test corpus, or splits `train` from its summary.
    fn new(
        train: &'a dyn Corpus,
        test: Option<&'a dyn Corpus>,
        types: &'a [String],
        params: &TrainParams,
        summary: Summary,
    ) -> Result<Self, NerError> {
        let (split, n_test) = match test {
            Some(test) => {
                let counts = passes::summarize(&View::all(test, types), types, false)?;
                check_test_set(&counts.mentions, types)?;
                (BitSet::default(), counts.docs)
            }
            None => {
                let masks = summary.masks;
                let split = holdout_masks(&masks, types.len(), params.test_fraction, params.seed);
                let n_test = (0..masks.len()).filter(|&d| split.contains(d)).count();
                (split, n_test)
            }
        };
        let n_train = if test.is_some() {
            summary.docs
        } else {
            summary.docs - n_test
        };
        Ok(Parts {
            train,
            test,
            types,
            split,
            n_train,
            n_test,
        })
    }

    fn train(&self) -> View<'_> {
        match self.test {
            Some(_) => View::all(self.train, self.types),
            None => View::part(self.train, self.types, &self.split, false, self.n_train),
        }
    }

    fn test(&self) -> View<'_> {
        match self.test {
            Some(test) => View::all(test, self.types),
            None => View::part(self.train, self.types, &self.split, true, self.n_test),
        }
    }
}

/// What the learners fit on.
#[derive(Clone, Copy)]
struct Fitting<'a> {
    table: &'a FeatureTable,
    layout: Layout,
    words: &'a WordTable,
    store: &'a BlockStore,
}

fn fit(
    data: Fitting<'_>,
    params: &TrainParams,
    progress: &mut dyn FnMut(f64),
    cancel: &AtomicBool,
) -> Result<Vec<f64>, NerError> {
    let Fitting {
        table,
        layout,
        words,
        store,
    } = data;
    match params.learner {
        Learner::Perceptron => perceptron::train(
            table,
            layout,
            words,
            store,
            params.max_iterations,
            params.seed,
            progress,
            cancel,
        ),
        Learner::Crf => {
            // L-BFGS evaluates the whole objective many times in parallel chunks; the CRF
            // keeps the encoded sequences in memory (about 20 bytes per token).
            let mut seqs = Tokens::default();
            let ids: Vec<usize> = (0..store.len()).collect();
            store.load(&ids, &mut seqs).map_err(NerError::Scratch)?;
            let data = Encoded {
                table: words,
                seqs: &seqs,
            };
            let objective = Objective::new(table, layout, data, params.c2, cancel);
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

fn check_training_set(s: &Summary, types: &[String], limits: &Limits) -> Result<(), NerError> {
    if s.docs < limits.min_documents {
        return Err(NerError::TooFewDocuments {
            count: s.docs,
            min: limits.min_documents,
        });
    }
    for (t, &count) in types.iter().zip(&s.mentions) {
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

fn check_test_set(mentions: &[u64], types: &[String]) -> Result<(), NerError> {
    match types.iter().zip(mentions).find(|&(_, &c)| c == 0) {
        Some((t, _)) => Err(NerError::TestMissingType {
            entity_type: t.clone(),
        }),
        None => Ok(()),
    }
}
