//! The overall toxicity: alt-profanity-check's TF-IDF + linear SVM, read from a shipped table.
//!
//! Why this model: it is a real classifier trained on labelled toxic comments (MIT licensed,
//! <https://github.com/dimitrismistriotis/alt-profanity-check>), small (15 442 words), and a
//! linear model over word counts runs in microseconds. Its five calibrated folds are folded into
//! one weight per word by `benches/toxicity_extract.py` (see there for the arithmetic), so
//! `p = sigmoid(w · x + b)` where `x` is the l2-normalised TF-IDF vector of the text.

use std::sync::LazyLock;

use rustc_hash::FxHashMap as HashMap;

/// word → (idf, folded weight), plus the folded bias.
struct Table {
    words: HashMap<&'static str, (f32, f32)>,
    bias: f32,
}

static TABLE: LazyLock<Table> =
    LazyLock::new(|| parse(include_str!("../../data/toxicity/profanity_svm.tsv")));

/// Parses `#bias<TAB>b` then `word<TAB>idf<TAB>weight` lines; a malformed line is skipped.
fn parse(tsv: &'static str) -> Table {
    let mut table = Table {
        words: HashMap::default(),
        bias: 0.0,
    };
    for line in tsv.lines() {
        let mut cols = line.split('\t');
        let (Some(word), Some(a)) = (cols.next(), cols.next()) else {
            continue;
        };
        let Ok(a) = a.parse::<f32>() else { continue };
        if word == "#bias" {
            table.bias = a;
        } else if let Some(Ok(w)) = cols.next().map(str::parse::<f32>) {
            table.words.insert(word, (a, w));
        }
    }
    table
}

/// scikit-learn's default token: a run of two or more word characters (`(?u)\b\w\w+\b`).
fn tokens(lower: &str) -> impl Iterator<Item = &str> {
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| t.chars().nth(1).is_some())
}

/// The probability (0–1) that the text is toxic, as alt-profanity-check's `predict_prob`.
pub fn probability(text: &str) -> f32 {
    let table = &*TABLE;
    let mut counts: HashMap<&'static str, (f32, f32, f32)> = HashMap::default();
    let lower = text.to_lowercase();
    for token in tokens(&lower) {
        if let Some((&word, &(idf, weight))) = table.words.get_key_value(token) {
            counts.entry(word).or_insert((0.0, idf, weight)).0 += 1.0;
        }
    }
    // TF-IDF with l2 normalisation: score = Σ w·tf·idf / ‖tf·idf‖.
    let (mut dot, mut norm) = (0.0f32, 0.0f32);
    for (tf, idf, weight) in counts.values() {
        let x = tf * idf;
        dot += weight * x;
        norm += x * x;
    }
    let z = if norm > 0.0 { dot / norm.sqrt() } else { 0.0 };
    sigmoid(z + table.bias)
}

pub(super) fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_loaded() {
        assert!(TABLE.words.len() > 15_000);
        assert!(TABLE.bias < 0.0);
    }

    #[test]
    fn insults_outscore_thanks() {
        assert!(probability("you are a stupid idiot") > 0.9);
        assert!(probability("Thank you so much for your help!") < 0.1);
    }

    #[test]
    fn text_without_known_words_gets_the_bias_alone() {
        let p = probability("");
        assert!((p - sigmoid(TABLE.bias)).abs() < 1e-6);
        assert_eq!(probability("a ! ?"), p);
    }
}
