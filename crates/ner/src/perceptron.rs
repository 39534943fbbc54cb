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
use crate::encoded::{BlockStore, Encoded, Tokens, WordTable};
use crate::split::SplitMix64;
use crate::viterbi;

/// Blocks of sequences shuffled together. Up to this many blocks, every epoch is one seeded
/// permutation of all sequences (the classic algorithm); past it, memory stays bounded: each
/// epoch shuffles the block order, then the sequences within each window of this many blocks.
pub(crate) const WINDOW_BLOCKS: usize = 4;

/// Trains for `epochs` passes over the sequences in `store` and returns the averaged weights.
/// `progress` gets the share of epochs done after each one; `cancel` is checked between
/// epochs and windows.
#[allow(clippy::too_many_arguments)]
pub(crate) fn train(
    table: &FeatureTable,
    layout: Layout,
    words: &WordTable,
    store: &BlockStore,
    epochs: u64,
    seed: u64,
    progress: &mut dyn FnMut(f64),
    cancel: &AtomicBool,
) -> Result<Vec<f64>, NerError> {
    let mut state = State {
        table,
        layout,
        words,
        w: vec![0.0; layout.len],
        acc: vec![0.0; layout.len],
        step: 1.0,
        scores: Vec::new(),
    };
    let mut rng = SplitMix64::new(seed);
    let mut epochs_left = Epochs::new(store)?;
    for epoch in 0..epochs {
        if cancel.load(Ordering::Relaxed) {
            return Err(NerError::Stopped);
        }
        let mistakes = epochs_left.run(&mut state, store, &mut rng, cancel)?;
        progress((epoch + 1) as f64 / epochs as f64);
        if mistakes == 0 {
            break;
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(NerError::Stopped);
    }
    // Averaged in place: a third weight vector would be the largest allocation of training.
    let State {
        mut w, acc, step, ..
    } = state;
    w.iter_mut().zip(&acc).for_each(|(w, a)| *w -= a / step);
    Ok(w)
}

/// The sequences of one window and their order, kept across epochs when one window holds
/// everything.
struct Epochs {
    all_in_one: bool,
    window: Tokens,
    order: Vec<u32>,
}

impl Epochs {
    fn new(store: &BlockStore) -> Result<Self, NerError> {
        let mut e = Epochs {
            all_in_one: store.len() <= WINDOW_BLOCKS,
            window: Tokens::default(),
            order: Vec::new(),
        };
        if e.all_in_one {
            let ids: Vec<usize> = (0..store.len()).collect();
            store.load(&ids, &mut e.window).map_err(NerError::Scratch)?;
            e.order = (0..e.window.seq_ends.len() as u32).collect();
        }
        Ok(e)
    }

    /// One epoch; the number of mistakes.
    fn run(
        &mut self,
        state: &mut State<'_>,
        store: &BlockStore,
        rng: &mut SplitMix64,
        cancel: &AtomicBool,
    ) -> Result<usize, NerError> {
        if self.all_in_one {
            return Ok(self.pass(state, rng));
        }
        let mut blocks: Vec<usize> = (0..store.len()).collect();
        shuffle(&mut blocks, rng);
        let mut mistakes = 0;
        for ids in blocks.chunks(WINDOW_BLOCKS) {
            if cancel.load(Ordering::Relaxed) {
                return Err(NerError::Stopped);
            }
            store
                .load(ids, &mut self.window)
                .map_err(NerError::Scratch)?;
            self.order.clear();
            self.order.extend(0..self.window.seq_ends.len() as u32);
            mistakes += self.pass(state, rng);
        }
        Ok(mistakes)
    }

    /// Shuffles `order` (continuing from its last permutation) and learns from each sequence.
    fn pass(&mut self, state: &mut State<'_>, rng: &mut SplitMix64) -> usize {
        shuffle(&mut self.order, rng);
        let data = Encoded {
            table: state.words,
            seqs: &self.window,
        };
        let mut mistakes = 0usize;
        for &seq in &self.order {
            mistakes += usize::from(state.learn(data, seq as usize));
            state.step += 1.0;
        }
        mistakes
    }
}

/// Fisher–Yates with SplitMix64, in the order the model files have always used.
fn shuffle<T>(v: &mut [T], rng: &mut SplitMix64) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i as u64 + 1) as usize);
    }
}

struct State<'a> {
    table: &'a FeatureTable,
    layout: Layout,
    words: &'a WordTable,
    w: Vec<f64>,
    acc: Vec<f64>,
    step: f64,
    scores: Vec<f64>,
}

impl State<'_> {
    /// One sequence: decode, update on a mistake. Whether it was one.
    fn learn(&mut self, data: Encoded<'_>, seq: usize) -> bool {
        let tokens = data.tokens(seq);
        if tokens.is_empty() {
            return false;
        }
        let l = self.layout.n_labels;
        self.scores.clear();
        self.scores.resize(tokens.len() * l, 0.0);
        let (table, w) = (self.table, &self.w);
        for (t, token) in tokens.clone().enumerate() {
            let row = &mut self.scores[t * l..(t + 1) * l];
            data.for_each_id(token, &tokens, |a| add_attribute_scores(table, w, a, row));
        }
        let predicted = viterbi::decode(&self.scores, &self.layout, &self.w);
        let gold = &data.seqs.gold[tokens.clone()];
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
