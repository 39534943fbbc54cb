//! A small synthetic corpus: person and city names in a few sentence templates.

#![allow(dead_code)]

use comprehend_ner::{AnnotatedDocument, Document, Span};

pub const PEOPLE: [&str; 12] = [
    "Ann Lee",
    "Bo Chen",
    "Cy Diaz",
    "Di Evans",
    "Ed Fox",
    "Flo Grant",
    "Gus Hill",
    "Hal Ito",
    "Ivy Jones",
    "Jo King",
    "Kai Lund",
    "Lu Moss",
];
pub const CITIES: [&str; 8] = [
    "Paris", "Lima", "Oslo", "Quito", "Rome", "Seoul", "Tunis", "Vienna",
];
const TEMPLATES: [&str; 4] = [
    "Yesterday {P} flew to {C} for a meeting.",
    "In {C} , {P} opened a small bakery.",
    "The mayor of {C} thanked {P} warmly.",
    "{P} said the weather in {C} was fine.",
];

pub fn types() -> Vec<String> {
    vec!["PERSON".to_string(), "CITY".to_string()]
}

/// Fills a template, returning the text and its spans (code-point offsets).
pub fn fill(template: &str, person: &str, city: &str) -> (String, Vec<Span>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    let mut rest = template;
    while let Some(at) = rest.find('{') {
        text.push_str(&rest[..at]);
        let (name, kind) = if rest[at..].starts_with("{P}") {
            (person, "PERSON")
        } else {
            (city, "CITY")
        };
        let begin = text.chars().count();
        text.push_str(name);
        spans.push(Span {
            begin,
            end: begin + name.chars().count(),
            entity_type: kind.into(),
        });
        rest = &rest[at + 3..];
    }
    text.push_str(rest);
    (text, spans)
}

/// `n` annotated documents cycling through names and templates.
pub fn corpus(n: usize) -> Vec<AnnotatedDocument> {
    (0..n)
        .map(|i| {
            let (text, spans) = fill(
                TEMPLATES[i % TEMPLATES.len()],
                PEOPLE[(i * 7) % PEOPLE.len()],
                CITIES[(i * 3) % CITIES.len()],
            );
            AnnotatedDocument {
                document: Document {
                    file: "docs.txt".into(),
                    line: Some(i as u64),
                    text,
                },
                spans,
            }
        })
        .collect()
}

/// Limits small enough for the corpus.
pub fn small_limits() -> comprehend_ner::Limits {
    comprehend_ner::Limits {
        min_mentions_per_type: 5,
        ..Default::default()
    }
}
