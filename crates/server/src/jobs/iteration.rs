//! The RunIteration job. An iteration gathers the flywheel's COMPLETED datasets from the
//! lake, trains a new model version (`Comprehend-Generated-v1-<8 hex>`) on all TRAIN
//! data, evaluates it and the active version on the same test data (the TEST datasets,
//! or a seeded 10 % held out of TRAIN when there are none), and writes the evaluation
//! into the lake. Status TRAINING → EVALUATING → COMPLETED, or FAILED / STOPPED. When no
//! dataset arrived since the last trained version, it only evaluates the active version
//! and says so. Promotion is never automatic; only a flywheel without an active version
//! adopts the first version it trains (there is nothing to replace).

use comprehend_protocol::*;
use comprehend_store::datasets::DatasetRecord;
use comprehend_store::flywheels::{FlywheelChanges, FlywheelRecord};
use comprehend_store::iterations::{IterationChanges, IterationRecord};
use comprehend_store::{IterationKey, Job, Target};
use serde_json::json;

use super::error::JobError;
use super::flywheel_kind;
use super::iteration_step::{Outcome, Scored, Sets};
use crate::data;
use crate::domain;
use crate::error::Error;
use crate::lake::Lake;
use crate::state::State;

/// The message of an iteration that trained and evaluated a new version.
pub const FULL_ITERATION: &str =
    "FULL_ITERATION: Flywheel iteration performed all functions successfully.";
/// The message of an iteration that found no new data.
pub const EVALUATION_ONLY: &str = "EVALUATION_ONLY: No new datasets since the last trained model version; \
     the active model version was evaluated and no new version was trained.";

/// RunIteration.
pub async fn run(state: &State, job: &Job) -> Result<(), JobError> {
    let Target::Iteration(key) = &job.target else {
        return Ok(());
    };
    let Some(iteration) = state.store.iteration(key).await? else {
        return Ok(());
    };
    let Some(flywheel) = state.store.flywheel(&key.flywheel_arn).await? else {
        return Ok(());
    };
    match iteration.status {
        FlywheelIterationStatus::StopRequested => return Ok(stopped(state, key, None).await?),
        FlywheelIterationStatus::Training | FlywheelIterationStatus::Evaluating => {}
        FlywheelIterationStatus::Completed
        | FlywheelIterationStatus::Failed
        | FlywheelIterationStatus::Stopped => return Ok(()),
    }
    match iterate(state, job, &flywheel, &iteration).await {
        Ok(()) => Ok(()),
        Err(Outcome::Stopped) => {
            let why = "The model version's training was stopped.";
            Ok(stopped(state, key, Some(why)).await?)
        }
        Err(Outcome::Failed(message)) => {
            fail_iteration(state, key, &message).await?;
            Err(JobError::Failed(message))
        }
        Err(Outcome::Internal(e)) => Err(e),
    }
}

/// Marks an iteration FAILED (its work failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    match target {
        Target::Iteration(key) => fail_iteration(state, key, message).await,
        Target::Resource(_) => Ok(()),
    }
}

async fn fail_iteration(state: &State, key: &IterationKey, message: &str) -> Result<(), Error> {
    let changes = IterationChanges {
        message: Some(Some(crate::disk::failure_message(state, message))),
        end_time: Some(state.now_ms()),
        ..Default::default()
    };
    state
        .store
        .transition_iteration(key, FlywheelIterationStatus::Failed, changes)
        .await?;
    Ok(())
}

async fn stopped(state: &State, key: &IterationKey, message: Option<&str>) -> Result<(), Error> {
    let changes = IterationChanges {
        end_time: Some(state.now_ms()),
        message: message.map(|m| Some(m.to_owned())),
        ..Default::default()
    };
    state
        .store
        .transition_iteration(key, FlywheelIterationStatus::Stopped, changes)
        .await?;
    Ok(())
}

/// What an iteration works with, gathered from the flywheel's datasets.
struct Plan<'a> {
    flywheel: &'a FlywheelRecord,
    iteration: &'a IterationRecord,
    lake: Lake,
    datasets: Vec<DatasetRecord>,
    sets: Sets,
    /// Whether a dataset arrived since the last trained version.
    new_data: bool,
}

async fn iterate(
    state: &State,
    job: &Job,
    flywheel: &FlywheelRecord,
    iteration: &IterationRecord,
) -> Result<(), Outcome> {
    let plan = plan(state, flywheel, iteration).await?;
    let active = flywheel.active_model_arn.as_deref();
    let evaluated = flywheel_kind::evaluate_active(state, active, &plan.sets).await?;
    if !plan.new_data && active.is_some() {
        return evaluation_only(state, &plan, evaluated).await;
    }
    let model_arn =
        flywheel_kind::new_version(state, flywheel, &iteration.iteration_id, &plan.sets).await?;
    let trained = flywheel_kind::train_version(state, job.id, &model_arn, &plan.sets).await?;
    record_evaluation(state, &plan, evaluated.as_ref(), Some(&trained)).await?;
    write_stats(state, &plan, &trained).await?;
    if flywheel.active_model_arn.is_none() {
        adopt(state, flywheel, &trained.arn, trained.labels).await?;
    }
    finish(state, iteration, FULL_ITERATION).await
}

async fn plan<'a>(
    state: &State,
    flywheel: &'a FlywheelRecord,
    iteration: &'a IterationRecord,
) -> Result<Plan<'a>, Outcome> {
    let datasets: Vec<DatasetRecord> = state
        .store
        .flywheel_datasets(&flywheel.arn)
        .await?
        .into_iter()
        .filter(|d| {
            d.status == DatasetStatus::Completed && d.creation_time <= iteration.creation_time
        })
        .collect();
    let of_type = |t: DatasetType| -> Vec<&DatasetRecord> {
        datasets.iter().filter(|d| d.dataset_type == t).collect()
    };
    let baseline = baseline(state, flywheel, iteration).await?;
    let new_data = datasets.iter().any(|d| d.creation_time > baseline);
    let (train_sets, test_sets) = (of_type(DatasetType::Train), of_type(DatasetType::Test));
    if train_sets.is_empty() && flywheel.active_model_arn.is_none() {
        return Err(Outcome::Failed(
            "The flywheel has no completed TRAIN dataset: create one with CreateDataset before starting an iteration.".into(),
        ));
    }
    let sets = flywheel_kind::read_sets(state, flywheel, &train_sets, &test_sets).await?;
    Ok(Plan {
        lake: Lake::at(&flywheel.data_lake_s3_uri),
        flywheel,
        iteration,
        datasets,
        sets,
        new_data,
    })
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

async fn evaluation_only(
    state: &State,
    plan: &Plan<'_>,
    evaluated: Option<Scored>,
) -> Result<(), Outcome> {
    record_evaluation(state, plan, evaluated.as_ref(), None).await?;
    finish(state, plan.iteration, EVALUATION_ONLY).await
}

/// Moves the iteration to EVALUATING with both versions' metrics, and writes the
/// evaluation manifest into the lake.
async fn record_evaluation(
    state: &State,
    plan: &Plan<'_>,
    evaluated: Option<&Scored>,
    trained: Option<&Scored>,
) -> Result<(), Outcome> {
    let changes = IterationChanges {
        evaluated_model_arn: evaluated.map(|s| s.arn.clone()),
        evaluated_metrics: evaluated.map(|s| s.metrics.clone()),
        trained_model_arn: trained.map(|s| s.arn.clone()),
        trained_metrics: trained.map(|s| s.metrics.clone()),
        ..Default::default()
    };
    state
        .store
        .transition_iteration(
            &plan.iteration.key(),
            FlywheelIterationStatus::Evaluating,
            changes,
        )
        .await?;
    write_manifest(state, plan, evaluated, trained).await
}

async fn write_manifest(
    state: &State,
    plan: &Plan<'_>,
    evaluated: Option<&Scored>,
    trained: Option<&Scored>,
) -> Result<(), Outcome> {
    let manifest = json!({
        "FlywheelArn": plan.flywheel.arn,
        "FlywheelIterationId": plan.iteration.iteration_id,
        "Datasets": plan.datasets.iter().map(|d| json!({
            "DatasetArn": d.arn, "DatasetType": d.dataset_type.as_str(), "DatasetS3Uri": d.dataset_s3_uri,
            "NumberOfDocuments": d.number_of_documents,
        })).collect::<Vec<_>>(),
        "EvaluatedModel": evaluated.map(|s| &s.manifest),
        "TrainedModel": trained.map(|s| &s.manifest),
    });
    let uri = plan.lake.evaluation_manifest(&plan.iteration.iteration_id);
    data::put_json(state, &uri, &manifest)
        .await
        .map_err(Outcome::Failed)
}

/// The new version's statistics in the lake (`FlywheelStatsS3Prefix`).
async fn write_stats(state: &State, plan: &Plan<'_>, trained: &Scored) -> Result<(), Outcome> {
    let version = domain::generated_version(&plan.flywheel.arn, &plan.iteration.iteration_id);
    if let Some(matrix) = &trained.confusion_matrix {
        data::put(
            state,
            &plan.lake.model_confusion_matrix(&version),
            matrix.clone(),
        )
        .await
        .map_err(Outcome::Failed)?;
    }
    let metrics = json!({
        "ModelArn": trained.arn,
        "FlywheelIterationId": plan.iteration.iteration_id,
        "EvaluationMetrics": trained.metadata,
        "FlywheelModelEvaluationMetrics": trained.metrics,
    });
    data::put_json(state, &plan.lake.model_metrics(&version), &metrics)
        .await
        .map_err(Outcome::Failed)
}

/// A flywheel without an active version adopts its first one, and (made without
/// labels) that version's labels, in one change. Whether it still has none is read in
/// that change's transaction: an UpdateFlywheel that promoted a version meanwhile wins.
async fn adopt(
    state: &State,
    flywheel: &FlywheelRecord,
    model_arn: &str,
    labels: Vec<String>,
) -> Result<(), Outcome> {
    let mut tx = state.store.begin().await?;
    let Some(flywheel) = tx.flywheel(&flywheel.arn).await? else {
        return Ok(());
    };
    if flywheel.active_model_arn.is_some() {
        return Ok(());
    }
    let mut changes = FlywheelChanges {
        active_model_arn: Some(model_arn.to_owned()),
        last_modified_time: Some(state.now_ms()),
        ..Default::default()
    };
    if domain::labels(&flywheel).is_none() {
        let mut task = flywheel.task_config.clone();
        if let Some(config) = task.document_classification_config.as_mut() {
            config.labels = Some(labels);
        }
        changes.task_config = Some(task);
    }
    tx.transition_flywheel(&flywheel.arn, FlywheelStatus::Active, changes)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Marks an iteration COMPLETED with `message`.
async fn finish(state: &State, iteration: &IterationRecord, message: &str) -> Result<(), Outcome> {
    let done = IterationChanges {
        message: Some(Some(message.to_owned())),
        end_time: Some(state.now_ms()),
        ..Default::default()
    };
    state
        .store
        .transition_iteration(&iteration.key(), FlywheelIterationStatus::Completed, done)
        .await?;
    Ok(())
}
