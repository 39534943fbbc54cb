//! Simplified (`zh`) or traditional (`zh-TW`) Chinese, told apart by the characters that
//! exist in only one of the two forms. The lists come from OpenCC's character dictionaries
//! (Apache-2.0; `data/language/extract_variants.py` says how): a character whose conversion
//! always changes it belongs to one form only. Characters common to both forms (我, 人, 天)
//! are no evidence either way.

use std::collections::HashSet;
use std::sync::LazyLock;

static SIMPLIFIED_ONLY: LazyLock<HashSet<char>> = LazyLock::new(|| {
    include_str!("../../data/language/simplified_only.txt")
        .trim()
        .chars()
        .collect()
});
static TRADITIONAL_ONLY: LazyLock<HashSet<char>> = LazyLock::new(|| {
    include_str!("../../data/language/traditional_only.txt")
        .trim()
        .chars()
        .collect()
});

/// Below this a candidate is left out of the answer.
const MIN_SCORE: f64 = 0.05;

/// The two Chinese codes with their confidences, highest first; the second only when the
/// characters leave some doubt. With no telling character at all, simplified leads: it is
/// the form most Chinese text is written in.
pub fn split(text: &str) -> Vec<(&'static str, f64)> {
    let (simplified, traditional) = counts(text);
    let margin = simplified.abs_diff(traditional);
    // Each telling character halves the doubt: 1 → 0.75, 3 → 0.94, 6 → 0.99.
    let top = 1.0 - 0.5_f64.powi(i32::try_from(margin).unwrap_or(i32::MAX).saturating_add(1));
    let (first, second) = if traditional > simplified {
        ("zh-TW", "zh")
    } else {
        ("zh", "zh-TW")
    };
    let mut out = vec![(first, top)];
    if 1.0 - top >= MIN_SCORE {
        out.push((second, 1.0 - top));
    }
    out
}

/// How many characters of `text` exist only in simplified, and only in traditional form.
fn counts(text: &str) -> (usize, usize) {
    text.chars().fold((0, 0), |(s, t), c| {
        (
            s + usize::from(SIMPLIFIED_ONLY.contains(&c)),
            t + usize::from(TRADITIONAL_ONLY.contains(&c)),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_text_is_zh() {
        let got = split("我们今天去图书馆学习");
        assert_eq!(got[0].0, "zh");
        assert!(got[0].1 > 0.95, "{got:?}");
    }

    #[test]
    fn traditional_text_is_zh_tw() {
        let got = split("我們今天去圖書館學習");
        assert_eq!(got[0].0, "zh-TW");
        assert!(got[0].1 > 0.95, "{got:?}");
    }

    #[test]
    fn no_telling_character_leaves_both_candidates() {
        let got = split("我的天");
        assert_eq!(got.iter().map(|c| c.0).collect::<Vec<_>>(), ["zh", "zh-TW"]);
        assert_eq!(got[0].1, 0.5);
    }

    #[test]
    fn the_lists_do_not_overlap() {
        assert!(SIMPLIFIED_ONLY.is_disjoint(&TRADITIONAL_ONLY));
        assert!(SIMPLIFIED_ONLY.len() > 2000 && TRADITIONAL_ONLY.len() > 2000);
    }
}
