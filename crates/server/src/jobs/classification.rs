//! The document classification family of analysis jobs (StartDocumentClassificationJob):
//! each document's classes (or labels) from the job's classifier version, as the lines
//! of `predictions.jsonl` in `<S3Uri><account>-CLN-<JobId>/output/output.tar.gz`.
//! Documents are read lossily (bytes that are not UTF-8 are replaced), ONE_DOC_PER_LINE
//! lines at any length, a ONE_DOC_PER_FILE document at most 10 MB (larger fails the job).

use std::io::Write;
use std::sync::Arc;

use comprehend_ml::{Mode, Model};
use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::document_jobs::DocumentJobRecord;

use super::analysis::{self, Analysis, Batch, Source};
use super::documents::{Document, Reading};
use crate::domain::CLASSIFICATION_JOBS;
use crate::state::State;

/// Largest document in ONE_DOC_PER_FILE mode (Amazon Comprehend Developer Guide,
/// "Guidelines and quotas": asynchronous classification, one document per file).
const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// A job's classifier version.
pub struct Classify(Arc<Model>);

impl Analysis for Classify {
    const FAMILY: &'static str = CLASSIFICATION_JOBS;
    const MEMBER: &'static str = "predictions.jsonl";
    const READING: Reading = Reading {
        line_bytes: usize::MAX,
        file_bytes: MAX_FILE_BYTES,
        lossy: true,
    };
    // Both cores work on a batch.
    const BATCH: usize = 1024;

    async fn prepare(state: &State, job: &DocumentJobRecord) -> Result<Self, String> {
        let key = analysis::model_key::<ClassifierRecord>(state, job, "model").await?;
        let model = state.models.load(&key).await.map_err(|e| e.to_string())?;
        Ok(Classify(model))
    }

    fn analyse(&self, source: &Source, documents: Batch, out: &mut Vec<u8>) -> Result<(), String> {
        let mut lines = Vec::with_capacity(documents.len());
        let mut texts = Vec::with_capacity(documents.len());
        for (line, document) in documents {
            match document {
                Document::Text(text) => texts.push(text),
                Document::TooLarge | Document::NotUtf8 => {
                    return Err(format!(
                        "{} is larger than {MAX_FILE_BYTES} bytes, the limit for one document.",
                        source.uri
                    ));
                }
            }
            lines.push(line);
        }
        let scores = self.0.predict_batch(&texts);
        for (line, scores) in lines.into_iter().zip(scores) {
            write_line(out, &source.file, line, self.0.mode(), scores)?;
        }
        Ok(())
    }
}

/// One line of `predictions.jsonl`, members in the order the service writes them.
#[derive(serde::Serialize)]
struct Prediction<'a> {
    #[serde(rename = "File")]
    file: &'a str,
    #[serde(rename = "Line", skip_serializing_if = "Option::is_none")]
    line: Option<String>,
    #[serde(rename = "Classes", skip_serializing_if = "Option::is_none")]
    classes: Option<Vec<Score>>,
    #[serde(rename = "Labels", skip_serializing_if = "Option::is_none")]
    labels: Option<Vec<Score>>,
}

#[derive(serde::Serialize)]
struct Score {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Score")]
    score: f32,
}

fn write_line(
    out: &mut Vec<u8>,
    file: &str,
    line: Option<u64>,
    mode: Mode,
    scores: Vec<(String, f64)>,
) -> Result<(), String> {
    let ranked: Vec<Score> = scores
        .into_iter()
        .map(|(name, score)| Score {
            name,
            score: score as f32,
        })
        .collect();
    let (classes, labels) = match mode {
        Mode::MultiClass => (Some(ranked), None),
        Mode::MultiLabel => (None, Some(ranked)),
    };
    let prediction = Prediction {
        file,
        line: line.map(|l| l.to_string()),
        classes,
        labels,
    };
    serde_json::to_writer(&mut *out, &prediction).map_err(|e| e.to_string())?;
    out.write_all(b"\n").map_err(|e| e.to_string())
}
