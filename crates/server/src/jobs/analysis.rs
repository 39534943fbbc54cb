//! What an analysis job family is, as the one job layer ([`super::document_jobs`]) sees
//! it: the [`Analysis`] trait, the input object a batch comes from, and the model file a
//! family that runs a model version loads. Family modules and the layer both import
//! this module, so neither imports the other back.

use std::future::Future;

use comprehend_store::document_jobs::DocumentJobRecord;
use comprehend_store::objects::S3Uri;
use comprehend_store::versions::Version;

use super::documents::{Document, Reading};
use crate::state::State;

/// One family of asynchronous analysis: what analyses its documents and how each
/// document becomes an output record.
pub trait Analysis: Sized + Send + Sync + 'static {
    /// The family's code (the `<TYPE>` of its output folder).
    const FAMILY: &'static str;
    /// The one member of `output.tar.gz`.
    const MEMBER: &'static str;
    /// How documents are read.
    const READING: Reading;
    /// Documents analysed per batch (between stop checks).
    const BATCH: usize;

    /// What analyses the job's documents (a model version, loaded once per run).
    fn prepare(
        state: &State,
        job: &DocumentJobRecord,
    ) -> impl Future<Output = Result<Self, String>> + Send;

    /// Appends one JSON line to `out` for each document of a batch, in order; an error
    /// fails the job. Runs on a blocking thread.
    fn analyse(&self, source: &Source, documents: Batch, out: &mut Vec<u8>) -> Result<(), String>;
}

/// Documents numbered by their line (none for ONE_DOC_PER_FILE), in input order.
pub type Batch = Vec<(Option<u64>, Document)>;

/// One input object: where it is, and the `File` its records name.
#[derive(Debug, Clone)]
pub struct Source {
    /// The object.
    pub object: S3Uri,
    /// Its `s3://` URI.
    pub uri: String,
    /// Its key relative to the input location's folder.
    pub file: String,
}

/// The model file of the version a job runs with (`noun` names the version in the
/// message when it is gone).
pub async fn model_key<V: Version>(
    state: &State,
    job: &DocumentJobRecord,
    noun: &str,
) -> Result<String, String> {
    let arn = job.model_arn.as_deref().unwrap_or_default();
    let version: Option<V> = state.store.version(arn).await.map_err(|e| e.to_string())?;
    let key = version.and_then(|v| v.model_key().map(str::to_owned));
    key.ok_or_else(|| format!("The {noun} {arn} is no longer available."))
}
