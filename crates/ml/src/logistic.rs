//! Sparse L2-regularised logistic regression behind linfa's interfaces: softmax (multinomial)
//! for multi-class, one-vs-rest sigmoids for multi-label, optimised by argmin's L-BFGS.
//!
//! Why not linfa-logistic: it fits on dense `ndarray` matrices only (its `Fit` impls and the
//! `Records` impls it relies on exist for `ArrayBase` only), and a 100k × 100k TF-IDF matrix is
//! 80 GB dense. So this module keeps linfa's traits — [`SparseRecords`] as `Records`,
//! `Fit<SparseRecords, _, MlError>` on [`LogisticParams`], `PredictInplace` on [`LinearModel`]
//! — and supplies the sparse cost and gradient that argmin's `LBFGS` minimises. linfa-logistic
//! stays the reference in the tests (same small problem, dense: both must agree).
//!
//! The objective is scikit-learn's for `LogisticRegression(C)`, divided by the number of
//! documents n (same minimiser; scikit-learn ≥ 1.1 scales it the same way, so the gradient
//! tolerance means the same thing):
//!
//! `f(W, b) = (1/n) Σᵢ lossᵢ + 1/(2·C·n) ‖W‖²` — the intercepts `b` are not penalised.
//!
//! Multi-label training minimises the sum of the K binary objectives at once: they share no
//! parameter, so the minimiser is the one K separate fits would find, with one pass over the
//! data per evaluation instead of K.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use argmin::core::{
    Executor, IterState, KV, Problem, Solver, State, TerminationReason, TerminationStatus,
};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use linfa::dataset::{DatasetBase, Records};
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::objective::{GRADIENT_CHUNKS, Objective, Targets, row_chunks, sigmoid};
use crate::params::Params;
use crate::sparse::SparseRecords;
use crate::{MlError, Phase, Progress};

/// How the linear scores become label scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Link {
    /// Softmax over all labels (multi-class).
    Softmax,
    /// An independent sigmoid per label (multi-label, one-vs-rest).
    Sigmoid,
}

/// Hyper-parameters of the logistic regression; implements linfa's `Fit` for multi-class
/// targets (`Array1<usize>`, class indices) and multi-label targets (`Array2<bool>`,
/// documents × labels).
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticParams {
    /// Inverse regularisation strength, as scikit-learn's `C` (default 1).
    pub c: f64,
    /// Maximum L-BFGS iterations (default 100, scikit-learn's default).
    pub max_iter: u64,
    /// Stop when the largest absolute gradient component is at most this (default 1e-4,
    /// scikit-learn's `tol`, which scipy's L-BFGS-B applies the same way).
    pub tolerance: f64,
    /// L-BFGS history length; `None` (the default) chooses with [`auto_history`].
    pub history: Option<usize>,
    /// Number of classes for `Array1<usize>` targets; `None` takes the largest index + 1.
    pub n_classes: Option<usize>,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams {
            c: 1.0,
            max_iter: 100,
            tolerance: 1e-4,
            history: None,
            n_classes: None,
        }
    }
}

/// How a fit ended.
#[derive(Debug, Clone, PartialEq)]
pub struct FitReport {
    /// L-BFGS iterations done.
    pub iterations: u64,
    /// Whether the gradient or cost tolerance was reached before `max_iter`.
    pub converged: bool,
    /// Final objective value.
    pub loss: f64,
    /// argmin's termination reason, for logs.
    pub termination: String,
    /// Cost-and-gradient passes over the data.
    pub evaluations: u64,
    /// Wall time spent in those passes (the rest of the fit is L-BFGS's vector algebra).
    pub gradient_seconds: f64,
    /// The L-BFGS history length used.
    pub history: usize,
}

/// The L-BFGS history for a matrix with `nnz` non-zeros and `n_features` columns: scipy's 10
/// when the data has at least 200 non-zeros per feature, 3 otherwise.
///
/// Each iteration costs one pass over the data (∝ non-zeros) plus L-BFGS's vector algebra
/// (∝ history × features). argmin's two-loop recursion makes about seven out-of-place passes
/// over every stored pair per iteration, several times scipy's compact form, so on data with
/// few non-zeros per feature (short documents, large vocabularies) a history of 10 costs more
/// than the gradient itself, while 3 — the low end of the usual 3–20 — reaches the same macro
/// F1 in far less time. With many non-zeros per feature the history is cheap and the longer
/// one converges further in 100 iterations. (Measured in BENCHMARKS.md; the objective and its
/// minimiser do not depend on it.)
pub fn auto_history(nnz: usize, n_features: usize) -> usize {
    if nnz >= 200 * n_features { 10 } else { 3 }
}

/// A fitted linear model: `score = link(x·W + b)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    link: Link,
    n_features: usize,
    n_labels: usize,
    /// Feature-major: the K weights of feature j are `weights[j*K..(j+1)*K]`, so a document's
    /// non-zeros read contiguous slices.
    weights: Vec<f32>,
    intercept: Vec<f32>,
}

impl LogisticParams {
    /// Fits a softmax model on class indices, reporting each iteration to `progress` and
    /// stopping with [`MlError::Cancelled`] soon after `cancel` is set.
    pub fn fit_multi_class(
        &self,
        x: &SparseRecords,
        y: &[usize],
        progress: &mut (dyn FnMut(Progress) + Send),
        cancel: &AtomicBool,
    ) -> Result<(LinearModel, FitReport), MlError> {
        self.fit_targets(x, Targets::Classes(y), progress, cancel)
    }

    /// Fits one-vs-rest sigmoids on a documents × labels indicator matrix; see
    /// [`LogisticParams::fit_multi_class`] for `progress` and `cancel`.
    pub fn fit_multi_label<'a>(
        &self,
        x: &'a SparseRecords,
        y: ArrayView2<'a, bool>,
        progress: &mut (dyn FnMut(Progress) + Send),
        cancel: &'a AtomicBool,
    ) -> Result<(LinearModel, FitReport), MlError> {
        self.fit_targets(x, Targets::Indicator(y), progress, cancel)
    }

    fn fit_targets<'a>(
        &self,
        x: &'a SparseRecords,
        targets: Targets<'a>,
        progress: &mut (dyn FnMut(Progress) + Send),
        cancel: &'a AtomicBool,
    ) -> Result<(LinearModel, FitReport), MlError> {
        if !(self.c > 0.0 && self.c.is_finite()) {
            return Err(MlError::InvalidParams(format!(
                "C must be positive, got {}",
                self.c
            )));
        }
        if self.max_iter == 0 || self.history == Some(0) {
            return Err(MlError::InvalidParams(
                "max_iter and history must be at least 1".into(),
            ));
        }
        let n = x.nsamples();
        let k = targets.n_labels(self.n_classes);
        let rows_ok = match &targets {
            Targets::Classes(y) => y.len() == n && y.iter().all(|&c| c < k),
            Targets::Indicator(y) => y.nrows() == n,
        };
        if n == 0 || k == 0 || !rows_ok {
            return Err(MlError::InvalidParams(format!(
                "{n} documents and {k} labels: targets must have one entry per document"
            )));
        }
        // Run on a rayon worker: the many short parallel operations of each iteration then
        // fork with `join` instead of each being injected into the pool from outside and
        // waited for with a futex, which cost more than the operations themselves.
        rayon::scope(|_| {
            let out = self.run_lbfgs(x, targets, k, progress, cancel);
            crate::params::release_pool();
            out
        })
    }

    fn run_lbfgs<'a>(
        &self,
        x: &'a SparseRecords,
        targets: Targets<'a>,
        k: usize,
        progress: &mut (dyn FnMut(Progress) + Send),
        cancel: &'a AtomicBool,
    ) -> Result<(LinearModel, FitReport), MlError> {
        let n = x.nsamples();
        let link = match targets {
            Targets::Classes(_) => Link::Softmax,
            Targets::Indicator(_) => Link::Sigmoid,
        };
        let d = x.nfeatures();
        let work = Arc::new(Mutex::new((0u64, 0.0f64)));
        let objective = Objective {
            x,
            targets,
            k,
            d,
            alpha: 1.0 / (self.c * n as f64),
            chunks: row_chunks(x, GRADIENT_CHUNKS),
            cancel,
            cache: Mutex::new(None),
            work: Arc::clone(&work),
            buffers: Mutex::new(vec![Vec::new(); GRADIENT_CHUNKS]),
        };
        let linesearch = MoreThuenteLineSearch::new();
        let history = self.history.unwrap_or_else(|| auto_history(x.nnz(), d));
        let lbfgs = LBFGS::new(linesearch, history)
            // The gradient test is done by `Monitored` (max-norm, as scipy); argmin's own one
            // uses the L2 norm. The cost test mirrors scikit-learn's ftol = 64·ε.
            .with_tolerance_grad(0.0)
            .and_then(|s| s.with_tolerance_cost(64.0 * f64::EPSILON))
            .map_err(|e| MlError::Optimizer(e.to_string()))?;
        let solver = Monitored {
            inner: lbfgs,
            progress,
            cancel,
            tolerance: self.tolerance,
            max_iter: self.max_iter,
        };
        let init = Params::zeros((d + 1) * k);
        let result = Executor::new(objective, solver)
            .configure(|state| state.param(init).max_iters(self.max_iter))
            .ctrlc(false)
            .run();
        if cancel.load(Ordering::Relaxed) {
            return Err(MlError::Cancelled);
        }
        let (theta, mut report) = match result {
            Ok(mut res) => {
                let state = &mut res.state;
                let reason = state
                    .get_termination_reason()
                    .cloned()
                    .unwrap_or(TerminationReason::MaxItersReached);
                let report = FitReport {
                    iterations: state.get_iter(),
                    converged: matches!(&reason, TerminationReason::SolverConverged)
                        || matches!(&reason, TerminationReason::SolverExit(s) if s == GRADIENT_SMALL),
                    loss: state.get_best_cost(),
                    termination: match &reason {
                        // argmin's L-BFGS says "converged" for its cost test.
                        TerminationReason::SolverConverged => COST_FLAT.to_owned(),
                        other => other.text().to_owned(),
                    },
                    evaluations: 0,
                    gradient_seconds: 0.0,
                    history,
                };
                let theta = state
                    .take_best_param()
                    .or_else(|| state.take_param())
                    .ok_or_else(|| MlError::Optimizer("no parameters returned".into()))?;
                (theta, report)
            }
            // Line-search failures end the run inside argmin's L-BFGS; what reaches here is a
            // cancellation (handled above) or a bug.
            Err(e) => return Err(MlError::Optimizer(e.to_string())),
        };
        (report.evaluations, report.gradient_seconds) =
            *work.lock().unwrap_or_else(|e| e.into_inner());
        Ok((
            LinearModel::from_params(link, d, k, theta.as_slice()),
            report,
        ))
    }
}

impl Fit<SparseRecords, Array1<usize>, MlError> for LogisticParams {
    type Object = LinearModel;

    fn fit(
        &self,
        dataset: &DatasetBase<SparseRecords, Array1<usize>>,
    ) -> Result<LinearModel, MlError> {
        let y = dataset.targets.as_slice().expect("contiguous targets");
        let never = AtomicBool::new(false);
        Ok(self
            .fit_multi_class(&dataset.records, y, &mut |_| {}, &never)?
            .0)
    }
}

impl Fit<SparseRecords, Array2<bool>, MlError> for LogisticParams {
    type Object = LinearModel;

    fn fit(
        &self,
        dataset: &DatasetBase<SparseRecords, Array2<bool>>,
    ) -> Result<LinearModel, MlError> {
        let never = AtomicBool::new(false);
        Ok(self
            .fit_multi_label(
                &dataset.records,
                dataset.targets.view(),
                &mut |_| {},
                &never,
            )?
            .0)
    }
}

type LbfgsState = IterState<Params, Params, (), (), (), f64>;

/// Termination texts of the two convergence tests.
const GRADIENT_SMALL: &str = "converged: largest gradient component below tolerance";
const COST_FLAT: &str = "converged: objective no longer decreasing";

/// Wraps the L-BFGS solver to report progress after every iteration, honour the cancellation
/// flag between iterations and apply scipy's max-norm gradient test. (argmin's observers must
/// be `'static`, which a borrowed callback is not.)
struct Monitored<'a, S> {
    inner: S,
    progress: &'a mut dyn FnMut(Progress),
    cancel: &'a AtomicBool,
    tolerance: f64,
    max_iter: u64,
}

impl<O, S: Solver<O, LbfgsState>> Solver<O, LbfgsState> for Monitored<'_, S> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn init(
        &mut self,
        problem: &mut Problem<O>,
        state: LbfgsState,
    ) -> Result<(LbfgsState, Option<KV>), argmin::core::Error> {
        self.inner.init(problem, state)
    }

    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        state: LbfgsState,
    ) -> Result<(LbfgsState, Option<KV>), argmin::core::Error> {
        let iteration = state.get_iter() + 1;
        let (state, kv) = self.inner.next_iter(problem, state)?;
        (self.progress)(Progress {
            phase: Phase::Fitting,
            iteration,
            max_iter: self.max_iter,
            loss: Some(state.get_cost()),
        });
        Ok((state, kv))
    }

    fn terminate_internal(&mut self, state: &LbfgsState) -> TerminationStatus {
        if self.cancel.load(Ordering::Relaxed) {
            return TerminationStatus::Terminated(TerminationReason::Interrupt);
        }
        let status = self.inner.terminate_internal(state);
        if status.terminated() {
            return status;
        }
        if let Some(g) = state.get_gradient()
            && g.0.iter().all(|v| v.abs() as f64 <= self.tolerance)
        {
            return TerminationStatus::Terminated(TerminationReason::SolverExit(
                GRADIENT_SMALL.to_owned(),
            ));
        }
        TerminationStatus::NotTerminated
    }
}

impl LinearModel {
    fn from_params(link: Link, d: usize, k: usize, theta: &[f32]) -> Self {
        LinearModel {
            link,
            n_features: d,
            n_labels: k,
            weights: theta[..d * k].to_vec(),
            intercept: theta[d * k..].to_vec(),
        }
    }

    /// Checks internal sizes (after deserialising untrusted bytes).
    pub(crate) fn check(&self) -> Result<(), MlError> {
        if self.weights.len() != self.n_features * self.n_labels
            || self.intercept.len() != self.n_labels
            || self.n_labels == 0
        {
            return Err(MlError::CorruptModel(
                "weight matrix has the wrong size".into(),
            ));
        }
        Ok(())
    }

    /// Softmax or sigmoid.
    pub fn link(&self) -> Link {
        self.link
    }

    /// Number of features (columns) the model expects.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of labels (classes).
    pub fn n_labels(&self) -> usize {
        self.n_labels
    }

    /// Weight of feature `j` for label `k`.
    pub fn weight(&self, j: usize, k: usize) -> f32 {
        self.weights[j * self.n_labels + k]
    }

    /// Intercept of label `k`.
    pub fn intercept(&self, k: usize) -> f32 {
        self.intercept[k]
    }

    /// Label scores (probabilities) of one sparse row into `out` (length `n_labels`).
    /// Columns outside the model are ignored.
    pub fn scores_into(&self, indices: &[u32], data: &[f32], out: &mut [f64]) {
        let k = self.n_labels;
        for (o, &b) in out.iter_mut().zip(&self.intercept) {
            *o = b as f64;
        }
        for (&j, &v) in indices.iter().zip(data) {
            let j = j as usize;
            if j >= self.n_features {
                continue;
            }
            let v = v as f64;
            let wj = &self.weights[j * k..(j + 1) * k];
            out.iter_mut()
                .zip(wj)
                .for_each(|(o, &w)| *o += v * w as f64);
        }
        match self.link {
            Link::Softmax => {
                let max = out.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let mut sum = 0.0;
                for o in out.iter_mut() {
                    *o = (*o - max).exp();
                    sum += *o;
                }
                out.iter_mut().for_each(|o| *o /= sum);
            }
            Link::Sigmoid => out.iter_mut().for_each(|o| *o = sigmoid(*o)),
        }
    }
}

/// Label scores for every document: documents × labels.
impl PredictInplace<SparseRecords, Array2<f64>> for LinearModel {
    fn predict_inplace(&self, x: &SparseRecords, y: &mut Array2<f64>) {
        assert_eq!(y.dim(), (x.nsamples(), self.n_labels), "target shape");
        y.as_slice_mut()
            .expect("standard layout")
            .par_chunks_mut(self.n_labels)
            .enumerate()
            .for_each(|(i, row)| {
                let (idx, val) = x.row(i);
                self.scores_into(idx, val, row);
            });
    }

    fn default_target(&self, x: &SparseRecords) -> Array2<f64> {
        Array2::zeros((x.nsamples(), self.n_labels))
    }
}

/// The highest-scoring label of every document.
impl PredictInplace<SparseRecords, Array1<usize>> for LinearModel {
    fn predict_inplace(&self, x: &SparseRecords, y: &mut Array1<usize>) {
        let mut scores = Array2::<f64>::zeros((x.nsamples(), self.n_labels));
        self.predict_inplace(x, &mut scores);
        for (out, row) in y.iter_mut().zip(scores.outer_iter()) {
            *out = argmax(row.as_slice().expect("standard layout"));
        }
    }

    fn default_target(&self, x: &SparseRecords) -> Array1<usize> {
        Array1::zeros(x.nsamples())
    }
}

/// Index of the largest value (the first one on ties).
pub(crate) fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &s) in v.iter().enumerate() {
        if s > v[best] {
            best = i;
        }
    }
    best
}
