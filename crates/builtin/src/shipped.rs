//! What the two shipped taggers (PII NAME/ADDRESS, built-in entities) share: labelled
//! documents read from JSON lines (`{"text", "entities": [{"type", "begin", "end"}]}`, offsets
//! in code points) and trained with comprehend-ner with fixed parameters, so the same data
//! always gives the same model bytes.

use std::sync::atomic::AtomicBool;

use comprehend_ner::{AnnotatedDocument, Document, NerError, Span, TrainParams, Trained};
use serde::Deserialize;

#[derive(Deserialize)]
struct Line {
    text: String,
    entities: Vec<Mention>,
}

#[derive(Deserialize)]
struct Mention {
    #[serde(rename = "type")]
    kind: String,
    begin: usize,
    end: usize,
}

/// The labelled documents of `jsonl` (blank lines skipped), named `file` and their line.
pub(crate) fn documents(
    jsonl: &str,
    file: &str,
) -> Result<Vec<AnnotatedDocument>, serde_json::Error> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| Ok(annotated(file, i, serde_json::from_str(l)?)))
        .collect()
}

fn annotated(file: &str, i: usize, line: Line) -> AnnotatedDocument {
    let spans = line
        .entities
        .into_iter()
        .map(|m| Span {
            begin: m.begin,
            end: m.end,
            entity_type: m.kind,
        })
        .collect();
    AnnotatedDocument {
        document: Document {
            file: file.into(),
            line: Some(i as u64),
            text: line.text,
        },
        spans,
    }
}

/// Why training on shipped data failed (never, with the data as shipped).
#[derive(Debug, thiserror::Error)]
pub(crate) enum TrainError {
    #[error("{file}: {source}")]
    Data {
        file: &'static str,
        source: serde_json::Error,
    },
    #[error(transparent)]
    Ner(#[from] NerError),
}

/// Trains a tagger of `types` on the documents of `jsonl` (named `file`) with `params`.
pub(crate) fn train(
    jsonl: &str,
    file: &'static str,
    types: &[&str],
    params: &TrainParams,
) -> Result<Trained, TrainError> {
    let docs = documents(jsonl, file).map_err(|source| TrainError::Data { file, source })?;
    let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
    let cancel = AtomicBool::new(false);
    Ok(comprehend_ner::train(
        docs,
        None,
        &types,
        None,
        params,
        &mut |_| {},
        &cancel,
    )?)
}
