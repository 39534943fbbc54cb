//! Entities of the built-in types (DetectEntities without an endpoint).
//!
//! The types are those of docs.aws.amazon.com/comprehend/latest/dg/how-entities.html. Three
//! kinds of finder propose [`Candidate`]s in byte offsets; [`resolve`] keeps the best
//! non-overlapping ones and turns them into code-point offsets, as the service counts them:
//! - [`tagger`]: PERSON, LOCATION and ORGANIZATION, and a MISC class sorted into EVENT, TITLE,
//!   COMMERCIAL_ITEM or OTHER, from a linear-chain tagger trained with comprehend-ner on
//!   wikigold (real Wikipedia sentences) and generated English and Spanish sentences;
//! - [`dates`] and [`quantities`]: DATE and QUANTITY from patterns over numbers and the
//!   calendar words of each language;
//! - [`other`]: OTHER for e-mail addresses, URLs, card numbers, IP addresses and phone numbers,
//!   through the PII module's validated patterns.
//!
//! What each language gets:
//! - en, es: everything above (the tagger learned from English and Spanish; the calendar and
//!   unit words of both are known);
//! - fr, it, pt: the tagger too — names are capitalised there as in its training languages, so
//!   it finds many, with lower recall and precision than in English — and month and weekday
//!   names, units and number words of their own;
//! - de: no tagger (every German noun is capitalised, which the tagger reads as a name), but
//!   German calendar, unit and number words;
//! - ar, hi, ja, ko, zh, zh-TW: no tagger (no capital letters to learn names from); DATE and
//!   QUANTITY wherever digits are written (ISO and numeric dates, `2025年3月3日`, `3월 3일`,
//!   amounts with currency signs, percentages, units), and OTHER.

mod dates;
mod other;
mod quantities;
mod resolve;
mod rules;
mod tagger;

use crate::Language;

/// The service's built-in EntityType.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    Person,
    Location,
    Organization,
    CommercialItem,
    Event,
    Date,
    Quantity,
    Title,
    Other,
}

impl EntityType {
    /// Every type, in the API reference's order.
    pub const ALL: [EntityType; 9] = [
        EntityType::Person,
        EntityType::Location,
        EntityType::Organization,
        EntityType::CommercialItem,
        EntityType::Event,
        EntityType::Date,
        EntityType::Quantity,
        EntityType::Title,
        EntityType::Other,
    ];

    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Location => "LOCATION",
            EntityType::Organization => "ORGANIZATION",
            EntityType::CommercialItem => "COMMERCIAL_ITEM",
            EntityType::Event => "EVENT",
            EntityType::Date => "DATE",
            EntityType::Quantity => "QUANTITY",
            EntityType::Title => "TITLE",
            EntityType::Other => "OTHER",
        }
    }
}

/// One entity: its type, code-point offsets (end exclusive) and confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entity {
    pub kind: EntityType,
    pub begin: usize,
    pub end: usize,
    pub score: f32,
}

/// A candidate span in BYTE offsets of the text, before overlaps are resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Candidate {
    kind: EntityType,
    start: usize,
    end: usize,
    score: f32,
    /// Which finder proposed it: a validated pattern is firmer evidence than a rule over
    /// calendar words, which is firmer than the tagger.
    source: Source,
}

/// The finders, firmest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Validated,
    Rule,
    Tagger,
}

/// The entities of `text` read as `language` (any of the 12 `crate::Language`s): in text order,
/// never overlapping.
pub fn detect(text: &str, language: Language) -> Vec<Entity> {
    let mut candidates = Vec::new();
    other::find(text, &mut candidates);
    dates::find(text, language, &mut candidates);
    quantities::find(text, language, &mut candidates);
    tagger::find(text, language, &mut candidates);
    resolve::resolve(text, candidates)
}

#[cfg(test)]
mod tests;
