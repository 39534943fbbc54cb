//! The deterministic stratified train/test split used when no test data is given.
//!
//! The random generator is SplitMix64, written out here rather than taken from `rand`, so that
//! a seed selects the same test documents in every future build.

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

/// Chooses test documents: in every stratum (documents sharing `strata[i]`) a seeded random
/// `round(size × fraction)` of them, where the fraction is `test_fraction` lowered so that the
/// total stays within `max_test`. Returns one flag per document, `true` for test.
///
/// A stratum too small to give one test document gives none, as Comprehend may leave rare
/// labels out of its test split.
pub fn stratified_split(
    strata: &[u32],
    test_fraction: f64,
    max_test: usize,
    seed: u64,
) -> Vec<bool> {
    let n = strata.len();
    let mut is_test = vec![false; n];
    if n == 0 {
        return is_test;
    }
    let fraction = test_fraction
        .clamp(0.0, 1.0)
        .min(max_test as f64 / n as f64);
    let n_strata = strata.iter().max().map_or(0, |&m| m as usize + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_strata];
    for (i, &s) in strata.iter().enumerate() {
        members[s as usize].push(i);
    }
    let mut rng = SplitMix64::new(seed);
    let mut taken = 0;
    for docs in &mut members {
        let want = ((docs.len() as f64 * fraction).round() as usize)
            .min(docs.len().saturating_sub(1))
            .min(max_test - taken);
        // Partial Fisher–Yates: the first `want` slots become a uniform sample.
        for slot in 0..want {
            let pick = slot + rng.below((docs.len() - slot) as u64) as usize;
            docs.swap(slot, pick);
            is_test[docs[slot]] = true;
        }
        taken += want;
    }
    is_test
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_stratified_capped_and_deterministic() {
        let strata: Vec<u32> = (0..1000).map(|i| if i < 900 { 0 } else { 1 }).collect();
        let a = stratified_split(&strata, 0.1, 10_000, 7);
        assert_eq!(a, stratified_split(&strata, 0.1, 10_000, 7));
        assert_ne!(a, stratified_split(&strata, 0.1, 10_000, 8));
        assert_eq!(a[..900].iter().filter(|&&t| t).count(), 90);
        assert_eq!(a[900..].iter().filter(|&&t| t).count(), 10);
        let capped = stratified_split(&strata, 0.1, 50, 7);
        assert_eq!(capped.iter().filter(|&&t| t).count(), 50);
    }
}
