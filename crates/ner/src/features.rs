//! Token attributes (the observation side of the tagger): word, lower case, word shape and
//! short shape, prefixes and suffixes of 1–4 characters, case/digit/hyphen flags, lower case
//! and shape of the neighbours at ±1 and ±2 (or a begin/end-of-sequence marker), the word
//! bigrams around the token, and the gazetteer tag of the token and its neighbours.
//!
//! Attributes are 64-bit FNV-1a hashes of a kind byte and the attribute's strings, so nothing
//! is formatted or allocated per attribute; the trainer interns the hashes it sees (see
//! the `crf` module) and ignores unseen ones at prediction time. FNV-1a is written out here so
//! that a model file keeps its meaning in every future build.

use crate::tokenize::Token;

/// The gazetteer tag of one token: inside a match of `entity_type`, at its start or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazTag {
    /// The match starts at this token.
    pub begin: bool,
    /// Index of the entity type.
    pub entity_type: u16,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn hash(kind: u8, parts: &[&[u8]]) -> u64 {
    let mut h = FNV_OFFSET;
    let mut eat = |b: u8| {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    };
    eat(kind);
    for part in parts {
        eat(0xff);
        part.iter().for_each(|&b| eat(b));
    }
    h
}

/// `Xxxx`-style shape with runs longer than two shortened to two (`Xxx`, `dd.dd`, `X.X`).
fn shape(word: &str, max_run: usize) -> String {
    let mut out = String::with_capacity(word.len());
    let (mut last, mut run) = ('\0', 0);
    for c in word.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        run = if s == last { run + 1 } else { 1 };
        last = s;
        if run <= max_run {
            out.push(s);
        }
    }
    out
}

/// A token's text with its lower case and shape, computed once.
pub(crate) struct Word<'a> {
    text: &'a str,
    lower: String,
    shape: String,
}

impl<'a> Word<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Word {
            text,
            lower: text.to_lowercase(),
            shape: shape(text, 2),
        }
    }
}

/// The neighbour offsets described by [`neighbour_attributes`], in slot order.
pub(crate) const OFFSETS: [isize; 4] = [-2, -1, 1, 2];

/// Appends the attributes of every token of `text` to `attrs`, and the end of each token's
/// attributes to `ends` (so token `i` has `attrs[ends[i-1]..ends[i]]`). `gaz` holds one tag
/// per token.
pub fn extract(
    text: &str,
    tokens: &[Token],
    gaz: &[Option<GazTag>],
    attrs: &mut Vec<u64>,
    ends: &mut Vec<u32>,
) {
    let words: Vec<Word<'_>> = tokens.iter().map(|t| Word::new(t.text(text))).collect();
    for i in 0..words.len() {
        own_attributes(&words[i], attrs);
        for (slot, &d) in OFFSETS.iter().enumerate() {
            if let Some(j) = i.checked_add_signed(d).filter(|&j| j < words.len()) {
                attrs.extend(neighbour_attributes(&words[j], slot));
            }
        }
        context_attributes(&words, gaz, i, attrs);
        ends.push(attrs.len() as u32);
    }
}

/// The attributes a word has wherever it occurs: bias, word, lower case, shapes, affixes and
/// flags. (Training stores them once per distinct word.)
pub(crate) fn own_attributes(w: &Word<'_>, out: &mut Vec<u64>) {
    out.push(hash(0, &[]));
    out.push(hash(1, &[w.text.as_bytes()]));
    out.push(hash(2, &[w.lower.as_bytes()]));
    out.push(hash(3, &[w.shape.as_bytes()]));
    out.push(hash(4, &[shape(w.text, 1).as_bytes()]));
    affixes(w.text, out);
    let flags = [
        is_title(w.text),
        w.text.chars().all(char::is_uppercase),
        w.text.chars().all(char::is_numeric),
        w.text.chars().any(char::is_numeric),
        w.text.contains('-'),
    ];
    for (k, &flag) in flags.iter().enumerate() {
        out.push(hash(13, &[&[k as u8, u8::from(flag)]]));
    }
}

/// What word `w` contributes to a token at `OFFSETS[slot]` from it: its lower case and shape.
pub(crate) fn neighbour_attributes(w: &Word<'_>, slot: usize) -> [u64; 2] {
    let dk = (OFFSETS[slot] + 2) as u8;
    [
        hash(20 + dk, &[w.lower.as_bytes()]),
        hash(30 + dk, &[w.shape.as_bytes()]),
    ]
}

/// The attributes that depend on a token's position: begin/end-of-sequence markers where a
/// neighbour is missing, the bigrams with its neighbours, the gazetteer tags.
pub(crate) fn context_attributes(
    words: &[Word<'_>],
    gaz: &[Option<GazTag>],
    i: usize,
    out: &mut Vec<u64>,
) {
    for &d in &OFFSETS {
        if i.checked_add_signed(d)
            .filter(|&j| j < words.len())
            .is_none()
        {
            out.push(hash(40 + (d + 2) as u8, &[]));
        }
    }
    let w = &words[i];
    if i > 0 {
        out.push(hash(
            50,
            &[words[i - 1].lower.as_bytes(), w.lower.as_bytes()],
        ));
    }
    if i + 1 < words.len() {
        out.push(hash(
            51,
            &[w.lower.as_bytes(), words[i + 1].lower.as_bytes()],
        ));
    }
    gazetteer_attributes(gaz, i, out);
}

fn affixes(word: &str, out: &mut Vec<u64>) {
    let n = word.chars().count();
    for len in 1..=4usize.min(n) {
        let prefix_end = word.char_indices().nth(len).map_or(word.len(), |(b, _)| b);
        let suffix_start = word.char_indices().nth(n - len).map_or(0, |(b, _)| b);
        out.push(hash(4 + len as u8, &[&word.as_bytes()[..prefix_end]]));
        out.push(hash(8 + len as u8, &[&word.as_bytes()[suffix_start..]]));
    }
}

fn is_title(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.all(|c| !c.is_uppercase())
}

fn gazetteer_attributes(gaz: &[Option<GazTag>], i: usize, out: &mut Vec<u64>) {
    for (kind, d) in [(60u8, 0isize), (61, -1), (62, 1)] {
        let tag = i
            .checked_add_signed(d)
            .and_then(|j| gaz.get(j).copied().flatten());
        if let Some(tag) = tag {
            let t = tag.entity_type.to_le_bytes();
            out.push(hash(kind, &[&[u8::from(tag.begin)], &t]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("Washington", 2), "Xxx");
        assert_eq!(shape("U.S", 2), "X.X");
        assert_eq!(shape("1999", 2), "dd");
        assert_eq!(shape("McDonald", 1), "XxXx");
    }

    #[test]
    fn hashes_are_stable() {
        // The model file depends on these values: they must never change.
        assert_eq!(hash(0, &[]), 0xaf63_bd4c_8601_b7df);
        assert_ne!(hash(1, &[b"ab"]), hash(1, &[b"a", b"b"]));
    }
}
