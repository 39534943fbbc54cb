//! Persistence for comprehend-local: resource metadata in SQLite (through sqlx) and
//! bytes in object stores (through object_store).
//!
//! Architecture invariant: this is the only crate that knows SQL. Callers get typed
//! records and conditional updates ("move to TRAINING if still SUBMITTED"), never a
//! connection. Every write a client waits for is committed before the API answers,
//! so a `kill -9` loses nothing that was acknowledged.
//!
//! Statuses and the echoed request structures are the protocol crate's generated
//! types: they are the domain's vocabulary too, so the store keeps them typed.

pub mod classifiers;
pub mod contract;
pub mod creation;
pub mod datasets;
pub mod db;
pub mod document_jobs;
pub mod endpoints;
pub mod entity_recognizers;
pub mod error;
pub mod flywheels;
pub mod iterations;
pub mod jobs;
pub mod lifecycle;
pub(crate) mod list;
pub mod objects;
pub mod page;
pub mod sweep;
pub mod tags;
pub mod tx;
pub(crate) mod update;
pub mod versions;

pub use creation::{Creation, Idempotency};
pub use db::Store;
pub use error::StoreError;
pub use jobs::{IterationKey, Job, JobKind, JobState, Target};
pub use lifecycle::{Lifecycle, VersionJob};
pub use list::{HasSeq, Order};
pub use page::{Page, PageRequest};
pub use tx::Tx;
