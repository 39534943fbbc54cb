//! The DetectEntities job: runs a custom recognizer over every document under an S3
//! prefix and writes `<S3Uri><account>-NER-<JobId>/output/output.tar.gz`, whose one
//! member `output` is JSON Lines — one line per document in input order, with
//! `Entities` (possibly `[]`), `File` and, for ONE_DOC_PER_LINE, an integer `Line`; or
//! `ErrorCode`/`ErrorMessage` for a document that can't be read (Amazon Comprehend
//! Developer Guide, "Async analysis output for custom entity recognition").
//!
//! Input streams through in batches and results go to a scratch file, so a million
//! lines run in flat memory. A stop is checked between batches: the job then ends
//! STOPPED with what it wrote so far. After a crash the job starts again from the top.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use comprehend_ner::Recognizer;
use comprehend_protocol::{InputFormat, JobStatus};
use comprehend_store::entities_jobs::{EntitiesJobChanges, EntitiesJobRecord};
use comprehend_store::objects::S3Uri;
use comprehend_store::{Job, Target};
use futures::StreamExt;

use super::documents::{Document, Lines, MAX_DOCUMENT_BYTES};
use super::error::{JobError, resource_arn};
use super::output;
use crate::data;
use crate::error::Error;
use crate::state::State;

/// Documents per batch between stop checks.
const BATCH: usize = 512;

/// How a run ended.
enum Ended {
    /// Every document was processed.
    Completed,
    /// A stop was asked; what was written is kept.
    Stopped,
}

async fn end(
    state: &State,
    arn: &str,
    to: JobStatus,
    message: Option<String>,
) -> Result<bool, Error> {
    let changes = EntitiesJobChanges {
        message: Some(message),
        end_time: Some(state.now_ms()),
    };
    Ok(state
        .store
        .transition_entities_job(arn, to, changes)
        .await?)
}

/// Marks an entities detection job FAILED (its work failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    if let Some(arn) = resource_arn(target) {
        let message = crate::disk::failure_message(state, message);
        end(state, arn, JobStatus::Failed, Some(message)).await?;
    }
    Ok(())
}

/// DetectEntities.
pub async fn run(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let Some(record) = state.store.entities_job_by_arn(arn).await? else {
        return Ok(());
    };
    let scratch = state.config.data_dir.join("tmp");
    let results = scratch.join(format!("{}.output.jsonl", record.job_id));
    let archive = scratch.join(format!("{}.output.tar.gz", record.job_id));
    if record.status == JobStatus::StopRequested {
        // Stopped before this run began: before any worker picked it up, or while a
        // run that a crash interrupted was writing (its whole lines are kept).
        let kept = keep_partial(state, &record, &results, &archive).await;
        let _ = tokio::fs::remove_file(&results).await;
        let _ = tokio::fs::remove_file(&archive).await;
        end(state, arn, JobStatus::Stopped, kept.err()).await?;
        return Ok(());
    }
    let started = EntitiesJobChanges {
        message: Some(None),
        end_time: None,
    };
    if !state
        .store
        .transition_entities_job(arn, JobStatus::InProgress, started)
        .await?
    {
        return Ok(());
    }
    let outcome = detect_all(state, job, &record, &results, &archive).await;
    let _ = tokio::fs::remove_file(&results).await;
    let _ = tokio::fs::remove_file(&archive).await;
    match outcome {
        Ok(Ended::Completed) => {
            end(state, arn, JobStatus::Completed, None).await?;
            Ok(())
        }
        Ok(Ended::Stopped) => {
            end(state, arn, JobStatus::Stopped, None).await?;
            Ok(())
        }
        Err(message) => {
            let message = crate::disk::failure_message(state, &message);
            end(state, arn, JobStatus::Failed, Some(message.clone())).await?;
            Err(JobError::Failed(message))
        }
    }
}

/// Uploads the whole lines an interrupted run left in its scratch file, if any.
async fn keep_partial(
    state: &State,
    record: &EntitiesJobRecord,
    results: &Path,
    archive: &Path,
) -> Result<(), String> {
    let Ok(bytes) = tokio::fs::read(results).await else {
        return Ok(());
    };
    let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    tokio::fs::write(results, &bytes[..whole])
        .await
        .map_err(|e| e.to_string())?;
    output::upload(state, results, archive, "output", &record.output_s3_uri).await
}

/// Runs the recognizer over every input object, then uploads the archive (also when
/// stopped: documents processed before the stop are kept, API reference,
/// StopEntitiesDetectionJob).
async fn detect_all(
    state: &State,
    job: &Job,
    record: &EntitiesJobRecord,
    results: &Path,
    archive: &Path,
) -> Result<Ended, String> {
    let recognizer = job_recognizer(state, record).await?;
    let input = &record.request.input_data_config;
    let objects = data::objects_at(state, &input.s3_uri, "input documents").await?;
    if let Some(dir) = results.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| format!("cannot create a scratch folder: {e}"))?;
    }
    let file = std::fs::File::create(results).map_err(|e| e.to_string())?;
    let mut writer = Writer {
        out: std::io::BufWriter::new(file),
        recognizer,
        state,
        job_id: job.id,
    };
    let mut ended = Ended::Completed;
    for object in objects {
        let source = Source {
            file: output::file_name(&input.s3_uri, &object),
            uri: object.to_string(),
            object,
        };
        let format = input.input_format.unwrap_or(InputFormat::OneDocPerLine);
        let run = match format {
            InputFormat::OneDocPerLine => writer.lines(&source).await?,
            InputFormat::OneDocPerFile => writer.file(&source).await?,
        };
        if let Ended::Stopped = run {
            ended = Ended::Stopped;
            break;
        }
    }
    writer.out.flush().map_err(|e| e.to_string())?;
    drop(writer);
    output::upload(state, results, archive, "output", &record.output_s3_uri).await?;
    Ok(ended)
}

/// The recognizer version a job runs with.
async fn job_recognizer(
    state: &State,
    record: &EntitiesJobRecord,
) -> Result<Arc<Recognizer>, String> {
    let arn = &record.entity_recognizer_arn;
    let key = state
        .store
        .recognizer(arn)
        .await
        .map_err(|e| e.to_string())?
        .and_then(|m| m.model_key)
        .ok_or_else(|| format!("The entity recognizer {arn} is no longer available."))?;
    state
        .recognizers
        .load(&state.models, &key)
        .await
        .map_err(|e| e.to_string())
}

/// One input object: where it is, and the `File` its lines name.
struct Source {
    object: S3Uri,
    uri: String,
    file: String,
}

/// Writes result lines, checking for a stop between batches.
struct Writer<'a, W: Write> {
    out: W,
    recognizer: Arc<Recognizer>,
    state: &'a State,
    job_id: i64,
}

impl<W: Write> Writer<'_, W> {
    /// ONE_DOC_PER_LINE: streams the object a batch of lines at a time. A line that is
    /// not UTF-8 ends the object (its error line says the rest is ignored).
    async fn lines(&mut self, source: &Source) -> Result<Ended, String> {
        let mut stream = self
            .state
            .objects
            .get_stream(&source.object)
            .await
            .map_err(|e| data::object_message(e, &source.uri))?;
        let mut lines = Lines::default();
        let mut batch = Vec::with_capacity(BATCH);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| data::object_message(e, &source.uri))?;
            batch.extend(lines.push(&chunk));
            if batch.len() >= BATCH {
                let (go_on, ended) = self.batch(source, std::mem::take(&mut batch)).await?;
                if !go_on {
                    return Ok(ended);
                }
            }
        }
        batch.extend(lines.finish());
        Ok(self.batch(source, batch).await?.1)
    }

    /// Detects and writes one batch; false when the object (or the job) must end here.
    async fn batch(
        &mut self,
        source: &Source,
        batch: Vec<(u64, Document)>,
    ) -> Result<(bool, Ended), String> {
        let not_utf8 = batch.iter().position(|(_, d)| *d == Document::NotUtf8);
        let mut batch = batch;
        if let Some(i) = not_utf8 {
            batch.truncate(i + 1);
        }
        let recognizer = self.recognizer.clone();
        let detected = tokio::task::spawn_blocking(move || {
            batch
                .into_iter()
                .map(|(line, doc)| (line, result(&recognizer, doc)))
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| e.to_string())?;
        for (line, result) in detected {
            write_line(&mut self.out, &source.file, Some(line), result)?;
        }
        if self.stop_asked().await? {
            return Ok((false, Ended::Stopped));
        }
        Ok((not_utf8.is_none(), Ended::Completed))
    }

    /// ONE_DOC_PER_FILE: the whole object is one document.
    async fn file(&mut self, source: &Source) -> Result<Ended, String> {
        let bytes = self
            .state
            .objects
            .get(&source.object)
            .await
            .map_err(|e| data::object_message(e, &source.uri))?;
        let recognizer = self.recognizer.clone();
        let result =
            tokio::task::spawn_blocking(move || result(&recognizer, Document::from_bytes(&bytes)))
                .await
                .map_err(|e| e.to_string())?;
        write_line(&mut self.out, &source.file, None, result)?;
        match self.stop_asked().await? {
            true => Ok(Ended::Stopped),
            false => Ok(Ended::Completed),
        }
    }

    async fn stop_asked(&self) -> Result<bool, String> {
        self.state
            .store
            .stop_requested(self.job_id)
            .await
            .map_err(|e| e.to_string())
    }
}

/// A document's entities, or its error (code, message) as the service words it.
type Outcome = Result<Vec<comprehend_ner::Entity>, (&'static str, String)>;

fn result(recognizer: &Recognizer, document: Document) -> Outcome {
    match document {
        Document::Text(text) => Ok(recognizer.detect(&text)),
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
    out: &mut impl Write,
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
    let (error_code, error_message) = match error {
        Some((code, message)) => (Some(code), Some(message)),
        None => (None, None),
    };
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
