//! [`train`]: validation, split, vectorizing, fitting and evaluation in one call, as the job
//! queue runs it.

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::Array2;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::limits::{LabelStats, TrainingLimits, validate_training_set};
use crate::logistic::LogisticParams;
use crate::metrics::Evaluation;
use crate::split::stratified_split;
use crate::tfidf::TfidfVectorizer;
use crate::{Document, MlError, Mode, Model};

/// Training settings. [`TrainParams::new`] gives the defaults, which reproduce the
/// scikit-learn reference pipeline (`min_df=2`, `C=1`, `max_iter=100`, `tol=1e-4`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainParams {
    /// Classifier mode.
    pub mode: Mode,
    /// Seed of the train/test split (the fit itself is deterministic).
    pub seed: u64,
    /// Minimum number of training documents a word must occur in to become a feature.
    pub min_df: usize,
    /// Inverse L2 regularisation strength (scikit-learn's `C`).
    pub c: f64,
    /// Maximum L-BFGS iterations.
    pub max_iter: u64,
    /// Gradient tolerance (max-norm of the averaged objective's gradient).
    pub tolerance: f64,
    /// L-BFGS history length; `None` chooses with [`crate::logistic::auto_history`].
    pub lbfgs_history: Option<usize>,
    /// Limits the training set must respect.
    pub limits: TrainingLimits,
    /// Share of the documents held out for testing when no test data is given.
    pub test_fraction: f64,
    /// Most documents held out for testing.
    pub max_test_documents: usize,
}

impl TrainParams {
    /// Defaults for `mode`.
    pub fn new(mode: Mode) -> Self {
        TrainParams {
            mode,
            seed: 0,
            min_df: 2,
            c: 1.0,
            max_iter: 100,
            tolerance: 1e-4,
            lbfgs_history: None,
            limits: TrainingLimits::default(),
            test_fraction: 0.1,
            max_test_documents: 10_000,
        }
    }
}

/// The stage training is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Phase {
    /// Checking the training set against the limits.
    Validating,
    /// Holding out test documents.
    Splitting,
    /// Counting document frequencies: the vocabulary and IDF.
    Vocabulary,
    /// Writing the training documents' TF-IDF matrix.
    Matrix,
    /// Running the optimizer; `iteration`, `max_iter` and `loss` are set.
    Fitting,
    /// Scoring the test documents.
    Evaluating,
}

/// A progress report passed to the training callback: once when each phase starts
/// (`iteration` 0) and after every optimizer iteration.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Current phase.
    pub phase: Phase,
    /// Optimizer iterations done (fitting only).
    pub iteration: u64,
    /// Optimizer iteration limit.
    pub max_iter: u64,
    /// Objective value after the iteration (fitting only).
    pub loss: Option<f64>,
}

/// Facts about a training run, for logs and benchmarks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingStats {
    /// Vocabulary size.
    pub n_features: usize,
    /// Non-zeros of the training feature matrix.
    pub nnz: usize,
    /// Optimizer iterations.
    pub iterations: u64,
    /// Whether the optimizer met its tolerance before `max_iter`.
    pub converged: bool,
    /// Final objective value.
    pub loss: f64,
    /// The optimizer's termination reason.
    pub termination: String,
    /// Cost-and-gradient passes over the training data.
    pub evaluations: u64,
    /// Wall time of those passes, in seconds.
    pub gradient_seconds: f64,
    /// L-BFGS history length used.
    pub lbfgs_history: usize,
}

/// What [`train`] returns.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The classifier.
    pub model: Model,
    /// Its evaluation on the test documents.
    pub evaluation: Evaluation,
    /// Facts about the run.
    pub stats: TrainingStats,
}

/// Trains a classifier on `train` and evaluates it on `test`, or, when `test` is `None`, on a
/// stratified held-out part of `train` (see [`stratified_split`]).
///
/// `progress` is called at each phase and optimizer iteration — from a rayon worker thread
/// during fitting, hence `Send` — and setting `cancel` makes training
/// return [`MlError::Cancelled`] within about one optimizer iteration. Test labels absent from
/// the training data are reported in the evaluation, not an error.
pub fn train(
    train: Vec<Document>,
    test: Option<Vec<Document>>,
    params: &TrainParams,
    progress: &mut (dyn FnMut(Progress) + Send),
    cancel: &AtomicBool,
) -> Result<Trained, MlError> {
    let mode = params.mode;
    let phase = |p: Phase, progress: &mut (dyn FnMut(Progress) + Send)| -> Result<(), MlError> {
        if cancel.load(Ordering::Relaxed) {
            return Err(MlError::Cancelled);
        }
        progress(Progress {
            phase: p,
            iteration: 0,
            max_iter: params.max_iter,
            loss: None,
        });
        Ok(())
    };
    phase(Phase::Validating, progress)?;
    let stats = validate_training_set(&train, mode, &params.limits)?;
    let labels: Vec<String> = stats.labels.iter().map(|(l, _)| l.clone()).collect();

    phase(Phase::Splitting, progress)?;
    let (train, test) = match test {
        Some(test) => (train, test),
        None => split_by_labels(train, &stats, params),
    };

    phase(Phase::Vocabulary, progress)?;
    let vectorizer = TfidfVectorizer::fit(&train, params.min_df)?;
    phase(Phase::Matrix, progress)?;
    let x = vectorizer.transform(&train);
    let index = label_index(&labels);
    let n_train = train.len();
    let logistic = LogisticParams {
        c: params.c,
        max_iter: params.max_iter,
        tolerance: params.tolerance,
        history: params.lbfgs_history,
        n_classes: Some(labels.len()),
    };
    phase(Phase::Fitting, progress)?;
    let (linear, report) = match mode {
        Mode::MultiClass => {
            let y: Vec<usize> = train
                .iter()
                .map(|d| index[d.labels[0].as_str()] as usize)
                .collect();
            drop(train); // the texts are not needed any more: free them before fitting
            logistic.fit_multi_class(&x, &y, &mut *progress, cancel)?
        }
        Mode::MultiLabel => {
            let mut y = Array2::from_elem((n_train, labels.len()), false);
            for (i, d) in train.iter().enumerate() {
                for l in &d.labels {
                    y[[i, index[l.as_str()] as usize]] = true;
                }
            }
            drop(train);
            logistic.fit_multi_label(&x, y.view(), &mut *progress, cancel)?
        }
    };
    let stats = TrainingStats {
        n_features: vectorizer.n_features(),
        nnz: x.nnz(),
        iterations: report.iterations,
        converged: report.converged,
        loss: report.loss,
        termination: report.termination,
        evaluations: report.evaluations,
        gradient_seconds: report.gradient_seconds,
        lbfgs_history: report.history,
    };
    drop(x);
    let model = Model::new(mode, labels, vectorizer, linear, n_train);
    phase(Phase::Evaluating, progress)?;
    let evaluation = model.evaluate(&test);
    Ok(Trained {
        model,
        evaluation,
        stats,
    })
}

fn label_index(labels: &[String]) -> FxHashMap<&str, u32> {
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| (l.as_str(), i as u32))
        .collect()
}

/// The split [`train`] makes when no test data is given: seeded and stratified by label,
/// [`TrainParams::test_fraction`] of the documents (at most
/// [`TrainParams::max_test_documents`]) held out for testing. Returns (train, test).
///
/// Public so that a flywheel created from a model can put exactly the documents the model
/// was trained and tested on into its data lake. Documents must pass
/// [`validate_training_set`]; otherwise nothing is held out.
pub fn holdout_split(docs: Vec<Document>, params: &TrainParams) -> (Vec<Document>, Vec<Document>) {
    match validate_training_set(&docs, params.mode, &params.limits) {
        Ok(stats) => split_by_labels(docs, &stats, params),
        Err(_) => (docs, Vec::new()),
    }
}

fn split_by_labels(
    train: Vec<Document>,
    stats: &LabelStats,
    params: &TrainParams,
) -> (Vec<Document>, Vec<Document>) {
    let labels: Vec<String> = stats.labels.iter().map(|(l, _)| l.clone()).collect();
    let counts: Vec<usize> = stats.labels.iter().map(|(_, n)| *n).collect();
    let index = label_index(&labels);
    // Multi-label documents are stratified by their rarest label, which keeps rare
    // labels represented in the test part.
    let strata: Vec<u32> = train
        .iter()
        .map(|d| {
            d.labels
                .iter()
                .map(|l| index[l.as_str()])
                .min_by_key(|&i| (counts[i as usize], i))
                .expect("validated: at least one label")
        })
        .collect();
    let is_test = stratified_split(
        &strata,
        params.test_fraction,
        params.max_test_documents,
        params.seed,
    );
    let (mut tr, mut te) = (Vec::new(), Vec::new());
    for (doc, t) in train.into_iter().zip(is_test) {
        if t { te.push(doc) } else { tr.push(doc) }
    }
    (tr, te)
}
