//! The built-in S3's storage: one store, two faces.
//!
//! - [`S3Store`] keeps object metadata (bucket, key, size, ETag, headers, user metadata,
//!   tags, multipart state) in its own SQLite index and object bytes in content files
//!   named by id (`content`), written to a temporary file and renamed, so readers never
//!   see a partial object and an overwrite is atomic. Keys are any 1–1,024-byte UTF-8
//!   string and never become file names: `a` and `a/b` coexist, and no key can leave the
//!   store.
//! - [`S3Api`] serves it over the S3 protocol (`impl s3s::S3`).
//! - [`BucketStore`] serves one bucket as an `object_store::ObjectStore`, for the
//!   server's own reads and writes of `s3://` data.
//!
//! A data directory written by the previous built-in S3 (s3s-fs) is imported at open
//! (`import`).

pub mod chunked;
mod content;
mod error;
mod import;
mod index;
mod listing;
mod multipart;
mod object_store_face;
pub mod reserve;
mod s3_api;
pub mod sqlite;
mod store;

pub use error::{Error, Result};
pub use import::IMPORTED_DIR;
pub use index::{Attributes, Bucket, ObjectRecord, PartRecord, Tags, Upload};
pub use listing::{ListQuery, Listing};
pub use multipart::{CompletedPart, MIN_PART_SIZE};
pub use object_store_face::BucketStore;
pub use s3_api::{S3Api, SigningRegion};
pub use store::{Created, DEFAULT_REGION, NewObject, S3Store};

#[cfg(test)]
mod tests;
