//! Credentials and personal facts written after their label: user names, passwords, ages.

use super::PiiType::{Age, Password, Username};
use super::recognizer::Recognizer;

pub(super) const RECOGNIZERS: &[Recognizer] = &[
    // "username: jdoe88", "my user ID is jdoe88", "mi usuario es juan_p"
    Recognizer::new(
        Username,
        r"(?i)\b(?:user ?name|user ?id|login|screen name|usuario|nombre de usuario)(?: is| es| was|:|=| -)\s*(?P<v>@?[A-Za-z0-9][A-Za-z0-9._-]{1,30}[A-Za-z0-9])",
        not_a_word,
    )
    .keyed()
    .scored(0.9, 0.9),
    // "password: hunter2!", "la contraseña es Gato#2024"
    Recognizer::new(
        Password,
        r#"(?i)\b(?:password|passwd|pwd|passcode|contraseña|clave de acceso|clave)(?: is| es| was|:|=| -)\s*(?P<v>[^\s"']{3,64}?)[.,;:"']*(?:\s|$)"#,
        not_a_word,
    )
    .keyed()
    .scored(0.9, 0.9),
    // "40 years old": the service's span is "40 years" (how-pii: AGE).
    age(r"(?i)\b(?P<v>[0-9]{1,3} (?:years?|yrs?|months?))(?: of age| old)\b"),
    age(r"(?i)\b(?P<v>[0-9]{1,3}-(?:years?|months?)-old)\b"),
    age(r"(?i)\b(?:aged|age|age is|age:|edad|edad de|edad:)\s*(?P<v>[0-9]{1,3})\b"),
    age(r"(?i)\b(?:tiene|tengo|tenía|tenia|cumple|cumplió|cumplio|de)\s+(?P<v>[0-9]{1,3} años)"),
];

const fn age(pattern: &'static str) -> Recognizer {
    Recognizer::new(Age, pattern, plausible_age)
        .keyed()
        .scored(0.95, 0.95)
}

/// An age a person can have.
fn plausible_age(s: &str) -> bool {
    let n: String = s.chars().take_while(char::is_ascii_digit).collect();
    n.parse::<u32>().is_ok_and(|n| n <= 130)
}

/// Not a common word that follows such a label in prose ("password is required").
fn not_a_word(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "the",
        "and",
        "not",
        "was",
        "has",
        "have",
        "required",
        "incorrect",
        "invalid",
        "wrong",
        "correct",
        "reset",
        "changed",
        "expired",
        "missing",
        "empty",
        "your",
        "my",
        "their",
        "same",
        "case",
        "field",
        "here",
        "below",
        "above",
        "unknown",
        "para",
        "que",
        "los",
        "las",
        "una",
        "uno",
        "del",
        "por",
        "con",
        "incorrecta",
        "incorrecto",
        "obligatoria",
        "obligatorio",
        "requerida",
        "requerido",
        "nueva",
        "nuevo",
        "válida",
        "válido",
    ];
    let lower = s.to_lowercase();
    !WORDS.contains(&lower.as_str())
}
