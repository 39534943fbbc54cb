//! The one table every structured type is found through: a [`Recognizer`] per pattern of a
//! type, with its validator, context words and scores, and the scan that runs them all.

use super::context::{Window, has_context};
use super::vehicle;
use super::{Candidate, PiiType, credentials, datetime, financial, government, network, phone};
use crate::Language;
use regex::Regex;
use std::sync::LazyLock;

/// How a recognizer uses its context words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Need {
    /// The shape and validator suffice; a context word nearby raises the score.
    Boosted,
    /// The shape is too common (a 4-digit PIN, a 9-digit account number): a context word must
    /// come shortly before it, with no other number in between.
    Required,
    /// The context is part of the pattern itself (`password: …`); the entity is the pattern's
    /// group named `v`.
    InPattern,
}

/// One way to find one PII type.
#[derive(Debug, Clone, Copy)]
pub(super) struct Recognizer {
    pub kind: PiiType,
    /// A regex in the `regex` crate's syntax; `\b` is read as an ASCII word boundary.
    pub pattern: &'static str,
    /// Says whether a match of `pattern` (the `v` group where there is one) is really one.
    pub validate: fn(&str) -> bool,
    /// Lowercase words or phrases, English and Spanish.
    pub context: &'static [&'static str],
    pub need: Need,
    /// The score without context, then with it.
    pub score: f32,
    pub with_context: f32,
    /// Whether the match may sit inside a longer run of digit groups (dates and times may:
    /// `2024-01-05 10:30`; a card number may not be the tail of a longer invalid one).
    pub joins_numbers: bool,
}

/// Accepts every match: for patterns whose shape is the whole rule.
pub(super) fn any(_: &str) -> bool {
    true
}

impl Recognizer {
    /// A recognizer of `kind` with no context words.
    pub(super) const fn new(
        kind: PiiType,
        pattern: &'static str,
        validate: fn(&str) -> bool,
    ) -> Self {
        Recognizer {
            kind,
            pattern,
            validate,
            context: &[],
            need: Need::Boosted,
            score: 0.9,
            with_context: 0.99,
            joins_numbers: false,
        }
    }

    /// Context words that raise the score.
    pub(super) const fn boosted_by(mut self, words: &'static [&'static str]) -> Self {
        self.context = words;
        self.need = Need::Boosted;
        self
    }

    /// Context words one of which must come shortly before the match.
    pub(super) const fn only_after(mut self, words: &'static [&'static str]) -> Self {
        self.context = words;
        self.need = Need::Required;
        self
    }

    /// The context is in the pattern; the entity is its group `v`.
    pub(super) const fn keyed(mut self) -> Self {
        self.need = Need::InPattern;
        self
    }

    pub(super) const fn scored(mut self, score: f32, with_context: f32) -> Self {
        self.score = score;
        self.with_context = with_context;
        self
    }

    pub(super) const fn joining_numbers(mut self) -> Self {
        self.joins_numbers = true;
        self
    }
}

/// Every recognizer, each family's table in turn.
fn table() -> impl Iterator<Item = &'static Recognizer> {
    [
        financial::RECOGNIZERS,
        government::RECOGNIZERS,
        network::RECOGNIZERS,
        phone::RECOGNIZERS,
        datetime::RECOGNIZERS,
        vehicle::RECOGNIZERS,
        credentials::RECOGNIZERS,
    ]
    .into_iter()
    .flatten()
}

/// A recognizer with its regex compiled.
struct Compiled {
    rule: &'static Recognizer,
    regex: Regex,
    /// The index of the group named `v`, if the pattern has one.
    group: Option<usize>,
}

/// Compiled once per process. `\b` becomes an ASCII word boundary: Unicode boundaries would
/// push the regex engine off its fast path on any non-ASCII text.
static COMPILED: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    phone::load_metadata();
    table()
        .map(|rule| {
            let pattern = rule.pattern.replace(r"\b", r"(?-u:\b)");
            let regex = Regex::new(&pattern).expect("the recognizer table's patterns compile");
            let group = regex.capture_names().position(|n| n == Some("v"));
            Compiled { rule, regex, group }
        })
        .collect()
});

/// Adds the candidates of every recognizer in `text` to `out`.
///
/// The context words of both languages are used whatever `language` says: Spanish texts quote
/// English labels (`PIN`, `CVV`, `IBAN`, `password`) often enough.
pub(super) fn find(text: &str, _language: Language, out: &mut Vec<Candidate>) {
    // ASCII lowercasing keeps every byte offset, so windows of it line up with `text`.
    let lower = text.to_ascii_lowercase();
    for compiled in COMPILED.iter() {
        scan(compiled, text, &lower, out);
    }
}

/// Adds the candidates of the recognizers of `kinds` only: DetectEntities reads a few PII
/// types (e-mail addresses, URLs, card numbers) as its OTHER type.
pub(super) fn find_kinds(text: &str, kinds: &[PiiType], out: &mut Vec<Candidate>) {
    let lower = text.to_ascii_lowercase();
    for compiled in COMPILED.iter().filter(|c| kinds.contains(&c.rule.kind)) {
        scan(compiled, text, &lower, out);
    }
}

/// The matches of one recognizer. After a rejected match the search resumes one character
/// later, so a valid number right after an invalid look-alike is still seen.
fn scan(c: &Compiled, text: &str, lower: &str, out: &mut Vec<Candidate>) {
    let mut at = 0;
    while at <= text.len() {
        let Some((whole, span)) = next_match(c, text, at) else {
            break;
        };
        match judge(c.rule, text, lower, span) {
            Some(score) => {
                out.push(Candidate {
                    kind: c.rule.kind,
                    start: span.0,
                    end: span.1,
                    score,
                });
                at = whole.1.max(whole.0 + 1);
            }
            None => at = whole.0 + 1,
        }
        while at < text.len() && !text.is_char_boundary(at) {
            at += 1;
        }
    }
}

/// The next match from byte `at`: the whole match and the entity's span (its `v` group).
fn next_match(c: &Compiled, text: &str, at: usize) -> Option<((usize, usize), (usize, usize))> {
    match c.group {
        None => c
            .regex
            .find_at(text, at)
            .map(|m| ((m.start(), m.end()), (m.start(), m.end()))),
        Some(g) => {
            let caps = c.regex.captures_at(text, at)?;
            let whole = caps.get(0)?;
            let v = caps.get(g)?;
            Some(((whole.start(), whole.end()), (v.start(), v.end())))
        }
    }
}

/// The score of a match, or `None` if it is not one.
fn judge(rule: &Recognizer, text: &str, lower: &str, (start, end): (usize, usize)) -> Option<f32> {
    if start == end || !stands_alone(text, start, end, rule.joins_numbers) {
        return None;
    }
    if !(rule.validate)(&text[start..end]) {
        return None;
    }
    let window = Window {
        text,
        lower,
        start,
        end,
    };
    match rule.need {
        Need::InPattern => Some(rule.score),
        Need::Required => has_context(&window, rule.context, true).then_some(rule.with_context),
        Need::Boosted if has_context(&window, rule.context, false) => Some(rule.with_context),
        Need::Boosted => Some(rule.score),
    }
}

/// Whether `text[start..end]` is a whole token: not glued to letters or digits around it
/// (`x.example.com`, `jane@…`), and, unless `joins` is set, not one group of a longer run of
/// digit groups (`4111 1111 1111 1112` holds no 12-digit number).
fn stands_alone(text: &str, start: usize, end: usize, joins: bool) -> bool {
    let before: Vec<char> = text[..start].chars().rev().take(2).collect();
    let after: Vec<char> = text[end..].chars().take(2).collect();
    let first = text[start..].chars().next();
    let last = text[..end].chars().next_back();
    !glued(&before, first, joins) && !glued(&after, last, joins)
}

/// Whether the neighbours `near` (nearest first) continue the token whose edge is `edge`.
fn glued(near: &[char], edge: Option<char>, joins: bool) -> bool {
    let Some(&next) = near.first() else {
        return false;
    };
    let then = near.get(1).copied();
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '@';
    if is_word(next) {
        return true;
    }
    if matches!(next, '.' | '-') && then.is_some_and(|c| c.is_alphanumeric()) {
        return true;
    }
    let digit_edge = edge.is_some_and(|c| c.is_ascii_digit());
    !joins && digit_edge && matches!(next, ' ' | '/') && then.is_some_and(|c| c.is_ascii_digit())
}
