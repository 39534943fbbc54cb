//! Asynchronous classification jobs: StartDocumentClassificationJob,
//! DescribeDocumentClassificationJob, ListDocumentClassificationJobs, and the job that
//! classifies every document under an S3 prefix into `predictions.jsonl`.
//!
//! Lifecycle: SUBMITTED → IN_PROGRESS → COMPLETED, or FAILED with a message. Input is
//! streamed (ONE_DOC_PER_LINE inputs of millions of lines never sit in memory at once);
//! predictions go to a temporary file, are archived, and uploaded in parts to
//! `<S3Uri><account>-CLN-<JobId>/output/output.tar.gz`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::{Buf, BytesMut};
use comprehend_ml::{Mode, Model};
use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::classification_jobs::ClassificationJobRecord;
use comprehend_store::objects::S3Uri;
use comprehend_store::{Condition, Creation, Job, JobKind, Order};
use futures::StreamExt;

use super::data::{self, under_prefix};
use super::{
    Replay, at_most_one_filter, classifiers, flywheels, opt_ts, replay, tags, time_window, ts,
    with_response,
};
use crate::error::Result;
use crate::pagination::{next_token, page_request};
use crate::runner::JobError;
use crate::state::{Shared, State, now_ms};

/// Documents classified per batch (both cores work on a batch).
const BATCH: usize = 1024;
/// Largest document in ONE_DOC_PER_FILE mode (FACTS.md §10).
const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// StartDocumentClassificationJob.
pub async fn start(
    state: &Shared,
    ctx: &RequestContext,
    mut input: StartDocumentClassificationJobRequest,
) -> Result<StartDocumentClassificationJobResponse> {
    let token = input.client_request_token.take();
    let record = match replay(
        state,
        ctx,
        "StartDocumentClassificationJob",
        token.as_deref(),
        &input,
    )
    .await?
    {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let invalid = |m: String| -> Result<StartDocumentClassificationJobResponse> {
        Err(ServiceError::invalid_request(m).into())
    };
    let model_arn = match (&input.document_classifier_arn, &input.flywheel_arn) {
        (Some(_), Some(_)) => return invalid("Specify either DocumentClassifierArn or FlywheelArn, not both.".into()),
        (None, None) => return invalid("Specify the model: DocumentClassifierArn, or FlywheelArn to use a flywheel's active version.".into()),
        (Some(arn), None) => arn.clone(),
        (None, Some(arn)) => {
            let flywheel = flywheels::owned(state, ctx, arn).await?;
            match flywheel.active_model_arn {
                Some(active) => active,
                None => return invalid(format!("The flywheel {arn} has no active model version yet.")),
            }
        }
    };
    classifiers::usable(state, ctx, &model_arn).await?;
    if input.input_data_config.document_reader_config.is_some() {
        return invalid("DocumentReaderConfig (PDF, Word and image inputs) is not supported by comprehend-local; use plain text.".into());
    }
    for uri in [
        &input.input_data_config.s3_uri,
        &input.output_data_config.s3_uri,
    ] {
        S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    }
    let tags = tags::incoming(input.tags.take())?;
    let job_id = uuid::Uuid::new_v4().simple().to_string();
    let arn = Arn::new(ctx, Resource::ClassificationJob { id: job_id.clone() }).to_string();
    input
        .input_data_config
        .input_format
        .get_or_insert(InputFormat::OneDocPerLine);
    let output = under_prefix(
        &input.output_data_config.s3_uri,
        &format!("{}-CLN-{job_id}/output/output.tar.gz", ctx.account_id),
    );
    let response = StartDocumentClassificationJobResponse {
        job_id: Some(job_id.clone()),
        job_arn: Some(arn.clone()),
        job_status: Some(JobStatus::Submitted),
        document_classifier_arn: Some(model_arn.clone()),
    };
    let now = now_ms();
    let job = ClassificationJobRecord {
        seq: 0,
        job_id,
        arn,
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        job_name: input.job_name.clone(),
        status: JobStatus::Submitted,
        message: None,
        submit_time: now,
        end_time: None,
        document_classifier_arn: Some(model_arn),
        flywheel_arn: input.flywheel_arn.clone(),
        request: input,
        output_s3_uri: output,
    };
    let creation = Creation {
        tags,
        job: Some(JobKind::ClassifyDocuments),
        idempotency: with_response(record, &response),
        now,
    };
    state
        .store
        .insert_classification_job(&job, &creation)
        .await?;
    state.wakeup.notify();
    Ok(response)
}

fn properties(j: ClassificationJobRecord) -> DocumentClassificationJobProperties {
    let request = j.request;
    DocumentClassificationJobProperties {
        job_id: Some(j.job_id),
        job_arn: Some(j.arn),
        job_name: j.job_name,
        job_status: Some(j.status),
        message: j.message,
        submit_time: Some(ts(j.submit_time)),
        end_time: opt_ts(j.end_time),
        document_classifier_arn: j.document_classifier_arn,
        input_data_config: Some(request.input_data_config),
        output_data_config: Some(OutputDataConfig {
            s3_uri: j.output_s3_uri,
            kms_key_id: request.output_data_config.kms_key_id,
        }),
        data_access_role_arn: Some(request.data_access_role_arn),
        volume_kms_key_id: request.volume_kms_key_id,
        vpc_config: request.vpc_config,
        flywheel_arn: j.flywheel_arn,
    }
}

/// DescribeDocumentClassificationJob.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeDocumentClassificationJobRequest,
) -> Result<DescribeDocumentClassificationJobResponse> {
    let job = state
        .store
        .classification_job(&ctx.account_id, &ctx.region, &input.job_id)
        .await?
        .ok_or_else(|| {
            ServiceError::job_not_found(format!(
                "Could not find a document classification job with id {}.",
                input.job_id
            ))
        })?;
    Ok(DescribeDocumentClassificationJobResponse {
        document_classification_job_properties: Some(properties(job)),
    })
}

/// ListDocumentClassificationJobs.
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListDocumentClassificationJobsRequest,
) -> Result<ListDocumentClassificationJobsResponse> {
    const OP: &str = "ListDocumentClassificationJobs";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let filter = input.filter.unwrap_or_default();
    at_most_one_filter(&[
        filter.job_name.is_some(),
        filter.job_status.is_some(),
        filter.submit_time_before.is_some(),
        filter.submit_time_after.is_some(),
    ])?;
    let mut conditions = Vec::new();
    let mut order = Order::Ascending;
    if let Some(name) = filter.job_name {
        conditions.push(Condition::Eq("job_name", name));
    }
    if let Some(status) = filter.job_status {
        conditions.push(Condition::Eq("status", status.as_str().into()));
    }
    if filter.submit_time_after.is_some() {
        order = Order::Descending;
    }
    conditions.extend(time_window(
        "submit_time",
        filter.submit_time_after,
        filter.submit_time_before,
    ));
    let page = state
        .store
        .list_classification_jobs(&ctx.account_id, &ctx.region, &conditions, order, page)
        .await?;
    Ok(ListDocumentClassificationJobsResponse {
        next_token: next_token(OP, &page),
        document_classification_job_properties_list: Some(
            page.items.into_iter().map(properties).collect(),
        ),
    })
}

/// Marks a job FAILED.
pub async fn fail(state: &State, arn: &str, message: &str) -> Result<()> {
    state
        .store
        .transition_classification_job(
            arn,
            &[
                JobStatus::Submitted,
                JobStatus::InProgress,
                JobStatus::StopRequested,
            ],
            JobStatus::Failed,
            Some(Some(message.to_owned())),
            Some(now_ms()),
        )
        .await?;
    Ok(())
}

/// The ClassifyDocuments job.
pub async fn run(state: &Shared, job: &Job) -> Result<(), JobError> {
    let Some(record) = state
        .store
        .classification_job_by_arn(&job.resource_arn)
        .await?
    else {
        return Ok(());
    };
    if !matches!(record.status, JobStatus::Submitted | JobStatus::InProgress) {
        return Ok(());
    }
    state
        .store
        .transition_classification_job(
            &record.arn,
            &[JobStatus::Submitted, JobStatus::InProgress],
            JobStatus::InProgress,
            Some(None),
            None,
        )
        .await?;
    let scratch = state.config.data_dir.join("tmp");
    let predictions = scratch.join(format!("{}.predictions.jsonl", record.job_id));
    let archive = scratch.join(format!("{}.output.tar.gz", record.job_id));
    let outcome = classify_all(state, &record, &predictions, &archive).await;
    let _ = tokio::fs::remove_file(&predictions).await;
    let _ = tokio::fs::remove_file(&archive).await;
    match outcome {
        Ok(count) => {
            tracing::info!(job = %record.job_id, documents = count, "classification job completed");
            state
                .store
                .transition_classification_job(
                    &record.arn,
                    &[JobStatus::InProgress],
                    JobStatus::Completed,
                    None,
                    Some(now_ms()),
                )
                .await?;
            Ok(())
        }
        Err(message) => {
            fail(state, &record.arn, &message).await?;
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
    let model_arn = record.document_classifier_arn.clone().unwrap_or_default();
    let key = state
        .store
        .classifier(&model_arn)
        .await
        .map_err(|e| e.to_string())?
        .and_then(|m| m.model_key)
        .ok_or_else(|| format!("The model {model_arn} is no longer available."))?;
    let model = state.models.load(&key).await.map_err(|e| e.to_string())?;
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
        match input.input_format.unwrap_or(InputFormat::OneDocPerLine) {
            InputFormat::OneDocPerLine => {
                let mut stream = state
                    .objects
                    .get_stream(&object)
                    .await
                    .map_err(|e| data::object_message(e, &uri))?;
                let mut lines = LineSplitter::default();
                let mut batch: Vec<(u64, String)> = Vec::with_capacity(BATCH);
                while let Some(chunk) = stream.next().await {
                    let chunk = chunk.map_err(|e| data::object_message(e, &uri))?;
                    for line in lines.push(&chunk) {
                        batch.push(line);
                        if batch.len() == BATCH {
                            count +=
                                write_batch(&model, &file, std::mem::take(&mut batch), &mut out)
                                    .await?;
                        }
                    }
                }
                batch.extend(lines.finish());
                count += write_batch(&model, &file, batch, &mut out).await?;
            }
            InputFormat::OneDocPerFile => {
                let bytes = state
                    .objects
                    .get(&object)
                    .await
                    .map_err(|e| data::object_message(e, &uri))?;
                if bytes.len() > MAX_FILE_BYTES {
                    return Err(format!(
                        "{uri} is larger than {MAX_FILE_BYTES} bytes, the limit for one document."
                    ));
                }
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let scores = model.predict(&text);
                write_line(&mut out, &file, None, model.mode(), scores)?;
                count += 1;
            }
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    let (source, target) = (predictions.to_path_buf(), archive.to_path_buf());
    tokio::task::spawn_blocking(move || archive_file(&source, &target))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot build output.tar.gz: {e}"))?;
    let output = S3Uri::parse(&record.output_s3_uri).map_err(|e| e.to_string())?;
    state
        .objects
        .put_file(&output, archive)
        .await
        .map_err(|e| data::object_message(e, &record.output_s3_uri))?;
    Ok(count)
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

fn archive_file(source: &PathBuf, target: &PathBuf) -> std::io::Result<()> {
    let file = std::fs::File::create(target)?;
    let encoder = flate2::write::GzEncoder::new(
        std::io::BufWriter::new(file),
        flate2::Compression::default(),
    );
    let mut archive = tar::Builder::new(encoder);
    archive.append_path_with_name(source, "predictions.jsonl")?;
    archive.into_inner()?.finish()?.flush()
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
