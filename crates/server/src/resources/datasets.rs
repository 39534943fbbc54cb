//! Flywheel datasets: CreateDataset ingests labelled documents from S3 into the
//! flywheel's data lake; DescribeDataset and ListDatasets report on them.
//!
//! Lifecycle: CREATING → COMPLETED (NumberOfDocuments set), or FAILED with a message.
//! Documents whose labels are outside the flywheel's label set are dropped, and the
//! dataset's Message says how many.

use std::collections::BTreeSet;

use comprehend_ml::{Document, Mode, TrainingLimits, validate_training_set};
use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::datasets::DatasetRecord;
use comprehend_store::objects::S3Uri;
use comprehend_store::{Condition, Creation, Job, JobKind};
use serde_json::json;

use super::data::{self, ml_mode};
use super::lake::Lake;
use super::{
    Replay, flywheels, name_taken, opt_ts, owned_arn, replay, tags, time_window, ts, with_response,
};
use crate::error::{Result, not_found};
use crate::pagination::{next_token, page_request};
use crate::runner::JobError;
use crate::state::{Shared, State, now_ms};

/// TRAIN datasets per flywheel (FACTS.md §6).
pub const MAX_TRAIN: usize = 50;
/// TEST datasets per flywheel.
pub const MAX_TEST: usize = 10;
/// Datasets ingesting at once per flywheel.
pub const MAX_INGESTING: usize = 10;

/// CreateDataset.
pub async fn create(
    state: &Shared,
    ctx: &RequestContext,
    mut input: CreateDatasetRequest,
) -> Result<CreateDatasetResponse> {
    let token = input.client_request_token.take();
    let record = match replay(state, ctx, "CreateDataset", token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let flywheel = flywheels::owned(state, ctx, &input.flywheel_arn).await?;
    if flywheel.status != FlywheelStatus::Active {
        return Err(ServiceError::invalid_request(format!(
            "The flywheel {} is {}; datasets can only be added to an ACTIVE flywheel.",
            flywheel.arn, flywheel.status
        ))
        .into());
    }
    check_input(&input.input_data_config)?;
    let kind = *input.dataset_type.get_or_insert(DatasetType::Train);
    let existing = state.store.flywheel_datasets(&flywheel.arn).await?;
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
    if existing
        .iter()
        .filter(|d| d.status == DatasetStatus::Creating)
        .count()
        >= MAX_INGESTING
    {
        return Err(ServiceError::resource_limit_exceeded(format!(
            "At most {MAX_INGESTING} datasets can be ingested at once."
        ))
        .into());
    }
    let tags = tags::incoming(input.tags.take())?;
    let arn = Arn::new(
        ctx,
        Resource::Dataset {
            flywheel: flywheel.name.clone(),
            name: input.dataset_name.clone(),
        },
    )
    .to_string();
    let created = Timestamp::now();
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
    state
        .store
        .insert_dataset(&dataset, &creation)
        .await
        .map_err(name_taken(format!(
            "The flywheel already has a dataset named '{}'.",
            dataset.name
        )))?;
    state.wakeup.notify();
    Ok(response)
}

fn check_input(input: &DatasetInputDataConfig) -> Result<()> {
    let invalid = |m: &str| Err(ServiceError::invalid_request(m).into());
    if input.entity_recognizer_input_data_config.is_some() {
        return invalid(
            "EntityRecognizerInputDataConfig is for entity recognizer flywheels, which comprehend-local does not support yet.",
        );
    }
    match input
        .data_format
        .unwrap_or(DatasetDataFormat::ComprehendCsv)
    {
        DatasetDataFormat::ComprehendCsv => {
            let Some(config) = &input.document_classifier_input_data_config else {
                return invalid(
                    "InputDataConfig.DocumentClassifierInputDataConfig is required when DataFormat is COMPREHEND_CSV.",
                );
            };
            S3Uri::parse(&config.s3_uri)
                .map_err(|e| ServiceError::invalid_request(e.to_string()))?;
        }
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
                S3Uri::parse(&manifest.s3_uri)
                    .map_err(|e| ServiceError::invalid_request(e.to_string()))?;
            }
        }
    }
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
        conditions.push(Condition::Eq("flywheel_arn", arn.clone()));
    }
    let filter = input.filter.unwrap_or_default();
    if let Some(status) = filter.status {
        conditions.push(Condition::Eq("status", status.as_str().into()));
    }
    if let Some(kind) = filter.dataset_type {
        conditions.push(Condition::Eq("dataset_type", kind.as_str().into()));
    }
    conditions.extend(time_window(
        "creation_time",
        filter.creation_time_after,
        filter.creation_time_before,
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

/// Marks a dataset FAILED.
pub async fn fail(state: &State, arn: &str, message: &str) -> Result<()> {
    state
        .store
        .transition_dataset(
            arn,
            &[DatasetStatus::Creating],
            DatasetStatus::Failed,
            Some(Some(message.to_owned())),
            None,
            Some(now_ms()),
        )
        .await?;
    Ok(())
}

/// The IngestDataset job: read, validate, keep the flywheel's labels, write to the lake.
pub async fn run_ingest(state: &Shared, job: &Job) -> Result<(), JobError> {
    let Some(dataset) = state.store.dataset(&job.resource_arn).await? else {
        return Ok(());
    };
    if dataset.status != DatasetStatus::Creating {
        return Ok(());
    }
    let Some(flywheel) = state.store.flywheel(&dataset.flywheel_arn).await? else {
        fail(state, &dataset.arn, "The flywheel was deleted.").await?;
        return Ok(());
    };
    match ingest(
        state,
        &dataset,
        flywheels::labels(&flywheel),
        ml_mode(flywheels::mode(&flywheel)),
    )
    .await
    {
        Ok((count, message)) => {
            state
                .store
                .transition_dataset(
                    &dataset.arn,
                    &[DatasetStatus::Creating],
                    DatasetStatus::Completed,
                    Some(message),
                    Some(count),
                    Some(now_ms()),
                )
                .await?;
            Ok(())
        }
        Err(message) => {
            fail(state, &dataset.arn, &message).await?;
            Err(JobError::Failed(message))
        }
    }
}

async fn ingest(
    state: &State,
    dataset: &DatasetRecord,
    labels: Option<&[String]>,
    mode: Mode,
) -> Result<(i64, Option<String>), String> {
    let input = &dataset.request.input_data_config;
    let docs = match input
        .data_format
        .unwrap_or(DatasetDataFormat::ComprehendCsv)
    {
        DatasetDataFormat::ComprehendCsv => {
            let config = input
                .document_classifier_input_data_config
                .as_ref()
                .ok_or("DocumentClassifierInputDataConfig is missing")?;
            let delimiter = data::delimiter(config.label_delimiter.as_deref());
            data::read_csv(state, &config.s3_uri, mode, delimiter, "documents").await?
        }
        DatasetDataFormat::AugmentedManifest => {
            let mut docs = Vec::new();
            for manifest in input.augmented_manifests.as_deref().unwrap_or_default() {
                let attribute = manifest
                    .attribute_names
                    .first()
                    .map(String::as_str)
                    .unwrap_or_default();
                docs.extend(
                    data::read_manifest(
                        state,
                        &manifest.s3_uri,
                        attribute,
                        mode,
                        "augmented manifest",
                    )
                    .await?,
                );
            }
            docs
        }
    };
    let read = docs.len();
    let (kept, dropped, unknown) = keep_known_labels(docs, labels);
    if kept.is_empty() {
        return Err(format!(
            "None of the {read} documents has a label of the flywheel's label set ({}); nothing was ingested.",
            labels.map(|l| l.join(", ")).unwrap_or_default()
        ));
    }
    // The same checks as training, except minimum counts: a dataset may be a small
    // addition; the iteration checks the combined data.
    let limits = TrainingLimits {
        min_docs_per_label: 1,
        min_total_docs_multi_label: 1,
        ..TrainingLimits::default()
    };
    validate_training_set(&kept, mode, &limits).map_err(|e| e.to_string())?;
    data::put(
        state,
        &Lake::dataset_documents(&dataset.dataset_s3_uri),
        data::to_csv(&kept)?,
    )
    .await?;
    let message = (dropped > 0).then(|| {
        format!(
            "Ingested {} of {read} documents; dropped {dropped} whose labels are not in the flywheel's label set ({}).",
            kept.len(),
            unknown.iter().cloned().collect::<Vec<_>>().join(", ")
        )
    });
    if let Some(m) = &message {
        tracing::info!(dataset = %dataset.arn, "{m}");
    }
    data::put_json(
        state,
        &Lake::dataset_description(&dataset.dataset_s3_uri),
        &json!({
            "DatasetArn": dataset.arn,
            "DatasetType": dataset.dataset_type.as_str(),
            "NumberOfDocuments": kept.len(),
            "DocumentsRead": read,
            "DocumentsDropped": dropped,
            "UnknownLabels": unknown,
            "Input": input,
        }),
    )
    .await?;
    Ok((kept.len() as i64, message))
}

/// Drops labels outside the flywheel's set (all are kept while the set is unknown) and
/// documents left without a label. Returns the kept documents, how many were dropped, and
/// the unknown labels seen.
fn keep_known_labels(
    docs: Vec<Document>,
    labels: Option<&[String]>,
) -> (Vec<Document>, usize, BTreeSet<String>) {
    let Some(labels) = labels else {
        return (docs, 0, BTreeSet::new());
    };
    let known: BTreeSet<&str> = labels.iter().map(String::as_str).collect();
    let mut unknown = BTreeSet::new();
    let mut dropped = 0;
    let kept = docs
        .into_iter()
        .filter_map(|mut doc| {
            doc.labels.retain(|l| {
                let ok = known.contains(l.as_str());
                if !ok {
                    unknown.insert(l.clone());
                }
                ok
            });
            if doc.labels.is_empty() {
                dropped += 1;
                None
            } else {
                Some(doc)
            }
        })
        .collect();
    (kept, dropped, unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_labels_are_dropped() {
        let docs = vec![
            Document::new("A", "x"),
            Document::new("C", "y"),
            Document {
                text: "z".into(),
                labels: vec!["A".into(), "D".into()],
            },
        ];
        let labels = vec!["A".to_owned(), "B".to_owned()];
        let (kept, dropped, unknown) = keep_known_labels(docs, Some(&labels));
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[1].labels, ["A"]);
        assert_eq!(dropped, 1);
        assert_eq!(unknown.into_iter().collect::<Vec<_>>(), ["C", "D"]);
    }
}
