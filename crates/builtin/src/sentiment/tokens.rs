//! Text → tokens for VADER's rules: words between spaces (with emoticons kept whole and emoji
//! read as their English description, as VADER does), or a longest match of lexicon entries
//! over characters for the scripts that write no spaces between words.
//!
//! Written by hand: the segmentation needed is driven by this lexicon (an entry, a function
//! word, or filler), which a general-purpose tokenizer crate would not know about.

use std::borrow::Cow;

use super::lexicon::{Function, Vocabulary, emoji, english, normalise};
use super::rules::Segmentation;
use crate::Language;

/// One token as the rules read it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Token<'a> {
    /// The normalised word (empty for filler between CJK entries).
    /// Borrowed from the input where it is already in normal form (most words).
    pub text: Cow<'a, str>,
    /// Its lexicon valence, if it has one.
    pub valence: Option<f32>,
    /// What it does to its neighbours, if it is a function word.
    pub function: Function,
    /// Written in capitals ("GREAT"), VADER's emphasis cue.
    pub shouted: bool,
    /// Has cased letters (capitals are emphasis only where other words are not in them).
    pub cased: bool,
    /// Followed by punctuation that closes a clause.
    pub clause_end: bool,
}

impl Token<'_> {
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
pub(crate) fn tokenize<'a>(text: &'a str, vocabulary: &Vocabulary) -> Vec<Token<'a>> {
    let mut out = Vec::with_capacity(text.len() / 4);
    if text.is_ascii() && vocabulary.rules.segmentation == Segmentation::Words {
        words(text, vocabulary, &mut out);
        return out;
    }
    for piece in pieces(text) {
        match piece {
            Piece::Text(s) => match vocabulary.rules.segmentation {
                Segmentation::Words => words(s, vocabulary, &mut out),
                Segmentation::Characters { spaced } => characters(s, vocabulary, spaced, &mut out),
            },
            Piece::Emoji(description) => out.extend(description.split(' ').map(|w| {
                let text = Cow::Owned(w.to_lowercase());
                let valence = english(&text);
                Token {
                    text,
                    valence,
                    cased: true,
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
fn words<'a>(text: &'a str, vocabulary: &Vocabulary, out: &mut Vec<Token<'a>>) {
    let first = out.len();
    let mut phrases = false;
    for word in text.split_whitespace() {
        let (head, tail) = elided(word, vocabulary);
        phrases |= push_word(head, vocabulary, out);
        if let Some(tail) = tail {
            phrases |= push_word(tail, vocabulary, out);
        }
    }
    if phrases {
        join_phrases(first, vocabulary, out);
    }
}

/// Joins the words from `first` on that make a multi-word entry into one token.
fn join_phrases<'a>(first: usize, vocabulary: &Vocabulary, out: &mut Vec<Token<'a>>) {
    let mut raw: Vec<Token<'a>> = out.drain(first..).collect();
    let mut i = 0;
    while i < raw.len() {
        let head = vocabulary
            .entry(&raw[i].text)
            .is_some_and(|e| e.starts_phrase);
        let span = match head {
            true => phrase_at(&raw, i, vocabulary).unwrap_or(1),
            false => 1,
        };
        if span == 1 {
            out.push(std::mem::take(&mut raw[i]));
        } else {
            let text: Vec<&str> = raw[i..i + span].iter().map(|t| t.text.as_ref()).collect();
            let mut token = Token {
                text: Cow::Owned(text.join(" ")),
                shouted: raw[i].shouted,
                cased: raw[i].cased,
                clause_end: raw[i + span - 1].clause_end,
                ..Token::default()
            };
            resolve(&mut token, vocabulary);
            out.push(token);
        }
        i += span;
    }
}

/// How many words from `i` make a multi-word entry (2 or 3), if any.
fn phrase_at(raw: &[Token<'_>], i: usize, vocabulary: &Vocabulary) -> Option<usize> {
    (2..=3).rev().find(|span| {
        let Some(words) = raw.get(i..i + span) else {
            return false;
        };
        if words[..span - 1].iter().any(|t| t.clause_end) {
            return false;
        }
        let joined: Vec<&str> = words.iter().map(|t| t.text.as_ref()).collect();
        vocabulary.contains(&joined.join(" "))
    })
}

/// The valence and function of a token's word; whether it may start a multi-word entry.
fn resolve(token: &mut Token<'_>, vocabulary: &Vocabulary) -> bool {
    let entry = vocabulary.entry(&token.text).copied().unwrap_or_default();
    token.function = entry.function;
    if vocabulary.language == Language::En && token.text.contains("n't") {
        token.function.negator = true;
    }
    token.valence = entry
        .valence
        .or_else(|| vocabulary.hidden_valence(&token.text));
    entry.starts_phrase
}

/// French and Italian elision: "n'est" reads as "n'" and "est".
fn elided<'a>(word: &'a str, vocabulary: &Vocabulary) -> (&'a str, Option<&'a str>) {
    if let (true, Some(at)) = (vocabulary.rules.split_elision, word.find(['\'', '’'])) {
        let apostrophe = word[at..].chars().next().map_or(1, char::len_utf8);
        let (head, tail) = word.split_at(at + apostrophe);
        if (2..=4).contains(&head.chars().count()) && !tail.is_empty() {
            return (head, Some(tail));
        }
    }
    (word, None)
}

/// One space-delimited word: an emoticon kept whole, else the word without its surrounding
/// punctuation, resolved. Punctuation alone only closes the previous token's clause.
/// Returns whether the word may start a multi-word entry.
fn push_word<'a>(word: &'a str, vocabulary: &Vocabulary, out: &mut Vec<Token<'a>>) -> bool {
    let clause_end = word
        .chars()
        .rev()
        .take_while(|c| !c.is_alphanumeric())
        .any(closes_clause);
    // One pass for the word's shape: its case, and whether it holds more than letters,
    // digits and apostrophes (then it may be an emoticon, ":-)").
    let (mut upper, mut lower, mut symbols) = (false, false, false);
    for c in word.chars() {
        upper |= c.is_uppercase();
        lower |= c.is_lowercase();
        symbols |= !(c.is_alphanumeric() || c == '\'');
    }
    let normal = normal_form(vocabulary.language, word);
    if let Some(valence) = symbols.then(|| english(&normal)).flatten() {
        out.push(Token {
            text: normal,
            valence: Some(valence),
            clause_end,
            ..Token::default()
        });
        return false;
    }
    let text = if symbols {
        without_punctuation(normal)
    } else {
        normal
    };
    if text.is_empty() {
        if let (true, Some(last)) = (clause_end, out.last_mut()) {
            last.clause_end = true;
        }
        return false;
    }
    let mut token = Token {
        text,
        cased: upper || lower,
        shouted: upper && !lower,
        clause_end,
        ..Token::default()
    };
    let starts_phrase = resolve(&mut token, vocabulary);
    out.push(token);
    starts_phrase
}

/// `word` in normal form, borrowed when it already is (lower-case ASCII, most words).
fn normal_form(language: Language, word: &str) -> Cow<'_, str> {
    if word
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(normalise(language, word))
    }
}

/// A word without its surrounding punctuation; an elided article ("l'", "n'") keeps its
/// apostrophe.
fn without_punctuation(word: Cow<'_, str>) -> Cow<'_, str> {
    if word.ends_with('\'') && word.chars().count() <= 4 {
        return word;
    }
    let trim = |w: &str| -> (usize, usize) {
        let punctuation = |c: char| !c.is_alphanumeric();
        let start = w.len() - w.trim_start_matches(punctuation).len();
        let end = w.trim_end_matches(punctuation).len().max(start);
        (start, end)
    };
    match word {
        Cow::Borrowed(w) => {
            let (start, end) = trim(w);
            Cow::Borrowed(&w[start..end])
        }
        Cow::Owned(w) => {
            let (start, end) = trim(&w);
            if start == 0 && end == w.len() {
                Cow::Owned(w)
            } else {
                Cow::Owned(w[start..end].to_string())
            }
        }
    }
}

/// Longest match of the vocabulary's entries over characters; runs of other characters
/// become filler tokens of two characters (about a word of Chinese or Japanese), so the
/// neutral share of a text still grows with its length.
fn characters<'a>(text: &'a str, vocabulary: &Vocabulary, spaced: bool, out: &mut Vec<Token<'a>>) {
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

fn flush(filler: &mut usize, out: &mut Vec<Token<'_>>) {
    if *filler > 0 {
        out.push(Token::default());
        *filler = 0;
    }
}

/// The longest entry starting at character `i`, with its length in characters. In a spaced
/// script a negator ("안") counts only as a word of its own, not inside another word.
fn longest_match<'a>(
    text: &'a str,
    bounds: &[usize],
    chars: &[char],
    i: usize,
    vocabulary: &Vocabulary,
    spaced: bool,
) -> Option<(usize, Token<'a>)> {
    let longest = vocabulary.max_chars.min(chars.len() - i);
    let is_edge = |at: usize| chars.get(at).is_none_or(|c| !c.is_alphanumeric());
    (1..=longest).rev().find_map(|len| {
        let key = &text[bounds[i]..bounds[i + len]];
        let entry = vocabulary.entry(key)?;
        let (valence, function) = (entry.valence, entry.function);
        if valence.is_none() && function == Function::default() {
            return None;
        }
        let standalone = (i == 0 || is_edge(i - 1)) && is_edge(i + len);
        if spaced && function.negator && valence.is_none() && !standalone {
            return None;
        }
        let token = Token {
            text: Cow::Borrowed(key),
            valence,
            function,
            ..Token::default()
        };
        Some((len, token))
    })
}
