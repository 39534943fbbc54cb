//! Custom entity recognizers: CreateEntityRecognizer, Describe, List, ListSummaries,
//! StopTraining and Delete. Training and deletion run later, in [`crate::jobs`].
//!
//! Lifecycle (`comprehend_store::lifecycle::RecognizerStatus`): SUBMITTED → TRAINING →
//! TRAINED (TRAINED_WITH_WARNING when the data has entity types the request does not
//! list — they are ignored) or IN_ERROR with a message; StopTraining moves SUBMITTED or
//! TRAINING to STOP_REQUESTED and the job to STOPPED (or TRAINED if it finished first);
//! Delete moves a finished version to DELETING and a job removes it.

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::entity_recognizers::{NewRecognizer, RecognizerRecord};
use comprehend_store::{Creation, JobKind};

use super::recognizer_input::check_input;
use super::versions;
use super::{Replay, name_taken, opt_ts, owned_arn, replay, tags, ts, with_response};
use crate::domain::{ModelKind, TRAINING_LANGUAGES};
use crate::error::{Result, not_found};
use crate::pagination::{next_token, page_request};
use crate::state::{Shared, State};

/// CreateEntityRecognizer.
pub async fn create(
    state: &Shared,
    ctx: &RequestContext,
    mut input: CreateEntityRecognizerRequest,
) -> Result<CreateEntityRecognizerResponse> {
    const OP: &str = "CreateEntityRecognizer";
    let token = input.client_request_token.take();
    let mut tx = state.store.begin().await?;
    let record = match replay(&mut tx, ctx, OP, token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    check_request(&input)?;
    let tags = tags::incoming(input.tags.take())?;
    let arn = Arn::new(
        ctx,
        Resource::EntityRecognizer {
            name: input.recognizer_name.clone(),
            version: input.version_name.clone(),
        },
    )
    .to_string();
    let response = CreateEntityRecognizerResponse {
        entity_recognizer_arn: Some(arn.clone()),
    };
    let now = state.now_ms();
    fill_defaults(&mut input.input_data_config);
    let new = NewRecognizer {
        arn,
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        name: input.recognizer_name.clone(),
        version: input.version_name.clone(),
        status: ModelStatus::Submitted,
        language_code: input.language_code,
        submit_time: now,
        request: input,
        flywheel_arn: None,
        flywheel_stats_prefix: None,
    };
    let creation = Creation {
        tags,
        job: Some(JobKind::TrainEntityRecognizer),
        idempotency: with_response(record, &response),
        now,
    };
    let version = new
        .version
        .as_deref()
        .map(|v| format!(" with version '{v}'"))
        .unwrap_or_default();
    tx.insert_recognizer(&new, &creation)
        .await
        .map_err(name_taken(format!(
            "An entity recognizer named '{}'{version} already exists.",
            new.name
        )))?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

/// What Describe echoes: the defaults the service shows (DataFormat COMPREHEND_CSV,
/// Documents.InputFormat ONE_DOC_PER_LINE — the AWS CLI's describe-entity-recognizer
/// example shows both for a request that sent neither).
fn fill_defaults(config: &mut EntityRecognizerInputDataConfig) {
    let format = *config
        .data_format
        .get_or_insert(EntityRecognizerDataFormat::ComprehendCsv);
    if format == EntityRecognizerDataFormat::ComprehendCsv
        && let Some(documents) = &mut config.documents
    {
        documents
            .input_format
            .get_or_insert(InputFormat::OneDocPerLine);
    }
}

/// Business rules of a CreateEntityRecognizer request beyond the model's constraints.
fn check_request(input: &CreateEntityRecognizerRequest) -> Result<()> {
    // The LanguageCode member of CreateEntityRecognizer: "All training documents must
    // be in the same language ... English (en), Spanish (es), French (fr), Italian (it),
    // German (de), or Portuguese (pt)".
    if !TRAINING_LANGUAGES.contains(&input.language_code) {
        return Err(ServiceError::unsupported_language(format!(
            "Custom entity recognizers can't be trained in {}: supported languages are en, es, fr, it, de and pt.",
            input.language_code
        ))
        .into());
    }
    check_input(&input.input_data_config)
}

async fn owned(state: &State, ctx: &RequestContext, arn: &str) -> Result<RecognizerRecord> {
    owned_arn(ctx, arn)?;
    state
        .store
        .recognizer(arn)
        .await?
        .ok_or_else(|| not_found(arn))
}

/// The wire properties of a stored recognizer. There is no OutputDataConfig unless a
/// flywheel trained it (CreateEntityRecognizer has no output location).
pub fn properties(record: RecognizerRecord) -> EntityRecognizerProperties {
    let request = record.request;
    EntityRecognizerProperties {
        entity_recognizer_arn: Some(record.arn),
        language_code: Some(record.language_code),
        status: Some(record.status),
        message: record.message,
        submit_time: Some(ts(record.submit_time)),
        end_time: opt_ts(record.end_time),
        training_start_time: opt_ts(record.training_start_time),
        training_end_time: opt_ts(record.training_end_time),
        input_data_config: Some(request.input_data_config),
        recognizer_metadata: record.metadata,
        data_access_role_arn: Some(request.data_access_role_arn),
        volume_kms_key_id: request.volume_kms_key_id,
        vpc_config: request.vpc_config,
        model_kms_key_id: request.model_kms_key_id,
        version_name: record.version,
        source_model_arn: record.source_model_arn,
        flywheel_arn: record.flywheel_arn,
        output_data_config: record.flywheel_stats_prefix.map(|prefix| {
            EntityRecognizerOutputDataConfig {
                flywheel_stats_s3_prefix: Some(prefix),
            }
        }),
    }
}

/// DescribeEntityRecognizer.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeEntityRecognizerRequest,
) -> Result<DescribeEntityRecognizerResponse> {
    let record = owned(state, ctx, &input.entity_recognizer_arn).await?;
    Ok(DescribeEntityRecognizerResponse {
        entity_recognizer_properties: Some(properties(record)),
    })
}

/// ListEntityRecognizers: one filter member at a time, in creation order (newest first
/// with SubmitTimeAfter, as for classifiers).
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListEntityRecognizersRequest,
) -> Result<ListEntityRecognizersResponse> {
    const OP: &str = "ListEntityRecognizers";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let filter = input.filter.unwrap_or_default();
    let (conditions, order) = versions::list_filter(
        filter.status,
        filter.recognizer_name,
        filter.submit_time_before,
        filter.submit_time_after,
    )?;
    let page = state
        .store
        .list_recognizers(&ctx.account_id, &ctx.region, &conditions, order, page)
        .await?;
    Ok(ListEntityRecognizersResponse {
        next_token: next_token(OP, &page),
        entity_recognizer_properties_list: Some(page.items.into_iter().map(properties).collect()),
    })
}

/// ListEntityRecognizerSummaries.
pub async fn summaries(
    state: &Shared,
    ctx: &RequestContext,
    input: ListEntityRecognizerSummariesRequest,
) -> Result<ListEntityRecognizerSummariesResponse> {
    const OP: &str = "ListEntityRecognizerSummaries";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let page = state
        .store
        .recognizer_summaries(&ctx.account_id, &ctx.region, page)
        .await?;
    Ok(ListEntityRecognizerSummariesResponse {
        next_token: next_token(OP, &page),
        entity_recognizer_summaries_list: Some(
            page.items
                .into_iter()
                .map(|s| EntityRecognizerSummary {
                    recognizer_name: Some(s.name),
                    number_of_versions: Some(s.versions as i32),
                    latest_version_created_at: Some(ts(s.latest_submit_time)),
                    latest_version_name: s.latest_version,
                    latest_version_status: Some(s.latest_status),
                })
                .collect(),
        ),
    })
}

/// StopTrainingEntityRecognizer (see [`versions::stop`]).
pub async fn stop(
    state: &Shared,
    ctx: &RequestContext,
    input: StopTrainingEntityRecognizerRequest,
) -> Result<StopTrainingEntityRecognizerResponse> {
    let arn = &input.entity_recognizer_arn;
    versions::stop(state, ctx, ModelKind::Recognizer, arn).await?;
    Ok(StopTrainingEntityRecognizerResponse {})
}

/// DeleteEntityRecognizer (see [`versions::delete`]).
pub async fn delete(
    state: &Shared,
    ctx: &RequestContext,
    input: DeleteEntityRecognizerRequest,
) -> Result<DeleteEntityRecognizerResponse> {
    let arn = &input.entity_recognizer_arn;
    versions::delete(state, ctx, ModelKind::Recognizer, arn).await?;
    Ok(DeleteEntityRecognizerResponse {})
}
