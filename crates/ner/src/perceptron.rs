//! The averaged structured perceptron (Collins 2002): for each training sequence in a seeded
//! random order, decode with the current weights (constrained Viterbi) and, where the best
//! sequence differs from the gold one, add the gold sequence's features and subtract the
//! predicted one's. The model keeps the average of the weights over all steps, computed lazily
//! (Daumé's trick: a second vector accumulates `step × update`).
//!
//! It uses the same weights as the CRF ([`crate::crf`]), so the same Viterbi decodes it and
//! the same forward-backward turns its scores into span probabilities.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::NerError;
use crate::crf::{FeatureTable, Layout, add_attribute_scores};
use crate::objective::Encoded;
use crate::split::SplitMix64;
use crate::viterbi;

/// Trains for `epochs` passes and returns the averaged weights. `progress` gets the share of
/// epochs done after each one; `cancel` is checked between epochs.
pub(crate) fn train(
    table: &FeatureTable,
    layout: Layout,
    data: &Encoded,
    epochs: u64,
    seed: u64,
    progress: &mut dyn FnMut(f64),
    cancel: &AtomicBool,
) -> Result<Vec<f64>, NerError> {
    let mut state = State {
        table,
        layout,
        data,
        w: vec![0.0; layout.len],
        acc: vec![0.0; layout.len],
        step: 1.0,
        scores: Vec::new(),
    };
    let n_seq = data.seq_ends.len();
    let mut order: Vec<usize> = (0..n_seq).collect();
    let mut rng = SplitMix64::new(seed);
    for epoch in 0..epochs {
        if cancel.load(Ordering::Relaxed) {
            return Err(NerError::Stopped);
        }
        for i in (1..n_seq).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let mut mistakes = 0usize;
        for &seq in &order {
            mistakes += usize::from(state.learn(seq));
            state.step += 1.0;
        }
        progress((epoch + 1) as f64 / epochs as f64);
        if mistakes == 0 {
            break;
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(NerError::Stopped);
    }
    let step = state.step;
    Ok(state
        .w
        .iter()
        .zip(&state.acc)
        .map(|(w, a)| w - a / step)
        .collect())
}

struct State<'a> {
    table: &'a FeatureTable,
    layout: Layout,
    data: &'a Encoded,
    w: Vec<f64>,
    acc: Vec<f64>,
    step: f64,
    scores: Vec<f64>,
}

impl State<'_> {
    /// One sequence: decode, update on a mistake. Whether it was one.
    fn learn(&mut self, seq: usize) -> bool {
        let tokens = self.data.tokens(seq);
        if tokens.is_empty() {
            return false;
        }
        let l = self.layout.n_labels;
        self.scores.clear();
        self.scores.resize(tokens.len() * l, 0.0);
        let (table, w, data) = (self.table, &self.w, self.data);
        for (t, token) in tokens.clone().enumerate() {
            let row = &mut self.scores[t * l..(t + 1) * l];
            data.for_each_id(token, &tokens, |a| add_attribute_scores(table, w, a, row));
        }
        let predicted = viterbi::decode(&self.scores, &self.layout, &self.w);
        let data = self.data;
        let gold = &data.gold[tokens.clone()];
        if predicted == gold {
            return false;
        }
        for (t, token) in tokens.clone().enumerate() {
            if predicted[t] != gold[t] {
                data.for_each_id(token, &tokens, |a| {
                    self.bump_state(a, gold[t], 1.0);
                    self.bump_state(a, predicted[t], -1.0);
                });
            }
        }
        self.bump_structure(gold, 1.0);
        self.bump_structure(&predicted, -1.0);
        true
    }

    fn bump(&mut self, k: usize, delta: f64) {
        self.w[k] += delta;
        self.acc[k] += self.step * delta;
    }

    fn bump_state(&mut self, attr: u32, label: u16, delta: f64) {
        let (lo, hi) = (
            self.table.offsets[attr as usize] as usize,
            self.table.offsets[attr as usize + 1] as usize,
        );
        if let Ok(i) = self.table.labels[lo..hi].binary_search(&label) {
            self.bump(lo + i, delta);
        }
    }

    fn bump_structure(&mut self, labels: &[u16], delta: f64) {
        let ly = self.layout;
        let l = ly.n_labels;
        self.bump(ly.start + labels[0] as usize, delta);
        self.bump(ly.end + labels[labels.len() - 1] as usize, delta);
        for pair in labels.windows(2) {
            self.bump(ly.trans + pair[0] as usize * l + pair[1] as usize, delta);
        }
    }
}
