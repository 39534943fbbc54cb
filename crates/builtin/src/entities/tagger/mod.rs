//! PERSON, LOCATION, ORGANIZATION and the other names (EVENT, TITLE, COMMERCIAL_ITEM, OTHER):
//! a linear-chain tagger trained with comprehend-ner on first use.
//!
//! The training data is wikigold's training split (real Wikipedia sentences: people, places,
//! organisations and a MISC class of other names) and generated English and Spanish sentences
//! with people, cities, countries and companies beside dates and amounts. wikigold's MISC has no
//! finer types, so the tagger learns it as one class and [`misc`] sorts each MISC span by its
//! words and context into the service's EVENT, TITLE, COMMERCIAL_ITEM or OTHER.

mod heads;
mod misc;
mod spacing;
mod training;

use std::sync::OnceLock;

use comprehend_ner::Recognizer;

use super::{Candidate, EntityType, Source};
use crate::Language;

/// The tagger, trained once per process on first use from the shipped data (about 0.7 MB of
/// text; well under a second in a release build) — less than the trained weights would cost to
/// keep in the repository, and retraining is deterministic.
fn model() -> Option<&'static Recognizer> {
    static MODEL: OnceLock<Option<Recognizer>> = OnceLock::new();
    MODEL.get_or_init(|| training::recognizer().ok()).as_ref()
}

/// The lowest calibrated score a span may have to be reported (see the
/// `floor_on_held_out_split` test, which chooses it on the documents held out of training and
/// fails when it is no longer the best).
const SCORE_FLOOR: f32 = 0.35;

/// Whether names in `language` are read by the tagger: the languages that capitalise names and
/// little else. German capitalises every noun, which the tagger reads as names (tried: "Die
/// Bundesregierung" as a PERSON, "Regeln" and "Unternehmen" as LOCATIONs in one sentence);
/// the others have no capital letters to learn from.
fn tagged_language(language: Language) -> bool {
    matches!(
        language,
        Language::En | Language::Es | Language::Fr | Language::It | Language::Pt
    )
}

/// Pushes the tagger's candidates in `text` (byte offsets) onto `out`.
pub(super) fn find(text: &str, language: Language, out: &mut Vec<Candidate>) {
    if !tagged_language(language) {
        return;
    }
    let Some(model) = model() else { return };
    out.extend(
        tagged(model, text)
            .into_iter()
            .filter(|c| c.score >= SCORE_FLOOR),
    );
}

/// The tagger's spans in `text` (byte offsets), typed, possessive endings left out, without a
/// score floor.
fn tagged(model: &Recognizer, text: &str) -> Vec<Candidate> {
    let spaced = spacing::Spaced::new(text);
    model
        .detect(spaced.text())
        .iter()
        .filter_map(|e| {
            let (start, end) = spaced.original(e.begin, e.end)?;
            let start_end = trim(text, start, end)?;
            let kind = kind_of(&e.entity_type, text, start_end)?;
            Some(Candidate {
                kind,
                start: start_end.0,
                end: start_end.1,
                score: e.score as f32,
                source: Source::Tagger,
            })
        })
        .collect()
}

/// The span without a possessive ending, and only if it holds a capital letter: a name is
/// written with one in every language the tagger reads.
fn trim(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    let span = text.get(start..end)?;
    let kept = span
        .strip_suffix("'s")
        .or_else(|| span.strip_suffix("’s"))
        .unwrap_or(span)
        .trim_end();
    (kept.chars().any(char::is_uppercase)).then_some((start, start + kept.len()))
}

/// The service's type of a tagger label.
fn kind_of(label: &str, text: &str, (start, end): (usize, usize)) -> Option<EntityType> {
    match label {
        "PERSON" => Some(heads::retype(EntityType::Person, text.get(start..end)?)),
        "LOCATION" => Some(heads::retype(EntityType::Location, text.get(start..end)?)),
        "ORGANIZATION" => Some(heads::retype(
            EntityType::Organization,
            text.get(start..end)?,
        )),
        "MISC" => Some(misc::sort(text, start, end)),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
