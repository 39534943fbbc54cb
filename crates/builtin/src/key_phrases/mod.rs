//! Key phrases (DetectKeyPhrases): the noun phrases of a text, with their determiners and
//! possessives ("a minimum payment", "your bank account number"), in text order, never
//! overlapping, each with a confidence, as the service answers
//! (https://docs.aws.amazon.com/comprehend/latest/dg/how-key-phrases.html).
//!
//! Method, per language:
//! - English, Spanish, French, German, Italian, Portuguese: chunking over the parts of speech of
//!   [`crate::syntax::analyse`] ([`chunk`]). A phrase is an optional determiner or possessive,
//!   then any adjectives, numbers and nouns, ending in a noun or proper noun; the Romance
//!   languages also take adjectives after the noun ("la cuenta corriente") and a "de" + noun
//!   complement ("el número de cuenta"). A number alone is a phrase ("at nine"); English time
//!   words open a phrase of their own ("yesterday", "last night", as the service answers
//!   "today"); a preposition fused with its article ("nel", "du") stays out; a lone noun the
//!   tagger only guessed from its ending (mostly an unknown verb form) is dropped. The
//!   confidence is the mean of the tokens' tag confidences: a phrase is as sure as its tags.
//! - Arabic, Hindi, Japanese, Korean, Chinese (simplified and traditional): no tagger reads
//!   them, so a statistical fallback ([`fallback`]): runs of words (or, without spaces, of
//!   characters) between punctuation and each language's function words, particles and
//!   auxiliaries (small hand-written lists). Its phrases are rougher, and scored lower.
//!
//! Linear in the text's length; never panics.

mod chunk;
mod fallback;

#[cfg(test)]
mod tests;

use crate::Language;

/// One key phrase.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyPhrase {
    /// Code-point offsets, end exclusive.
    pub begin: usize,
    pub end: usize,
    /// Confidence, in (0, 1].
    pub score: f32,
}

/// The key phrases of `text` read as `language` (any of the 12 `crate::Language`s): noun
/// phrases, in text order, never overlapping.
pub fn detect(text: &str, language: Language) -> Vec<KeyPhrase> {
    match language {
        Language::En | Language::Es | Language::Fr | Language::De | Language::It | Language::Pt => {
            chunk::phrases(text, language)
        }
        _ => fallback::phrases(text, language),
    }
}
