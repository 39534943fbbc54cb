//! A second opinion from lingua on the Romance languages whatlang confuses on short text
//! (es ↔ pt ↔ it, es → ca, fr → af). lingua's models read a sentence far better than
//! whatlang's profiles, but each costs 4–5 MB of binary. Release binary growth of a tiny
//! example, measured: whatlang + these four lingua languages +27.5 MB; lingua alone with the
//! six Latin-script service languages +37 MB, with all 75 +298 MB. So only these four ship.
//!
//! Low-accuracy mode (trigrams only): between four languages it was as accurate as the full
//! 1- to 5-gram mode on our sentence set (one sentence apart) and ~20% faster.

use std::sync::LazyLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

/// The languages lingua decides between, and their codes.
const LANGUAGES: [(Language, &str); 4] = [
    (Language::French, "fr"),
    (Language::Italian, "it"),
    (Language::Portuguese, "pt"),
    (Language::Spanish, "es"),
];

static DETECTOR: LazyLock<LanguageDetector> = LazyLock::new(|| {
    let languages = LANGUAGES.map(|(l, _)| l);
    LanguageDetectorBuilder::from_languages(&languages)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
});

/// Whether `code` is one of the languages lingua decides between here.
pub fn covers(code: &str) -> bool {
    LANGUAGES.iter().any(|(_, c)| *c == code)
}

/// lingua's confidences over the four languages (they add up to 1), highest first; empty
/// when lingua finds nothing to read.
pub fn rank(text: &str) -> Vec<(&'static str, f64)> {
    DETECTOR
        .compute_language_confidence_values(text)
        .into_iter()
        .filter_map(|(lang, score)| code(lang).map(|c| (c, score)))
        .collect()
}

fn code(lang: Language) -> Option<&'static str> {
    LANGUAGES.iter().find(|(l, _)| *l == lang).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_spanish_from_portuguese() {
        assert_eq!(
            rank("Deberíamos salir temprano para evitar el tráfico.")[0].0,
            "es"
        );
        assert_eq!(
            rank("Lembre-se de regar as plantas enquanto eu estiver fora.")[0].0,
            "pt"
        );
    }

    #[test]
    fn nothing_to_read_is_empty() {
        assert!(rank("12345 !!!").iter().all(|(_, s)| *s == 0.0) || rank("12345 !!!").is_empty());
    }
}
