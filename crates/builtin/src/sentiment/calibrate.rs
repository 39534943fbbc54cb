//! VADER's polarity → Comprehend's four probabilities.
//!
//! A softmax over four logits of a fixed shape, so that each class keeps its meaning:
//! POSITIVE `a·compound`, NEGATIVE `-a·compound` (VADER's direction decides between them),
//! NEUTRAL `b - g·(pos + neg)` (little sentiment evidence), MIXED
//! `d + m·min(P, N) - n·|compound|` with P and N the summed positive and negative valences
//! before "but" reweighs them (`` (strong evidence on both sides that cancels out,
//! which VADER's compound alone cannot show). The six parameters were fitted by maximum
//! likelihood (`benches/sentiment_fit.py`) on labelled sentences that are not in the quality
//! benchmark's evaluation set.

use super::vader::Polarity;

/// a, b, g, d, m, n of the formulas above, as fitted.
const PARAMETERS: [f64; 6] = [2.135, 0.09857, 5.587, -2.745, 1.376, -1.195];

/// The probabilities of POSITIVE, NEGATIVE, NEUTRAL and MIXED (they sum to 1).
pub(crate) fn probabilities(p: &Polarity) -> [f64; 4] {
    let [a, b, g, d, m, n] = PARAMETERS;
    let (pos, neg, c) = (
        f64::from(p.positive),
        f64::from(p.negative),
        f64::from(p.compound),
    );
    let logits = [
        a * c,
        -a * c,
        b - g * (pos + neg),
        d + m * f64::from(p.positive_mass.min(p.negative_mass)) - n * c.abs(),
    ];
    let top = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp = logits.map(|z| (z - top).exp());
    let sum: f64 = exp.iter().sum();
    exp.map(|e| e / sum)
}
