//! Noun-phrase chunking over the syntax tagger's parts of speech (en es fr de it pt).
//!
//! Hand-written rather than a crate's chunker: no maintained Rust crate chunks over universal
//! tags, and the grammar is a handful of rules.

use super::KeyPhrase;
use crate::Language;
use crate::syntax::{PartOfSpeech as P, SyntaxToken, analyse};

/// A token with its text (for the closed lists: possessives, "'s", "de").
struct Word<'a> {
    token: SyntaxToken,
    text: &'a str,
}

/// The noun phrases of `text`, in order.
pub fn phrases(text: &str, language: Language) -> Vec<KeyPhrase> {
    let words = words(text, language);
    let romance = !matches!(language, Language::En | Language::De);
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match phrase_at(&words, i, romance) {
            Some(last) => {
                // "nel vostro albergo": a preposition fused with its article stays out.
                let first = if contracted(words[i].text) && i < last {
                    i + 1
                } else {
                    i
                };
                if !is_unsure_word(&words[first..=last]) {
                    out.push(phrase(&words[first..=last]));
                }
                i = last + 1;
            }
            None => i += 1,
        }
    }
    out
}

/// The tagged tokens of `text` with their text.
fn words(text: &str, language: Language) -> Vec<Word<'_>> {
    let tokens = analyse(text, language);
    // One pass from code points to byte offsets: the tokens are in order.
    let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    bytes.push(text.len());
    tokens
        .into_iter()
        .map(|token| Word {
            token,
            text: &text[bytes[token.begin]..bytes[token.end]],
        })
        .collect()
}

/// The index of the last token of the noun phrase starting at `start`, if one does.
fn phrase_at(words: &[Word<'_>], start: usize, romance: bool) -> Option<usize> {
    let mut i = start;
    while i < words.len() && i < start + 2 && opens(&words[i]) {
        i += 1;
    }
    let (mut head, mut number) = (None, None);
    while i < words.len() {
        let w = &words[i];
        if head.is_some() && starts_time(w.text) || i > 0 && is_please(words[i - 1].text) {
            break;
        }
        match w.token.tag {
            P::Noun | P::Propn if !is_verb_form(w.text) => head = Some(i),
            P::Num => number = Some(i),
            P::Adj => {}
            // "the bank's routing number": a possessive clitic inside, after a noun.
            P::Part if head == Some(i.wrapping_sub(1)) && is_clitic(w.text) => {}
            // "a broken lid": a participle before the noun (a phrase still ends in a noun).
            P::Verb if i > start && head.is_none() && is_participle(w.text) => {}
            _ => break,
        }
        i += 1;
    }
    // A number alone is a phrase too ("at nine"), as the service answers quantities.
    let head = head.or(number.filter(|&n| n == start))?;
    Some(if romance {
        romance_tail(words, head)
    } else {
        head
    })
}

/// After a Romance head: its adjectives ("cuenta corriente") and a "de" + noun complement
/// ("número de cuenta"), through the last noun or adjective.
fn romance_tail(words: &[Word<'_>], head: usize) -> usize {
    let mut last = head;
    let mut i = head + 1;
    while i < words.len() && words[i].token.tag == P::Adj {
        last = i;
        i += 1;
    }
    if i + 1 < words.len() && is_of(words[i].text) && is_noun(&words[i + 1]) {
        last = i + 1;
        i += 2;
        while i < words.len() && (is_noun(&words[i]) || words[i].token.tag == P::Adj) {
            last = i;
            i += 1;
        }
    }
    last
}

/// A lone common noun only guessed from its ending (below [`UNSURE`]): in the lexicon
/// languages mostly an unknown verb form ("voudrais", "recibí"), so no phrase.
fn is_unsure_word(words: &[Word<'_>]) -> bool {
    matches!(words, [w] if w.token.tag == P::Noun && w.token.score < UNSURE)
}

/// The tag confidence below which a lone noun is not trusted (the lexicon languages give an
/// ending-guessed word 0.4, a listed or capitalised one more).
const UNSURE: f32 = 0.5;

/// Prepositions fused with an article (es del al; fr du au aux; it nel del al …; pt no na do
/// da ao …): the tagger calls them DET, but the service's phrase starts after them.
fn contracted(text: &str) -> bool {
    CONTRACTIONS.iter().any(|c| c.eq_ignore_ascii_case(text))
}

const CONTRACTIONS: [&str; 30] = [
    "del", "al", "du", "au", "aux", "nel", "nella", "nei", "nelle", "della", "dei", "delle",
    "alla", "ai", "alle", "dal", "dalla", "sul", "sulla", "no", "na", "nos", "nas", "do", "da",
    "dos", "das", "ao", "aos", "pelo",
];

fn is_noun(w: &Word<'_>) -> bool {
    matches!(w.token.tag, P::Noun | P::Propn)
}

/// Whether the word may open a phrase: a determiner or a possessive pronoun.
fn opens(w: &Word<'_>) -> bool {
    match w.token.tag {
        P::Det => true,
        P::Pron => POSSESSIVES.contains(&w.text.to_lowercase().as_str()),
        _ => false,
    }
}

/// Forms of "be", "have" and "do" the tagger sometimes takes for nouns ("The new phone has").
fn is_verb_form(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "is", "are", "was", "were", "be", "been", "has", "have", "had", "does", "did",
    ]
    .contains(&lower.as_str())
}

/// English words that open a time phrase of their own after a noun ("the highway | last
/// night", "the station | yesterday"): the service answers "today" apart (its example).
fn starts_time(text: &str) -> bool {
    ["last", "next", "yesterday", "today", "tomorrow", "tonight"]
        .iter()
        .any(|v| v.eq_ignore_ascii_case(text))
}

/// The verb after "please" is an imperative, never a noun ("Please send", "please update").
fn is_please(text: &str) -> bool {
    text.eq_ignore_ascii_case("please")
}

/// A past participle by its shape ("broken", "used").
fn is_participle(text: &str) -> bool {
    text.len() > 3 && (text.ends_with("ed") || text.ends_with("en"))
}

fn is_clitic(text: &str) -> bool {
    matches!(text, "'s" | "'" | "’s" | "’")
}

/// The bare "of" of a Romance noun complement.
fn is_of(text: &str) -> bool {
    matches!(text, "de" | "di" | "do" | "da" | "du" | "des")
}

/// Possessive pronouns and determiners that the taggers may tag PRON.
const POSSESSIVES: [&str; 48] = [
    "my", "your", "his", "her", "its", "our", "their", "mi", "mis", "tu", "tus", "su", "sus",
    "nuestro", "nuestra", "nuestros", "nuestras", "mon", "ma", "mes", "ton", "ta", "tes", "son",
    "sa", "ses", "notre", "nos", "votre", "vos", "leur", "leurs", "mein", "meine", "dein", "deine",
    "sein", "seine", "ihr", "ihre", "unser", "unsere", "meu", "minha", "seu", "sua", "mio", "mia",
];

/// The phrase over `words`, scored by the mean of their tag confidences.
fn phrase(words: &[Word<'_>]) -> KeyPhrase {
    let sum: f32 = words.iter().map(|w| w.token.score).sum();
    let mean = sum / words.len().max(1) as f32;
    KeyPhrase {
        begin: words.first().map_or(0, |w| w.token.begin),
        end: words.last().map_or(0, |w| w.token.end),
        score: mean.clamp(0.01, 1.0),
    }
}
