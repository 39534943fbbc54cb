//! The tokenizer: scikit-learn's default `token_pattern` `(?u)\b\w\w+\b` applied to the
//! lowercased text, without a regex.
//!
//! `\b\w\w+\b` matches exactly the maximal runs of two or more word characters, so a single pass
//! over the characters finds them. A word character is what Rust calls alphanumeric, or `_`,
//! which is Python's `str.isalnum()` plus `_` except for rare combining marks. Lowercasing is
//! done per character (scikit-learn lowercases the whole text first; the two differ only where
//! lowercasing turns a word character into a non-word one, like `İ` → `i̇`).

/// Calls `f` with every token of `text`, lowercased, in order. `buf` is scratch space reused
/// between calls so that tokenizing allocates nothing.
#[inline]
pub fn for_each_token(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    buf.clear();
    let mut chars = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let is_word = if b < 0x80 {
            i += 1;
            if b.is_ascii_alphanumeric() || b == b'_' {
                buf.push(b.to_ascii_lowercase() as char);
                chars += 1;
                true
            } else {
                false
            }
        } else {
            // Multi-byte character: decode it (slow path, rare in English text).
            let c = text[i..].chars().next().expect("inside the string");
            i += c.len_utf8();
            if c.is_alphanumeric() {
                for lower in c.to_lowercase() {
                    buf.push(lower);
                    chars += 1;
                }
                true
            } else {
                false
            }
        };
        if !is_word && !buf.is_empty() {
            if chars >= 2 {
                f(buf);
            }
            buf.clear();
            chars = 0;
        }
    }
    if chars >= 2 {
        f(buf);
    }
    buf.clear();
}

/// The tokens of `text` as owned strings (convenient in tests; training uses [`for_each_token`]).
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut buf = String::new();
    for_each_token(text, &mut buf, |t| out.push(t.to_owned()));
    out
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    #[test]
    fn matches_sklearn_default_pattern() {
        // Expected lists from sklearn's CountVectorizer().build_analyzer() on the same strings.
        assert_eq!(
            tokenize("Hello, World! a b2 I'm x_y 42"),
            ["hello", "world", "b2", "x_y", "42"]
        );
        assert_eq!(
            tokenize("Ça va? Übergröße—naïve café"),
            ["ça", "va", "übergröße", "naïve", "café"]
        );
        assert_eq!(tokenize("東京 タワー"), ["東京", "タワー"]);
        assert_eq!(tokenize(""), Vec::<String>::new());
        assert_eq!(tokenize("--a--"), Vec::<String>::new());
    }
}
