//! VADER's polarity → Comprehend's four probabilities.
//!
//! The service answers MIXED where strong positive and strong negative evidence meet
//! (docs.aws.amazon.com/comprehend/latest/dg/how-sentiment.html). A softmax over four logits
//! of a fixed shape, so that each class keeps its meaning:
//! - POSITIVE `a·compound`, NEGATIVE `-a·compound` (VADER's direction decides between them);
//! - NEUTRAL `b - g·(pos + neg)` (little sentiment evidence);
//! - MIXED `d + m·min(P, N) + k·min(Pc, Nc) - n·|compound|`: two-sided evidence, which
//!   VADER's compound alone cannot show (its "but" rule even lets the second clause win).
//!   P and N are the summed positive and negative word valences before "but" reweighs them;
//!   Pc and Nc the same summed per clause, each clause's net valence going to the side it
//!   leans to (clauses end at , ; . ! ? and before "but", "although", "while", …), so
//!   "wonderful but terrible" counts on both sides and "not bad, really good" does not.
//!   `n` comes out negative: MIXED keeps pace with the winning side's `a·|compound|`, and
//!   still falls behind it by `(a + n)·|compound|`.
//!
//! The seven parameters were fitted by maximum likelihood (`benches/sentiment_fit.py`) on
//! labelled sentences that are not in the quality benchmark's evaluation set.

use super::vader::Polarity;

/// a, b, g, d, m, n, k of the formulas above, as fitted.
const PARAMETERS: [f64; 7] = [2.148, 0.1193, 5.62, -2.667, 0.8068, -0.7731, 1.164];

/// The probabilities of POSITIVE, NEGATIVE, NEUTRAL and MIXED (they sum to 1).
pub(crate) fn probabilities(p: &Polarity) -> [f64; 4] {
    let [a, b, g, d, m, n, k] = PARAMETERS;
    let value = f64::from;
    let (pos, neg, c) = (value(p.positive), value(p.negative), value(p.compound));
    let words = value(p.positive_mass.min(p.negative_mass));
    let clauses = value(p.positive_clauses.min(p.negative_clauses));
    let logits = [
        a * c,
        -a * c,
        b - g * (pos + neg),
        d + m * words + k * clauses - n * c.abs(),
    ];
    let top = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let exp = logits.map(|z| (z - top).exp());
    let sum: f64 = exp.iter().sum();
    exp.map(|e| e / sum)
}
