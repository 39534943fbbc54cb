//! The BIO tag scheme: label 0 is `O`, entity type `k` has `B-k` = `1 + 2k` and `I-k` = `2 + 2k`.
//! A tag sequence may not enter `I-k` except from `B-k` or `I-k` (so no `O → I-k`, no
//! `B-j → I-k`); training and decoding both use only such sequences.
//!
//! BIO rather than BILOU: with up to 25 types it keeps the label count at 51 (BILOU: 101), and
//! the forward-backward and Viterbi cost grows with its square.

use crate::Span;
use crate::tokenize::Token;

/// Index of the `O` label.
pub const OUTSIDE: u16 = 0;

/// Number of labels for `n_types` entity types.
pub fn n_labels(n_types: usize) -> usize {
    1 + 2 * n_types
}

/// The `B-` label of type `k`.
pub fn begin_label(k: usize) -> u16 {
    (1 + 2 * k) as u16
}

/// The `I-` label of type `k`.
pub fn inside_label(k: usize) -> u16 {
    (2 + 2 * k) as u16
}

/// The type of a label, `None` for `O`.
pub fn label_type(label: u16) -> Option<usize> {
    (label != OUTSIDE).then(|| (label as usize - 1) / 2)
}

/// Whether `label` is an `I-` label.
pub fn is_inside(label: u16) -> bool {
    label != OUTSIDE && label.is_multiple_of(2)
}

/// Whether `next` may follow `prev`.
pub fn allowed(prev: u16, next: u16) -> bool {
    !is_inside(next) || label_type(prev) == label_type(next) && prev != OUTSIDE
}

/// Whether a sequence may start with `label`.
pub fn allowed_first(label: u16) -> bool {
    !is_inside(label)
}

/// The gold labels of `tokens` for `spans` (type indexes from `type_of`): tokens inside a span
/// get `B-` (first) or `I-`; spans of unknown type or covering no token are skipped.
pub fn encode(
    tokens: &[Token],
    spans: &[Span],
    type_of: impl Fn(&str) -> Option<usize>,
) -> Vec<u16> {
    let mut labels = vec![OUTSIDE; tokens.len()];
    for span in spans {
        let Some(k) = type_of(&span.entity_type) else {
            continue;
        };
        let first = tokens.partition_point(|t| t.begin < span.begin);
        let mut label = begin_label(k);
        for (i, t) in tokens.iter().enumerate().skip(first) {
            if t.end > span.end {
                break;
            }
            labels[i] = label;
            label = inside_label(k);
        }
    }
    labels
}

/// The mentions in a label sequence, as token ranges `start..end` with their type. An `I-`
/// label that cannot continue the mention before it starts a new one.
pub fn decode(labels: &[u16]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for (i, &label) in labels.iter().enumerate() {
        let k = label_type(label);
        let continues = is_inside(label) && current.is_some_and(|(_, ck)| Some(ck) == k);
        if continues {
            continue;
        }
        if let Some((start, ck)) = current.take() {
            out.push((start, i, ck));
        }
        if let Some(k) = k {
            current = Some((i, k));
        }
    }
    if let Some((start, ck)) = current {
        out.push((start, labels.len(), ck));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::tokenize;

    #[test]
    fn encode_then_decode() {
        let text = "Ann Lee met Bob in Paris";
        let tokens = tokenize(text);
        let spans = vec![
            Span {
                begin: 0,
                end: 7,
                entity_type: "PER".into(),
            },
            Span {
                begin: 12,
                end: 15,
                entity_type: "PER".into(),
            },
            Span {
                begin: 19,
                end: 24,
                entity_type: "LOC".into(),
            },
        ];
        let types = ["PER", "LOC"];
        let labels = encode(&tokens, &spans, |t| types.iter().position(|x| *x == t));
        assert_eq!(labels, [1, 2, 0, 1, 0, 3]);
        assert_eq!(decode(&labels), [(0, 2, 0), (3, 4, 0), (5, 6, 1)]);
    }

    #[test]
    fn constraints() {
        assert!(!allowed(OUTSIDE, inside_label(0)));
        assert!(!allowed(begin_label(1), inside_label(0)));
        assert!(allowed(begin_label(0), inside_label(0)));
        assert!(allowed(inside_label(0), begin_label(0)));
        assert!(!allowed_first(inside_label(2)));
    }
}
