//! From overlapping candidates to the answer: non-overlapping entities in text order, in
//! code-point offsets.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::{Candidate, Entity};
use crate::offsets::CodePoints;

/// Keeps the best candidates that do not overlap, in text order, in code-point offsets.
///
/// Best means, in turn: the longer span (a full date over the month name inside it, "Windows
/// 95" over the number 95); then the firmer source ([`super::Source`]); then the higher score;
/// then the earlier start, so equal candidates resolve the same way every time.
pub(super) fn resolve(text: &str, mut candidates: Vec<Candidate>) -> Vec<Entity> {
    candidates.retain(|c| is_span_of(text, c));
    candidates.sort_by(better);
    // Kept spans by start: they never overlap, so the one starting last before a candidate's
    // end is the only one that can overlap it.
    let mut kept: BTreeMap<usize, Candidate> = BTreeMap::new();
    for candidate in candidates {
        let clash = kept
            .range(..candidate.end)
            .next_back()
            .is_some_and(|(_, k)| k.end > candidate.start);
        if !clash {
            kept.insert(candidate.start, candidate);
        }
    }
    let map = CodePoints::new(text);
    kept.into_values()
        .map(|c| Entity {
            kind: c.kind,
            begin: map.at(c.start),
            end: map.at(c.end),
            score: c.score.clamp(0.0, 1.0),
        })
        .collect()
}

/// A non-empty span on character boundaries of `text` (a finder's bug must not panic here).
fn is_span_of(text: &str, c: &Candidate) -> bool {
    c.start < c.end
        && c.end <= text.len()
        && text.is_char_boundary(c.start)
        && text.is_char_boundary(c.end)
        && c.score.is_finite()
}

/// The order of preference: the better candidate sorts first.
fn better(a: &Candidate, b: &Candidate) -> Ordering {
    (b.end - b.start)
        .cmp(&(a.end - a.start))
        .then_with(|| a.source.cmp(&b.source))
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| a.start.cmp(&b.start))
        .then_with(|| a.kind.cmp(&b.kind))
}
