//! The deterministic train/test split used when no test data is given: about 10 % of the
//! documents (at least one, and at least one left for training), chosen by a seeded shuffle,
//! first making sure that every entity type gets a test mention where possible.
//!
//! The random generator is SplitMix64, written out here rather than taken from `rand`, so that
//! a seed selects the same test documents in every future build.

use crate::AnnotatedDocument;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and fixed forever.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` (n > 0), by rejection so there is no modulo bias.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let r = self.next_u64();
            if r < zone {
                return r % n;
            }
        }
    }
}

/// Chooses test documents: `round(n × fraction)`, at least 1, at most `n − 1` (none when
/// `n < 2`). In seeded random order, a document is first taken for each type without a test
/// mention yet (these may exceed the share by up to as many documents as there are types),
/// then the rest are filled in the same
/// order. A document is never taken when it holds the last training mention of a type.
/// Returns one flag per document, `true` for test.
pub fn holdout(
    docs: &[AnnotatedDocument],
    types: &[String],
    fraction: f64,
    seed: u64,
) -> Vec<bool> {
    let masks: Vec<u32> = docs.iter().map(|d| type_mask(d, types)).collect();
    let is_test = holdout_masks(&masks, types.len(), fraction, seed);
    (0..docs.len()).map(|d| is_test.contains(d)).collect()
}

/// The types (bit `k` for `types[k]`, at most 32 types) that `doc` has a mention of.
pub fn type_mask(doc: &AnnotatedDocument, types: &[String]) -> u32 {
    doc.spans
        .iter()
        .filter_map(|s| types.iter().position(|t| *t == s.entity_type))
        .filter(|&k| k < 32)
        .fold(0, |m, k| m | (1 << k))
}

/// A set of document indices, one bit each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    /// An empty set for indices `0..n`.
    pub fn new(n: usize) -> Self {
        BitSet {
            words: vec![0; n.div_ceil(64)],
        }
    }

    /// Whether `i` is in the set (indices past the end are not).
    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }
}

/// [`holdout`] computed from one type mask per document ([`type_mask`]) instead of the
/// documents, so that a corpus need not be in memory to be split: it uses 8 bytes per
/// document while it runs (the masks and the order) and returns one bit per document. The
/// result is the same as [`holdout`]'s for the same documents and seed.
pub fn holdout_masks(masks: &[u32], n_types: usize, fraction: f64, seed: u64) -> BitSet {
    let n = masks.len();
    let mut is_test = BitSet::new(n);
    if n < 2 {
        return is_test;
    }
    let want = ((n as f64 * fraction.clamp(0.0, 1.0)).round() as usize).clamp(1, n - 1);
    // u32 indices halve the order's memory; a corpus of 2³² documents is far past any limit.
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut rng = SplitMix64::new(seed);
    for i in (1..n).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let n_types = n_types.min(32);
    // Documents per type still in training: a type never loses its last one.
    let mut left: Vec<usize> = (0..n_types)
        .map(|k| masks.iter().filter(|&&m| m >> k & 1 == 1).count())
        .collect();
    let mut taken = 0;
    for k in 0..n_types {
        let has = |d: u32| masks[d as usize] >> k & 1 == 1;
        if taken + 1 >= n
            || order
                .iter()
                .any(|&d| is_test.contains(d as usize) && has(d))
        {
            continue;
        }
        for &d in &order {
            if has(d) && take(d as usize, masks, &mut is_test, &mut left) {
                taken += 1;
                break;
            }
        }
    }
    for &d in &order {
        if taken >= want {
            break;
        }
        if take(d as usize, masks, &mut is_test, &mut left) {
            taken += 1;
        }
    }
    is_test
}

/// Moves document `d` to the test side unless it is there already or holds the last training
/// document of some type; whether it moved.
fn take(d: usize, masks: &[u32], is_test: &mut BitSet, left: &mut [usize]) -> bool {
    let has = |k: usize| masks[d] >> k & 1 == 1;
    if is_test.contains(d) || left.iter().enumerate().any(|(k, &c)| c <= 1 && has(k)) {
        return false;
    }
    is_test.insert(d);
    for (k, c) in left.iter_mut().enumerate() {
        if has(k) {
            *c -= 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, Span};

    fn doc(types: &[&str]) -> AnnotatedDocument {
        AnnotatedDocument {
            document: Document {
                file: "f".into(),
                line: None,
                text: "x".repeat(10),
            },
            spans: types
                .iter()
                .enumerate()
                .map(|(i, t)| Span {
                    begin: i,
                    end: i + 1,
                    entity_type: (*t).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn ten_percent_seeded_and_covering_types() {
        let mut docs: Vec<AnnotatedDocument> = (0..98).map(|_| doc(&["A"])).collect();
        docs.push(doc(&["B"]));
        docs.push(doc(&["B"]));
        let types = vec!["A".to_string(), "B".to_string()];
        let a = holdout(&docs, &types, 0.1, 3);
        assert_eq!(a, holdout(&docs, &types, 0.1, 3));
        assert_ne!(a, holdout(&docs, &types, 0.1, 4));
        assert_eq!(a.iter().filter(|&&t| t).count(), 10);
        assert_eq!(a[98..].iter().filter(|&&t| t).count(), 1);
    }

    /// The split as it was computed from the documents before [`holdout_masks`] existed.
    fn reference(
        docs: &[AnnotatedDocument],
        types: &[String],
        fraction: f64,
        seed: u64,
    ) -> Vec<bool> {
        let n = docs.len();
        let mut is_test = vec![false; n];
        if n < 2 {
            return is_test;
        }
        let want = ((n as f64 * fraction).round() as usize).clamp(1, n - 1);
        let mut order: Vec<usize> = (0..n).collect();
        let mut rng = SplitMix64::new(seed);
        for i in (1..n).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let has = |d: usize, t: &String| docs[d].spans.iter().any(|s| &s.entity_type == t);
        let mut left: Vec<usize> = types
            .iter()
            .map(|t| (0..n).filter(|&d| has(d, t)).count())
            .collect();
        let take = |d: usize, is_test: &mut Vec<bool>, left: &mut Vec<usize>| {
            let blocked = types
                .iter()
                .zip(left.iter())
                .any(|(t, &c)| c <= 1 && has(d, t));
            if is_test[d] || blocked {
                return false;
            }
            is_test[d] = true;
            for (t, c) in types.iter().zip(left.iter_mut()) {
                if has(d, t) {
                    *c -= 1;
                }
            }
            true
        };
        let mut taken = 0;
        for t in types {
            if taken + 1 >= n || order.iter().any(|&d| is_test[d] && has(d, t)) {
                continue;
            }
            for &d in &order {
                if has(d, t) && take(d, &mut is_test, &mut left) {
                    taken += 1;
                    break;
                }
            }
        }
        for &d in &order {
            if taken >= want {
                break;
            }
            if take(d, &mut is_test, &mut left) {
                taken += 1;
            }
        }
        is_test
    }

    #[test]
    fn the_compact_summary_gives_the_old_split() {
        let types: Vec<String> = ["A", "B", "C", "D"].iter().map(|t| t.to_string()).collect();
        let mut rng = SplitMix64::new(11);
        for n in [2usize, 3, 17, 250] {
            let docs: Vec<AnnotatedDocument> = (0..n)
                .map(|_| {
                    let mut have: Vec<&str> = Vec::new();
                    for t in ["A", "B", "C", "D"] {
                        // Rare types (C, D) exercise the "last training document" rule.
                        let odds = if t < "C" { 2 } else { 40 };
                        if rng.below(odds) == 0 {
                            have.push(t);
                        }
                    }
                    doc(&have)
                })
                .collect();
            for seed in [0, 1, 7, 42, 1234] {
                for fraction in [0.1, 0.3] {
                    assert_eq!(
                        holdout(&docs, &types, fraction, seed),
                        reference(&docs, &types, fraction, seed),
                        "n={n} seed={seed} fraction={fraction}"
                    );
                }
            }
        }
    }

    #[test]
    fn small_sets_keep_one_training_document() {
        let docs: Vec<AnnotatedDocument> = (0..3).map(|_| doc(&["A"])).collect();
        let split = holdout(&docs, &["A".to_string()], 0.1, 0);
        assert_eq!(split.iter().filter(|&&t| t).count(), 1);
    }
}
