//! The console's second input, beside the API.

use std::future::Future;

/// What the console reads besides [`comprehend_protocol::ComprehendApi`]: the objects the
/// API points to, the built-in S3's buckets for its browser, and the live progress of
/// training, which the API does not report. The server implements it.
pub trait Source: Send + Sync + 'static {
    /// The object's bytes, or None when it cannot be read (missing, or over `limit` bytes).
    fn read(&self, uri: &str, limit: usize) -> impl Future<Output = Option<Vec<u8>>> + Send;

    /// The first `bytes` bytes of an object (all of a shorter one), or None.
    fn read_start(&self, uri: &str, bytes: usize) -> impl Future<Output = Option<Vec<u8>>> + Send;

    /// The built-in S3's buckets by name, or None when the data lives in an external S3
    /// (which the console does not browse).
    fn buckets(&self) -> impl Future<Output = Option<Vec<String>>> + Send;

    /// One level of a folder, `s3://bucket/prefix` with `prefix` empty or ending in `/`.
    fn folder(&self, bucket: &str, prefix: &str) -> impl Future<Output = Option<Folder>> + Send;

    /// What the training of the version `arn` is doing now, while it trains.
    fn progress(&self, arn: &str) -> Option<String>;
}

/// One level of an S3 folder.
#[derive(Debug, Default)]
pub struct Folder {
    /// Subfolders, as full prefixes ending in `/`.
    pub folders: Vec<String>,
    /// Objects directly in the folder: key and size in bytes.
    pub objects: Vec<(String, u64)>,
}
