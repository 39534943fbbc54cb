//! From overlapping candidates to the answer: non-overlapping entities in text order, in
//! code-point offsets.

use std::cmp::Ordering;

use super::{Candidate, Entity};
use crate::offsets::CodePoints;
use crate::spans;

/// Keeps the best candidates that do not overlap, in text order, in code-point offsets.
///
/// Best means, in turn: the longer span (a full date over the month name inside it, "Windows
/// 95" over the number 95); then the firmer source ([`super::Source`]); then the higher score;
/// then the earlier start, so equal candidates resolve the same way every time.
pub(super) fn resolve(text: &str, candidates: Vec<Candidate>) -> Vec<Entity> {
    let map = CodePoints::new(text);
    spans::keep_best(text, candidates, better)
        .into_iter()
        .map(|c| Entity {
            kind: c.kind,
            begin: map.at(c.start),
            end: map.at(c.end),
            score: c.score.clamp(0.0, 1.0),
        })
        .collect()
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

impl spans::Candidate for Candidate {
    fn start(&self) -> usize {
        self.start
    }
    fn end(&self) -> usize {
        self.end
    }
    fn score(&self) -> f32 {
        self.score
    }
}
