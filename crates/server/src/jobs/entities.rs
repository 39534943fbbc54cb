//! The entities detection family of analysis jobs (StartEntitiesDetectionJob with a
//! custom recognizer): its member `output` of
//! `<S3Uri><account>-NER-<JobId>/output/output.tar.gz` is JSON Lines — one line per
//! document in input order, with `Entities` (possibly `[]`), `File` and, for
//! ONE_DOC_PER_LINE, an integer `Line`; or `ErrorCode`/`ErrorMessage` for a document
//! that can't be read (Amazon Comprehend Developer Guide, "Async analysis output for
//! custom entity recognition").

use std::io::Write;
use std::sync::Arc;

use comprehend_ner::Recognizer;
use comprehend_store::document_jobs::DocumentJobRecord;
use comprehend_store::entity_recognizers::RecognizerRecord;

use super::analysis::{self, Analysis, Batch, Source};
use super::documents::{Document, Reading};
use crate::domain::ENTITIES_JOBS;
use crate::state::State;

/// Largest document a custom entity recognition job reads, in bytes (Amazon Comprehend
/// Developer Guide, "Guidelines and quotas", custom entity recognition, asynchronous:
/// "Document size (UTF-8 characters)": 1 MB).
const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// A job's recognizer version.
pub struct Detect(Arc<Recognizer>);

impl Analysis for Detect {
    const FAMILY: &'static str = ENTITIES_JOBS;
    const MEMBER: &'static str = "output";
    const READING: Reading = Reading {
        line_bytes: MAX_DOCUMENT_BYTES,
        file_bytes: MAX_DOCUMENT_BYTES,
        lossy: false,
    };
    const BATCH: usize = 512;

    async fn prepare(state: &State, job: &DocumentJobRecord) -> Result<Self, String> {
        let noun = "entity recognizer";
        let key = analysis::model_key::<RecognizerRecord>(state, job, noun).await?;
        let recognizer = state.recognizers.load(&state.models, &key).await;
        Ok(Detect(recognizer.map_err(|e| e.to_string())?))
    }

    fn analyse(&self, source: &Source, documents: Batch, out: &mut Vec<u8>) -> Result<(), String> {
        for (line, document) in documents {
            write_line(out, &source.file, line, self.result(document))?;
        }
        Ok(())
    }
}

/// A document's entities, or its error (code, message) as the service words it.
type Outcome = Result<Vec<comprehend_ner::Entity>, (&'static str, String)>;

impl Detect {
    fn result(&self, document: Document) -> Outcome {
        match document {
            Document::Text(text) => Ok(self.0.detect(&text)),
            Document::TooLarge => Err((
                "DOCUMENT_SIZE_EXCEEDED",
                format!("Document size exceeds maximum size limit {MAX_DOCUMENT_BYTES} bytes."),
            )),
            Document::NotUtf8 => Err((
                "UNSUPPORTED_ENCODING",
                "Document is not in UTF-8 format and all subsequent lines are ignored.".to_owned(),
            )),
        }
    }
}

/// One line of `output`, members in the order the service writes them.
#[derive(serde::Serialize)]
struct Line<'a> {
    #[serde(rename = "Entities", skip_serializing_if = "Option::is_none")]
    entities: Option<Vec<OutputEntity>>,
    #[serde(rename = "File")]
    file: &'a str,
    #[serde(rename = "Line", skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    #[serde(rename = "ErrorCode", skip_serializing_if = "Option::is_none")]
    error_code: Option<&'static str>,
    #[serde(rename = "ErrorMessage", skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
}

#[derive(serde::Serialize)]
struct OutputEntity {
    #[serde(rename = "BeginOffset")]
    begin_offset: usize,
    #[serde(rename = "EndOffset")]
    end_offset: usize,
    #[serde(rename = "Score")]
    score: f32,
    #[serde(rename = "Text")]
    text: String,
    #[serde(rename = "Type")]
    entity_type: String,
}

fn write_line(
    out: &mut Vec<u8>,
    file: &str,
    line: Option<u64>,
    outcome: Outcome,
) -> Result<(), String> {
    let (entities, error) = match outcome {
        Ok(found) => (Some(found), None),
        Err(error) => (None, Some(error)),
    };
    let entities = entities.map(|found| {
        found
            .into_iter()
            .map(|e| OutputEntity {
                begin_offset: e.begin,
                end_offset: e.end,
                score: e.score as f32,
                text: e.text,
                entity_type: e.entity_type,
            })
            .collect()
    });
    let (error_code, error_message) = error.map_or((None, None), |(c, m)| (Some(c), Some(m)));
    let record = Line {
        entities,
        file,
        line,
        error_code,
        error_message,
    };
    serde_json::to_writer(&mut *out, &record).map_err(|e| e.to_string())?;
    out.write_all(b"\n").map_err(|e| e.to_string())
}
