//! Optional endpoint throughput emulation: one inference unit serves 100 characters per
//! second (Amazon Comprehend Developer Guide, "Endpoints": inference units). A token
//! bucket per endpoint, refilled continuously, holding at most one second of capacity.
//! Time comes from the caller (the server's clock), so tests can drive it.

use std::collections::HashMap;
use std::sync::Mutex;

/// Characters per second per inference unit.
pub const CHARS_PER_UNIT_SECOND: f64 = 100.0;

/// Per-endpoint buckets; disabled unless configured.
#[derive(Debug)]
pub struct Throttle {
    enabled: bool,
    buckets: Mutex<HashMap<String, (f64, i64)>>,
}

impl Throttle {
    /// A throttle, on or off.
    pub fn new(enabled: bool) -> Throttle {
        Throttle {
            enabled,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes `chars` from the endpoint's bucket at `now_ms`; false when the request is
    /// over its rate.
    pub fn admit(
        &self,
        endpoint_arn: &str,
        inference_units: i64,
        chars: usize,
        now_ms: i64,
    ) -> bool {
        if !self.enabled {
            return true;
        }
        let capacity = inference_units.max(1) as f64 * CHARS_PER_UNIT_SECOND;
        let now = now_ms;
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let (tokens, last) = buckets
            .entry(endpoint_arn.to_owned())
            .or_insert((capacity, now));
        let elapsed = (now - *last).max(0) as f64 / 1000.0;
        *tokens = (*tokens + elapsed * capacity).min(capacity);
        *last = now;
        // A document longer than one second of capacity is admitted when the bucket is
        // full, so a large single request is slow rather than impossible.
        let cost = (chars as f64).min(capacity);
        if *tokens >= cost {
            *tokens -= chars as f64;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_unit_is_a_hundred_characters_a_second() {
        let t = Throttle::new(true);
        assert!(t.admit("e", 1, 60, 0));
        assert!(!t.admit("e", 1, 60, 100));
        assert!(t.admit("e", 1, 60, 800), "refilled 80 characters in 0.7 s");
        assert!(t.admit("e2", 2, 150, 0));
        assert!(Throttle::new(false).admit("e", 1, 1_000_000, 0));
    }
}
