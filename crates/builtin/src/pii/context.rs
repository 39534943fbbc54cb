//! Context words: the labels people write next to a value ("PIN", "routing number",
//! "contraseña") that tell a 4-digit PIN from any other 4-digit number.

/// A match, the text around it and its ASCII lowercasing (same offsets).
pub(super) struct Window<'a> {
    pub text: &'a str,
    pub lower: &'a str,
    pub start: usize,
    pub end: usize,
}

/// How far before a match a label may stand (bytes): "my driver's license number is".
const BEFORE: usize = 48;
/// How far after (bytes), for boosting only: "4111 1111 1111 1111 (Visa)".
const AFTER: usize = 24;

/// Whether one of `words` labels the match, in the same sentence. With `strict`, the word
/// must come before the match with no digit in between, so in "PIN 1234 and CVV 567" the
/// PIN's label does not also claim 567; otherwise it may stand anywhere near.
pub(super) fn has_context(window: &Window<'_>, words: &[&str], strict: bool) -> bool {
    let from = floor_boundary(window.lower, window.start.saturating_sub(BEFORE));
    let from = sentence_ends(&window.text[from..window.start])
        .last()
        .map_or(from, |i| from + i);
    let before = &window.lower[from..window.start];
    let found_before = words.iter().any(|w| match last_word(before, w) {
        Some(end) => !strict || !before[end..].bytes().any(|b| b.is_ascii_digit()),
        None => false,
    });
    if found_before || strict {
        return found_before;
    }
    let to = ceil_boundary(window.lower, window.end + AFTER);
    let to = sentence_ends(&window.text[window.end..to])
        .next()
        .map_or(to, |i| window.end + i);
    let after = &window.lower[window.end..to];
    words.iter().any(|w| last_word(after, w).is_some())
}

/// Where sentences end in `text` (the byte after the break): a newline, or `.`, `!` or `?`
/// then spaces then what may open a sentence (a capital, an emoji: "…the account. Please
/// charge…"), not a digit or a lower-case word ("Exp. 12/26", "e.g. this").
fn sentence_ends(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    (0..bytes.len()).filter_map(move |i| match bytes[i] {
        b'\n' => Some(i + 1),
        b'.' | b'!' | b'?' => {
            let rest = &text[i + 1..];
            let next = rest.trim_start();
            let spaced = next.len() < rest.len();
            let opens = next
                .chars()
                .next()
                .is_some_and(|c| !c.is_lowercase() && !c.is_numeric());
            (spaced && opens).then_some(i + 1)
        }
        _ => None,
    })
}

/// The end of the last whole-word occurrence of `word` in `hay`.
fn last_word(hay: &str, word: &str) -> Option<usize> {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    hay.rmatch_indices(word)
        .map(|(at, w)| (at, at + w.len()))
        .find_map(|(start, end)| {
            let before = hay[..start].chars().next_back();
            let after = hay[end..].chars().next();
            (!is_word(before) && !is_word(after)).then_some(end)
        })
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}
