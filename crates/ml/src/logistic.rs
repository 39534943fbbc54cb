//! Sparse L2-regularised logistic regression behind linfa's interfaces: softmax (multinomial)
//! for multi-class, one-vs-rest sigmoids for multi-label, optimised by a preconditioned L-BFGS
//! ([`crate::lbfgs`]).
//!
//! Why not linfa-logistic: it fits on dense `ndarray` matrices only (its `Fit` impls and the
//! `Records` impls it relies on exist for `ArrayBase` only), and a 100k × 100k TF-IDF matrix is
//! 80 GB dense. So this module keeps linfa's traits — [`SparseRecords`] as `Records`,
//! `Fit<SparseRecords, _, MlError>` on [`LogisticParams`], `PredictInplace` on [`LinearModel`]
//! — and supplies the sparse cost and gradient that L-BFGS minimises. linfa-logistic
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
use std::time::Instant;

use linfa::dataset::{DatasetBase, Records};
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::lbfgs::{self, Settings};
use crate::objective::{GRADIENT_CHUNKS, Objective, Targets, row_chunks, sigmoid};
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
    /// Maximum L-BFGS iterations (default 100, scikit-learn's default; with the
    /// preconditioner fits usually converge in 20–50).
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
    /// Why the optimizer stopped, for logs.
    pub termination: String,
    /// Cost-and-gradient passes over the data.
    pub evaluations: u64,
    /// Wall time spent in those passes (the rest of the fit is L-BFGS's vector algebra).
    pub gradient_seconds: f64,
    /// The L-BFGS history length used.
    pub history: usize,
}

/// The L-BFGS history for a matrix with `nnz` non-zeros and `n_features` columns: scipy's 10
/// when the data has at least 200 non-zeros per feature, 5 otherwise.
///
/// Each iteration costs one pass over the data (∝ non-zeros) plus the two-loop recursion
/// (∝ history × features). With few non-zeros per feature (short documents, large
/// vocabularies) a longer history costs more than the iterations it saves: measured on 20- and
/// 30-class data and wordnet10, 5 and 10 converged within one or two iterations of each other
/// and 3 took up to 15 % more. The objective and its minimiser do not depend on it.
pub fn auto_history(nnz: usize, n_features: usize) -> usize {
    if nnz >= 200 * n_features { 10 } else { 5 }
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
        rayon::scope(|_| self.run_lbfgs(x, targets, k, progress, cancel))
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
        let alpha = 1.0 / (self.c * n as f64);
        let mut objective = Objective {
            x,
            targets,
            k,
            d,
            alpha,
            chunks: row_chunks(x, GRADIENT_CHUNKS),
            cancel,
            spare: Vec::new(),
        };
        let history = self.history.unwrap_or_else(|| auto_history(x.nnz(), d));
        let settings = Settings {
            history,
            tolerance: self.tolerance,
            max_iter: self.max_iter,
        };
        let diag = preconditioner(x, k, alpha, curvature_scale(link, k));
        let (mut evaluations, mut gradient_seconds) = (0u64, 0.0f64);
        let eval = |theta: &[f32], grad: &mut Vec<f32>| {
            let started = Instant::now();
            let cost = objective.evaluate(theta, grad).ok()?;
            evaluations += 1;
            gradient_seconds += started.elapsed().as_secs_f64();
            Some(cost)
        };
        let report_iteration = |iteration, loss| {
            progress(Progress {
                phase: Phase::Fitting,
                iteration,
                max_iter: self.max_iter,
                loss: Some(loss),
            })
        };
        let minimum = lbfgs::minimize(
            eval,
            vec![0.0; (d + 1) * k],
            &diag,
            &settings,
            report_iteration,
        )
        .ok_or(MlError::Cancelled)?;
        if cancel.load(Ordering::Relaxed) {
            return Err(MlError::Cancelled);
        }
        let report = FitReport {
            iterations: minimum.iterations,
            converged: minimum.stop.converged(),
            loss: minimum.cost,
            termination: minimum.stop.text().to_owned(),
            evaluations,
            gradient_seconds,
            history,
        };
        Ok((LinearModel::from_params(link, d, k, &minimum.x), report))
    }
}

/// The curvature of one document's loss in one logit where the fit starts (all scores equal):
/// p(1 − p) with p = 1/K for softmax, 1/4 for a sigmoid.
fn curvature_scale(link: Link, k: usize) -> f64 {
    match link {
        Link::Softmax => {
            let p = 1.0 / k.max(2) as f64;
            p * (1.0 - p)
        }
        Link::Sigmoid => 0.25,
    }
}

/// The diagonal of the initial inverse-Hessian estimate: per term j, 1 / (s·Σᵢ xᵢⱼ²/n + α) for
/// each of its K weights, and 1/s for the intercepts (see [`crate::lbfgs`]).
fn preconditioner(x: &SparseRecords, k: usize, alpha: f64, s: f64) -> Vec<f32> {
    let d = x.nfeatures();
    let mut squares = vec![0.0f64; d];
    for (&j, &v) in x.matrix().indices().iter().zip(x.matrix().data()) {
        squares[j as usize] += v as f64 * v as f64;
    }
    let inv_n = 1.0 / x.nsamples() as f64;
    let mut diag = Vec::with_capacity((d + 1) * k);
    for sq in squares {
        let h = (1.0 / (s * sq * inv_n + alpha)) as f32;
        diag.extend(std::iter::repeat_n(h, k));
    }
    diag.extend(std::iter::repeat_n((1.0 / s) as f32, k));
    diag
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
