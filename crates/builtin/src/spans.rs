//! From overlapping candidate spans to an answer: the best spans that do not overlap, in text
//! order. PII and built-in entities differ only in what "best" means.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A candidate span in byte offsets of its text, with a confidence.
pub(crate) trait Candidate: Copy {
    fn start(&self) -> usize;
    fn end(&self) -> usize;
    fn score(&self) -> f32;
}

/// The candidates that no better one overlaps, in text order; `better` sorts the better of
/// two first. Candidates that are not a non-empty span on character boundaries of `text`, or
/// whose score is not a number, are dropped (a finder's bug must not panic here).
pub(crate) fn keep_best<C: Candidate>(
    text: &str,
    mut candidates: Vec<C>,
    better: impl Fn(&C, &C) -> Ordering,
) -> Vec<C> {
    candidates.retain(|c| is_span_of(text, c));
    candidates.sort_by(better);
    // Kept spans by start: they never overlap, so the one starting last before a candidate's
    // end is the only one that can overlap it.
    let mut kept: BTreeMap<usize, C> = BTreeMap::new();
    for candidate in candidates {
        let clash = kept
            .range(..candidate.end())
            .next_back()
            .is_some_and(|(_, k)| k.end() > candidate.start());
        if !clash {
            kept.insert(candidate.start(), candidate);
        }
    }
    kept.into_values().collect()
}

fn is_span_of<C: Candidate>(text: &str, c: &C) -> bool {
    c.start() < c.end()
        && c.end() <= text.len()
        && text.is_char_boundary(c.start())
        && text.is_char_boundary(c.end())
        && c.score().is_finite()
}
