//! The CRF training objective: the negative log-likelihood of the gold label sequences plus
//! `c2 · ‖w‖²` (CRFsuite's L2 convention), divided by the number of tokens, and its gradient, computed over a fixed number of
//! sequence chunks in parallel and summed in chunk order, so the result does not depend on the
//! thread count.

use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use argmin::core::{CostFunction, Gradient};
use ndarray::Array1;
use rayon::prelude::*;

use crate::crf::{FeatureTable, Lattice, Layout, Potentials, add_attribute_scores};
use crate::encoded::Encoded;

/// A point with its cost and gradient.
type Evaluated = (Array1<f64>, f64, Array1<f64>);

/// The objective argmin's L-BFGS minimises.
pub(crate) struct Objective<'a> {
    pub table: &'a FeatureTable,
    pub layout: Layout,
    pub data: Encoded<'a>,
    pub c2: f64,
    pub cancel: &'a AtomicBool,
    pub evaluations: AtomicU64,
    chunks: Vec<Range<usize>>,
    cache: Mutex<Option<Evaluated>>,
}

#[derive(Default)]
struct Scratch {
    scores: Vec<f64>,
    lattice: Lattice,
}

impl<'a> Objective<'a> {
    pub(crate) fn new(
        table: &'a FeatureTable,
        layout: Layout,
        data: Encoded<'a>,
        c2: f64,
        cancel: &'a AtomicBool,
    ) -> Self {
        Objective {
            table,
            layout,
            data,
            c2,
            cancel,
            evaluations: AtomicU64::new(0),
            chunks: data.chunks(),
            cache: Mutex::new(None),
        }
    }

    /// Cost and gradient at `w`; the last pair is cached, since argmin asks for the cost and
    /// the gradient of one point separately.
    fn cost_and_gradient(
        &self,
        w: &Array1<f64>,
    ) -> Result<(f64, Array1<f64>), argmin::core::Error> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(argmin::core::Error::msg("stopped"));
        }
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((cw, cost, grad)) = cache.as_ref()
            && cw == w
        {
            return Ok((*cost, grad.clone()));
        }
        let (cost, grad) = self.evaluate(w.as_slice().expect("contiguous"));
        let grad = Array1::from(grad);
        *cache = Some((w.clone(), cost, grad.clone()));
        Ok((cost, grad))
    }

    /// The uncached pass.
    pub(crate) fn evaluate(&self, w: &[f64]) -> (f64, Vec<f64>) {
        self.evaluations.fetch_add(1, Ordering::Relaxed);
        let pot = Potentials::new(&self.layout, w);
        let parts: Vec<(f64, Vec<f64>)> = self
            .chunks
            .par_iter()
            .map(|range| self.chunk_pass(w, &pot, range.clone()))
            .collect();
        let mut cost = 0.0;
        let mut grad = vec![0.0; self.layout.len];
        for (c, g) in parts {
            cost += c;
            grad.iter_mut().zip(&g).for_each(|(a, b)| *a += b);
        }
        for (g, &x) in grad.iter_mut().zip(w) {
            cost += self.c2 * x * x;
            *g += 2.0 * self.c2 * x;
        }
        // Averaged per token: the same minimum, but gradient components of order one, so
        // L-BFGS's first unit step along the gradient stays in a sane range.
        let scale = 1.0 / self.data.seqs.gold.len().max(1) as f64;
        grad.iter_mut().for_each(|g| *g *= scale);
        (cost * scale, grad)
    }

    fn chunk_pass(&self, w: &[f64], pot: &Potentials, seqs: Range<usize>) -> (f64, Vec<f64>) {
        let mut grad = vec![0.0; self.layout.len];
        let mut scratch = Scratch::default();
        let mut cost = 0.0;
        for seq in seqs {
            let tokens = self.data.tokens(seq);
            if tokens.is_empty() {
                continue;
            }
            cost += self.sequence_pass(w, pot, tokens, &mut scratch, &mut grad);
        }
        (cost, grad)
    }

    fn sequence_pass(
        &self,
        w: &[f64],
        pot: &Potentials,
        tokens: Range<usize>,
        s: &mut Scratch,
        grad: &mut [f64],
    ) -> f64 {
        let l = self.layout.n_labels;
        s.scores.clear();
        s.scores.resize(tokens.len() * l, 0.0);
        for (t, token) in tokens.clone().enumerate() {
            let row = &mut s.scores[t * l..(t + 1) * l];
            self.data.for_each_id(token, &tokens, |a| {
                add_attribute_scores(self.table, w, a, row)
            });
        }
        s.lattice.compute(pot, &s.scores, l);
        let gold = &self.data.seqs.gold[tokens.clone()];
        self.state_gradient(&s.lattice, tokens, gold, grad);
        self.transition_gradient(pot, &s.lattice, gold, grad);
        s.lattice.log_z - self.gold_score(w, &s.scores, gold)
    }

    fn state_gradient(&self, lat: &Lattice, tokens: Range<usize>, gold: &[u16], grad: &mut [f64]) {
        let table = self.table;
        for (t, token) in tokens.clone().enumerate() {
            self.data.for_each_id(token, &tokens, |a| {
                let (lo, hi) = (
                    table.offsets[a as usize] as usize,
                    table.offsets[a as usize + 1] as usize,
                );
                for (g, &y) in grad[lo..hi].iter_mut().zip(&table.labels[lo..hi]) {
                    *g += lat.marginal(t, y as usize) - f64::from(u8::from(y == gold[t]));
                }
            });
        }
    }

    fn transition_gradient(&self, pot: &Potentials, lat: &Lattice, gold: &[u16], grad: &mut [f64]) {
        let ly = self.layout;
        let l = ly.n_labels;
        let n = gold.len();
        for t in 1..n {
            let inv = 1.0 / lat.scale[t];
            for i in 0..l {
                let a = lat.alpha[(t - 1) * l + i];
                if a == 0.0 {
                    continue;
                }
                for j in 0..l {
                    let tr = pot.trans[i * l + j];
                    if tr != 0.0 {
                        grad[ly.trans + i * l + j] +=
                            a * tr * lat.e[t * l + j] * lat.beta[t * l + j] * inv;
                    }
                }
            }
            grad[ly.trans + gold[t - 1] as usize * l + gold[t] as usize] -= 1.0;
        }
        for y in 0..l {
            grad[ly.start + y] += lat.marginal(0, y);
            grad[ly.end + y] += lat.marginal(n - 1, y);
        }
        grad[ly.start + gold[0] as usize] -= 1.0;
        grad[ly.end + gold[n - 1] as usize] -= 1.0;
    }

    fn gold_score(&self, w: &[f64], scores: &[f64], gold: &[u16]) -> f64 {
        let ly = self.layout;
        let l = ly.n_labels;
        let mut s = w[ly.start + gold[0] as usize] + w[ly.end + gold[gold.len() - 1] as usize];
        for (t, &g) in gold.iter().enumerate() {
            s += scores[t * l + g as usize];
            if t > 0 {
                s += w[ly.trans + gold[t - 1] as usize * l + g as usize];
            }
        }
        s
    }
}

impl CostFunction for Objective<'_> {
    type Param = Array1<f64>;
    type Output = f64;

    fn cost(&self, w: &Array1<f64>) -> Result<f64, argmin::core::Error> {
        Ok(self.cost_and_gradient(w)?.0)
    }
}

impl Gradient for Objective<'_> {
    type Param = Array1<f64>;
    type Gradient = Array1<f64>;

    fn gradient(&self, w: &Array1<f64>) -> Result<Array1<f64>, argmin::core::Error> {
        Ok(self.cost_and_gradient(w)?.1)
    }
}
