//! The tokenizer: runs of word characters (letters, digits, `_`) joined by single inner `-`,
//! `'`, `’` or `.` (so `2-track`, `O'Brien`, `U.S` stay whole), and every other non-space
//! character alone — the token pattern `\w+(?:[-'’.]\w+)*|[^\w\s]` of the classical CRF NER
//! feature sets. Offsets are kept in code points (what the API speaks) and in bytes (for
//! slicing and for the gazetteer matcher).

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// First code point.
    pub begin: usize,
    /// One past the last code point.
    pub end: usize,
    /// First byte.
    pub byte_begin: usize,
    /// One past the last byte.
    pub byte_end: usize,
}

impl Token {
    /// The token's text in `text` (the string it was cut from).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.byte_begin..self.byte_end]
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '.')
}

/// Tokenizes `text`.
pub fn tokenize(text: &str) -> Vec<Token> {
    tokenize_with_cuts(text, &[])
}

/// Tokenizes `text` and splits tokens at the given code-point positions (sorted), so that
/// annotations that begin or end inside a token still fall on token boundaries.
pub fn tokenize_with_cuts(text: &str, cuts: &[usize]) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut out = Vec::new();
    let mut push = |begin: usize, end: usize| {
        let lo = cuts.partition_point(|&c| c <= begin);
        let hi = cuts.partition_point(|&c| c < end);
        let mut start = begin;
        for &cut in &cuts[lo..hi] {
            out.push((start, cut));
            start = cut;
        }
        out.push((start, end));
    };
    let n = chars.len();
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
        } else if is_word(c) {
            let mut j = word_run(&chars, i);
            while j + 1 < n && is_joiner(chars[j].1) && is_word(chars[j + 1].1) {
                j = word_run(&chars, j + 1);
            }
            push(i, j);
            i = j;
        } else {
            push(i, i + 1);
            i += 1;
        }
    }
    out.into_iter()
        .map(|(begin, end)| Token {
            begin,
            end,
            byte_begin: byte_at(begin),
            byte_end: byte_at(end),
        })
        .collect()
}

fn word_run(chars: &[(usize, char)], mut j: usize) -> usize {
    while j < chars.len() && is_word(chars[j].1) {
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words<'a>(text: &'a str, cuts: &[usize]) -> Vec<&'a str> {
        tokenize_with_cuts(text, cuts)
            .iter()
            .map(|t| t.text(text))
            .collect()
    }

    #[test]
    fn words_joiners_and_punctuation() {
        assert_eq!(
            words("O'Brien's 2-track car (U.S.), ok", &[]),
            [
                "O'Brien's",
                "2-track",
                "car",
                "(",
                "U.S",
                ".",
                ")",
                ",",
                "ok"
            ]
        );
    }

    #[test]
    fn offsets_are_code_points() {
        let text = "😀 é Zoë";
        let toks = tokenize(text);
        assert_eq!((toks[2].begin, toks[2].end), (4, 7));
        assert_eq!(toks[2].text(text), "Zoë");
    }

    #[test]
    fn cuts_split_inside_tokens() {
        assert_eq!(
            words("Smithsonian-based", &[5, 11]),
            ["Smith", "sonian", "-based"]
        );
    }
}
