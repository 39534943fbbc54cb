//! Flywheels: create (from an existing model version, or new), describe, list, update
//! (promotion), delete, and the creation job that sets up the data lake.
//!
//! Lifecycle: CREATING → ACTIVE, or FAILED with a message (the lake location is
//! unusable, the model's data cannot be read).

use comprehend_ml::{Document, TrainParams};
use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::datasets::DatasetRecord;
use comprehend_store::endpoints::EndpointChanges;
use comprehend_store::flywheels::{FlywheelChanges, FlywheelRecord};
use comprehend_store::objects::S3Uri;
use comprehend_store::{Condition, Creation, Job, JobKind};
use serde_json::json;

use super::data::{self, ml_mode};
use super::lake::Lake;
use super::{
    Replay, at_most_one_filter, classifiers, name_taken, owned_arn, replay, tags, time_window, ts,
    with_response,
};
use crate::error::{Error, Result, not_found};
use crate::pagination::{next_token, page_request};
use crate::runner::JobError;
use crate::state::{Shared, State, now_ms};

/// Flywheels per account and region (FACTS.md §13).
pub const MAX_FLYWHEELS: i64 = 50;
/// Flywheels CREATING at once.
pub const MAX_CREATING: i64 = 10;

fn not_supported_entities() -> Error {
    ServiceError::invalid_request(
        "Flywheels for entity recognizers (ModelType ENTITY_RECOGNIZER) are not supported by comprehend-local yet; \
         use DOCUMENT_CLASSIFIER.",
    )
    .into()
}

/// CreateFlywheel.
pub async fn create(
    state: &Shared,
    ctx: &RequestContext,
    mut input: CreateFlywheelRequest,
) -> Result<CreateFlywheelResponse> {
    let token = input.client_request_token.take();
    let record = match replay(state, ctx, "CreateFlywheel", token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    if input.model_type == Some(ModelType::EntityRecognizer)
        || input
            .task_config
            .as_ref()
            .is_some_and(|t| t.entity_recognition_config.is_some())
    {
        return Err(not_supported_entities());
    }
    let invalid = |m: &str| -> Result<CreateFlywheelResponse> {
        Err(ServiceError::invalid_request(m).into())
    };
    let task_config = match (&input.active_model_arn, input.task_config.take()) {
        (Some(_), Some(_)) => {
            return invalid(
                "Specify either ActiveModelArn (an existing model) or TaskConfig (a new model), not both.",
            );
        }
        (None, None) => {
            return invalid(
                "Specify ActiveModelArn to use an existing model, or TaskConfig and ModelType to train a new one.",
            );
        }
        (Some(model_arn), None) => {
            if model_arn.contains(":entity-recognizer/") {
                return Err(not_supported_entities());
            }
            let model = classifiers::usable(state, ctx, model_arn).await?;
            // Labels are filled in from the model's data once the flywheel is ACTIVE.
            TaskConfig {
                language_code: model.language_code,
                document_classification_config: Some(DocumentClassificationConfig {
                    mode: model.mode,
                    labels: None,
                }),
                entity_recognition_config: None,
            }
        }
        (None, Some(task)) => {
            if input.model_type.is_none() {
                return invalid("ModelType is required with TaskConfig: use DOCUMENT_CLASSIFIER.");
            }
            if !classifiers::TRAINING_LANGUAGES.contains(&task.language_code) {
                return Err(ServiceError::unsupported_language(format!(
                    "Custom classifiers can't be trained in {}: supported languages are en, es, fr, de, it and pt.",
                    task.language_code
                ))
                .into());
            }
            let Some(config) = &task.document_classification_config else {
                return invalid(
                    "TaskConfig.DocumentClassificationConfig is required for a DOCUMENT_CLASSIFIER flywheel.",
                );
            };
            if let Some(labels) = &config.labels {
                let mut unique = labels.clone();
                unique.sort();
                unique.dedup();
                if unique.len() != labels.len() {
                    return invalid(
                        "TaskConfig.DocumentClassificationConfig.Labels lists a label twice.",
                    );
                }
                if labels.iter().any(|l| l.is_empty()) {
                    return invalid("Labels must not be empty strings.");
                }
            }
            task
        }
    };
    let lake_uri = S3Uri::parse(&input.data_lake_s3_uri)
        .map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    let tags = tags::incoming(input.tags.take())?;
    let (count, creating) = state
        .store
        .count_flywheels(&ctx.account_id, &ctx.region)
        .await?;
    if count >= MAX_FLYWHEELS || creating >= MAX_CREATING {
        return Err(ServiceError::resource_limit_exceeded(format!(
            "Flywheel quota reached: at most {MAX_FLYWHEELS} flywheels, {MAX_CREATING} of them CREATING, per account and region."
        ))
        .into());
    }
    let arn = Arn::new(
        ctx,
        Resource::Flywheel {
            name: input.flywheel_name.clone(),
        },
    )
    .to_string();
    let created = Timestamp::now();
    let lake = Lake::for_new_flywheel(
        &format!("s3://{}/{}", lake_uri.bucket, lake_uri.key),
        &input.flywheel_name,
        created,
    );
    let response = CreateFlywheelResponse {
        flywheel_arn: Some(arn.clone()),
        active_model_arn: input.active_model_arn.clone(),
    };
    let flywheel = FlywheelRecord {
        seq: 0,
        arn: arn.clone(),
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        name: input.flywheel_name.clone(),
        status: FlywheelStatus::Creating,
        message: None,
        active_model_arn: input.active_model_arn.clone(),
        data_access_role_arn: input.data_access_role_arn.clone(),
        model_type: ModelType::DocumentClassifier,
        task_config,
        data_lake_s3_uri: lake.root().to_owned(),
        data_security_config: input.data_security_config.take().unwrap_or_default(),
        creation_time: created.millis(),
        last_modified_time: created.millis(),
        latest_iteration_id: None,
    };
    let creation = Creation {
        tags,
        job: Some(JobKind::CreateFlywheel),
        idempotency: with_response(record, &response),
        now: created.millis(),
    };
    state
        .store
        .insert_flywheel(&flywheel, &creation)
        .await
        .map_err(name_taken(format!(
            "A flywheel named '{}' already exists.",
            flywheel.name
        )))?;
    state.wakeup.notify();
    Ok(response)
}

/// A flywheel of the caller.
pub async fn owned(state: &State, ctx: &RequestContext, arn: &str) -> Result<FlywheelRecord> {
    owned_arn(ctx, arn)?;
    state
        .store
        .flywheel(arn)
        .await?
        .ok_or_else(|| not_found(arn))
}

/// The classifier name the flywheel's versions share.
pub fn model_name(flywheel: &FlywheelRecord) -> String {
    flywheel
        .active_model_arn
        .as_deref()
        .and_then(|arn| Arn::parse(arn).ok())
        .and_then(|arn| match arn.resource {
            Resource::DocumentClassifier { name, .. } => Some(name),
            _ => None,
        })
        .unwrap_or_else(|| flywheel.name.clone())
}

/// The fixed label set, once known.
pub fn labels(flywheel: &FlywheelRecord) -> Option<&[String]> {
    flywheel
        .task_config
        .document_classification_config
        .as_ref()
        .and_then(|c| c.labels.as_deref())
}

/// The flywheel's mode.
pub fn mode(flywheel: &FlywheelRecord) -> DocumentClassifierMode {
    flywheel
        .task_config
        .document_classification_config
        .as_ref()
        .map(|c| c.mode)
        .unwrap_or(DocumentClassifierMode::MultiClass)
}

fn properties(f: FlywheelRecord) -> FlywheelProperties {
    let mut task_config = f.task_config;
    // Classification labels are shown once the flywheel is ACTIVE (FACTS.md §6).
    if f.status != FlywheelStatus::Active
        && let Some(config) = task_config.document_classification_config.as_mut()
    {
        config.labels = None;
    }
    FlywheelProperties {
        flywheel_arn: Some(f.arn),
        active_model_arn: f.active_model_arn,
        data_access_role_arn: Some(f.data_access_role_arn),
        task_config: Some(task_config),
        data_lake_s3_uri: Some(f.data_lake_s3_uri),
        data_security_config: Some(f.data_security_config),
        status: Some(f.status),
        model_type: Some(f.model_type),
        message: f.message,
        creation_time: Some(ts(f.creation_time)),
        last_modified_time: Some(ts(f.last_modified_time)),
        latest_flywheel_iteration: f.latest_iteration_id,
    }
}

/// DescribeFlywheel.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeFlywheelRequest,
) -> Result<DescribeFlywheelResponse> {
    let flywheel = owned(state, ctx, &input.flywheel_arn).await?;
    Ok(DescribeFlywheelResponse {
        flywheel_properties: Some(properties(flywheel)),
    })
}

/// ListFlywheels.
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListFlywheelsRequest,
) -> Result<ListFlywheelsResponse> {
    const OP: &str = "ListFlywheels";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let filter = input.filter.unwrap_or_default();
    at_most_one_filter(&[
        filter.status.is_some(),
        filter.creation_time_after.is_some(),
        filter.creation_time_before.is_some(),
    ])?;
    let mut conditions = Vec::new();
    if let Some(status) = filter.status {
        conditions.push(Condition::Eq("status", status.as_str().into()));
    }
    conditions.extend(time_window(
        "creation_time",
        filter.creation_time_after,
        filter.creation_time_before,
    ));
    let page = state
        .store
        .list_flywheels(&ctx.account_id, &ctx.region, &conditions, page)
        .await?;
    Ok(ListFlywheelsResponse {
        next_token: next_token(OP, &page),
        flywheel_summary_list: Some(
            page.items
                .into_iter()
                .map(|f| FlywheelSummary {
                    flywheel_arn: Some(f.arn),
                    active_model_arn: f.active_model_arn,
                    data_lake_s3_uri: Some(f.data_lake_s3_uri),
                    status: Some(f.status),
                    model_type: Some(f.model_type),
                    message: f.message,
                    creation_time: Some(ts(f.creation_time)),
                    last_modified_time: Some(ts(f.last_modified_time)),
                    latest_flywheel_iteration: f.latest_iteration_id,
                })
                .collect(),
        ),
    })
}

/// UpdateFlywheel: omitted members keep their value; a sent DataSecurityConfig replaces
/// the updatable part of the stored one; ActiveModelArn promotes a version, and
/// endpoints that follow the flywheel move to it.
pub async fn update(
    state: &Shared,
    ctx: &RequestContext,
    input: UpdateFlywheelRequest,
) -> Result<UpdateFlywheelResponse> {
    let flywheel = owned(state, ctx, &input.flywheel_arn).await?;
    if flywheel.status != FlywheelStatus::Active {
        return Err(ServiceError::invalid_request(format!(
            "The flywheel {} is {}; only an ACTIVE flywheel can be updated.",
            flywheel.arn, flywheel.status
        ))
        .into());
    }
    let mut changes = FlywheelChanges {
        last_modified_time: Some(now_ms()),
        ..Default::default()
    };
    let mut promoted = None;
    if let Some(model_arn) = &input.active_model_arn {
        let model = owned_arn(ctx, model_arn)
            .ok()
            .and_then(|arn| match arn.resource {
                Resource::DocumentClassifier { name, .. } => Some(name),
                _ => None,
            });
        let record = match model {
            Some(_) => state.store.classifier(model_arn).await?,
            None => None,
        };
        let belongs = record.as_ref().is_some_and(|r| {
            r.name == model_name(&flywheel)
                && (r.flywheel_arn.as_deref() == Some(&flywheel.arn)
                    || flywheel.active_model_arn.as_deref() == Some(&r.arn))
        });
        match record {
            Some(r) if belongs && classifiers::USABLE.contains(&r.status) => {
                if flywheel.active_model_arn.as_deref() != Some(model_arn) {
                    promoted = Some(model_arn.clone());
                }
                changes.active_model_arn = Some(model_arn.clone());
            }
            Some(r) if belongs => {
                return Err(ServiceError::invalid_request(format!(
                    "The model version {model_arn} is {}; only a TRAINED version can be made active.",
                    r.status
                ))
                .into());
            }
            _ => {
                return Err(ServiceError::invalid_request(format!(
                    "{model_arn} is not a model version of the flywheel {}.",
                    flywheel.arn
                ))
                .into());
            }
        }
    }
    changes.data_access_role_arn = input.data_access_role_arn;
    if let Some(security) = input.data_security_config {
        changes.data_security_config = Some(DataSecurityConfig {
            model_kms_key_id: security.model_kms_key_id,
            volume_kms_key_id: security.volume_kms_key_id,
            vpc_config: security.vpc_config,
            data_lake_kms_key_id: flywheel.data_security_config.data_lake_kms_key_id.clone(),
        });
    }
    state
        .store
        .transition_flywheel(
            &flywheel.arn,
            &[FlywheelStatus::Active],
            FlywheelStatus::Active,
            changes,
        )
        .await?;
    if let Some(model_arn) = promoted {
        follow_promotion(state, &flywheel.arn, &model_arn).await?;
    }
    let updated = state
        .store
        .flywheel(&flywheel.arn)
        .await?
        .ok_or_else(|| not_found(&flywheel.arn))?;
    Ok(UpdateFlywheelResponse {
        flywheel_properties: Some(properties(updated)),
    })
}

/// Moves endpoints that follow a flywheel to its newly active version.
async fn follow_promotion(state: &State, flywheel_arn: &str, model_arn: &str) -> Result<()> {
    for endpoint in state.store.endpoints_following(flywheel_arn).await? {
        if endpoint.model_arn.as_deref() == Some(model_arn) {
            continue;
        }
        let changes = EndpointChanges {
            desired_model_arn: Some(model_arn.to_owned()),
            last_modified_time: Some(now_ms()),
            ..Default::default()
        };
        if state
            .store
            .transition_endpoint(
                &endpoint.arn,
                &[EndpointStatus::InService, EndpointStatus::Updating],
                EndpointStatus::Updating,
                changes,
            )
            .await?
        {
            state
                .store
                .enqueue(JobKind::DeployEndpoint, &endpoint.arn, now_ms())
                .await?;
            tracing::info!(endpoint = %endpoint.arn, model = model_arn, "endpoint follows the flywheel's new active version");
        }
    }
    state.wakeup.notify();
    Ok(())
}

/// DeleteFlywheel: refused while an iteration runs or a dataset is being ingested. The
/// lake and the model versions stay; datasets and iterations go. Endpoints that followed
/// the flywheel keep serving their current version.
pub async fn delete(
    state: &Shared,
    ctx: &RequestContext,
    input: DeleteFlywheelRequest,
) -> Result<DeleteFlywheelResponse> {
    let flywheel = owned(state, ctx, &input.flywheel_arn).await?;
    let in_use = |why: String| -> Result<DeleteFlywheelResponse> {
        Err(ServiceError::resource_in_use(why).into())
    };
    if flywheel.status == FlywheelStatus::Creating {
        return in_use(format!(
            "The flywheel {} is still being created.",
            flywheel.arn
        ));
    }
    let running = state
        .store
        .running_iterations(&ctx.account_id, &ctx.region)
        .await?;
    if let Some(iteration) = running.iter().find(|i| i.flywheel_arn == flywheel.arn) {
        return in_use(format!(
            "The flywheel iteration {} is running.",
            iteration.iteration_id
        ));
    }
    let datasets = state.store.flywheel_datasets(&flywheel.arn).await?;
    if let Some(dataset) = datasets
        .iter()
        .find(|d| d.status == DatasetStatus::Creating)
    {
        return in_use(format!("The dataset {} is being ingested.", dataset.name));
    }
    for endpoint in state.store.endpoints_following(&flywheel.arn).await? {
        let changes = EndpointChanges {
            flywheel_arn: Some(None),
            ..Default::default()
        };
        state
            .store
            .transition_endpoint(&endpoint.arn, &[], endpoint.status, changes)
            .await?;
    }
    state.store.delete_flywheel(&flywheel.arn).await?;
    Ok(DeleteFlywheelResponse {})
}

/// Marks a flywheel FAILED (its creation job failed).
pub async fn fail(state: &State, arn: &str, message: &str) -> Result<()> {
    let changes = FlywheelChanges {
        message: Some(Some(message.to_owned())),
        last_modified_time: Some(now_ms()),
        ..Default::default()
    };
    state
        .store
        .transition_flywheel(
            arn,
            &[FlywheelStatus::Creating],
            FlywheelStatus::Failed,
            changes,
        )
        .await?;
    Ok(())
}

/// The CreateFlywheel job: checks the lake location, writes the flywheel's description,
/// and, for an existing model, copies its training and test data in as datasets.
pub async fn run_create(state: &Shared, job: &Job) -> Result<(), JobError> {
    let Some(flywheel) = state.store.flywheel(&job.resource_arn).await? else {
        return Ok(());
    };
    if flywheel.status != FlywheelStatus::Creating {
        return Ok(());
    }
    match set_up(state, &flywheel).await {
        Ok(changes) => {
            state
                .store
                .transition_flywheel(
                    &flywheel.arn,
                    &[FlywheelStatus::Creating],
                    FlywheelStatus::Active,
                    changes,
                )
                .await?;
            Ok(())
        }
        Err(message) => {
            fail(state, &flywheel.arn, &message).await?;
            Err(JobError::Failed(message))
        }
    }
}

async fn set_up(state: &State, flywheel: &FlywheelRecord) -> Result<FlywheelChanges, String> {
    let lake = Lake::at(&flywheel.data_lake_s3_uri);
    let root = S3Uri::parse(lake.root()).map_err(|e| e.to_string())?;
    let usable = state
        .objects
        .bucket_exists(&root.bucket)
        .await
        .map_err(|e| data::object_message(e, lake.root()))?;
    if !usable {
        return Err(format!(
            "The data lake location {} is not usable: the bucket '{}' does not exist.",
            lake.root(),
            root.bucket
        ));
    }
    let mut task_config = flywheel.task_config.clone();
    if let Some(model_arn) = &flywheel.active_model_arn {
        let model = state
            .store
            .classifier(model_arn)
            .await
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("The model {model_arn} no longer exists."))?;
        let mode = ml_mode(model.mode);
        let (train, test) = classifiers::read_input(state, &model.request.input_data_config, mode)
            .await
            .map_err(|e| format!("Cannot copy the model's data into the data lake: {e}"))?;
        let (train, test) = match test {
            Some(test) => (train, test),
            // The model held out part of its training data; the same seeded split gives
            // the lake the very documents it was trained and tested on.
            None => data::holdout_split(train, &TrainParams::new(mode)),
        };
        let mut labels: Vec<String> = train
            .iter()
            .flat_map(|d| d.labels.iter().cloned())
            .collect();
        labels.sort();
        labels.dedup();
        if let Some(config) = task_config.document_classification_config.as_mut() {
            config.labels = Some(labels);
        }
        let created = Timestamp::from_millis(flywheel.creation_time);
        for (docs, kind) in [(train, DatasetType::Train), (test, DatasetType::Test)] {
            if docs.is_empty() {
                continue;
            }
            add_initial_dataset(state, flywheel, &lake, created, kind, &docs).await?;
        }
    }
    let description = json!({
        "FlywheelArn": flywheel.arn,
        "FlywheelName": flywheel.name,
        "ModelType": flywheel.model_type.as_str(),
        "TaskConfig": task_config,
        "ActiveModelArnAtCreation": flywheel.active_model_arn,
        "DataLakeS3Uri": lake.root(),
        "CreationTime": Timestamp::from_millis(flywheel.creation_time),
    });
    data::put_json(state, &lake.flywheel_file(), &description).await?;
    Ok(FlywheelChanges {
        task_config: Some(task_config),
        last_modified_time: Some(now_ms()),
        message: Some(None),
        ..Default::default()
    })
}

/// A dataset the flywheel made from its model's data, stored COMPLETED. Its creation
/// time is the flywheel's, so the first iteration does not count it as new data.
async fn add_initial_dataset(
    state: &State,
    flywheel: &FlywheelRecord,
    lake: &Lake,
    created: Timestamp,
    kind: DatasetType,
    docs: &[Document],
) -> Result<(), String> {
    let name = match kind {
        DatasetType::Train => "flywheel-creation-train",
        DatasetType::Test => "flywheel-creation-test",
    };
    let arn = Arn::parse(&flywheel.arn).map_err(|e| e.to_string())?;
    let arn = Arn {
        resource: Resource::Dataset {
            flywheel: flywheel.name.clone(),
            name: name.into(),
        },
        ..arn
    }
    .to_string();
    if state
        .store
        .dataset(&arn)
        .await
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(()); // written before a restart
    }
    let folder = lake.dataset(name, created);
    data::put(
        state,
        &Lake::dataset_documents(&folder),
        data::to_csv(docs)?,
    )
    .await?;
    let description = format!("{} Dataset created by Flywheel creation.", kind.as_str());
    data::put_json(
        state,
        &Lake::dataset_description(&folder),
        &json!({"DatasetType": kind.as_str(), "NumberOfDocuments": docs.len(), "Source": flywheel.active_model_arn, "Description": description}),
    )
    .await?;
    let record = DatasetRecord {
        seq: 0,
        arn,
        flywheel_arn: flywheel.arn.clone(),
        account: flywheel.account.clone(),
        region: flywheel.region.clone(),
        name: name.into(),
        dataset_type: kind,
        description: Some(description),
        status: DatasetStatus::Completed,
        message: None,
        number_of_documents: Some(docs.len() as i64),
        dataset_s3_uri: folder,
        creation_time: created.millis(),
        end_time: Some(now_ms()),
        request: CreateDatasetRequest {
            flywheel_arn: flywheel.arn.clone(),
            dataset_name: name.into(),
            dataset_type: Some(kind),
            description: None,
            input_data_config: DatasetInputDataConfig::default(),
            client_request_token: None,
            tags: None,
        },
    };
    state
        .store
        .insert_dataset(&record, &Creation::default())
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
