//! From overlapping candidates to the service's answer: non-overlapping entities in text order,
//! in code-point offsets.

use super::{Candidate, PiiEntity, PiiType};
use crate::offsets::CodePoints;
use crate::spans;
use std::cmp::Ordering;

/// Keeps the best candidates that do not overlap, in text order, in code-point offsets.
///
/// Best means, in turn: a structured (validated) type before a learned NAME or ADDRESS, since a
/// checksum or a pattern with its context is firmer evidence than a tagger's guess; then the
/// longer span (a URL holding an e-mail's domain, a date holding a time); then the higher
/// score; then the earlier start, so equal candidates resolve the same way every time.
pub(super) fn resolve(text: &str, candidates: Vec<Candidate>) -> Vec<PiiEntity> {
    let map = CodePoints::new(text);
    spans::keep_best(text, candidates, better)
        .into_iter()
        .map(|c| PiiEntity {
            kind: c.kind,
            begin: map.at(c.start),
            end: map.at(c.end),
            score: c.score.clamp(0.0, 1.0),
        })
        .collect()
}

fn is_learned(kind: PiiType) -> bool {
    matches!(kind, PiiType::Name | PiiType::Address)
}

/// The order of preference: the better candidate sorts first.
fn better(a: &Candidate, b: &Candidate) -> Ordering {
    is_learned(a.kind)
        .cmp(&is_learned(b.kind))
        .then_with(|| (b.end - b.start).cmp(&(a.end - a.start)))
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
