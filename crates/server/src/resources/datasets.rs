//! Flywheel datasets: CreateDataset (ingestion into the flywheel's data lake runs later,
//! in [`crate::jobs`]); DescribeDataset and ListDatasets report on them.
//!
//! Lifecycle: CREATING → COMPLETED (NumberOfDocuments set), or FAILED with a message.
//! Documents whose labels are outside the flywheel's label set are dropped, and the
//! dataset's Message says how many.

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::datasets::{DatasetFilter, DatasetRecord};
use comprehend_store::flywheels::FlywheelRecord;
use comprehend_store::objects::S3Uri;
use comprehend_store::{Creation, JobKind, Tx};

use super::{
    Replay, flywheels, name_taken, opt_ts, owned_arn, replay, tags, time_window, ts, with_response,
};
use crate::domain::ModelKind;
use crate::error::{Result, not_found};
use crate::lake::Lake;
use crate::pagination::{next_token, page_request};
use crate::state::Shared;

/// TRAIN datasets per flywheel (Amazon Comprehend Developer Guide, "Guidelines and
/// quotas": flywheels).
pub const MAX_TRAIN: usize = 50;
/// TEST datasets per flywheel.
pub const MAX_TEST: usize = 10;
/// Datasets ingesting at once per flywheel.
pub const MAX_INGESTING: usize = 10;

/// The flywheel takes datasets (it is ACTIVE) and has room for one more of `kind`.
async fn check_room(tx: &mut Tx, flywheel: &FlywheelRecord, kind: DatasetType) -> Result<()> {
    if flywheel.status != FlywheelStatus::Active {
        return Err(ServiceError::invalid_request(format!(
            "The flywheel {} is {}; datasets can only be added to an ACTIVE flywheel.",
            flywheel.arn, flywheel.status
        ))
        .into());
    }
    let existing = tx.flywheel_datasets(&flywheel.arn).await?;
    let of_kind = existing.iter().filter(|d| d.dataset_type == kind).count();
    let limit = if kind == DatasetType::Train {
        MAX_TRAIN
    } else {
        MAX_TEST
    };
    if of_kind >= limit {
        return Err(ServiceError::resource_limit_exceeded(format!(
            "A flywheel can have at most {limit} {} datasets.",
            kind.as_str()
        ))
        .into());
    }
    let ingesting = existing
        .iter()
        .filter(|d| d.status == DatasetStatus::Creating)
        .count();
    if ingesting >= MAX_INGESTING {
        return Err(ServiceError::resource_limit_exceeded(format!(
            "At most {MAX_INGESTING} datasets can be ingested at once."
        ))
        .into());
    }
    Ok(())
}

/// CreateDataset.
pub async fn create(
    state: &Shared,
    ctx: &RequestContext,
    mut input: CreateDatasetRequest,
) -> Result<CreateDatasetResponse> {
    let token = input.client_request_token.take();
    let mut tx = state.store.begin().await?;
    let record = match replay(&mut tx, ctx, "CreateDataset", token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let flywheel = flywheels::owned_for_write(&mut tx, ctx, &input.flywheel_arn).await?;
    check_input(ModelKind::of_flywheel(&flywheel), &input.input_data_config)?;
    let kind = *input.dataset_type.get_or_insert(DatasetType::Train);
    check_room(&mut tx, &flywheel, kind).await?;
    let tags = tags::incoming(input.tags.take())?;
    let arn = Arn::new(
        ctx,
        Resource::Dataset {
            flywheel: flywheel.name.clone(),
            name: input.dataset_name.clone(),
        },
    )
    .to_string();
    let created = state.now();
    let response = CreateDatasetResponse {
        dataset_arn: Some(arn.clone()),
    };
    input
        .input_data_config
        .data_format
        .get_or_insert(DatasetDataFormat::ComprehendCsv);
    let dataset = DatasetRecord {
        seq: 0,
        arn,
        flywheel_arn: flywheel.arn.clone(),
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        name: input.dataset_name.clone(),
        dataset_type: kind,
        description: input.description.clone(),
        status: DatasetStatus::Creating,
        message: None,
        number_of_documents: None,
        dataset_s3_uri: Lake::at(&flywheel.data_lake_s3_uri).dataset(&input.dataset_name, created),
        creation_time: created.millis(),
        end_time: None,
        request: input,
    };
    let creation = Creation {
        tags,
        job: Some(JobKind::IngestDataset),
        idempotency: with_response(record, &response),
        now: created.millis(),
    };
    tx.insert_dataset(&dataset, &creation)
        .await
        .map_err(name_taken(format!(
            "The flywheel already has a dataset named '{}'.",
            dataset.name
        )))?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

/// The dataset's input, for a flywheel of `kind`: the kind's own configuration for
/// COMPREHEND_CSV, or plain-text augmented manifests.
fn check_input(kind: ModelKind, input: &DatasetInputDataConfig) -> Result<()> {
    let invalid = |m: &str| Err(ServiceError::invalid_request(m).into());
    let (own, other) = match kind {
        ModelKind::Classifier => (
            input.document_classifier_input_data_config.is_some(),
            input.entity_recognizer_input_data_config.is_some(),
        ),
        ModelKind::Recognizer => (
            input.entity_recognizer_input_data_config.is_some(),
            input.document_classifier_input_data_config.is_some(),
        ),
    };
    let (own_name, other_name) = match kind {
        ModelKind::Classifier => (
            "DocumentClassifierInputDataConfig",
            "EntityRecognizerInputDataConfig",
        ),
        ModelKind::Recognizer => (
            "EntityRecognizerInputDataConfig",
            "DocumentClassifierInputDataConfig",
        ),
    };
    if other {
        return Err(ServiceError::invalid_request(format!(
            "InputDataConfig.{other_name} is for flywheels of the other model type; this flywheel trains {}s and takes {own_name}.",
            kind.noun()
        ))
        .into());
    }
    match input
        .data_format
        .unwrap_or(DatasetDataFormat::ComprehendCsv)
    {
        DatasetDataFormat::ComprehendCsv if !own => Err(ServiceError::invalid_request(format!(
            "InputDataConfig.{own_name} is required when DataFormat is COMPREHEND_CSV."
        ))
        .into()),
        DatasetDataFormat::ComprehendCsv => match kind {
            ModelKind::Classifier => {
                let config = input.document_classifier_input_data_config.as_ref();
                uri(config.map_or("", |c| c.s3_uri.as_str()))
            }
            ModelKind::Recognizer => {
                check_entities(input.entity_recognizer_input_data_config.as_ref())
            }
        },
        DatasetDataFormat::AugmentedManifest => {
            let manifests = input.augmented_manifests.as_deref().unwrap_or_default();
            if manifests.is_empty() {
                return invalid(
                    "InputDataConfig.AugmentedManifests is required when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            for manifest in manifests {
                if manifest.attribute_names.is_empty() || manifest.attribute_names.len() > 5 {
                    return invalid("Each augmented manifest needs 1 to 5 AttributeNames.");
                }
                let semi_structured = manifest.annotation_data_s3_uri.is_some()
                    || manifest.source_documents_s3_uri.is_some()
                    || manifest.document_type
                        == Some(AugmentedManifestsDocumentTypeFormat::SemiStructuredDocument);
                if kind == ModelKind::Recognizer && semi_structured {
                    return invalid(
                        "Flywheels train plain-text models: augmented manifests of semi-structured documents (AnnotationDataS3Uri, SourceDocumentsS3Uri, SEMI_STRUCTURED_DOCUMENT) are not supported.",
                    );
                }
                uri(&manifest.s3_uri)?;
            }
            Ok(())
        }
    }
}

/// A recognizer dataset's documents with either annotations or an entity list.
fn check_entities(config: Option<&DatasetEntityRecognizerInputDataConfig>) -> Result<()> {
    let Some(config) = config else {
        return Ok(());
    };
    uri(&config.documents.s3_uri)?;
    match (&config.annotations, &config.entity_list) {
        (Some(a), None) => uri(&a.s3_uri),
        (None, Some(l)) => uri(&l.s3_uri),
        _ => Err(ServiceError::invalid_request(
            "EntityRecognizerInputDataConfig needs Documents and exactly one of Annotations or EntityList.",
        )
        .into()),
    }
}

fn uri(text: &str) -> Result<()> {
    S3Uri::parse(text).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    Ok(())
}

fn properties(d: DatasetRecord) -> DatasetProperties {
    DatasetProperties {
        dataset_arn: Some(d.arn),
        dataset_name: Some(d.name),
        dataset_type: Some(d.dataset_type),
        dataset_s3_uri: Some(d.dataset_s3_uri),
        description: d.description,
        status: Some(d.status),
        message: d.message,
        number_of_documents: d.number_of_documents,
        creation_time: Some(ts(d.creation_time)),
        end_time: opt_ts(d.end_time),
    }
}

/// DescribeDataset.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeDatasetRequest,
) -> Result<DescribeDatasetResponse> {
    owned_arn(ctx, &input.dataset_arn)?;
    let dataset = state
        .store
        .dataset(&input.dataset_arn)
        .await?
        .ok_or_else(|| not_found(&input.dataset_arn))?;
    Ok(DescribeDatasetResponse {
        dataset_properties: Some(properties(dataset)),
    })
}

/// ListDatasets (of one flywheel, or of the account and region).
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListDatasetsRequest,
) -> Result<ListDatasetsResponse> {
    const OP: &str = "ListDatasets";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let mut conditions = Vec::new();
    if let Some(arn) = &input.flywheel_arn {
        flywheels::owned(state, ctx, arn).await?;
        conditions.push(DatasetFilter::Flywheel(arn.clone()));
    }
    let filter = input.filter.unwrap_or_default();
    if let Some(status) = filter.status {
        conditions.push(DatasetFilter::Status(status));
    }
    if let Some(kind) = filter.dataset_type {
        conditions.push(DatasetFilter::Type(kind));
    }
    conditions.extend(time_window(
        filter.creation_time_after,
        filter.creation_time_before,
        DatasetFilter::CreatedAfter,
        DatasetFilter::CreatedBefore,
    ));
    let page = state
        .store
        .list_datasets(&ctx.account_id, &ctx.region, &conditions, page)
        .await?;
    Ok(ListDatasetsResponse {
        next_token: next_token(OP, &page),
        dataset_properties_list: Some(page.items.into_iter().map(properties).collect()),
    })
}
