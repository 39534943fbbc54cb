//! Penn Treebank tags to the service's universal tags (Universal Dependencies v2, as the
//! English Web Treebank applies them), with the word-level splits the Penn set does not make:
//! IN is ADP or SCONJ, TO is PART or ADP, DT is DET or PRON, RB "not" is PART.
//!
//! Auxiliaries ("is", "have", "can") are VERB, not AUX: the service's own examples tag "is"
//! in "It is raining today" as VERB (https://docs.aws.amazon.com/comprehend/latest/dg/how-syntax.html).

use super::PartOfSpeech as P;

/// Subordinating conjunctions that Penn tags IN: always SCONJ.
const SUBORDINATORS: [&str; 9] = [
    "because", "if", "although", "though", "whether", "unless", "whereas", "while", "that",
];

/// IN words that are SCONJ when a clause follows ("after he left"), ADP before a noun
/// phrase ("after the game").
const CLAUSE_OR_PHRASE: [&str; 8] = [
    "after", "before", "since", "until", "till", "as", "once", "so",
];

/// Determiners that stand alone as pronouns when no noun follows ("I like that").
const PRONOMINAL_DETERMINERS: [&str; 12] = [
    "this", "that", "these", "those", "both", "each", "either", "neither", "some", "any",
    "another", "none",
];

/// Subject pronouns and the like that open a clause.
fn opens_clause(penn_next: &str) -> bool {
    matches!(penn_next, "PRP" | "EX" | "NNP" | "DT" | "NNS" | "WP")
}

/// Whether a noun phrase continues after a determiner.
fn nominal(penn_next: &str) -> bool {
    matches!(
        penn_next,
        "NN" | "NNS" | "NNP" | "NNPS" | "JJ" | "JJR" | "JJS" | "CD" | "DT" | "PRP$" | "VBG" | "RBS"
    )
}

/// Indefinite pronouns that Penn tags NN ("something"); UD tags them PRON.
const INDEFINITE: [&str; 12] = [
    "something",
    "anything",
    "nothing",
    "everything",
    "someone",
    "anyone",
    "everyone",
    "noone",
    "somebody",
    "anybody",
    "nobody",
    "everybody",
];

/// The universal tag of `word`, tagged `penn`, between words tagged `prev` and `next` (""
/// at the sentence's edges).
pub fn map(word: &str, penn: &str, prev: &str, next: &str) -> P {
    let lower = word.to_lowercase();
    let lower = lower.as_str();
    if let Some(tag) = by_word(lower, penn, prev) {
        return tag;
    }
    match penn {
        "CC" => P::Cconj,
        "CD" | "LS" => P::Num,
        "DT" if PRONOMINAL_DETERMINERS.contains(&lower) && !nominal(next) => P::Pron,
        "DT" | "PDT" => P::Det,
        "EX" | "PRP" | "PRP$" | "WP" | "WP$" => P::Pron,
        "FW" => P::O,
        // A preposition before a gerund heads a clause: "for doing", "about leaving".
        "IN" if next == "VBG" => P::Sconj,
        "IN" if SUBORDINATORS.contains(&lower) => P::Sconj,
        "IN" if CLAUSE_OR_PHRASE.contains(&lower) && opens_clause(next) => P::Sconj,
        "IN" | "RP" => P::Adp,
        "JJ" | "JJR" | "JJS" => P::Adj,
        "MD" => P::Verb,
        "NN" | "NNS" => P::Noun,
        "NNP" | "NNPS" | "NP" | "NPS" => P::Propn,
        "POS" => P::Part,
        "RB" | "RBR" | "RBS" if matches!(lower, "not" | "n't") => P::Part,
        "RB" | "RBR" | "RBS" | "WRB" => P::Adv,
        "SYM" | "$" | "#" => P::Sym,
        "TO" if next.starts_with("VB") || next == "RB" => P::Part,
        "TO" => P::Adp,
        "UH" => P::Intj,
        "WDT" if nominal(next) => P::Det,
        "WDT" => P::Pron,
        p if p.starts_with("VB") => P::Verb,
        _ => by_shape(word),
    }
}

/// Words whose universal tag the Penn tag does not decide.
fn by_word(lower: &str, penn: &str, prev: &str) -> Option<P> {
    Some(match lower {
        "not" | "n't" | "nt" => P::Part,
        "please" => P::Intj,
        "etc" | "am" | "pm" if penn != "VBP" => P::Noun,
        // Relative "that" after a noun: "the book that I read".
        "that" if matches!(prev, "NN" | "NNS" | "NNP" | "NNPS") => P::Pron,
        w if INDEFINITE.contains(&w) => P::Pron,
        _ => return None,
    })
}

/// The tag of a token by its characters alone: punctuation, symbols, numbers, else O.
pub fn by_shape(word: &str) -> P {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return P::O;
    };
    if word
        .chars()
        .all(|c| c.is_ascii_punctuation() || is_general_punctuation(c))
    {
        return match first {
            '$' | '%' | '+' | '=' | '#' | '^' | '|' | '~' | '@' | '/' => P::Sym,
            // Emoticons: ":)", ";-(".
            ':' | ';' if word.chars().count() > 1 => P::Sym,
            '&' => P::Cconj,
            _ => P::Punct,
        };
    }
    if word.chars().any(char::is_numeric) && !word.chars().any(char::is_alphabetic) {
        return P::Num;
    }
    if !word.chars().any(char::is_alphanumeric) {
        // Currency signs, emoji, arrows, maths.
        return P::Sym;
    }
    P::O
}

/// Punctuation outside ASCII: quotes, dashes, ellipsis, inverted marks, CJK full stops.
fn is_general_punctuation(c: char) -> bool {
    matches!(c as u32, 0x2010..=0x2027 | 0x2030..=0x205E | 0x3000..=0x303F | 0xFF01..=0xFF0F)
        || matches!(c, '¡' | '¿' | '«' | '»' | '·' | '§' | '¶')
}
