//! Time and identifiers, held in the server's state so tests can drive them: a manual
//! clock moves only when told to (the throttling test advances it instead of sleeping),
//! and sequential ids make job ids predictable. The server uses the system clock and
//! random ids; behaviour is the same either way.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use comprehend_protocol::Timestamp;

/// Where "now" comes from.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// A clock that moves only when advanced (milliseconds since the epoch).
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock starting at `ms`.
    pub fn manual(ms: i64) -> Clock {
        Clock::Manual(Arc::new(AtomicI64::new(ms)))
    }

    /// Milliseconds since the epoch.
    pub fn now_ms(&self) -> i64 {
        match self {
            Clock::System => chrono::Utc::now().timestamp_millis(),
            Clock::Manual(ms) => ms.load(Ordering::SeqCst),
        }
    }

    /// Now, as a wire timestamp.
    pub fn now(&self) -> Timestamp {
        Timestamp::from_millis(self.now_ms())
    }

    /// Moves a manual clock forward; the system clock moves by itself.
    pub fn advance(&self, ms: i64) {
        match self {
            Clock::System => {}
            Clock::Manual(now) => {
                now.fetch_add(ms, Ordering::SeqCst);
            }
        }
    }
}

/// Where new resource ids (async job ids) come from.
#[derive(Debug, Clone, Default)]
pub enum Ids {
    /// Random (UUID v4), as the service's job ids look.
    #[default]
    Random,
    /// 1, 2, 3, … as 32 hexadecimal digits.
    Sequential(Arc<AtomicU64>),
}

impl Ids {
    /// Sequential ids, starting at 1.
    pub fn sequential() -> Ids {
        Ids::Sequential(Arc::new(AtomicU64::new(0)))
    }

    /// A new 32-hex-digit id.
    pub fn job_id(&self) -> String {
        match self {
            Ids::Random => uuid::Uuid::new_v4().simple().to_string(),
            Ids::Sequential(n) => format!("{:032x}", n.fetch_add(1, Ordering::SeqCst) + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_and_sequential_ids() {
        let clock = Clock::manual(1_000);
        clock.advance(500);
        assert_eq!(clock.now_ms(), 1_500);
        let ids = Ids::sequential();
        assert_eq!(ids.job_id(), "00000000000000000000000000000001");
        assert_eq!(ids.job_id().len(), 32);
        assert_eq!(Ids::Random.job_id().len(), 32);
    }
}
