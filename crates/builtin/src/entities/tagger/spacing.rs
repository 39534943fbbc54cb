//! The text as the tagger was trained to read it. wikigold writes a possessive apart
//! ("Amazon 's"), and comprehend-ner's tokenizer keeps an inner apostrophe inside a word
//! ("Amazon's" is one token), so the tagger would see a word it never learned. A space is put
//! before each possessive `'s` (a typographic `’` becomes `'`), and offsets are mapped back.

/// The spaced text and, for each of its code points, the byte offset of the original code
/// point it came from.
pub(super) struct Spaced<'a> {
    original: &'a str,
    spaced: Option<String>,
    origin: Vec<usize>,
}

impl<'a> Spaced<'a> {
    pub(super) fn new(text: &'a str) -> Spaced<'a> {
        if !text.contains(['\'', '’']) {
            return Spaced {
                original: text,
                spaced: None,
                origin: text.char_indices().map(|(b, _)| b).collect(),
            };
        }
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut spaced = String::with_capacity(text.len() + 8);
        let mut origin = Vec::with_capacity(chars.len() + 8);
        for (i, &(byte, c)) in chars.iter().enumerate() {
            let apostrophe = c == '\'' || c == '’';
            if apostrophe && is_possessive(&chars, i) {
                spaced.push(' ');
                origin.push(byte);
                spaced.push('\'');
            } else {
                spaced.push(c);
            }
            origin.push(byte);
        }
        Spaced {
            original: text,
            spaced: Some(spaced),
            origin,
        }
    }

    /// The text the tagger reads.
    pub(super) fn text(&self) -> &str {
        self.spaced.as_deref().unwrap_or(self.original)
    }

    /// The byte span of the original text of code points `begin..end` of [`Self::text`].
    pub(super) fn original(&self, begin: usize, end: usize) -> Option<(usize, usize)> {
        if begin >= end {
            return None;
        }
        let start = *self.origin.get(begin)?;
        let last = *self.origin.get(end - 1)?;
        let width = self.original.get(last..)?.chars().next()?.len_utf8();
        Some((start, last + width))
    }
}

/// An apostrophe between a letter or digit and an `s` that ends the word.
fn is_possessive(chars: &[(usize, char)], i: usize) -> bool {
    let before = i.checked_sub(1).map(|j| chars[j].1);
    let s = chars.get(i + 1).map(|c| c.1);
    let after = chars.get(i + 2).map(|c| c.1);
    before.is_some_and(char::is_alphanumeric)
        && matches!(s, Some('s' | 'S'))
        && !after.is_some_and(char::is_alphanumeric)
}
