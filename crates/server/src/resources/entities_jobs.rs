//! Asynchronous entities detection with custom recognizers: StartEntitiesDetectionJob,
//! DescribeEntitiesDetectionJob, ListEntitiesDetectionJobs and StopEntitiesDetectionJob.
//! The detection itself runs later, in [`crate::jobs`].
//!
//! Lifecycle (store `lifecycle::EntitiesJobStatus`): SUBMITTED → IN_PROGRESS →
//! COMPLETED, or FAILED with a message; StopEntitiesDetectionJob moves a job that has
//! not ended to STOP_REQUESTED, and its worker ends it STOPPED keeping what it wrote.

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::entities_jobs::EntitiesJobRecord;
use comprehend_store::objects::S3Uri;
use comprehend_store::{Creation, JobKind, Target, Tx};

use super::{Replay, document_jobs, flywheels, opt_ts, replay, tags, ts, versions, with_response};
use crate::data::under_prefix;
use crate::domain::ModelKind;
use crate::error::Result;
use crate::pagination::{next_token, page_request};
use crate::state::{Shared, State};

/// The job's business rules: a custom recognizer (built-in entity types and
/// recognizer flywheels are not emulated), plain-text input, well-formed S3 URIs.
async fn job_recognizer(
    tx: &mut Tx,
    ctx: &RequestContext,
    input: &StartEntitiesDetectionJobRequest,
) -> Result<String> {
    let invalid = |m: &str| -> Result<String> { Err(ServiceError::invalid_request(m).into()) };
    let arn = match (&input.entity_recognizer_arn, &input.flywheel_arn) {
        (Some(_), Some(_)) => {
            return invalid("Specify either EntityRecognizerArn or FlywheelArn, not both.");
        }
        (None, None) => {
            return invalid(
                "comprehend-local emulates custom entity recognizers only; the built-in entity types are not emulated. Give EntityRecognizerArn or FlywheelArn.",
            );
        }
        (Some(arn), None) => arn.clone(),
        (None, Some(arn)) => flywheels::active_version(tx, ctx, arn, ModelKind::Recognizer).await?,
    };
    versions::usable_recognizer(tx, ctx, &arn).await?;
    if input.input_data_config.document_reader_config.is_some() {
        return invalid(
            "DocumentReaderConfig (PDF, Word and image inputs) is not supported by comprehend-local; use plain text.",
        );
    }
    for uri in [
        &input.input_data_config.s3_uri,
        &input.output_data_config.s3_uri,
    ] {
        S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    }
    Ok(arn)
}

/// StartEntitiesDetectionJob.
pub async fn start(
    state: &Shared,
    ctx: &RequestContext,
    mut input: StartEntitiesDetectionJobRequest,
) -> Result<StartEntitiesDetectionJobResponse> {
    const OP: &str = "StartEntitiesDetectionJob";
    let token = input.client_request_token.take();
    let mut tx = state.store.begin().await?;
    let record = match replay(&mut tx, ctx, OP, token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let recognizer_arn = job_recognizer(&mut tx, ctx, &input).await?;
    let tags = tags::incoming(input.tags.take())?;
    let job_id = state.ids.job_id();
    let arn = Arn::new(ctx, Resource::EntitiesDetectionJob { id: job_id.clone() }).to_string();
    input
        .input_data_config
        .input_format
        .get_or_insert(InputFormat::OneDocPerLine);
    // API reference, OutputDataConfig.S3Uri: the service writes to a folder named
    // <account>-NER-<JobId> under the given location.
    let output = under_prefix(
        &input.output_data_config.s3_uri,
        &format!("{}-NER-{job_id}/output/output.tar.gz", ctx.account_id),
    );
    let response = StartEntitiesDetectionJobResponse {
        job_id: Some(job_id.clone()),
        job_arn: Some(arn.clone()),
        job_status: Some(JobStatus::Submitted),
        entity_recognizer_arn: Some(recognizer_arn.clone()),
    };
    let now = state.now_ms();
    let job = EntitiesJobRecord {
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
        entity_recognizer_arn: recognizer_arn,
        request: input,
        output_s3_uri: output,
    };
    let creation = Creation {
        tags,
        job: Some(JobKind::DetectEntities),
        idempotency: with_response(record, &response),
        now,
    };
    tx.insert_entities_job(&job, &creation).await?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

fn properties(j: EntitiesJobRecord) -> EntitiesDetectionJobProperties {
    let request = j.request;
    EntitiesDetectionJobProperties {
        job_id: Some(j.job_id),
        job_arn: Some(j.arn),
        job_name: j.job_name,
        job_status: Some(j.status),
        message: j.message,
        submit_time: Some(ts(j.submit_time)),
        end_time: opt_ts(j.end_time),
        entity_recognizer_arn: Some(j.entity_recognizer_arn),
        input_data_config: Some(request.input_data_config),
        output_data_config: Some(OutputDataConfig {
            s3_uri: j.output_s3_uri,
            kms_key_id: request.output_data_config.kms_key_id,
        }),
        language_code: Some(request.language_code),
        data_access_role_arn: Some(request.data_access_role_arn),
        volume_kms_key_id: request.volume_kms_key_id,
        vpc_config: request.vpc_config,
        flywheel_arn: request.flywheel_arn,
    }
}

async fn owned_job(state: &State, ctx: &RequestContext, job_id: &str) -> Result<EntitiesJobRecord> {
    state
        .store
        .entities_job(&ctx.account_id, &ctx.region, job_id)
        .await?
        .ok_or_else(|| {
            ServiceError::job_not_found(format!(
                "Could not find an entities detection job with id {job_id}."
            ))
            .into()
        })
}

/// DescribeEntitiesDetectionJob.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeEntitiesDetectionJobRequest,
) -> Result<DescribeEntitiesDetectionJobResponse> {
    let job = owned_job(state, ctx, &input.job_id).await?;
    Ok(DescribeEntitiesDetectionJobResponse {
        entities_detection_job_properties: Some(properties(job)),
    })
}

/// ListEntitiesDetectionJobs: one filter member at a time, oldest first (newest first
/// with SubmitTimeAfter, as ListDocumentClassificationJobs).
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListEntitiesDetectionJobsRequest,
) -> Result<ListEntitiesDetectionJobsResponse> {
    const OP: &str = "ListEntitiesDetectionJobs";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let filter = input.filter.unwrap_or_default();
    let (conditions, order) = document_jobs::list_filter(
        filter.job_name,
        filter.job_status,
        filter.submit_time_before,
        filter.submit_time_after,
    )?;
    let page = state
        .store
        .list_entities_jobs(&ctx.account_id, &ctx.region, &conditions, order, page)
        .await?;
    Ok(ListEntitiesDetectionJobsResponse {
        next_token: next_token(OP, &page),
        entities_detection_job_properties_list: Some(
            page.items.into_iter().map(properties).collect(),
        ),
    })
}

/// StopEntitiesDetectionJob: a job that has not ended moves to STOP_REQUESTED, with a
/// stop asked of its worker, in one transaction. A job already stopping or stopped
/// answers its status; a COMPLETED or FAILED one is InvalidRequestException (API
/// reference, StopEntitiesDetectionJob).
pub async fn stop(
    state: &Shared,
    ctx: &RequestContext,
    input: StopEntitiesDetectionJobRequest,
) -> Result<StopEntitiesDetectionJobResponse> {
    let job = owned_job(state, ctx, &input.job_id).await?;
    let target = Target::arn(&job.arn);
    let now = state.now_ms();
    let mut tx = state.store.begin().await?;
    let moved = tx
        .transition_entities_job(&job.arn, JobStatus::StopRequested, Default::default())
        .await?;
    if moved {
        tx.request_stop(&target, now).await?;
        tx.ensure_job(JobKind::DetectEntities, &target, now).await?;
    }
    tx.commit().await?;
    let status = match moved {
        true => JobStatus::StopRequested,
        // Not moved: it has ended (or was already stopping) — read what it is now.
        false => owned_job(state, ctx, &input.job_id).await?.status,
    };
    if matches!(status, JobStatus::Completed | JobStatus::Failed) {
        return Err(ServiceError::invalid_request(format!(
            "The job {} is {status}; only a job that has not ended can be stopped.",
            input.job_id
        ))
        .into());
    }
    state.wakeup.notify();
    Ok(StopEntitiesDetectionJobResponse {
        job_id: Some(input.job_id),
        job_status: Some(status),
    })
}
