//! Score calibration: one temperature `τ` divides every weight before the forward-backward
//! pass turns scores into span probabilities. Dividing all scores by a constant does not
//! change the Viterbi path, so `τ` changes no prediction and no metric — only how confident
//! the scores are.
//!
//! For the CRF, `τ` stays near 1. The perceptron's weights have no probabilistic scale (their
//! size grows with the number of updates), so `τ` is chosen to maximise the log-likelihood of
//! the gold label sequences of the held-out documents under the CRF distribution the scaled
//! weights define: a one-parameter fit on data the weights were not trained on (temperature
//! scaling, Guo et al. 2017).

use crate::Recognizer;
use crate::crf::{Lattice, Potentials};

/// One held-out document: its raw state scores (tokens × labels) and gold labels.
pub(crate) type Held = (Vec<f64>, Vec<u16>);

/// Candidate temperatures: a log grid from 0.05 to 50.
const GRID: usize = 31;

/// The temperature maximising the held-out log-likelihood (1.0 when there is nothing to fit).
/// `held` holds, per held-out document, its raw state scores (tokens × labels) and gold labels.
pub(crate) fn temperature(model: &Recognizer, held: &[Held]) -> f64 {
    if held.is_empty() {
        return 1.0;
    }
    let candidates = (0..GRID).map(|i| 0.05 * 1000f64.powf(i as f64 / (GRID - 1) as f64));
    let mut best = (f64::INFINITY, 1.0);
    for tau in candidates {
        let nll = negative_log_likelihood(model, held, tau);
        if nll < best.0 {
            best = (nll, tau);
        }
    }
    best.1
}

fn negative_log_likelihood(model: &Recognizer, held: &[Held], tau: f64) -> f64 {
    let (w, layout) = model.weights();
    let l = layout.n_labels;
    let inv = 1.0 / tau;
    let pot = Potentials::scaled(&layout, w, inv);
    let mut lattice = Lattice::default();
    let mut scaled = Vec::new();
    let mut total = 0.0;
    for (scores, gold) in held {
        scaled.clear();
        scaled.extend(scores.iter().map(|s| s * inv));
        lattice.compute(&pot, &scaled, l);
        let mut g =
            w[layout.start + gold[0] as usize] + w[layout.end + gold[gold.len() - 1] as usize];
        for (t, &y) in gold.iter().enumerate() {
            g += scores[t * l + y as usize];
            if t > 0 {
                g += w[layout.trans + gold[t - 1] as usize * l + y as usize];
            }
        }
        total += lattice.log_z - g * inv;
    }
    total
}
