//! Reading labelled documents from S3 for training, dataset ingestion and evaluation:
//! every object under a URI (object or prefix), parsed by the ML crate's format readers
//! on a blocking thread. Failures come back as messages a user can act on, naming the
//! object and the line.

use comprehend_ml::{
    Document, FormatError, Mode, append_augmented_manifest, append_comprehend_csv,
};
use comprehend_store::objects::{ObjectError, S3Uri};

use crate::phase::{Phase, Timer};
use crate::state::State;

/// The label delimiter when the request gives none.
pub const DEFAULT_DELIMITER: char = '|';

/// The first character of a `LabelDelimiter`, or the default.
pub fn delimiter(given: Option<&str>) -> char {
    given
        .and_then(|d| d.chars().next())
        .unwrap_or(DEFAULT_DELIMITER)
}

/// Objects to read: one object, or every object under a prefix. None found is an error.
pub async fn objects_at(state: &State, uri: &str, what: &str) -> Result<Vec<S3Uri>, String> {
    let parsed = S3Uri::parse(uri).map_err(|e| e.to_string())?;
    let listed = state
        .objects
        .list(&parsed)
        .await
        .map_err(|e| object_message(e, uri))?;
    let found: Vec<S3Uri> = listed
        .into_iter()
        .filter(|o| !o.uri.key.ends_with('/'))
        .map(|o| o.uri)
        .collect();
    if found.is_empty() {
        return Err(format!(
            "No {what} found at {uri}: no object has this key or key prefix."
        ));
    }
    Ok(found)
}

/// Reads COMPREHEND_CSV documents from every object at `uri`.
pub async fn read_csv(
    state: &State,
    uri: &str,
    mode: Mode,
    delimiter: char,
    what: &str,
) -> Result<Vec<Document>, String> {
    read_all(state, uri, what, move |bytes, docs| {
        append_comprehend_csv(bytes, mode, delimiter, docs)
    })
    .await
}

/// Reads augmented manifest documents (`source` + the first attribute name).
pub async fn read_manifest(
    state: &State,
    uri: &str,
    attribute: &str,
    mode: Mode,
    what: &str,
) -> Result<Vec<Document>, String> {
    let attribute = attribute.to_owned();
    read_all(state, uri, what, move |bytes, docs| {
        append_augmented_manifest(bytes, &attribute, mode, docs)
    })
    .await
}

/// Parses every object at `uri` with `parse` on a blocking thread, naming the object in errors.
async fn read_all<P>(
    state: &State,
    uri: &str,
    what: &str,
    parse: P,
) -> Result<Vec<Document>, String>
where
    P: Fn(&[u8], &mut Vec<Document>) -> Result<usize, FormatError> + Send + Sync + Clone + 'static,
{
    let mut docs = Vec::new();
    for object in objects_at(state, uri, what).await? {
        let name = object.to_string();
        let read = Timer::start(Phase::ReadFromS3);
        let bytes = state
            .objects
            .get(&object)
            .await
            .map_err(|e| object_message(e, &name))?;
        tracing::info!(phase = %read.phase(), seconds = read.seconds(), object = %name, bytes = bytes.len(), "phase done");
        let parse = parse.clone();
        let parsing = Timer::start(Phase::Parse);
        let before = docs.len();
        docs = tokio::task::spawn_blocking(move || {
            parse(bytes.as_ref(), &mut docs)
                .map(|_| docs)
                .map_err(|e| format!("{name}: {e}"))
        })
        .await
        .map_err(|e| format!("reading {uri} failed: {e}"))??;
        tracing::info!(phase = %parsing.phase(), seconds = parsing.seconds(), documents = docs.len() - before, "phase done");
    }
    Ok(docs)
}

/// Writes documents as COMPREHEND_CSV (labels joined with `|`), the lake's format.
pub fn to_csv(docs: &[Document]) -> Result<Vec<u8>, String> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for doc in docs {
        writer
            .write_record([doc.labels.join("|").as_str(), doc.text.as_str()])
            .map_err(|e| e.to_string())?;
    }
    writer.into_inner().map_err(|e| e.to_string())
}

/// A user-facing message for a failed object read.
pub fn object_message(err: ObjectError, uri: &str) -> String {
    match err {
        ObjectError::NotFound(_) => format!("The object {uri} does not exist."),
        ObjectError::NoSuchBucket(bucket) => {
            format!("The bucket '{bucket}' of {uri} does not exist.")
        }
        ObjectError::InvalidUri(message) => message,
        ObjectError::Store(message) => format!("Reading {uri} failed: {message}"),
    }
}

/// Packs files into a `.tar.gz`, the archive format of Comprehend's outputs.
pub fn tar_gz(files: &[(&str, &[u8])]) -> Result<Vec<u8>, String> {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut archive = tar::Builder::new(encoder);
    for (name, bytes) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(chrono::Utc::now().timestamp().max(0) as u64);
        header.set_cksum();
        archive
            .append_data(&mut header, name, *bytes)
            .map_err(|e| e.to_string())?;
    }
    archive
        .into_inner()
        .and_then(|gz| gz.finish())
        .map_err(|e| e.to_string())
}

/// Joins a file name onto an output prefix, adding the `/` a user may have left out.
pub fn under_prefix(prefix: &str, rest: &str) -> String {
    if prefix.ends_with('/') {
        format!("{prefix}{rest}")
    } else {
        format!("{prefix}/{rest}")
    }
}

/// The engine's mode for a wire mode.
pub fn ml_mode(mode: comprehend_protocol::DocumentClassifierMode) -> Mode {
    match mode {
        comprehend_protocol::DocumentClassifierMode::MultiClass => Mode::MultiClass,
        comprehend_protocol::DocumentClassifierMode::MultiLabel => Mode::MultiLabel,
    }
}

/// Writes bytes to an `s3://` URI; failures come back as user-facing messages.
pub async fn put(state: &State, uri: &str, bytes: Vec<u8>) -> Result<(), String> {
    let target = S3Uri::parse(uri).map_err(|e| e.to_string())?;
    state
        .objects
        .put(&target, bytes::Bytes::from(bytes))
        .await
        .map_err(|e| object_message(e, uri))
}

/// Writes a JSON document to an `s3://` URI.
pub async fn put_json(state: &State, uri: &str, value: &serde_json::Value) -> Result<(), String> {
    let text = serde_json::to_vec_pretty(value).map_err(|e| e.to_string())?;
    put(state, uri, text).await
}

/// The test part Comprehend holds out when a model has no explicit test data: the same
/// seeded, stratified split training uses, so a flywheel made from a model gets exactly
/// the documents that model was trained and tested on.
pub fn holdout_split(
    docs: Vec<Document>,
    params: &comprehend_ml::TrainParams,
) -> (Vec<Document>, Vec<Document>) {
    comprehend_ml::holdout_split(docs, params)
}
