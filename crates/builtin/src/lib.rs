//! comprehend-builtin: the engines behind Amazon Comprehend's built-in (pre-trained)
//! analysis — PII, entities, sentiment, dominant language and toxicity.
//!
//! Pure and synchronous: text in, typed answers out; no async, no files, no network. Every
//! model is built from data shipped inside this crate (`data/`, licences in `data/NOTICE`),
//! once per process, on first use. Offsets are Unicode code points, end exclusive, as the
//! service counts them (API reference, `Entity.BeginOffset`).
//!
//! One module per analysis family:
//! - [`language`]: dominant language identification (DetectDominantLanguage);
//! - [`sentiment`]: document sentiment (DetectSentiment);
//! - [`toxicity`]: toxic content labels (DetectToxicContent);
//! - [`pii`]: personally identifiable information (DetectPiiEntities, ContainsPiiEntities);
//! - [`syntax`]: parts of speech of words and punctuation marks (DetectSyntax);
//! - [`entities`]: entities of the built-in types (DetectEntities without an endpoint);
//! - [`key_phrases`]: noun phrases (DetectKeyPhrases).

pub mod entities;
pub mod key_phrases;
pub mod language;
pub mod offsets;
pub mod pii;
pub mod sentiment;
mod shipped;
mod spans;
pub mod syntax;
pub mod toxicity;

/// A language code of the service's shared `LanguageCode` enumeration: the languages the
/// built-in analyses can be asked to read (API reference, `LanguageCode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    En,
    Es,
    Fr,
    De,
    It,
    Pt,
    Ar,
    Hi,
    Ja,
    Ko,
    Zh,
    ZhTw,
}

impl Language {
    /// Every language, in the model's order.
    pub const ALL: [Language; 12] = [
        Language::En,
        Language::Es,
        Language::Fr,
        Language::De,
        Language::It,
        Language::Pt,
        Language::Ar,
        Language::Hi,
        Language::Ja,
        Language::Ko,
        Language::Zh,
        Language::ZhTw,
    ];

    /// The wire code (`en`, `zh-TW`, …).
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
            Language::Fr => "fr",
            Language::De => "de",
            Language::It => "it",
            Language::Pt => "pt",
            Language::Ar => "ar",
            Language::Hi => "hi",
            Language::Ja => "ja",
            Language::Ko => "ko",
            Language::Zh => "zh",
            Language::ZhTw => "zh-TW",
        }
    }

    /// The language of a wire code, if it is one of the twelve.
    pub fn from_code(code: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// The version of the built-in models: what a given text is answered. Bump it whenever shipped
/// data or a method changes any answer; the test `answers_are_those_of_this_version` pins a
/// digest of the answers to a set of texts and fails until both are updated together.
pub const MODELS_VERSION: &str = "2026-12-07.3";

/// Whether [`warm_up`] has finished: every model is built, so an analysis costs only its own
/// reading of the text.
static WARM: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Builds every model now (the NAME/ADDRESS tagger and the entities tagger each train for
/// about a second; the other tables load in milliseconds), so that no request waits for one.
pub fn warm_up() {
    language::detect("warm up");
    sentiment::analyse("warm up", Language::En);
    toxicity::analyse(&["warm up"]);
    pii::detect("Warm Up 1", Language::En);
    syntax::analyse("Warm up.", Language::En);
    entities::detect("Warm Up 1", Language::En);
    WARM.store(true, std::sync::atomic::Ordering::Release);
}

/// Whether every model is built ([`warm_up`] has run).
pub fn is_warm() -> bool {
    WARM.load(std::sync::atomic::Ordering::Acquire)
}

#[cfg(test)]
mod version_tests {
    use super::*;

    /// FNV-1a over the answers written out (scores to 4 decimals, so a last-bit difference of
    /// a libm on another CPU does not count as a change).
    fn digest(parts: &[String]) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in parts.iter().flat_map(|p| p.bytes()) {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        hash
    }

    const TEXTS: [&str; 6] = [
        "😀 Hi, I'm Maria Lopez. Card 4111 1111 1111 1111, mail maria.lopez@example.com, phone (206) 555-0142.",
        "Mi nombre es María García y vivo en Calle Mayor 5, 28013 Madrid. Mi contraseña es Tigre2024.",
        "The food was wonderful but the service was terrible.",
        "Bonjour, je voudrais réserver une table pour deux personnes ce soir.",
        "我們今天下午去圖書館學習中文。",
        "You are a worthless idiot and I will find you.",
    ];

    #[test]
    fn answers_are_those_of_this_version() {
        let mut parts = Vec::new();
        for text in TEXTS {
            for language in [Language::En, Language::Es] {
                for e in pii::detect(text, language) {
                    parts.push(format!(
                        "{} {} {} {:.4}",
                        e.kind.name(),
                        e.begin,
                        e.end,
                        e.score
                    ));
                }
                let a = sentiment::analyse(text, language);
                let s = a.score;
                parts.push(format!(
                    "{} {:.4} {:.4} {:.4} {:.4}",
                    a.sentiment.name(),
                    s.positive,
                    s.negative,
                    s.neutral,
                    s.mixed
                ));
            }
            for l in language::detect(text) {
                parts.push(format!("{} {:.4}", l.code, l.score));
            }
            for t in syntax::analyse(text, Language::En) {
                parts.push(format!(
                    "{} {} {} {} {:.4}",
                    t.id,
                    t.begin,
                    t.end,
                    t.tag.name(),
                    t.score
                ));
            }
            for p in key_phrases::detect(text, Language::En) {
                parts.push(format!("{} {} {:.4}", p.begin, p.end, p.score));
            }
            for e in entities::detect(text, Language::En) {
                parts.push(format!(
                    "{} {} {} {:.4}",
                    e.kind.name(),
                    e.begin,
                    e.end,
                    e.score
                ));
            }
            for t in toxicity::analyse(&[text]) {
                parts.push(format!("{:.4}", t.toxicity));
                parts.extend(t.labels.iter().map(|(l, s)| format!("{} {s:.4}", l.name())));
            }
        }
        assert_eq!(
            (MODELS_VERSION, digest(&parts)),
            (MODELS_VERSION, 9_395_401_574_396_974_648),
            "the answers changed: bump MODELS_VERSION and pin the new digest"
        );
    }
}
