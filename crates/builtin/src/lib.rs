//! comprehend-builtin: the engines behind Amazon Comprehend's built-in (pre-trained)
//! analysis — PII, sentiment, dominant language and toxicity.
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
//! - [`pii`]: personally identifiable information (DetectPiiEntities, ContainsPiiEntities).

pub mod language;
pub mod offsets;
pub mod pii;
pub mod sentiment;
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

/// Whether [`warm_up`] has finished: every model is built, so an analysis costs only its own
/// reading of the text.
static WARM: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Builds every model now (the NAME/ADDRESS tagger trains for about a second; the other
/// tables load in milliseconds), so that no request waits for one.
pub fn warm_up() {
    language::detect("warm up");
    sentiment::analyse("warm up", Language::En);
    toxicity::analyse(&["warm up"]);
    pii::detect("Warm Up 1", Language::En);
    WARM.store(true, std::sync::atomic::Ordering::Release);
}

/// Whether every model is built ([`warm_up`] has run).
pub fn is_warm() -> bool {
    WARM.load(std::sync::atomic::Ordering::Acquire)
}
