//! The ClassifyDocuments job: classifies every document under an S3 prefix into
//! `predictions.jsonl`. Input is streamed (ONE_DOC_PER_LINE inputs of millions of lines
//! never sit in memory at once); predictions go to a temporary file, are archived, and
//! uploaded in parts to `<S3Uri><account>-CLN-<JobId>/output/output.tar.gz`.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use bytes::{Buf, BytesMut};
use comprehend_ml::{Mode, Model};
use comprehend_protocol::*;
use comprehend_store::classification_jobs::{ClassificationJobChanges, ClassificationJobRecord};
use comprehend_store::objects::S3Uri;
use comprehend_store::{Job, Target};
use futures::StreamExt;

use super::error::{JobError, resource_arn};
use super::output;
use crate::data;
use crate::error::Error;
use crate::state::State;

/// Documents classified per batch (both cores work on a batch).
const BATCH: usize = 1024;
/// Largest document in ONE_DOC_PER_FILE mode (Amazon Comprehend Developer Guide,
/// "Guidelines and quotas": asynchronous classification, one document per file).
const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

async fn fail_job(state: &State, arn: &str, message: &str) -> Result<(), Error> {
    let changes = ClassificationJobChanges {
        message: Some(Some(crate::disk::failure_message(state, message))),
        end_time: Some(state.now_ms()),
    };
    state
        .store
        .transition_classification_job(arn, JobStatus::Failed, changes)
        .await?;
    Ok(())
}

/// Marks a classification job FAILED (its work failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    match resource_arn(target) {
        Some(arn) => fail_job(state, arn, message).await,
        None => Ok(()),
    }
}

/// ClassifyDocuments.
pub async fn run(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let Some(record) = state.store.classification_job_by_arn(arn).await? else {
        return Ok(());
    };
    let started = ClassificationJobChanges {
        message: Some(None),
        end_time: None,
    };
    if !state
        .store
        .transition_classification_job(&record.arn, JobStatus::InProgress, started)
        .await?
    {
        return Ok(());
    }
    let scratch = state.config.data_dir.join("tmp");
    let predictions = scratch.join(format!("{}.predictions.jsonl", record.job_id));
    let archive = scratch.join(format!("{}.output.tar.gz", record.job_id));
    let outcome = classify_all(state, &record, &predictions, &archive).await;
    let _ = tokio::fs::remove_file(&predictions).await;
    let _ = tokio::fs::remove_file(&archive).await;
    match outcome {
        Ok(count) => {
            tracing::info!(job = %record.job_id, documents = count, "classification job completed");
            let done = ClassificationJobChanges {
                message: None,
                end_time: Some(state.now_ms()),
            };
            state
                .store
                .transition_classification_job(&record.arn, JobStatus::Completed, done)
                .await?;
            Ok(())
        }
        Err(message) => {
            fail_job(state, &record.arn, &message).await?;
            Err(JobError::Failed(message))
        }
    }
}

async fn classify_all(
    state: &State,
    record: &ClassificationJobRecord,
    predictions: &Path,
    archive: &Path,
) -> Result<u64, String> {
    let model = job_model(state, record).await?;
    let input = &record.request.input_data_config;
    let objects = data::objects_at(state, &input.s3_uri, "input documents").await?;
    let folder = match input.s3_uri.rfind('/') {
        Some(i) if i > "s3://".len() => input.s3_uri[..=i].to_owned(),
        _ => format!("{}/", input.s3_uri),
    };
    if let Some(dir) = predictions.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| format!("cannot create a scratch folder: {e}"))?;
    }
    let mut out =
        std::io::BufWriter::new(std::fs::File::create(predictions).map_err(|e| e.to_string())?);
    let mut count = 0u64;
    for object in objects {
        let uri = object.to_string();
        let file = uri.strip_prefix(&folder).unwrap_or(&object.key).to_owned();
        let source = Source {
            object: &object,
            uri: &uri,
            file: &file,
        };
        count += match input.input_format.unwrap_or(InputFormat::OneDocPerLine) {
            InputFormat::OneDocPerLine => classify_lines(state, &model, &source, &mut out).await?,
            InputFormat::OneDocPerFile => classify_file(state, &model, &source, &mut out).await?,
        };
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    upload_archive(state, record, predictions, archive).await?;
    Ok(count)
}

/// The model version a job classifies with.
async fn job_model(state: &State, record: &ClassificationJobRecord) -> Result<Arc<Model>, String> {
    let model_arn = record.document_classifier_arn.clone().unwrap_or_default();
    let key = state
        .store
        .classifier(&model_arn)
        .await
        .map_err(|e| e.to_string())?
        .and_then(|m| m.model_key)
        .ok_or_else(|| format!("The model {model_arn} is no longer available."))?;
    state.models.load(&key).await.map_err(|e| e.to_string())
}

/// One input object: where it is, and the `File` its predictions name.
struct Source<'a> {
    object: &'a S3Uri,
    uri: &'a str,
    file: &'a str,
}

/// ONE_DOC_PER_LINE: streams the object, classifying a batch of lines at a time.
async fn classify_lines(
    state: &State,
    model: &Arc<Model>,
    source: &Source<'_>,
    out: &mut impl Write,
) -> Result<u64, String> {
    let mut stream = state
        .objects
        .get_stream(source.object)
        .await
        .map_err(|e| data::object_message(e, source.uri))?;
    let mut lines = LineSplitter::default();
    let mut batch: Vec<(u64, String)> = Vec::with_capacity(BATCH);
    let mut count = 0;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| data::object_message(e, source.uri))?;
        for line in lines.push(&chunk) {
            batch.push(line);
            if batch.len() == BATCH {
                count += write_batch(model, source.file, std::mem::take(&mut batch), out).await?;
            }
        }
    }
    batch.extend(lines.finish());
    Ok(count + write_batch(model, source.file, batch, out).await?)
}

/// ONE_DOC_PER_FILE: the whole object is one document.
async fn classify_file(
    state: &State,
    model: &Arc<Model>,
    source: &Source<'_>,
    out: &mut impl Write,
) -> Result<u64, String> {
    let bytes = state
        .objects
        .get(source.object)
        .await
        .map_err(|e| data::object_message(e, source.uri))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{} is larger than {MAX_FILE_BYTES} bytes, the limit for one document.",
            source.uri
        ));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let scores = model.predict(&text);
    write_line(out, source.file, None, model.mode(), scores)?;
    Ok(1)
}

/// Archives `predictions.jsonl` and uploads it to the job's output location.
async fn upload_archive(
    state: &State,
    record: &ClassificationJobRecord,
    predictions: &Path,
    archive: &Path,
) -> Result<(), String> {
    output::upload(
        state,
        predictions,
        archive,
        "predictions.jsonl",
        &record.output_s3_uri,
    )
    .await
}

async fn write_batch(
    model: &Arc<Model>,
    file: &str,
    batch: Vec<(u64, String)>,
    out: &mut impl Write,
) -> Result<u64, String> {
    if batch.is_empty() {
        return Ok(0);
    }
    let model_for_batch = model.clone();
    let (numbers, texts): (Vec<u64>, Vec<String>) = batch.into_iter().unzip();
    let scores = tokio::task::spawn_blocking(move || model_for_batch.predict_batch(&texts))
        .await
        .map_err(|e| e.to_string())?;
    let n = numbers.len() as u64;
    for (line, scores) in numbers.into_iter().zip(scores) {
        write_line(out, file, Some(line), model.mode(), scores)?;
    }
    Ok(n)
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
    out: &mut impl Write,
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

/// Splits a byte stream into numbered lines at LF, CRLF or CR; empty lines are counted
/// but not classified.
#[derive(Default)]
struct LineSplitter {
    pending: BytesMut,
    next_line: u64,
    after_cr: bool,
}

impl LineSplitter {
    fn push(&mut self, chunk: &[u8]) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        for &byte in chunk {
            match byte {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    self.emit(&mut out);
                }
                _ => {
                    self.after_cr = false;
                    self.pending.extend_from_slice(&[byte]);
                }
            }
        }
        out
    }

    fn emit(&mut self, out: &mut Vec<(u64, String)>) {
        let line = self.next_line;
        self.next_line += 1;
        let bytes = self.pending.split();
        let text = String::from_utf8_lossy(bytes.chunk()).into_owned();
        if !text.trim().is_empty() {
            out.push((line, text));
        }
    }

    fn finish(mut self) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        if !self.pending.is_empty() {
            self.emit(&mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_at_any_line_end_across_chunks() {
        let mut s = LineSplitter::default();
        let mut lines = s.push(b"first\r\nsec");
        lines.extend(s.push(b"ond\rthird\n\nfifth"));
        lines.extend(s.finish());
        let got: Vec<(u64, &str)> = lines.iter().map(|(n, t)| (*n, t.as_str())).collect();
        assert_eq!(
            got,
            [(0, "first"), (1, "second"), (2, "third"), (4, "fifth")]
        );
    }

    #[test]
    fn crlf_split_between_chunks_is_one_line_end() {
        let mut s = LineSplitter::default();
        let mut lines = s.push(b"a\r");
        lines.extend(s.push(b"\nb"));
        lines.extend(s.finish());
        assert_eq!(lines, [(0, "a".to_owned()), (1, "b".to_owned())]);
    }
}
