//! Document sentiment (DetectSentiment): POSITIVE, NEGATIVE, NEUTRAL or MIXED with four
//! probabilities that sum to 1, as the service answers (API reference, `DetectSentiment`,
//! `SentimentScore`; docs.aws.amazon.com/comprehend/latest/dg/how-sentiment.html).
//!
//! Method: VADER, the lexicon-and-rules method of Hutto & Gilbert (ICWSM 2014), implemented
//! here from its description ([`vader`]), then a fitted logistic mapping of VADER's
//! positive/negative/neutral shares and compound to the four classes ([`calibrate`]), so that
//! a text with strong positive and strong negative clauses ("wonderful but terrible",
//! "Although X, Y") is MIXED.
//!
//! What each language gets:
//! - `en`: the full method on VADER's own lexicon (7,500 words, emoticons, slang; MIT) and
//!   emoji read as their descriptions; boosters/dampeners, negation within three words,
//!   "but", capitals, "!" and "??", "never so", "at least", "no".
//! - `es`, `fr`, `de`, `it`, `pt`: ~100 sentiment concepts translated by hand from VADER's
//!   lexicon (each keeps its English valence), found through inflection by suffix rules;
//!   negators, boosters, dampeners and "but" of the language; French/Italian elision split;
//!   German/French clause-final "nicht"/"pas" negate the word before.
//! - `ar`: the same translated lexicon, compared after normalising alef forms, ة and
//!   diacritics, with clitic prefixes (و، ال، ب…) and suffixes stripped; Arabic negators.
//! - `hi`: the translated lexicon (nukta-insensitive), negation by a following नहीं/न.
//! - `ja`, `ko`, `zh`, `zh-TW`: the translated lexicon as stems, found by longest match over
//!   characters (no word segmenter); negation by a preceding 不/没 (Chinese), a standalone
//!   안/못 or a following 않/없 (Korean), a following ない/ません (Japanese).
//!
//! Emoticons and emoji count in every language. Outside English the lexicon is small, so
//! texts whose sentiment words it lacks read as NEUTRAL.

mod calibrate;
mod lexicon;
mod rules;
mod tokens;
mod vader;

#[cfg(test)]
mod tests;

use crate::Language;
pub use vader::Polarity;

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

/// VADER's polarity of `text` read as `language` (the input of the mapping to the four
/// classes; public for the quality benchmark and its calibration).
pub fn polarity(text: &str, language: Language) -> Polarity {
    let vocabulary = lexicon::vocabulary(language);
    let tokens = tokens::tokenize(text, vocabulary);
    vader::polarity(text, &tokens, vocabulary)
}

/// The sentiment of `text` read as `language`.
pub fn analyse(text: &str, language: Language) -> Analysis {
    let [positive, negative, neutral, mixed] = calibrate::probabilities(&polarity(text, language));
    let score = SentimentScore {
        positive: positive as f32,
        negative: negative as f32,
        neutral: neutral as f32,
        mixed: mixed as f32,
    };
    let ranked = [
        (Sentiment::Positive, score.positive),
        (Sentiment::Negative, score.negative),
        (Sentiment::Neutral, score.neutral),
        (Sentiment::Mixed, score.mixed),
    ];
    let sentiment = ranked
        .into_iter()
        .fold((Sentiment::Neutral, f32::MIN), |best, next| {
            if next.1 > best.1 { next } else { best }
        })
        .0;
    Analysis { sentiment, score }
}
