//! What every request handler and job shares.

use std::sync::Arc;

use comprehend_store::Store;
use comprehend_store::objects::Objects;

use crate::config::Config;
use crate::models::ModelCache;
use crate::runner::Wakeup;
use crate::throttle::Throttle;

/// The server's shared state; handlers get it through [`crate::api::Api`].
#[derive(Debug)]
pub struct State {
    /// Settings.
    pub config: Config,
    /// SQLite metadata.
    pub store: Store,
    /// Every `s3://` location the operations read and write.
    pub objects: Objects,
    /// Trained models: stored as files, loaded lazily, cached.
    pub models: ModelCache,
    /// Wakes the job workers when work is enqueued.
    pub wakeup: Wakeup,
    /// Endpoint throughput emulation.
    pub throttle: Throttle,
    /// Set when the server shuts down: long CPU work stops early (its job resumes at the next start).
    pub shutting_down: Arc<std::sync::atomic::AtomicBool>,
}

/// Shared handle.
pub type Shared = Arc<State>;

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
