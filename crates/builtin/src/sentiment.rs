//! Document sentiment (DetectSentiment). CONTRACT — to be implemented.

use crate::Language;

/// The service's `SentimentType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sentiment {
    Positive,
    Negative,
    Neutral,
    Mixed,
}

impl Sentiment {
    /// The wire name.
    pub fn name(self) -> &'static str {
        match self {
            Sentiment::Positive => "POSITIVE",
            Sentiment::Negative => "NEGATIVE",
            Sentiment::Neutral => "NEUTRAL",
            Sentiment::Mixed => "MIXED",
        }
    }
}

/// The four probabilities (they sum to 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SentimentScore {
    pub positive: f32,
    pub negative: f32,
    pub neutral: f32,
    pub mixed: f32,
}

/// A document's sentiment: the arg-max of its scores, and the scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Analysis {
    pub sentiment: Sentiment,
    pub score: SentimentScore,
}

/// The sentiment of `text` read as `language`.
pub fn analyse(text: &str, language: Language) -> Analysis {
    let _ = (text, language);
    Analysis {
        sentiment: Sentiment::Neutral,
        score: SentimentScore {
            positive: 0.0,
            negative: 0.0,
            neutral: 1.0,
            mixed: 0.0,
        },
    }
}
