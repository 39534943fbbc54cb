//! Flywheel iterations: StartFlywheelIteration, DescribeFlywheelIteration,
//! ListFlywheelIterationHistory, and the iteration job.
//!
//! An iteration gathers the flywheel's COMPLETED datasets from the lake, trains a new
//! model version (`Comprehend-Generated-v1-<8 hex>`) on all TRAIN data, evaluates it and
//! the active version on the same test data (the TEST datasets, or a seeded 10 % held
//! out of TRAIN when there are none), and writes the evaluation into the lake.
//! Status TRAINING → EVALUATING → COMPLETED, or FAILED / STOPPED. When no dataset arrived
//! since the last trained version, it only evaluates the active version and says so.
//! Promotion is never automatic; only a flywheel without an active version adopts the
//! first version it trains (there is nothing to replace).

use comprehend_ml::{Document, Evaluation, Mode, TrainParams};
use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::classifiers::{ClassifierChanges, NewClassifier};
use comprehend_store::datasets::DatasetRecord;
use comprehend_store::flywheels::{FlywheelChanges, FlywheelRecord};
use comprehend_store::iterations::{IterationChanges, IterationRecord};
use comprehend_store::{Creation, Job, JobKind};
use serde_json::json;

use super::classifiers::{self, TrainFailure};
use super::data::{self, ml_mode};
use super::lake::Lake;
use super::{Replay, flywheels, opt_ts, replay, round4, stable_id, time_window, ts, with_response};
use crate::error::{Result, not_found};
use crate::pagination::{next_token, page_request};
use crate::runner::JobError;
use crate::state::{Shared, State, now_ms};

/// The message of an iteration that trained and evaluated a new version.
pub const FULL_ITERATION: &str =
    "FULL_ITERATION: Flywheel iteration performed all functions successfully.";
/// The message of an iteration that found no new data.
pub const EVALUATION_ONLY: &str = "EVALUATION_ONLY: No new datasets since the last trained model version; \
     the active model version was evaluated and no new version was trained.";

const RUNNING: &[FlywheelIterationStatus] = &[
    FlywheelIterationStatus::Training,
    FlywheelIterationStatus::Evaluating,
    FlywheelIterationStatus::StopRequested,
];

/// StartFlywheelIteration.
pub async fn start(
    state: &Shared,
    ctx: &RequestContext,
    mut input: StartFlywheelIterationRequest,
) -> Result<StartFlywheelIterationResponse> {
    let token = input.client_request_token.take();
    let record = match replay(
        state,
        ctx,
        "StartFlywheelIteration",
        token.as_deref(),
        &input,
    )
    .await?
    {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let flywheel = flywheels::owned(state, ctx, &input.flywheel_arn).await?;
    if flywheel.status != FlywheelStatus::Active {
        return Err(ServiceError::invalid_request(format!(
            "The flywheel {} is {}; iterations can only run on an ACTIVE flywheel.",
            flywheel.arn, flywheel.status
        ))
        .into());
    }
    let running = state
        .store
        .running_iterations(&ctx.account_id, &ctx.region)
        .await?;
    if let Some(it) = running.iter().find(|i| i.flywheel_arn == flywheel.arn) {
        return Err(ServiceError::resource_in_use(format!(
            "The flywheel iteration {} is still running; wait for it to finish.",
            it.iteration_id
        ))
        .into());
    }
    // The id is the start time to the second; a quick second start moves to the next second.
    let mut created = Timestamp::from_millis(now_ms());
    if let Some(latest) = flywheel.latest_iteration_id.as_deref().and_then(parse_id)
        && created.millis() < latest + 1000
    {
        created = Timestamp::from_millis(latest + 1000);
    }
    let iteration_id = created.compact();
    let lake = Lake::at(&flywheel.data_lake_s3_uri);
    let iteration = IterationRecord {
        seq: 0,
        flywheel_arn: flywheel.arn.clone(),
        iteration_id: iteration_id.clone(),
        status: FlywheelIterationStatus::Training,
        message: None,
        creation_time: created.millis(),
        end_time: None,
        evaluated_model_arn: None,
        evaluated_metrics: None,
        trained_model_arn: None,
        trained_metrics: None,
        evaluation_prefix: Some(lake.evaluation(&iteration_id)),
    };
    let response = StartFlywheelIterationResponse {
        flywheel_arn: Some(flywheel.arn.clone()),
        flywheel_iteration_id: Some(iteration_id),
    };
    let creation = Creation {
        tags: vec![],
        job: Some(JobKind::RunIteration),
        idempotency: with_response(record, &response),
        now: now_ms(),
    };
    state.store.insert_iteration(&iteration, &creation).await?;
    state.wakeup.notify();
    Ok(response)
}

fn parse_id(id: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(id, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

fn properties(it: IterationRecord) -> FlywheelIterationProperties {
    FlywheelIterationProperties {
        flywheel_arn: Some(it.flywheel_arn),
        flywheel_iteration_id: Some(it.iteration_id),
        creation_time: Some(ts(it.creation_time)),
        end_time: opt_ts(it.end_time),
        status: Some(it.status),
        message: it.message,
        evaluated_model_arn: it.evaluated_model_arn,
        evaluated_model_metrics: it.evaluated_metrics,
        trained_model_arn: it.trained_model_arn,
        trained_model_metrics: it.trained_metrics,
        evaluation_manifest_s3_prefix: it.evaluation_prefix,
    }
}

/// DescribeFlywheelIteration.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeFlywheelIterationRequest,
) -> Result<DescribeFlywheelIterationResponse> {
    let flywheel = flywheels::owned(state, ctx, &input.flywheel_arn).await?;
    let iteration = state
        .store
        .iteration(&flywheel.arn, &input.flywheel_iteration_id)
        .await?
        .ok_or_else(|| {
            not_found(&format!(
                "{} iteration {}",
                flywheel.arn, input.flywheel_iteration_id
            ))
        })?;
    Ok(DescribeFlywheelIterationResponse {
        flywheel_iteration_properties: Some(properties(iteration)),
    })
}

/// ListFlywheelIterationHistory.
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListFlywheelIterationHistoryRequest,
) -> Result<ListFlywheelIterationHistoryResponse> {
    const OP: &str = "ListFlywheelIterationHistory";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let flywheel = flywheels::owned(state, ctx, &input.flywheel_arn).await?;
    let filter = input.filter.unwrap_or_default();
    let mut conditions = Vec::new();
    conditions.extend(time_window(
        "creation_time",
        filter.creation_time_after,
        filter.creation_time_before,
    ));
    let page = state
        .store
        .list_iterations(&flywheel.arn, &conditions, page)
        .await?;
    Ok(ListFlywheelIterationHistoryResponse {
        next_token: next_token(OP, &page),
        flywheel_iteration_properties_list: Some(page.items.into_iter().map(properties).collect()),
    })
}

fn split_key(key: &str) -> Option<(&str, &str)> {
    key.rsplit_once('#')
}

/// Marks an iteration FAILED.
pub async fn fail(state: &State, key: &str, message: &str) -> Result<()> {
    if let Some((flywheel_arn, id)) = split_key(key) {
        let changes = IterationChanges {
            message: Some(Some(message.to_owned())),
            end_time: Some(now_ms()),
            ..Default::default()
        };
        state
            .store
            .transition_iteration(
                flywheel_arn,
                id,
                RUNNING,
                FlywheelIterationStatus::Failed,
                changes,
            )
            .await?;
    }
    Ok(())
}

/// FlywheelModelEvaluationMetrics from an evaluation.
fn flywheel_metrics(evaluation: &Evaluation) -> FlywheelModelEvaluationMetrics {
    let m = &evaluation.metrics;
    FlywheelModelEvaluationMetrics {
        average_f1_score: Some(round4(m.f1_score)),
        average_precision: Some(round4(m.precision)),
        average_recall: Some(round4(m.recall)),
        average_accuracy: Some(round4(m.accuracy)),
    }
}

/// The RunIteration job.
pub async fn run_iteration(state: &Shared, job: &Job) -> Result<(), JobError> {
    let Some((flywheel_arn, id)) = split_key(&job.resource_arn) else {
        return Ok(());
    };
    let Some(iteration) = state.store.iteration(flywheel_arn, id).await? else {
        return Ok(());
    };
    if iteration.status == FlywheelIterationStatus::StopRequested {
        stopped(state, flywheel_arn, id, None).await?;
        return Ok(());
    }
    if !RUNNING.contains(&iteration.status) {
        return Ok(());
    }
    let Some(flywheel) = state.store.flywheel(flywheel_arn).await? else {
        return Ok(());
    };
    match iterate(state, job, &flywheel, &iteration).await {
        Ok(()) => Ok(()),
        Err(Outcome::Stopped) => {
            stopped(
                state,
                flywheel_arn,
                id,
                Some("The model version's training was stopped."),
            )
            .await?;
            Ok(())
        }
        Err(Outcome::Failed(message)) => {
            fail(state, &job.resource_arn, &message).await?;
            Err(JobError::Failed(message))
        }
        Err(Outcome::Internal(e)) => Err(e),
    }
}

/// Marks an iteration STOPPED.
async fn stopped(state: &State, flywheel_arn: &str, id: &str, message: Option<&str>) -> Result<()> {
    let changes = IterationChanges {
        end_time: Some(now_ms()),
        message: message.map(|m| Some(m.to_owned())),
        ..Default::default()
    };
    state
        .store
        .transition_iteration(
            flywheel_arn,
            id,
            RUNNING,
            FlywheelIterationStatus::Stopped,
            changes,
        )
        .await?;
    Ok(())
}

enum Outcome {
    Stopped,
    Failed(String),
    Internal(JobError),
}

impl<E: Into<JobError>> From<E> for Outcome {
    fn from(e: E) -> Outcome {
        Outcome::Internal(e.into())
    }
}

async fn read_datasets(
    state: &State,
    datasets: &[&DatasetRecord],
    mode: Mode,
) -> Result<Vec<Document>, Outcome> {
    let mut docs = Vec::new();
    for dataset in datasets {
        let uri = Lake::dataset_documents(&dataset.dataset_s3_uri);
        // Ingested documents always use '|' between labels (see `data::to_csv`).
        let read = data::read_csv(state, &uri, mode, '|', "ingested documents")
            .await
            .map_err(|e| Outcome::Failed(format!("Dataset {}: {e}", dataset.name)))?;
        docs.extend(read);
    }
    Ok(docs)
}

async fn iterate(
    state: &State,
    job: &Job,
    flywheel: &FlywheelRecord,
    iteration: &IterationRecord,
) -> Result<(), Outcome> {
    let lake = Lake::at(&flywheel.data_lake_s3_uri);
    let mode = ml_mode(flywheels::mode(flywheel));
    let all = state.store.flywheel_datasets(&flywheel.arn).await?;
    let usable: Vec<&DatasetRecord> = all
        .iter()
        .filter(|d| {
            d.status == DatasetStatus::Completed && d.creation_time <= iteration.creation_time
        })
        .collect();
    let train_sets: Vec<&DatasetRecord> = usable
        .iter()
        .copied()
        .filter(|d| d.dataset_type == DatasetType::Train)
        .collect();
    let test_sets: Vec<&DatasetRecord> = usable
        .iter()
        .copied()
        .filter(|d| d.dataset_type == DatasetType::Test)
        .collect();
    let baseline = baseline(state, flywheel, iteration).await?;
    let new_data = usable.iter().any(|d| d.creation_time > baseline);
    let active = match &flywheel.active_model_arn {
        Some(arn) => state.store.classifier(arn).await?,
        None => None,
    };
    if train_sets.is_empty() && active.is_none() {
        return Err(Outcome::Failed(
            "The flywheel has no completed TRAIN dataset: create one with CreateDataset before starting an iteration.".into(),
        ));
    }
    let train_docs = read_datasets(state, &train_sets, mode).await?;
    let (train_docs, test_docs) = if test_sets.is_empty() {
        data::holdout_split(train_docs, &TrainParams::new(mode))
    } else {
        (train_docs, read_datasets(state, &test_sets, mode).await?)
    };
    if test_docs.is_empty() {
        return Err(Outcome::Failed(
            "The flywheel has no test documents: add a TEST dataset.".into(),
        ));
    }

    // The active version, scored on the test data.
    let evaluated = match &active {
        Some(model) => {
            let key = model.model_key.clone().ok_or_else(|| {
                Outcome::Failed(format!(
                    "The active model {} has no trained model.",
                    model.arn
                ))
            })?;
            let loaded = state.models.load(&key).await?;
            let docs = test_docs.clone();
            let evaluation = tokio::task::spawn_blocking(move || loaded.evaluate(&docs))
                .await
                .map_err(|e| Outcome::Failed(format!("Evaluating the active model failed: {e}")))?;
            Some((model.arn.clone(), evaluation))
        }
        None => None,
    };

    if !new_data && active.is_some() {
        let changes = IterationChanges {
            evaluated_model_arn: evaluated.as_ref().map(|(arn, _)| arn.clone()),
            evaluated_metrics: evaluated.as_ref().map(|(_, e)| flywheel_metrics(e)),
            ..Default::default()
        };
        state
            .store
            .transition_iteration(
                &flywheel.arn,
                &iteration.iteration_id,
                RUNNING,
                FlywheelIterationStatus::Evaluating,
                changes,
            )
            .await?;
        write_manifest(
            state,
            &lake,
            flywheel,
            iteration,
            evaluated.as_ref(),
            None,
            &usable,
        )
        .await?;
        finish(state, flywheel, iteration, EVALUATION_ONLY).await?;
        return Ok(());
    }

    // A new version, trained on every TRAIN document.
    let version = format!(
        "Comprehend-Generated-v1-{}",
        &stable_id(&format!("{}#{}", flywheel.arn, iteration.iteration_id))[..8]
    );
    let name = flywheels::model_name(flywheel);
    let arn = Arn::parse(&flywheel.arn).map_err(|e| Outcome::Failed(e.to_string()))?;
    let model_arn = Arn {
        resource: Resource::DocumentClassifier {
            name: name.clone(),
            version: Some(version.clone()),
        },
        ..arn
    }
    .to_string();
    let record = match state.store.classifier(&model_arn).await? {
        Some(existing) => existing,
        None => {
            data::put(
                state,
                &lake.model_training(&version),
                data::to_csv(&train_docs).map_err(Outcome::Failed)?,
            )
            .await
            .map_err(Outcome::Failed)?;
            data::put(
                state,
                &lake.model_test(&version),
                data::to_csv(&test_docs).map_err(Outcome::Failed)?,
            )
            .await
            .map_err(Outcome::Failed)?;
            let security = &flywheel.data_security_config;
            let request = CreateDocumentClassifierRequest {
                document_classifier_name: name.clone(),
                version_name: Some(version.clone()),
                data_access_role_arn: flywheel.data_access_role_arn.clone(),
                tags: None,
                input_data_config: DocumentClassifierInputDataConfig {
                    data_format: Some(DocumentClassifierDataFormat::ComprehendCsv),
                    s3_uri: Some(lake.model_training(&version)),
                    test_s3_uri: Some(lake.model_test(&version)),
                    label_delimiter: (mode == Mode::MultiLabel).then(|| "|".to_owned()),
                    ..Default::default()
                },
                output_data_config: None,
                client_request_token: None,
                language_code: flywheel.task_config.language_code,
                volume_kms_key_id: security.volume_kms_key_id.clone(),
                vpc_config: security.vpc_config.clone(),
                mode: Some(flywheels::mode(flywheel)),
                model_kms_key_id: security.model_kms_key_id.clone(),
                model_policy: None,
            };
            let new = NewClassifier {
                arn: model_arn.clone(),
                account: flywheel.account.clone(),
                region: flywheel.region.clone(),
                name,
                version: Some(version.clone()),
                status: ModelStatus::Training,
                language_code: flywheel.task_config.language_code,
                mode: flywheels::mode(flywheel),
                submit_time: now_ms(),
                request,
                flywheel_arn: Some(flywheel.arn.clone()),
                flywheel_stats_prefix: Some(lake.model_stats(&version)),
            };
            state
                .store
                .insert_classifier(&new, &Creation::default())
                .await?;
            let started = ClassifierChanges {
                training_start_time: Some(now_ms()),
                ..Default::default()
            };
            state
                .store
                .transition_classifier(
                    &model_arn,
                    &[ModelStatus::Training],
                    ModelStatus::Training,
                    started,
                )
                .await?;
            state
                .store
                .classifier(&model_arn)
                .await?
                .ok_or_else(|| Outcome::Failed("The new model version vanished.".into()))?
        }
    };
    let trained = match classifiers::train_with_stop(
        state,
        job.id,
        &model_arn,
        train_docs,
        Some(test_docs),
        mode,
    )
    .await
    {
        Ok(trained) => trained,
        Err(TrainFailure::Cancelled) => {
            let now = now_ms();
            let stopped = ClassifierChanges {
                end_time: Some(now),
                training_end_time: Some(now),
                ..Default::default()
            };
            state
                .store
                .transition_classifier(
                    &model_arn,
                    &[ModelStatus::Training, ModelStatus::StopRequested],
                    ModelStatus::Stopped,
                    stopped,
                )
                .await?;
            return Err(Outcome::Stopped);
        }
        Err(TrainFailure::Failed(message)) => {
            classifiers::fail(state, &model_arn, &message).await?;
            return Err(Outcome::Failed(format!(
                "Training the new model version failed: {message}"
            )));
        }
    };
    let evaluation = trained.evaluation.clone();
    let labels = trained.model.labels().to_vec();
    classifiers::complete(state, &record, trained)
        .await
        .map_err(|e| match e {
            JobError::Failed(m) => Outcome::Failed(m),
            other => Outcome::Internal(other),
        })?;
    let changes = IterationChanges {
        evaluated_model_arn: evaluated.as_ref().map(|(arn, _)| arn.clone()),
        evaluated_metrics: evaluated.as_ref().map(|(_, e)| flywheel_metrics(e)),
        trained_model_arn: Some(model_arn.clone()),
        trained_metrics: Some(flywheel_metrics(&evaluation)),
        ..Default::default()
    };
    state
        .store
        .transition_iteration(
            &flywheel.arn,
            &iteration.iteration_id,
            RUNNING,
            FlywheelIterationStatus::Evaluating,
            changes,
        )
        .await?;
    let stats = lake.model_stats(&version);
    data::put(
        state,
        &format!("{stats}confusion_matrix.json"),
        evaluation.confusion_matrix.to_json().into_bytes(),
    )
    .await
    .map_err(Outcome::Failed)?;
    data::put_json(
        state,
        &format!("{stats}metrics.json"),
        &json!({
            "ModelArn": model_arn,
            "FlywheelIterationId": iteration.iteration_id,
            "EvaluationMetrics": classifiers::metadata(&evaluation),
            "FlywheelModelEvaluationMetrics": flywheel_metrics(&evaluation),
        }),
    )
    .await
    .map_err(Outcome::Failed)?;
    write_manifest(
        state,
        &lake,
        flywheel,
        iteration,
        evaluated.as_ref(),
        Some((&model_arn, &evaluation)),
        &usable,
    )
    .await?;
    if flywheel.active_model_arn.is_none() {
        let adopt = FlywheelChanges {
            active_model_arn: Some(model_arn.clone()),
            last_modified_time: Some(now_ms()),
            ..Default::default()
        };
        state
            .store
            .transition_flywheel(
                &flywheel.arn,
                &[FlywheelStatus::Active],
                FlywheelStatus::Active,
                adopt,
            )
            .await?;
        adopt_labels(state, flywheel, labels).await?;
    }
    finish(state, flywheel, iteration, FULL_ITERATION).await?;
    Ok(())
}

/// Marks an iteration COMPLETED with `message`.
async fn finish(
    state: &State,
    flywheel: &FlywheelRecord,
    iteration: &IterationRecord,
    message: &str,
) -> Result<(), Outcome> {
    let done = IterationChanges {
        message: Some(Some(message.to_owned())),
        end_time: Some(now_ms()),
        ..Default::default()
    };
    state
        .store
        .transition_iteration(
            &flywheel.arn,
            &iteration.iteration_id,
            RUNNING,
            FlywheelIterationStatus::Completed,
            done,
        )
        .await?;
    Ok(())
}

/// A flywheel created without labels takes those of its first version.
async fn adopt_labels(
    state: &State,
    flywheel: &FlywheelRecord,
    labels: Vec<String>,
) -> Result<(), Outcome> {
    if flywheels::labels(flywheel).is_some() {
        return Ok(());
    }
    let mut task = flywheel.task_config.clone();
    if let Some(config) = task.document_classification_config.as_mut() {
        config.labels = Some(labels);
    }
    let changes = FlywheelChanges {
        task_config: Some(task),
        ..Default::default()
    };
    state
        .store
        .transition_flywheel(
            &flywheel.arn,
            &[FlywheelStatus::Active],
            FlywheelStatus::Active,
            changes,
        )
        .await?;
    Ok(())
}

/// Datasets created after this instant are new to the iteration: the start of the last
/// iteration that trained a version, or the flywheel's creation when it began from a model.
async fn baseline(
    state: &State,
    flywheel: &FlywheelRecord,
    iteration: &IterationRecord,
) -> Result<i64, Outcome> {
    let page = comprehend_store::PageRequest {
        after: None,
        limit: 10_000,
    };
    let history = state
        .store
        .list_iterations(&flywheel.arn, &[], page)
        .await?;
    let last_trained = history
        .items
        .iter()
        .filter(|i| {
            i.iteration_id != iteration.iteration_id
                && i.status == FlywheelIterationStatus::Completed
                && i.trained_model_arn.is_some()
                && i.creation_time < iteration.creation_time
        })
        .map(|i| i.creation_time)
        .max();
    Ok(match last_trained {
        Some(t) => t,
        None if flywheel.active_model_arn.is_some() => flywheel.creation_time,
        None => i64::MIN,
    })
}

async fn write_manifest(
    state: &State,
    lake: &Lake,
    flywheel: &FlywheelRecord,
    iteration: &IterationRecord,
    evaluated: Option<&(String, Evaluation)>,
    trained: Option<(&String, &Evaluation)>,
    datasets: &[&DatasetRecord],
) -> Result<(), Outcome> {
    let model = |arn: &str, e: &Evaluation| {
        json!({
            "ModelArn": arn,
            "NumberOfTestDocuments": e.number_of_test_documents,
            "EvaluationMetrics": classifiers::metadata(e).evaluation_metrics,
            "ConfusionMatrix": serde_json::from_str::<serde_json::Value>(&e.confusion_matrix.to_json()).unwrap_or_default(),
        })
    };
    let manifest = json!({
        "FlywheelArn": flywheel.arn,
        "FlywheelIterationId": iteration.iteration_id,
        "Datasets": datasets.iter().map(|d| json!({
            "DatasetArn": d.arn, "DatasetType": d.dataset_type.as_str(), "DatasetS3Uri": d.dataset_s3_uri,
            "NumberOfDocuments": d.number_of_documents,
        })).collect::<Vec<_>>(),
        "EvaluatedModel": evaluated.map(|(arn, e)| model(arn, e)),
        "TrainedModel": trained.map(|(arn, e)| model(arn, e)),
    });
    data::put_json(
        state,
        &lake.evaluation_manifest(&iteration.iteration_id),
        &manifest,
    )
    .await
    .map_err(Outcome::Failed)?;
    Ok(())
}
