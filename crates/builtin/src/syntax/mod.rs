//! Syntax analysis (DetectSyntax): the text's words and punctuation marks, each with its part
//! of speech and a confidence, as the service answers
//! (https://docs.aws.amazon.com/comprehend/latest/dg/how-syntax.html).
//!
//! Tokens: one per word or punctuation mark, whitespace skipped, code-point offsets (end
//! exclusive). English contractions split as in the Penn Treebank ("don't" → "do" + "n't",
//! "it's" → "it" + "'s"); French and Italian elisions split after the apostrophe ("l'" +
//! "homme"); "U.S.", "Dr.", "3.5", "e-mail" and e-mail addresses stay one token.
//!
//! Tags, per language:
//! - English: Eric Brill's transformation-based tagger (lexicon of ~94,000 words, 151 lexical
//!   and 290 contextual rules, trained on the Brown corpus and the Penn Treebank; data from
//!   Pattern/TextBlob, BSD-3/MIT), its Penn tags mapped to the universal tags with word-level
//!   splits ([`universal`]). Auxiliaries and modals are VERB, not AUX: the service's examples
//!   tag "is" in "It is raining today" VERB. Possessive pronouns ("my") are PRON as in UD v2.
//!   Foreign words are O (the service has no X).
//! - Spanish, French, German, Italian, Portuguese: lexicon-grade — closed-class words from
//!   lists of each language's function words, open-class words by their endings, capitalised
//!   words inside a sentence PROPN (German: NOUN), the rest NOUN ([`romance`]).
//! - Other languages (the service's DetectSyntax does not read them): punctuation PUNCT,
//!   numbers NUM, symbols SYM, every other token O.
//!
//! Confidence: for English, the measured accuracy of the tag's source on the English Web
//! Treebank's development set (a lexicon word kept as looked up, a word a contextual rule
//! re-tagged, an unknown word guessed); for the lexicon languages, a fixed grade per source.

mod brill;
mod romance;
mod tokens;
mod universal;

#[cfg(test)]
mod tests;

use crate::Language;
use brill::{Brill, Source};

/// The service's PartOfSpeechTagType (Universal Dependencies tags plus CONJ and O).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartOfSpeech {
    Adj,
    Adp,
    Adv,
    Aux,
    Conj,
    Cconj,
    Det,
    Intj,
    Noun,
    Num,
    O,
    Part,
    Pron,
    Propn,
    Punct,
    Sconj,
    Sym,
    Verb,
}

impl PartOfSpeech {
    /// Every tag, in the API reference's order.
    pub const ALL: [PartOfSpeech; 18] = [
        PartOfSpeech::Adj,
        PartOfSpeech::Adp,
        PartOfSpeech::Adv,
        PartOfSpeech::Aux,
        PartOfSpeech::Conj,
        PartOfSpeech::Cconj,
        PartOfSpeech::Det,
        PartOfSpeech::Intj,
        PartOfSpeech::Noun,
        PartOfSpeech::Num,
        PartOfSpeech::O,
        PartOfSpeech::Part,
        PartOfSpeech::Pron,
        PartOfSpeech::Propn,
        PartOfSpeech::Punct,
        PartOfSpeech::Sconj,
        PartOfSpeech::Sym,
        PartOfSpeech::Verb,
    ];

    /// The wire name ("ADJ", "PROPN", …).
    pub fn name(self) -> &'static str {
        match self {
            PartOfSpeech::Adj => "ADJ",
            PartOfSpeech::Adp => "ADP",
            PartOfSpeech::Adv => "ADV",
            PartOfSpeech::Aux => "AUX",
            PartOfSpeech::Conj => "CONJ",
            PartOfSpeech::Cconj => "CCONJ",
            PartOfSpeech::Det => "DET",
            PartOfSpeech::Intj => "INTJ",
            PartOfSpeech::Noun => "NOUN",
            PartOfSpeech::Num => "NUM",
            PartOfSpeech::O => "O",
            PartOfSpeech::Part => "PART",
            PartOfSpeech::Pron => "PRON",
            PartOfSpeech::Propn => "PROPN",
            PartOfSpeech::Punct => "PUNCT",
            PartOfSpeech::Sconj => "SCONJ",
            PartOfSpeech::Sym => "SYM",
            PartOfSpeech::Verb => "VERB",
        }
    }
}

/// One token of the answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SyntaxToken {
    /// 1, 2, 3… in the text's order (the service's TokenId).
    pub id: usize,
    /// Code-point offsets, end exclusive.
    pub begin: usize,
    pub end: usize,
    pub tag: PartOfSpeech,
    /// Confidence in the tag, in (0, 1].
    pub score: f32,
}

/// Tokens of `text` read as `language` (en es fr de it pt; others: punctuation, numbers and
/// symbols by shape, every other token O): one per word or punctuation mark, whitespace
/// skipped, in order.
pub fn analyse(text: &str, language: Language) -> Vec<SyntaxToken> {
    let pieces = tokens::tokens(text, language);
    let words: Vec<&str> = pieces.iter().map(|p| p.text).collect();
    let tags = tag_words(&words, language);
    pieces
        .iter()
        .zip(tags)
        .enumerate()
        .map(|(i, (p, (tag, score)))| SyntaxToken {
            id: i + 1,
            begin: p.begin,
            end: p.end,
            tag,
            score,
        })
        .collect()
}

/// The tag and confidence of each of `words` (already tokenized), read as `language`.
/// Public so that the benchmark can tag a treebank's own tokens.
pub fn tag_words(words: &[&str], language: Language) -> Vec<(PartOfSpeech, f32)> {
    let mut out = Vec::with_capacity(words.len());
    for sentence in sentences(words) {
        match language {
            Language::En => out.extend(english(sentence)),
            Language::Es | Language::Fr | Language::De | Language::It | Language::Pt => {
                out.extend(
                    sentence
                        .iter()
                        .enumerate()
                        .map(|(i, w)| romance::tag(w, i == 0, language)),
                );
            }
            _ => out.extend(sentence.iter().map(|w| other(w))),
        }
    }
    out
}

/// Splits tokens into sentences after ".", "!", "?" (and runs of them).
fn sentences<'a, 'b>(words: &'b [&'a str]) -> impl Iterator<Item = &'b [&'a str]> {
    let ends = |w: &str| !w.is_empty() && w.chars().all(|c| matches!(c, '.' | '!' | '?' | '。'));
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= words.len() {
            return None;
        }
        let mut stop = start;
        while stop < words.len() && !ends(words[stop]) {
            stop += 1;
        }
        while stop < words.len() && ends(words[stop]) {
            stop += 1;
        }
        let sentence = &words[start..stop];
        start = stop;
        Some(sentence)
    })
}

/// Confidence by source, measured as the accuracy of each on the English Web Treebank's
/// development set (benches/syntax.md).
fn english_score(source: Source, tag: PartOfSpeech) -> f32 {
    match (source, tag) {
        (_, PartOfSpeech::Punct) => 0.99,
        (Source::Lexicon, _) => 0.92,
        (Source::Guess, _) => 0.67,
        // Brill's rules were learned on newspaper text; on web text a re-tag is right less
        // often than the lexicon's first guess would have been.
        (Source::Context, _) => 0.59,
    }
}

/// One English sentence: Brill's Penn tags, mapped to universal tags.
fn english(words: &[&str]) -> Vec<(PartOfSpeech, f32)> {
    let brill = Brill::get();
    let penn = brill.tag(words);
    (0..words.len())
        .map(|i| {
            let (tag, source) = penn[i];
            let next = penn.get(i + 1).map_or("", |&(t, _)| brill.name(t));
            let prev = i.checked_sub(1).map_or("", |p| brill.name(penn[p].0));
            let name = brill.name(tag);
            let upos = match universal::by_shape(words[i]) {
                // Symbols and punctuation by their characters, whatever the lexicon says.
                s @ (PartOfSpeech::Punct | PartOfSpeech::Sym | PartOfSpeech::Num) => s,
                _ => universal::map(words[i], name, prev, next),
            };
            (upos, english_score(source, upos))
        })
        .collect()
}

/// A token of a language the service's DetectSyntax does not read.
fn other(word: &str) -> (PartOfSpeech, f32) {
    match universal::by_shape(word) {
        PartOfSpeech::O => (PartOfSpeech::O, 0.5),
        tag => (tag, 0.9),
    }
}
