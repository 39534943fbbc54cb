//! The linear-chain conditional random field: the feature table, the weight layout, the
//! forward-backward pass (scaled, in the probability domain), the training objective and its
//! gradient, and span probabilities.
//!
//! Weights: one per (attribute, label) pair seen in the training data — as CRFsuite does
//! without `possible_states`, which keeps the table proportional to the data instead of to
//! attributes × labels — then label-to-label transitions, then start and end weights.
//! Transitions the tag scheme forbids (see [`crate::tags`]) have probability zero.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::tags;

/// Interned attributes and, per attribute, the labels it has weights for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FeatureTable {
    /// Attribute hash by attribute id.
    pub(crate) hashes: Vec<u64>,
    /// Weight range of attribute `a`: `offsets[a]..offsets[a + 1]`.
    pub(crate) offsets: Vec<u32>,
    /// Label of each state weight.
    pub(crate) labels: Vec<u16>,
    #[serde(skip)]
    pub(crate) index: FxHashMap<u64, u32>,
}

impl FeatureTable {
    /// Builds the table from the attribute hashes by id (`order`), their ids (`index`, the
    /// inverse of `order`) and, per attribute id, the set of labels seen with it in training
    /// (bit `y` for label `y`; at most 64 labels, [`tags::n_labels`] of 25 types is 51).
    pub(crate) fn build(order: Vec<u64>, index: FxHashMap<u64, u32>, seen: &[u64]) -> FeatureTable {
        let mut offsets = Vec::with_capacity(order.len() + 1);
        let n_pairs = seen.iter().map(|m| m.count_ones() as usize).sum();
        let mut labels = Vec::with_capacity(n_pairs);
        offsets.push(0);
        for &mask in seen {
            // Ascending bits: each attribute's labels come out sorted, as lookups require.
            let mut m = mask;
            while m != 0 {
                labels.push(m.trailing_zeros() as u16);
                m &= m - 1;
            }
            offsets.push(labels.len() as u32);
        }
        FeatureTable {
            hashes: order,
            offsets,
            labels,
            index,
        }
    }

    /// Rebuilds the hash index after loading.
    pub(crate) fn reindex(&mut self) {
        self.index = self
            .hashes
            .iter()
            .enumerate()
            .map(|(i, &h)| (h, i as u32))
            .collect();
    }

    /// Number of state weights.
    pub(crate) fn n_state(&self) -> usize {
        self.labels.len()
    }

    /// Whether the table is internally consistent (for loading untrusted bytes).
    pub(crate) fn is_valid(&self, n_labels: usize) -> bool {
        self.offsets.len() == self.hashes.len() + 1
            && self.offsets.first() == Some(&0)
            && self.offsets.windows(2).all(|w| w[0] <= w[1])
            && self
                .offsets
                .last()
                .is_some_and(|&e| e as usize == self.labels.len())
            && self.labels.iter().all(|&l| (l as usize) < n_labels)
    }
}

/// Where the weight groups start in the weight vector.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub n_labels: usize,
    pub trans: usize,
    pub start: usize,
    pub end: usize,
    pub len: usize,
}

impl Layout {
    pub(crate) fn new(n_state: usize, n_labels: usize) -> Layout {
        let trans = n_state;
        let start = trans + n_labels * n_labels;
        let end = start + n_labels;
        Layout {
            n_labels,
            trans,
            start,
            end,
            len: end + n_labels,
        }
    }
}

/// Adds the state scores of one token's attributes (ids) into `row` (one entry per label).
#[inline]
pub(crate) fn add_state_scores(table: &FeatureTable, w: &[f64], ids: &[u32], row: &mut [f64]) {
    for &a in ids {
        add_attribute_scores(table, w, a, row);
    }
}

/// Adds the state scores of attribute `a` into `row`.
#[inline]
pub(crate) fn add_attribute_scores(table: &FeatureTable, w: &[f64], a: u32, row: &mut [f64]) {
    let (lo, hi) = (
        table.offsets[a as usize] as usize,
        table.offsets[a as usize + 1] as usize,
    );
    for k in lo..hi {
        row[table.labels[k] as usize] += w[k];
    }
}

/// Exponentiated transition, start and end potentials, zero where the tag scheme forbids.
/// Each group is shifted by its largest weight before `exp` so that no potential overflows,
/// whatever step the line search tries; the shifts are added back to log Z.
pub(crate) struct Potentials {
    pub trans: Vec<f64>,
    pub start: Vec<f64>,
    pub end: Vec<f64>,
    /// Shift of the transition weights (counted once per transition).
    pub trans_shift: f64,
    /// Shift of the start plus the end weights (counted once per sequence).
    pub edge_shift: f64,
}

impl Potentials {
    pub(crate) fn new(layout: &Layout, w: &[f64]) -> Potentials {
        Potentials::scaled(layout, w, 1.0)
    }

    /// The potentials of the weights multiplied by `factor`.
    pub(crate) fn scaled(layout: &Layout, w: &[f64], factor: f64) -> Potentials {
        let l = layout.n_labels;
        let group = |at: usize, len: usize| -> Vec<f64> {
            w[at..at + len].iter().map(|x| x * factor).collect()
        };
        let (trans_w, start_w, end_w) = (
            group(layout.trans, l * l),
            group(layout.start, l),
            group(layout.end, l),
        );
        let max = |ws: &[f64]| ws.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let trans_shift = max(&trans_w);
        let mut trans = vec![0.0; l * l];
        for i in 0..l {
            for j in 0..l {
                if tags::allowed(i as u16, j as u16) {
                    trans[i * l + j] = (trans_w[i * l + j] - trans_shift).exp();
                }
            }
        }
        let (start_shift, end_shift) = (max(&start_w), max(&end_w));
        let start = (0..l)
            .map(|y| {
                if tags::allowed_first(y as u16) {
                    (start_w[y] - start_shift).exp()
                } else {
                    0.0
                }
            })
            .collect();
        let end = end_w.iter().map(|&x| (x - end_shift).exp()).collect();
        Potentials {
            trans,
            start,
            end,
            trans_shift,
            edge_shift: start_shift + end_shift,
        }
    }
}

/// Forward-backward results for one sequence of `t` tokens: `alpha` and `beta` scaled so that
/// `alpha[t][y] · beta[t][y]` is the marginal probability of label `y` at token `t`.
#[derive(Debug, Default)]
pub(crate) struct Lattice {
    pub n: usize,
    pub l: usize,
    /// exp(score − row shift), `n × l` (0 for labels no path reaches).
    pub e: Vec<f64>,
    pub alpha: Vec<f64>,
    pub beta: Vec<f64>,
    /// Scale factors `c_0 ..= c_n` (the last one folds in the end potentials).
    pub scale: Vec<f64>,
    /// log Z.
    pub log_z: f64,
}

impl Lattice {
    /// Runs forward-backward on raw scores `scores` (`n × l`).
    pub(crate) fn compute(&mut self, pot: &Potentials, scores: &[f64], l: usize) {
        let n = scores.len() / l;
        self.n = n;
        self.l = l;
        self.e.clear();
        self.e.resize(n * l, 0.0);
        self.alpha.clear();
        self.alpha.resize(n * l, 0.0);
        self.beta.clear();
        self.beta.resize(n * l, 0.0);
        self.scale.clear();
        self.scale.resize(n + 1, 1.0);
        let log_shift = self.forward(pot, scores);
        self.backward(pot);
        self.log_z = log_shift
            + self.scale.iter().map(|c| c.ln()).sum::<f64>()
            + pot.trans_shift * (n - 1) as f64
            + pot.edge_shift;
    }

    /// The forward pass; returns the sum of the row shifts.
    fn forward(&mut self, pot: &Potentials, scores: &[f64]) -> f64 {
        let (n, l) = (self.n, self.l);
        let mut incoming = pot.start.clone();
        let mut log_shift = self.finish_row(0, &incoming, &scores[..l]);
        for t in 1..n {
            incoming.fill(0.0);
            let prev = &self.alpha[(t - 1) * l..t * l];
            for (i, &a) in prev.iter().enumerate() {
                if a == 0.0 {
                    continue;
                }
                let row = &pot.trans[i * l..(i + 1) * l];
                for j in 0..l {
                    incoming[j] += a * row[j];
                }
            }
            log_shift += self.finish_row(t, &incoming, &scores[t * l..(t + 1) * l]);
        }
        let last = &self.alpha[(n - 1) * l..];
        let c: f64 = last.iter().zip(&pot.end).map(|(a, f)| a * f).sum();
        self.scale[n] = c.max(f64::MIN_POSITIVE);
        log_shift
    }

    /// Sets row `t` of `e` and `alpha` from the mass arriving at each label. The row's shift is
    /// the largest `score + ln(incoming)` among reachable labels, so the row's largest entry
    /// is exactly 1 and nothing underflows to an all-zero row or overflows, whatever the
    /// scale of the weights. Unreachable labels get `e = 0`: no path passes through them.
    /// Returns the shift (added back to log Z).
    fn finish_row(&mut self, t: usize, incoming: &[f64], scores: &[f64]) -> f64 {
        let l = self.l;
        let shift = incoming
            .iter()
            .zip(scores)
            .filter(|&(&m, _)| m > 0.0)
            .map(|(&m, &s)| s + m.ln())
            .fold(f64::NEG_INFINITY, f64::max);
        let shift = if shift.is_finite() { shift } else { 0.0 };
        for j in 0..l {
            let e = if incoming[j] > 0.0 {
                (scores[j] - shift).exp()
            } else {
                0.0
            };
            self.e[t * l + j] = e;
            self.alpha[t * l + j] = incoming[j] * e;
        }
        self.normalise_alpha(t);
        shift
    }

    fn normalise_alpha(&mut self, t: usize) {
        let l = self.l;
        let row = &mut self.alpha[t * l..(t + 1) * l];
        let c = row.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        row.iter_mut().for_each(|a| *a /= c);
        self.scale[t] = c;
    }

    fn backward(&mut self, pot: &Potentials) {
        let (n, l) = (self.n, self.l);
        for y in 0..l {
            self.beta[(n - 1) * l + y] = pot.end[y] / self.scale[n];
        }
        let mut tmp = vec![0.0; l];
        for t in (0..n - 1).rev() {
            let next = (t + 1) * l..(t + 2) * l;
            for ((x, e), b) in tmp
                .iter_mut()
                .zip(&self.e[next.clone()])
                .zip(&self.beta[next])
            {
                *x = e * b;
            }
            let c = self.scale[t + 1];
            for i in 0..l {
                let row = &pot.trans[i * l..(i + 1) * l];
                let s: f64 = row.iter().zip(&tmp).map(|(a, b)| a * b).sum();
                self.beta[t * l + i] = s / c;
            }
        }
    }

    /// Marginal probability of label `y` at token `t`.
    #[inline]
    pub(crate) fn marginal(&self, t: usize, y: usize) -> f64 {
        self.alpha[t * self.l + y] * self.beta[t * self.l + y]
    }

    /// Probability that tokens `start..end` are exactly one mention of type `k`: `B-k` then
    /// `I-k`s, and the token after them (if any) not `I-k`.
    pub(crate) fn span_probability(
        &self,
        pot: &Potentials,
        start: usize,
        end: usize,
        k: usize,
    ) -> f64 {
        let l = self.l;
        let (b, i) = (
            tags::begin_label(k) as usize,
            tags::inside_label(k) as usize,
        );
        let mut p = self.alpha[start * l + b];
        let mut prev = b;
        for t in start + 1..end {
            p *= pot.trans[prev * l + i] * self.e[t * l + i] / self.scale[t];
            prev = i;
        }
        let mut tail = self.beta[(end - 1) * l + prev];
        if end < self.n {
            tail -= pot.trans[prev * l + i] * self.e[end * l + i] * self.beta[end * l + i]
                / self.scale[end];
        }
        let p = p * tail;
        // Extreme weights can leave rounding debris; a score is always in (0, 1].
        if p.is_finite() {
            p.clamp(f64::MIN_POSITIVE, 1.0)
        } else {
            f64::MIN_POSITIVE
        }
    }
}
