//! Flywheels: create (from an existing model version, or new), describe, list, update
//! (promotion) and delete. Setting up the data lake runs later, in [`crate::jobs`].
//!
//! Lifecycle: CREATING → ACTIVE, or FAILED with a message (the lake location is
//! unusable, the model's data cannot be read).

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::endpoints::EndpointChanges;
use comprehend_store::flywheels::{FlywheelChanges, FlywheelFilter, FlywheelRecord};
use comprehend_store::objects::S3Uri;
use comprehend_store::{Creation, JobKind, Target, Tx};

use super::{
    Replay, name_taken, one_member, owned_arn, recognizer_input, replay, tags, time_window, ts,
    versions, with_response,
};
use crate::domain::{ModelKind, TRAINING_LANGUAGES, USABLE, model_name};
use crate::error::{Error, Result, not_found};
use crate::lake::Lake;
use crate::pagination::{next_token, page_request};
use crate::state::{Shared, State};

/// Flywheels per account and region (Amazon Comprehend Developer Guide, "Guidelines and
/// quotas": flywheels).
pub const MAX_FLYWHEELS: i64 = 50;
/// Flywheels CREATING at once.
pub const MAX_CREATING: i64 = 10;

/// The flywheel's model kind and task: from its active model, or the request's TaskConfig
/// checked.
async fn task_config(
    tx: &mut Tx,
    ctx: &RequestContext,
    input: &mut CreateFlywheelRequest,
) -> Result<(ModelKind, TaskConfig)> {
    let invalid = |m: String| -> Error { ServiceError::invalid_request(m).into() };
    match (&input.active_model_arn, input.task_config.take()) {
        (Some(_), Some(_)) => Err(invalid(
            "Specify either ActiveModelArn (an existing model) or TaskConfig (a new model), not both.".into(),
        )),
        (None, None) => Err(invalid(
            "Specify ActiveModelArn to use an existing model, or TaskConfig and ModelType to train a new one.".into(),
        )),
        (Some(model_arn), None) => {
            let kind = ModelKind::of(model_arn).ok_or_else(|| {
                invalid(format!(
                    "'{model_arn}' names neither a document classifier nor an entity recognizer version."
                ))
            })?;
            if let Some(t) = input.model_type.filter(|&t| ModelKind::of_type(t) != kind) {
                return Err(invalid(format!(
                    "ModelType {} does not match the active model {model_arn}, a {}.",
                    t.as_str(),
                    kind.noun()
                )));
            }
            Ok((kind, model_task(tx, ctx, kind, model_arn).await?))
        }
        (None, Some(task)) => {
            let model_type = input.model_type.ok_or_else(|| {
                invalid(
                    "ModelType is required with TaskConfig: DOCUMENT_CLASSIFIER or ENTITY_RECOGNIZER.".into(),
                )
            })?;
            let kind = ModelKind::of_type(model_type);
            check_task(kind, &task)?;
            Ok((kind, task))
        }
    }
}

/// The task of a flywheel that starts from an existing model version.
async fn model_task(
    tx: &mut Tx,
    ctx: &RequestContext,
    kind: ModelKind,
    model_arn: &str,
) -> Result<TaskConfig> {
    Ok(match kind {
        ModelKind::Classifier => {
            let model = versions::usable_classifier(tx, ctx, model_arn).await?;
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
        ModelKind::Recognizer => {
            let model = versions::usable_recognizer(tx, ctx, model_arn).await?;
            TaskConfig {
                language_code: model.language_code,
                document_classification_config: None,
                entity_recognition_config: Some(EntityRecognitionConfig {
                    entity_types: model.request.input_data_config.entity_types,
                }),
            }
        }
    })
}

/// Business rules of a new model's TaskConfig: a training language, and exactly the
/// configuration of the flywheel's model type.
fn check_task(kind: ModelKind, task: &TaskConfig) -> Result<()> {
    let invalid = |m: &str| -> Result<()> { Err(ServiceError::invalid_request(m).into()) };
    if !TRAINING_LANGUAGES.contains(&task.language_code) {
        return Err(ServiceError::unsupported_language(format!(
            "Custom {}s can't be trained in {}: supported languages are en, es, fr, de, it and pt.",
            kind.noun(),
            task.language_code
        ))
        .into());
    }
    match kind {
        ModelKind::Classifier => {
            if task.entity_recognition_config.is_some() {
                return invalid(
                    "TaskConfig.EntityRecognitionConfig is for ENTITY_RECOGNIZER flywheels; a DOCUMENT_CLASSIFIER flywheel takes DocumentClassificationConfig.",
                );
            }
            let Some(config) = &task.document_classification_config else {
                return invalid(
                    "TaskConfig.DocumentClassificationConfig is required for a DOCUMENT_CLASSIFIER flywheel.",
                );
            };
            check_labels(config)
        }
        ModelKind::Recognizer => {
            if task.document_classification_config.is_some() {
                return invalid(
                    "TaskConfig.DocumentClassificationConfig is for DOCUMENT_CLASSIFIER flywheels; an ENTITY_RECOGNIZER flywheel takes EntityRecognitionConfig.",
                );
            }
            let Some(config) = &task.entity_recognition_config else {
                return invalid(
                    "TaskConfig.EntityRecognitionConfig is required for an ENTITY_RECOGNIZER flywheel.",
                );
            };
            let field = "TaskConfig.EntityRecognitionConfig.EntityTypes";
            recognizer_input::check_types(field, &config.entity_types)?;
            let types: Vec<String> = config
                .entity_types
                .iter()
                .map(|t| t.type_.clone())
                .collect();
            comprehend_ner::check_entity_types(&types)
                .map_err(|e| ServiceError::invalid_request(e.to_string()).into())
        }
    }
}

fn check_labels(config: &DocumentClassificationConfig) -> Result<()> {
    let invalid = |m: &str| -> Result<()> { Err(ServiceError::invalid_request(m).into()) };
    if let Some(labels) = &config.labels {
        let mut unique = labels.clone();
        unique.sort();
        unique.dedup();
        if unique.len() != labels.len() {
            return invalid("TaskConfig.DocumentClassificationConfig.Labels lists a label twice.");
        }
        if labels.iter().any(|l| l.is_empty()) {
            return invalid("Labels must not be empty strings.");
        }
    }
    Ok(())
}

/// Flywheel quotas per account and region.
async fn check_quota(tx: &mut Tx, ctx: &RequestContext) -> Result<()> {
    let (count, creating) = tx.count_flywheels(&ctx.account_id, &ctx.region).await?;
    if count >= MAX_FLYWHEELS || creating >= MAX_CREATING {
        return Err(ServiceError::resource_limit_exceeded(format!(
            "Flywheel quota reached: at most {MAX_FLYWHEELS} flywheels, {MAX_CREATING} of them CREATING, per account and region."
        ))
        .into());
    }
    Ok(())
}

/// CreateFlywheel.
pub async fn create(
    state: &Shared,
    ctx: &RequestContext,
    mut input: CreateFlywheelRequest,
) -> Result<CreateFlywheelResponse> {
    let token = input.client_request_token.take();
    let mut tx = state.store.begin().await?;
    let record = match replay(&mut tx, ctx, "CreateFlywheel", token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let (kind, task_config) = task_config(&mut tx, ctx, &mut input).await?;
    let lake_uri = S3Uri::parse(&input.data_lake_s3_uri)
        .map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    let tags = tags::incoming(input.tags.take())?;
    check_quota(&mut tx, ctx).await?;
    let arn = Arn::new(
        ctx,
        Resource::Flywheel {
            name: input.flywheel_name.clone(),
        },
    )
    .to_string();
    let created = state.now();
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
        model_type: kind.model_type(),
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
    tx.insert_flywheel(&flywheel, &creation)
        .await
        .map_err(name_taken(format!(
            "A flywheel named '{}' already exists.",
            flywheel.name
        )))?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

/// A flywheel of the caller, read in the transaction of a write that depends on it.
pub(super) async fn owned_for_write(
    tx: &mut Tx,
    ctx: &RequestContext,
    arn: &str,
) -> Result<FlywheelRecord> {
    owned_arn(ctx, arn)?;
    tx.flywheel(arn).await?.ok_or_else(|| not_found(arn))
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

fn properties(f: FlywheelRecord) -> FlywheelProperties {
    let mut task_config = f.task_config;
    // Classification labels are shown once the flywheel is ACTIVE: the service fills
    // them in from the model's data while creating it.
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
    let window = time_window(
        filter.creation_time_after,
        filter.creation_time_before,
        FlywheelFilter::CreatedAfter,
        FlywheelFilter::CreatedBefore,
    );
    let conditions = one_member([filter.status.map(FlywheelFilter::Status)], window)?;
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
/// endpoints that follow the flywheel move to it — all in one transaction.
pub async fn update(
    state: &Shared,
    ctx: &RequestContext,
    input: UpdateFlywheelRequest,
) -> Result<UpdateFlywheelResponse> {
    let mut tx = state.store.begin().await?;
    let flywheel = owned_for_write(&mut tx, ctx, &input.flywheel_arn).await?;
    if flywheel.status != FlywheelStatus::Active {
        return Err(ServiceError::invalid_request(format!(
            "The flywheel {} is {}; only an ACTIVE flywheel can be updated.",
            flywheel.arn, flywheel.status
        ))
        .into());
    }
    let mut changes = FlywheelChanges {
        last_modified_time: Some(state.now_ms()),
        ..Default::default()
    };
    let mut promoted = None;
    if let Some(model_arn) = &input.active_model_arn {
        own_version(&mut tx, ctx, &flywheel, model_arn).await?;
        if flywheel.active_model_arn.as_deref() != Some(model_arn) {
            promoted = Some(model_arn.clone());
        }
        changes.active_model_arn = Some(model_arn.clone());
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
    tx.transition_flywheel(&flywheel.arn, FlywheelStatus::Active, changes)
        .await?;
    if let Some(model_arn) = promoted {
        follow_promotion(state, &mut tx, &flywheel.arn, &model_arn).await?;
    }
    tx.commit().await?;
    state.wakeup.notify();
    let updated = state
        .store
        .flywheel(&flywheel.arn)
        .await?
        .ok_or_else(|| not_found(&flywheel.arn))?;
    Ok(UpdateFlywheelResponse {
        flywheel_properties: Some(properties(updated)),
    })
}

/// Checks that `model_arn` is a TRAINED version of this flywheel's model.
async fn own_version(
    tx: &mut Tx,
    ctx: &RequestContext,
    flywheel: &FlywheelRecord,
    model_arn: &str,
) -> Result<()> {
    let kind = ModelKind::of_flywheel(flywheel);
    let of_kind = owned_arn(ctx, model_arn).is_ok() && ModelKind::of(model_arn) == Some(kind);
    let record = match kind {
        _ if !of_kind => None,
        ModelKind::Classifier => tx
            .classifier(model_arn)
            .await?
            .map(|r| (r.name, r.flywheel_arn, r.arn, r.status)),
        ModelKind::Recognizer => tx
            .recognizer(model_arn)
            .await?
            .map(|r| (r.name, r.flywheel_arn, r.arn, r.status)),
    };
    let belongs = record.as_ref().is_some_and(|(name, owner, arn, _)| {
        *name == model_name(flywheel)
            && (owner.as_deref() == Some(&flywheel.arn)
                || flywheel.active_model_arn.as_deref() == Some(arn))
    });
    match record {
        Some((.., status)) if belongs && USABLE.contains(&status) => Ok(()),
        Some((.., status)) if belongs => Err(ServiceError::invalid_request(format!(
            "The model version {model_arn} is {status}; only a TRAINED version can be made active."
        ))
        .into()),
        _ => Err(ServiceError::invalid_request(format!(
            "{model_arn} is not a {} version of the flywheel {}.",
            kind.noun(),
            flywheel.arn
        ))
        .into()),
    }
}

/// Moves endpoints that follow a flywheel to its newly active version, each with its
/// deployment job, inside the promotion's transaction.
async fn follow_promotion(
    state: &State,
    tx: &mut Tx,
    flywheel_arn: &str,
    model_arn: &str,
) -> Result<()> {
    let now = state.now_ms();
    for endpoint in tx.endpoints_following(flywheel_arn).await? {
        if endpoint.model_arn.as_deref() == Some(model_arn) {
            continue;
        }
        let changes = EndpointChanges {
            desired_model_arn: Some(model_arn.to_owned()),
            last_modified_time: Some(now),
            ..Default::default()
        };
        if tx
            .transition_endpoint(&endpoint.arn, EndpointStatus::Updating, changes)
            .await?
        {
            let target = Target::arn(&endpoint.arn);
            tx.ensure_queued_job(JobKind::DeployEndpoint, &target, now)
                .await?;
            tracing::info!(endpoint = %endpoint.arn, model = model_arn, "endpoint follows the flywheel's new active version");
        }
    }
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
    // Read in the deletion's transaction: an iteration or dataset started at the same
    // moment either commits first (and refuses this) or finds the flywheel gone.
    let mut tx = state.store.begin().await?;
    let flywheel = owned_for_write(&mut tx, ctx, &input.flywheel_arn).await?;
    let in_use = |why: String| -> Result<DeleteFlywheelResponse> {
        Err(ServiceError::resource_in_use(why).into())
    };
    if flywheel.status == FlywheelStatus::Creating {
        return in_use(format!(
            "The flywheel {} is still being created.",
            flywheel.arn
        ));
    }
    let running = tx.running_iterations(&ctx.account_id, &ctx.region).await?;
    if let Some(iteration) = running.iter().find(|i| i.flywheel_arn == flywheel.arn) {
        return in_use(format!(
            "The flywheel iteration {} is running.",
            iteration.iteration_id
        ));
    }
    let datasets = tx.flywheel_datasets(&flywheel.arn).await?;
    if let Some(dataset) = datasets
        .iter()
        .find(|d| d.status == DatasetStatus::Creating)
    {
        return in_use(format!("The dataset {} is being ingested.", dataset.name));
    }
    tx.delete_flywheel(&flywheel.arn).await?;
    tx.commit().await?;
    Ok(DeleteFlywheelResponse {})
}

/// The active version of the caller's flywheel `arn`, for a job that needs a model of
/// `kind`: InvalidRequestException when the flywheel trains the other kind or has no
/// active version yet.
pub(super) async fn active_version(
    tx: &mut Tx,
    ctx: &RequestContext,
    arn: &str,
    kind: ModelKind,
) -> Result<String> {
    let flywheel = owned_for_write(tx, ctx, arn).await?;
    let invalid = |m: String| -> Result<String> { Err(ServiceError::invalid_request(m).into()) };
    if ModelKind::of_flywheel(&flywheel) != kind {
        return invalid(format!(
            "The flywheel {arn} trains {}s; this operation needs a {}.",
            ModelKind::of_flywheel(&flywheel).noun(),
            kind.noun()
        ));
    }
    match flywheel.active_model_arn {
        Some(active) => Ok(active),
        None => invalid(format!(
            "The flywheel {arn} has no active model version yet."
        )),
    }
}
