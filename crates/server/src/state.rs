//! What every request handler and job shares.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use comprehend_ner::Recognizer;
use comprehend_protocol::Timestamp;
use comprehend_store::Store;
use comprehend_store::objects::Objects;
use tokio::sync::Notify;

use crate::clock::{Clock, Ids};
use crate::config::Config;
use crate::models::{Loaded, ModelCache};
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
    /// Trained entity recognizers, decoded lazily from `models` files and cached (the
    /// classifiers are cached in `models` itself).
    pub recognizers: Loaded<Recognizer>,
    /// Wakes the job workers when work is enqueued.
    pub wakeup: Wakeup,
    /// Endpoint throughput emulation.
    pub throttle: Throttle,
    /// Where "now" comes from.
    pub clock: Clock,
    /// Where new job ids come from.
    pub ids: Ids,
    /// What the versions being trained are doing now (for the console).
    pub progress: crate::progress::TrainingProgress,
    /// Set when the server shuts down: long CPU work stops early (its job resumes at the next start).
    pub shutting_down: Arc<AtomicBool>,
    /// Disk space held back in the data directory for deletes and failure records on a
    /// full disk (see [`crate::disk`]).
    pub reserve: Arc<comprehend_s3store::reserve::Reserve>,
}

impl State {
    /// Milliseconds since the epoch, by the server's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Now, as a wire timestamp.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}

/// Shared handle.
pub type Shared = Arc<State>;

/// Wakes idle workers when a job is enqueued.
#[derive(Debug, Default)]
pub struct Wakeup(Notify);

impl Wakeup {
    /// Signals that work is waiting.
    pub fn notify(&self) {
        self.0.notify_waiters();
    }

    /// Resolves at the first [`Wakeup::notify`] after this call, even one that comes before
    /// the future is first polled: a worker takes it before it looks at the queue, so a job
    /// enqueued while it looks wakes it at once instead of at the next poll.
    pub fn notified(&self) -> impl Future<Output = ()> + '_ {
        let mut notified = Box::pin(self.0.notified());
        notified.as_mut().enable();
        notified
    }
}
