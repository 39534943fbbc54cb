//! The asynchronous analysis job, written once for every family: it reads the job's
//! documents as a stream (every object under the input URI, ONE_DOC_PER_LINE or
//! ONE_DOC_PER_FILE, with the family's size and encoding rules), hands them to the
//! family a batch at a time on a blocking thread, writes each batch's output records to a
//! scratch file, checks for a stop between batches, and uploads the archive to
//! `<S3Uri><account>-<TYPE>-<JobId>/output/output.tar.gz` with the family's member name.
//! So a million lines run in flat memory. A stopped job ends STOPPED keeping what it
//! wrote (API reference, StopEntitiesDetectionJob and its kin); after a crash the job
//! starts again from the top.
//!
//! A family is one module implementing [`Analysis`] and one row in [`run`]'s table.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use comprehend_protocol::{InputDataConfig, InputFormat, JobStatus};
use comprehend_store::document_jobs::{DocumentJobChanges, DocumentJobRecord};
use comprehend_store::{Job, Target};
use futures::StreamExt;

use super::analysis::{Analysis, Source};
use super::documents::{Document, Lines};
use super::error::{JobError, resource_arn};
use super::{classification, entities, output};
use crate::data;
use crate::error::Error;
use crate::state::State;

/// Runs the job of the family its row names.
pub async fn run(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let Some(record) = state.store.document_job_by_arn(arn).await? else {
        return Ok(());
    };
    match record.family.as_str() {
        classification::Classify::FAMILY => {
            run_family::<classification::Classify>(state, job, record).await
        }
        entities::Detect::FAMILY => run_family::<entities::Detect>(state, job, record).await,
        other => {
            let message = format!("Unknown analysis job family '{other}'.");
            Err(JobError::Failed(fail_job(state, arn, &message).await?))
        }
    }
}

/// Marks an analysis job FAILED (its work failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    if let Some(arn) = resource_arn(target) {
        fail_job(state, arn, message).await?;
    }
    Ok(())
}

/// Marks a job FAILED; the message it was given (saying so when the disk is full).
async fn fail_job(state: &State, arn: &str, message: &str) -> Result<String, Error> {
    let message = crate::disk::failure_message(state, message);
    end(state, arn, JobStatus::Failed, Some(message.clone())).await?;
    Ok(message)
}

async fn end(
    state: &State,
    arn: &str,
    to: JobStatus,
    message: Option<String>,
) -> Result<bool, Error> {
    let changes = DocumentJobChanges {
        message: Some(message),
        end_time: Some(state.now_ms()),
    };
    Ok(state
        .store
        .transition_document_job(arn, to, changes)
        .await?)
}

/// How a run ended.
enum Ended {
    /// Every document was analysed.
    Completed,
    /// A stop was asked; what was written is kept.
    Stopped,
}

/// The scratch files of a run: results, then the archive built from them.
struct Scratch {
    results: PathBuf,
    archive: PathBuf,
}

impl Scratch {
    fn of(state: &State, record: &DocumentJobRecord) -> Scratch {
        let dir = state.config.data_dir.join("tmp");
        Scratch {
            results: dir.join(format!("{}.output.jsonl", record.job_id)),
            archive: dir.join(format!("{}.output.tar.gz", record.job_id)),
        }
    }

    async fn remove(&self) {
        let _ = tokio::fs::remove_file(&self.results).await;
        let _ = tokio::fs::remove_file(&self.archive).await;
    }
}

/// Runs one job of family `A`.
pub async fn run_family<A: Analysis>(
    state: &State,
    job: &Job,
    record: DocumentJobRecord,
) -> Result<(), JobError> {
    let scratch = Scratch::of(state, &record);
    if record.status == JobStatus::StopRequested {
        // Stopped before this run began: before any worker picked it up, or while a run
        // that a crash interrupted was writing (its whole lines are kept).
        let kept = keep_partial::<A>(state, &record, &scratch).await;
        scratch.remove().await;
        end(state, &record.arn, JobStatus::Stopped, kept.err()).await?;
        return Ok(());
    }
    let started = DocumentJobChanges {
        message: Some(None),
        end_time: None,
    };
    if !state
        .store
        .transition_document_job(&record.arn, JobStatus::InProgress, started)
        .await?
    {
        return Ok(());
    }
    let outcome = analyse_all::<A>(state, job, &record, &scratch).await;
    scratch.remove().await;
    let (to, message) = match outcome {
        Ok((Ended::Completed, count)) => {
            tracing::info!(job = %record.job_id, documents = count, "analysis job completed");
            (JobStatus::Completed, None)
        }
        Ok((Ended::Stopped, _)) => (JobStatus::Stopped, None),
        Err(message) => {
            let message = fail_job(state, &record.arn, &message).await?;
            return Err(JobError::Failed(message));
        }
    };
    end(state, &record.arn, to, message).await?;
    Ok(())
}

/// Uploads the whole lines an interrupted run left in its scratch file, if any.
async fn keep_partial<A: Analysis>(
    state: &State,
    record: &DocumentJobRecord,
    scratch: &Scratch,
) -> Result<(), String> {
    let Ok(bytes) = tokio::fs::read(&scratch.results).await else {
        return Ok(());
    };
    let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    tokio::fs::write(&scratch.results, &bytes[..whole])
        .await
        .map_err(|e| e.to_string())?;
    upload::<A>(state, record, scratch).await
}

async fn upload<A: Analysis>(
    state: &State,
    record: &DocumentJobRecord,
    scratch: &Scratch,
) -> Result<(), String> {
    let (results, archive) = (&scratch.results, &scratch.archive);
    output::upload(state, results, archive, A::MEMBER, &record.output_s3_uri).await
}

/// Analyses every input object, then uploads the archive (also when stopped: documents
/// analysed before the stop are kept). Returns how it ended and how many documents it
/// analysed.
async fn analyse_all<A: Analysis>(
    state: &State,
    job: &Job,
    record: &DocumentJobRecord,
    scratch: &Scratch,
) -> Result<(Ended, u64), String> {
    let analysis = Arc::new(A::prepare(state, record).await?);
    let input: InputDataConfig = serde_json::from_value(record.request["InputDataConfig"].clone())
        .map_err(|e| format!("The job's input configuration can't be read: {e}"))?;
    let objects = data::objects_at(state, &input.s3_uri, "input documents").await?;
    let mut writer = Writer::create(state, job.id, analysis, &scratch.results).await?;
    let mut ended = Ended::Completed;
    for object in objects {
        let source = Source {
            file: output::file_name(&input.s3_uri, &object),
            uri: object.to_string(),
            object,
        };
        let run = match input.input_format.unwrap_or(InputFormat::OneDocPerLine) {
            InputFormat::OneDocPerLine => writer.lines(&source).await?,
            InputFormat::OneDocPerFile => writer.file(&source).await?,
        };
        if let Ended::Stopped = run {
            ended = Ended::Stopped;
            break;
        }
    }
    writer.out.flush().map_err(|e| e.to_string())?;
    let count = writer.count;
    drop(writer);
    upload::<A>(state, record, scratch).await?;
    Ok((ended, count))
}

/// Writes output records, checking for a stop between batches.
struct Writer<'a, A> {
    out: std::io::BufWriter<std::fs::File>,
    analysis: Arc<A>,
    state: &'a State,
    job_id: i64,
    count: u64,
}

impl<'a, A: Analysis> Writer<'a, A> {
    async fn create(
        state: &'a State,
        job_id: i64,
        analysis: Arc<A>,
        results: &Path,
    ) -> Result<Self, String> {
        if let Some(dir) = results.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| format!("cannot create a scratch folder: {e}"))?;
        }
        let file = std::fs::File::create(results).map_err(|e| e.to_string())?;
        Ok(Writer {
            out: std::io::BufWriter::new(file),
            analysis,
            state,
            job_id,
            count: 0,
        })
    }

    /// ONE_DOC_PER_LINE: streams the object a batch of lines at a time. A line that is
    /// not UTF-8 (in a family that does not read lossily) ends the object.
    async fn lines(&mut self, source: &Source) -> Result<Ended, String> {
        let mut stream = self
            .state
            .objects
            .get_stream(&source.object)
            .await
            .map_err(|e| data::object_message(e, &source.uri))?;
        let mut lines = Lines::new(A::READING);
        let mut batch = Vec::with_capacity(A::BATCH);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| data::object_message(e, &source.uri))?;
            batch.extend(lines.push(&chunk));
            // A chunk may hold many batches' lines: at most BATCH documents go at a time.
            while batch.len() >= A::BATCH {
                let rest = batch.split_off(A::BATCH);
                let (go_on, ended) = self
                    .batch(source, std::mem::replace(&mut batch, rest))
                    .await?;
                if !go_on {
                    return Ok(ended);
                }
            }
        }
        batch.extend(lines.finish());
        Ok(self.batch(source, batch).await?.1)
    }

    /// Analyses and writes one batch; false when the object (or the job) must end here.
    async fn batch(
        &mut self,
        source: &Source,
        mut batch: Vec<(u64, Document)>,
    ) -> Result<(bool, Ended), String> {
        let not_utf8 = batch.iter().position(|(_, d)| *d == Document::NotUtf8);
        if let Some(i) = not_utf8 {
            batch.truncate(i + 1);
        }
        let numbered = batch.into_iter().map(|(n, d)| (Some(n), d)).collect();
        self.write(source, numbered).await?;
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
        self.write(source, vec![(None, A::READING.file(&bytes))])
            .await?;
        match self.stop_asked().await? {
            true => Ok(Ended::Stopped),
            false => Ok(Ended::Completed),
        }
    }

    async fn write(
        &mut self,
        source: &Source,
        documents: Vec<(Option<u64>, Document)>,
    ) -> Result<(), String> {
        if documents.is_empty() {
            return Ok(());
        }
        self.count += documents.len() as u64;
        let (analysis, source) = (self.analysis.clone(), source.clone());
        let lines = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            analysis.analyse(&source, documents, &mut out).map(|()| out)
        })
        .await
        .map_err(|e| e.to_string())??;
        self.out.write_all(&lines).map_err(|e| e.to_string())
    }

    async fn stop_asked(&self) -> Result<bool, String> {
        self.state
            .store
            .stop_requested(self.job_id)
            .await
            .map_err(|e| e.to_string())
    }
}
