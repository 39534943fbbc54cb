//! Text → tokens for VADER's rules: words between spaces (with emoticons kept whole and emoji
//! read as their English description, as VADER does), or a longest match of lexicon entries
//! over characters for the scripts that write no spaces between words.
//!
//! Written by hand: the segmentation needed is driven by this lexicon (an entry, a function
//! word, or filler), which a general-purpose tokenizer crate would not know about.

use super::lexicon::{Function, Vocabulary, emoji, english, normalise};
use super::rules::Segmentation;
use crate::Language;

/// One token as the rules read it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Token {
    /// The normalised word (empty for filler between CJK entries).
    pub text: String,
    /// Its lexicon valence, if it has one.
    pub valence: Option<f32>,
    /// What it does to its neighbours, if it is a function word.
    pub function: Function,
    /// Written in capitals ("GREAT"), VADER's emphasis cue.
    pub shouted: bool,
    /// Followed by punctuation that closes a clause.
    pub clause_end: bool,
}

impl Token {
    /// A function word, whatever valence its spelling also has.
    pub fn is_function(&self) -> bool {
        self.function != Function::default()
    }
}

/// Characters after which a clause ends.
fn closes_clause(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '。'
            | '，'
            | '！'
            | '？'
            | '、'
            | '；'
            | '।'
            | '؟'
            | '،'
            | '…'
    )
}

/// The tokens of `text` in `vocabulary`'s language.
pub(crate) fn tokenize(text: &str, vocabulary: &Vocabulary) -> Vec<Token> {
    let mut out = Vec::new();
    for piece in pieces(text) {
        match piece {
            Piece::Text(s) => match vocabulary.rules.segmentation {
                Segmentation::Words => words(s, vocabulary, &mut out),
                Segmentation::Characters { spaced } => characters(s, vocabulary, spaced, &mut out),
            },
            Piece::Emoji(description) => out.extend(description.split(' ').map(|w| {
                let text = w.to_lowercase();
                let valence = english(&text);
                Token {
                    text,
                    valence,
                    ..Token::default()
                }
            })),
        }
    }
    out
}

enum Piece<'a> {
    Text(&'a str),
    Emoji(&'static str),
}

/// `text` cut around the emoji of VADER's emoji table.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    if text.is_ascii() {
        return vec![Piece::Text(text)];
    }
    let (table, longest) = emoji();
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices();
    while let Some((at, c)) = iter.next() {
        if c.is_ascii() || c.is_alphanumeric() {
            continue;
        }
        let ends = text[at..].char_indices().skip(1).map(|(i, _)| at + i);
        let ends: Vec<usize> = ends.take(*longest).chain([text.len()]).collect();
        let found = ends.iter().take(*longest).rev().find_map(|end| {
            let description = table.get(&text[at..*end])?;
            Some((*end, *description))
        });
        if let Some((end, description)) = found {
            out.push(Piece::Text(&text[start..at]));
            out.push(Piece::Emoji(description));
            start = end;
            // Skip the emoji's remaining characters.
            while iter.clone().next().is_some_and(|(i, _)| i < end) {
                iter.next();
            }
        }
    }
    out.push(Piece::Text(&text[start..]));
    out
}

/// Words between spaces, with multi-word entries ("kind of", "un poco") joined.
fn words(text: &str, vocabulary: &Vocabulary, out: &mut Vec<Token>) {
    let mut raw: Vec<Token> = Vec::new();
    for word in text.split_whitespace() {
        for part in elided(word, vocabulary) {
            push_word(part, vocabulary, &mut raw);
        }
    }
    let mut i = 0;
    while i < raw.len() {
        let span = phrase_at(&raw, i, vocabulary).unwrap_or(1);
        let mut token = if span == 1 {
            std::mem::take(&mut raw[i])
        } else {
            let text: Vec<&str> = raw[i..i + span].iter().map(|t| t.text.as_str()).collect();
            Token {
                text: text.join(" "),
                shouted: raw[i].shouted,
                clause_end: raw[i + span - 1].clause_end,
                ..Token::default()
            }
        };
        if token.valence.is_none() {
            resolve(&mut token, vocabulary);
        }
        out.push(token);
        i += span;
    }
}

/// How many words from `i` make a multi-word entry (2 or 3), if any.
fn phrase_at(raw: &[Token], i: usize, vocabulary: &Vocabulary) -> Option<usize> {
    if !vocabulary.starts_phrase(&raw[i].text) {
        return None;
    }
    (2..=3).rev().find(|span| {
        let Some(words) = raw.get(i..i + span) else {
            return false;
        };
        if words[..span - 1].iter().any(|t| t.clause_end) {
            return false;
        }
        let joined: Vec<&str> = words.iter().map(|t| t.text.as_str()).collect();
        vocabulary.contains(&joined.join(" "))
    })
}

/// The valence and function of a token's word.
fn resolve(token: &mut Token, vocabulary: &Vocabulary) {
    token.function = vocabulary.function(&token.text).unwrap_or_default();
    if vocabulary.language == Language::En && token.text.contains("n't") {
        token.function.negator = true;
    }
    token.valence = vocabulary.valence(&token.text);
}

/// French and Italian elision: "n'est" reads as "n'" and "est".
fn elided<'a>(word: &'a str, vocabulary: &Vocabulary) -> Vec<&'a str> {
    if let (true, Some(at)) = (vocabulary.rules.split_elision, word.find(['\'', '’'])) {
        let apostrophe = word[at..].chars().next().map_or(1, char::len_utf8);
        let (head, tail) = word.split_at(at + apostrophe);
        if (2..=4).contains(&head.chars().count()) && !tail.is_empty() {
            return vec![head, tail];
        }
    }
    vec![word]
}

/// One space-delimited word: an emoticon kept whole, else the word without its surrounding
/// punctuation. Punctuation alone only closes the previous token's clause.
fn push_word(word: &str, vocabulary: &Vocabulary, out: &mut Vec<Token>) {
    let clause_end = word
        .chars()
        .rev()
        .take_while(|c| !c.is_alphanumeric())
        .any(closes_clause);
    let lower = normalise(vocabulary.language, word);
    let emoticon = !lower.chars().all(|c| c.is_alphanumeric() || c == '\'');
    if let Some(valence) = emoticon.then(|| english(&lower)).flatten() {
        out.push(Token {
            text: lower,
            valence: Some(valence),
            clause_end,
            ..Token::default()
        });
        return;
    }
    let elision = lower.ends_with('\'') && lower.chars().count() <= 4;
    let stripped = if elision {
        lower.as_str()
    } else {
        lower.trim_matches(|c: char| !c.is_alphanumeric())
    };
    if stripped.is_empty() {
        if let (true, Some(last)) = (clause_end, out.last_mut()) {
            last.clause_end = true;
        }
        return;
    }
    let text = if stripped.len() == lower.len() {
        lower
    } else {
        stripped.to_string()
    };
    let (upper, lower) = word.chars().fold((false, false), |(u, l), c| {
        (u || c.is_uppercase(), l || c.is_lowercase())
    });
    out.push(Token {
        text,
        shouted: upper && !lower,
        clause_end,
        ..Token::default()
    });
}

/// Longest match of the vocabulary's entries over characters; runs of other characters
/// become filler tokens of two characters (about a word of Chinese or Japanese), so the
/// neutral share of a text still grows with its length.
fn characters(text: &str, vocabulary: &Vocabulary, spaced: bool, out: &mut Vec<Token>) {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let mut filler = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_alphanumeric() {
            flush(&mut filler, out);
            if let (true, Some(last)) = (closes_clause(c), out.last_mut()) {
                last.clause_end = true;
            }
            i += 1;
            continue;
        }
        match longest_match(text, &bounds, &chars, i, vocabulary, spaced) {
            Some((len, token)) => {
                flush(&mut filler, out);
                out.push(token);
                i += len;
            }
            None => {
                filler += 1;
                if filler == 2 {
                    flush(&mut filler, out);
                }
                i += 1;
            }
        }
    }
    flush(&mut filler, out);
}

fn flush(filler: &mut usize, out: &mut Vec<Token>) {
    if *filler > 0 {
        out.push(Token::default());
        *filler = 0;
    }
}

/// The longest entry starting at character `i`, with its length in characters. In a spaced
/// script a negator ("안") counts only as a word of its own, not inside another word.
fn longest_match(
    text: &str,
    bounds: &[usize],
    chars: &[char],
    i: usize,
    vocabulary: &Vocabulary,
    spaced: bool,
) -> Option<(usize, Token)> {
    let longest = vocabulary.max_chars.min(chars.len() - i);
    let is_edge = |at: usize| chars.get(at).is_none_or(|c| !c.is_alphanumeric());
    (1..=longest).rev().find_map(|len| {
        let key = &text[bounds[i]..bounds[i + len]];
        let valence = vocabulary.exact_valence(key);
        let function = vocabulary.function(key).unwrap_or_default();
        if valence.is_none() && function == Function::default() {
            return None;
        }
        let standalone = (i == 0 || is_edge(i - 1)) && is_edge(i + len);
        if spaced && function.negator && valence.is_none() && !standalone {
            return None;
        }
        let token = Token {
            text: key.to_string(),
            valence,
            function,
            ..Token::default()
        };
        Some((len, token))
    })
}
