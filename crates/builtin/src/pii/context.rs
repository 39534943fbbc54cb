//! Context words: the labels people write next to a value ("PIN", "routing number",
//! "contraseña") that tell a 4-digit PIN from any other 4-digit number.

/// A match and the lowercased text around it (ASCII lowercasing, so offsets agree).
pub(super) struct Window<'a> {
    pub lower: &'a str,
    pub start: usize,
    pub end: usize,
}

/// How far before a match a label may stand (bytes): "my driver's license number is".
const BEFORE: usize = 48;
/// How far after (bytes), for boosting only: "4111 1111 1111 1111 (Visa)".
const AFTER: usize = 24;

/// Whether one of `words` labels the match. With `strict`, the word must come before the
/// match with no digit in between, so in "PIN 1234 and CVV 567" the PIN's label does not
/// also claim 567; otherwise it may stand anywhere near.
pub(super) fn has_context(window: &Window<'_>, words: &[&str], strict: bool) -> bool {
    let from = floor_boundary(window.lower, window.start.saturating_sub(BEFORE));
    let before = &window.lower[from..window.start];
    let found_before = words.iter().any(|w| match last_word(before, w) {
        Some(end) => !strict || !before[end..].bytes().any(|b| b.is_ascii_digit()),
        None => false,
    });
    if found_before || strict {
        return found_before;
    }
    let to = ceil_boundary(window.lower, window.end + AFTER);
    let after = &window.lower[window.end..to];
    words.iter().any(|w| last_word(after, w).is_some())
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
