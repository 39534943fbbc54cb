//! Document classifiers: CreateDocumentClassifier, Describe, List, ListSummaries,
//! StopTraining and Delete. Training and deletion run later, in [`crate::jobs`].
//!
//! Lifecycle (see `comprehend_store::lifecycle`): SUBMITTED → TRAINING → TRAINED
//! (TRAINED_WITH_WARNING when the test data has labels the training data lacks) or
//! IN_ERROR with a message; StopTraining moves SUBMITTED or TRAINING to STOP_REQUESTED
//! and the job to STOPPED (or TRAINED if it finished first); Delete moves a finished
//! version to DELETING and a job removes it.

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::classifiers::{ClassifierRecord, NewClassifier};
use comprehend_store::objects::S3Uri;
use comprehend_store::{Creation, JobKind};

use super::versions;
use super::{Replay, name_taken, opt_ts, owned_arn, replay, tags, ts, with_response};
use crate::domain::{ModelKind, TRAINING_LANGUAGES};
use crate::error::{Result, not_found};
use crate::pagination::{next_token, page_request};
use crate::state::{Shared, State};

/// CreateDocumentClassifier.
pub async fn create(
    state: &Shared,
    ctx: &RequestContext,
    mut input: CreateDocumentClassifierRequest,
) -> Result<CreateDocumentClassifierResponse> {
    let token = input.client_request_token.take();
    let mut tx = state.store.begin().await?;
    let record = match replay(
        &mut tx,
        ctx,
        "CreateDocumentClassifier",
        token.as_deref(),
        &input,
    )
    .await?
    {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    check_request(&input)?;
    let tags = tags::incoming(input.tags.take())?;
    let arn = Arn::new(
        ctx,
        Resource::DocumentClassifier {
            name: input.document_classifier_name.clone(),
            version: input.version_name.clone(),
        },
    )
    .to_string();
    let response = CreateDocumentClassifierResponse {
        document_classifier_arn: Some(arn.clone()),
    };
    let now = state.now_ms();
    // What Describe echoes: defaults filled in as the service shows them.
    input
        .input_data_config
        .data_format
        .get_or_insert(DocumentClassifierDataFormat::ComprehendCsv);
    let mode = *input.mode.get_or_insert(DocumentClassifierMode::MultiClass);
    let new = NewClassifier {
        arn: arn.clone(),
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        name: input.document_classifier_name.clone(),
        version: input.version_name.clone(),
        status: ModelStatus::Submitted,
        language_code: input.language_code,
        mode,
        submit_time: now,
        request: input,
        flywheel_arn: None,
        flywheel_stats_prefix: None,
    };
    let creation = Creation {
        tags,
        job: Some(JobKind::TrainClassifier),
        idempotency: with_response(record, &response),
        now,
    };
    tx.insert_classifier(&new, &creation)
        .await
        .map_err(name_taken(format!(
            "A document classifier named '{}'{} already exists.",
            new.name,
            version_phrase(new.version.as_deref())
        )))?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

/// " with version 'v'" when a version is named.
fn version_phrase(version: Option<&str>) -> String {
    version
        .map(|v| format!(" with version '{v}'"))
        .unwrap_or_default()
}

/// Business rules of a CreateDocumentClassifier request beyond the model's constraints.
fn check_request(input: &CreateDocumentClassifierRequest) -> Result<()> {
    if !TRAINING_LANGUAGES.contains(&input.language_code) {
        return Err(ServiceError::unsupported_language(format!(
            "Custom classifiers can't be trained in {}: supported languages are en, es, fr, de, it and pt.",
            input.language_code
        ))
        .into());
    }
    check_input(&input.input_data_config)?;
    if let Some(uri) = input
        .output_data_config
        .as_ref()
        .and_then(|o| o.s3_uri.as_deref())
    {
        S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    }
    Ok(())
}

/// Business rules of InputDataConfig beyond the model's constraints.
fn check_input(input: &DocumentClassifierInputDataConfig) -> Result<()> {
    let invalid = |m: &str| Err(ServiceError::invalid_request(m).into());
    if input.document_type == Some(DocumentClassifierDocumentTypeFormat::SemiStructuredDocument)
        || input.documents.is_some()
        || input.document_reader_config.is_some()
    {
        return invalid(
            "Native document (PDF, Word, image) classifiers are not supported by comprehend-local; train on plain text.",
        );
    }
    match input
        .data_format
        .unwrap_or(DocumentClassifierDataFormat::ComprehendCsv)
    {
        DocumentClassifierDataFormat::ComprehendCsv => {
            let Some(uri) = &input.s3_uri else {
                return invalid(
                    "InputDataConfig.S3Uri is required when DataFormat is COMPREHEND_CSV.",
                );
            };
            if input.augmented_manifests.is_some() {
                return invalid(
                    "InputDataConfig.AugmentedManifests can only be used when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            for uri in std::iter::once(uri).chain(input.test_s3_uri.as_ref()) {
                S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
            }
        }
        DocumentClassifierDataFormat::AugmentedManifest => {
            let manifests = input.augmented_manifests.as_deref().unwrap_or_default();
            if manifests.is_empty() {
                return invalid(
                    "InputDataConfig.AugmentedManifests is required when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            if manifests.len() > 5 {
                return invalid("At most 5 augmented manifest files can be used for training.");
            }
            if input.s3_uri.is_some() || input.test_s3_uri.is_some() {
                return invalid(
                    "InputDataConfig.S3Uri and TestS3Uri can't be used when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            for manifest in manifests {
                if manifest.attribute_names.is_empty() || manifest.attribute_names.len() > 5 {
                    return invalid("Each augmented manifest needs 1 to 5 AttributeNames.");
                }
                if manifest.document_type
                    == Some(AugmentedManifestsDocumentTypeFormat::SemiStructuredDocument)
                {
                    return invalid(
                        "Semi-structured augmented manifests are not supported by comprehend-local.",
                    );
                }
                S3Uri::parse(&manifest.s3_uri)
                    .map_err(|e| ServiceError::invalid_request(e.to_string()))?;
            }
        }
    }
    Ok(())
}

async fn owned(state: &State, ctx: &RequestContext, arn: &str) -> Result<ClassifierRecord> {
    owned_arn(ctx, arn)?;
    state
        .store
        .classifier(arn)
        .await?
        .ok_or_else(|| not_found(arn))
}

/// The wire properties of a stored classifier.
pub fn properties(record: ClassifierRecord) -> DocumentClassifierProperties {
    let request = record.request;
    let mut output = request.output_data_config.unwrap_or_default();
    if let Some(uri) = record.output_s3_uri {
        output.s3_uri = Some(uri);
    }
    if let Some(prefix) = record.flywheel_stats_prefix {
        output.flywheel_stats_s3_prefix = Some(prefix);
    }
    DocumentClassifierProperties {
        document_classifier_arn: Some(record.arn),
        language_code: Some(record.language_code),
        status: Some(record.status),
        message: record.message,
        submit_time: Some(ts(record.submit_time)),
        end_time: opt_ts(record.end_time),
        training_start_time: opt_ts(record.training_start_time),
        training_end_time: opt_ts(record.training_end_time),
        input_data_config: Some(request.input_data_config),
        output_data_config: Some(output),
        classifier_metadata: record.metadata,
        data_access_role_arn: Some(request.data_access_role_arn),
        volume_kms_key_id: request.volume_kms_key_id,
        vpc_config: request.vpc_config,
        mode: Some(record.mode),
        model_kms_key_id: request.model_kms_key_id,
        version_name: record.version,
        source_model_arn: record.source_model_arn,
        flywheel_arn: record.flywheel_arn,
    }
}

/// DescribeDocumentClassifier.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeDocumentClassifierRequest,
) -> Result<DescribeDocumentClassifierResponse> {
    let record = owned(state, ctx, &input.document_classifier_arn).await?;
    Ok(DescribeDocumentClassifierResponse {
        document_classifier_properties: Some(properties(record)),
    })
}

/// ListDocumentClassifiers.
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListDocumentClassifiersRequest,
) -> Result<ListDocumentClassifiersResponse> {
    const OP: &str = "ListDocumentClassifiers";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let filter = input.filter.unwrap_or_default();
    let (conditions, order) = versions::list_filter(
        filter.status,
        filter.document_classifier_name,
        filter.submit_time_before,
        filter.submit_time_after,
    )?;
    let page = state
        .store
        .list_classifiers(&ctx.account_id, &ctx.region, &conditions, order, page)
        .await?;
    Ok(ListDocumentClassifiersResponse {
        next_token: next_token(OP, &page),
        document_classifier_properties_list: Some(page.items.into_iter().map(properties).collect()),
    })
}

/// ListDocumentClassifierSummaries.
pub async fn summaries(
    state: &Shared,
    ctx: &RequestContext,
    input: ListDocumentClassifierSummariesRequest,
) -> Result<ListDocumentClassifierSummariesResponse> {
    const OP: &str = "ListDocumentClassifierSummaries";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let page = state
        .store
        .classifier_summaries(&ctx.account_id, &ctx.region, page)
        .await?;
    Ok(ListDocumentClassifierSummariesResponse {
        next_token: next_token(OP, &page),
        document_classifier_summaries_list: Some(
            page.items
                .into_iter()
                .map(|s| DocumentClassifierSummary {
                    document_classifier_name: Some(s.name),
                    number_of_versions: Some(s.versions as i32),
                    latest_version_created_at: Some(ts(s.latest_submit_time)),
                    latest_version_name: s.latest_version,
                    latest_version_status: Some(s.latest_status),
                })
                .collect(),
        ),
    })
}

/// StopTrainingDocumentClassifier (see [`versions::stop`]).
pub async fn stop(
    state: &Shared,
    ctx: &RequestContext,
    input: StopTrainingDocumentClassifierRequest,
) -> Result<StopTrainingDocumentClassifierResponse> {
    let arn = &input.document_classifier_arn;
    versions::stop(state, ctx, ModelKind::Classifier, arn).await?;
    Ok(StopTrainingDocumentClassifierResponse {})
}

/// DeleteDocumentClassifier (see [`versions::delete`]).
pub async fn delete(
    state: &Shared,
    ctx: &RequestContext,
    input: DeleteDocumentClassifierRequest,
) -> Result<DeleteDocumentClassifierResponse> {
    let arn = &input.document_classifier_arn;
    versions::delete(state, ctx, ModelKind::Classifier, arn).await?;
    Ok(DeleteDocumentClassifierResponse {})
}
