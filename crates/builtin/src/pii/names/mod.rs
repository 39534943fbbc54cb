//! NAME and ADDRESS: a linear-chain tagger trained with comprehend-ner on real annotated text
//! (wikigold, whose organisations and places teach it what is not a person's name) and on
//! generated English and Spanish letters, forms and messages.
//!
//! Comprehend's NAME is a person's name without titles, not the names inside organisations or
//! addresses; ADDRESS is a physical address — street, building, suite, city, state, country,
//! zip code (docs.aws.amazon.com/comprehend/latest/dg/how-pii.html).

mod shape;
mod titles;
mod training;

use std::sync::OnceLock;

use comprehend_ner::{Entity, Recognizer};

use super::{Candidate, PiiType};
use crate::Language;

/// The tagger, trained once per process on first use from the shipped data. Training takes
/// about 0.7–0.9 s in a release build (1–2 s in a debug build) on one of this project's 2-core
/// machines — less than decoding would cost to keep in the repository: the trained model is
/// megabytes of weights against 1.5 MB of training text, and retraining is deterministic.
fn model() -> Option<&'static Recognizer> {
    static MODEL: OnceLock<Option<Recognizer>> = OnceLock::new();
    MODEL.get_or_init(|| training::recognizer().ok()).as_ref()
}

/// The lowest calibrated score a span may have to be reported. The scores are the tagger's
/// span probabilities after temperature scaling (comprehend-ner, "Detection"), so below 0.5 a
/// span is more likely wrong than right. Checked on the held-out tenth of the training data
/// (the documents the shipped model is calibrated on and never fitted to), not on the
/// benchmark set: there the F1 averaged over real prose and generated texts peaks at this
/// floor (0.895, against 0.891 with no floor; 0.45 ties); higher floors cost names in real
/// prose, where the tagger is less sure. The `floor_on_held_out_split` test prints the sweep and fails
/// when this floor is no longer the best.
const SCORE_FLOOR: f32 = 0.5;

/// Pushes the NAME and ADDRESS candidates of `text` (byte offsets) onto `out`. Only English
/// and Spanish are read, the languages DetectPiiEntities supports.
pub fn find(text: &str, language: Language, out: &mut Vec<Candidate>) {
    if !matches!(language, Language::En | Language::Es) {
        return;
    }
    let Some(model) = model() else { return };
    out.extend(
        tagged(model, text)
            .into_iter()
            .filter(|c| c.score >= SCORE_FLOOR),
    );
}

/// The tagger's spans in `text` (byte offsets): titles trimmed, parts of one address joined,
/// and those without the shape of their type dropped; no score floor yet.
fn tagged(model: &Recognizer, text: &str) -> Vec<Candidate> {
    let mut found = Vec::new();
    for (from, to) in regions(text) {
        let piece = &text[from..to];
        let entities = model.detect(piece);
        let bytes = ByteOffsets::new(piece);
        found.extend(
            entities
                .iter()
                .filter_map(|e| candidate(piece, &bytes, e))
                .map(|c| Candidate {
                    start: c.start + from,
                    end: c.end + from,
                    ..c
                }),
        );
    }
    join_addresses(text, found)
        .into_iter()
        .filter(|c| {
            text.get(c.start..c.end)
                .is_some_and(|s| shape::plausible(c.kind, s))
        })
        .collect()
}

/// Tokens of context kept on each side of a token that may belong to a name or an address:
/// more than the tagger's feature window (two tokens each way).
const CONTEXT: usize = 3;

/// The byte ranges of `text` worth tagging. A NAME holds a capitalised word (its shape
/// guard requires one) and an ADDRESS a capital or a digit in the tagger's training data, so
/// a long stretch of lower-case words holds neither: only the tokens with a capital letter or
/// a digit, with [`CONTEXT`] tokens on each side, are tagged. The tagger costs most of a PII
/// request, and ordinary prose is mostly such stretches.
fn regions(text: &str) -> Vec<(usize, usize)> {
    let tokens = comprehend_ner::tokenize::tokenize(text);
    let mut regions: Vec<(usize, usize)> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let live = token
            .text(text)
            .chars()
            .any(|c| c.is_uppercase() || c.is_ascii_digit());
        if !live {
            continue;
        }
        let first = &tokens[i.saturating_sub(CONTEXT)];
        let last = &tokens[(i + CONTEXT).min(tokens.len() - 1)];
        match regions.last_mut() {
            Some(region) if region.1 >= first.byte_begin => region.1 = last.byte_end,
            _ => regions.push((first.byte_begin, last.byte_end)),
        }
    }
    regions
}

/// Joins an ADDRESS to the next when only commas and spaces part them ("123 Main Street" and
/// "Seattle, WA 98101"): the service gives one span for one address.
fn join_addresses(text: &str, found: Vec<Candidate>) -> Vec<Candidate> {
    let mut joined: Vec<Candidate> = Vec::with_capacity(found.len());
    for c in found {
        if let Some(last) = joined.last_mut()
            && last.kind == PiiType::Address
            && c.kind == PiiType::Address
            && text
                .get(last.end..c.start)
                .is_some_and(|gap| gap.chars().all(|ch| ch == ',' || ch.is_whitespace()))
        {
            last.end = c.end;
            last.score = last.score.min(c.score);
            continue;
        }
        joined.push(c);
    }
    joined
}

/// One detected entity as a candidate, titles trimmed from a NAME.
fn candidate(text: &str, bytes: &ByteOffsets, entity: &Entity) -> Option<Candidate> {
    let kind = match entity.entity_type.as_str() {
        "NAME" => PiiType::Name,
        "ADDRESS" => PiiType::Address,
        _ => return None,
    };
    let (mut start, end) = (bytes.at(entity.begin)?, bytes.at(entity.end)?);
    if kind == PiiType::Name {
        start += titles::leading_len(text.get(start..end)?);
    }
    Some(Candidate {
        kind,
        start,
        end,
        score: entity.score as f32,
    })
}

/// Code-point offsets (what the tagger speaks) to byte offsets.
struct ByteOffsets {
    starts: Vec<usize>,
}

impl ByteOffsets {
    fn new(text: &str) -> Self {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        ByteOffsets { starts }
    }

    fn at(&self, code_point: usize) -> Option<usize> {
        self.starts.get(code_point).copied()
    }
}

#[cfg(test)]
mod tests;
