//! Asynchronous classification jobs: StartDocumentClassificationJob,
//! DescribeDocumentClassificationJob and ListDocumentClassificationJobs. The
//! classification itself runs later, in [`crate::jobs`].
//!
//! Lifecycle: SUBMITTED → IN_PROGRESS → COMPLETED, or FAILED with a message.

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::classification_jobs::ClassificationJobRecord;
use comprehend_store::objects::S3Uri;
use comprehend_store::{Creation, JobKind, Tx};

use super::{Replay, document_jobs, flywheels, opt_ts, replay, tags, ts, versions, with_response};
use crate::data::under_prefix;
use crate::domain::ModelKind;
use crate::error::Result;
use crate::pagination::{next_token, page_request};
use crate::state::Shared;

/// The model version a job will use (named directly, or a flywheel's active version),
/// checked usable, with the job's other business rules.
async fn job_model(
    tx: &mut Tx,
    ctx: &RequestContext,
    input: &StartDocumentClassificationJobRequest,
) -> Result<String> {
    let invalid = |m: String| -> Result<String> { Err(ServiceError::invalid_request(m).into()) };
    let model_arn = match (&input.document_classifier_arn, &input.flywheel_arn) {
        (Some(_), Some(_)) => return invalid("Specify either DocumentClassifierArn or FlywheelArn, not both.".into()),
        (None, None) => return invalid("Specify the model: DocumentClassifierArn, or FlywheelArn to use a flywheel's active version.".into()),
        (Some(arn), None) => arn.clone(),
        (None, Some(arn)) => {
            flywheels::active_version(tx, ctx, arn, ModelKind::Classifier).await?
        }
    };
    versions::usable_classifier(tx, ctx, &model_arn).await?;
    if input.input_data_config.document_reader_config.is_some() {
        return invalid("DocumentReaderConfig (PDF, Word and image inputs) is not supported by comprehend-local; use plain text.".into());
    }
    for uri in [
        &input.input_data_config.s3_uri,
        &input.output_data_config.s3_uri,
    ] {
        S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    }
    Ok(model_arn)
}

/// StartDocumentClassificationJob.
pub async fn start(
    state: &Shared,
    ctx: &RequestContext,
    mut input: StartDocumentClassificationJobRequest,
) -> Result<StartDocumentClassificationJobResponse> {
    let token = input.client_request_token.take();
    let mut tx = state.store.begin().await?;
    let record = match replay(
        &mut tx,
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
    let model_arn = job_model(&mut tx, ctx, &input).await?;
    let tags = tags::incoming(input.tags.take())?;
    let job_id = state.ids.job_id();
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
    let now = state.now_ms();
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
    tx.insert_classification_job(&job, &creation).await?;
    tx.commit().await?;
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
    let (conditions, order) = document_jobs::list_filter(
        filter.job_name,
        filter.job_status,
        filter.submit_time_before,
        filter.submit_time_after,
    )?;
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
