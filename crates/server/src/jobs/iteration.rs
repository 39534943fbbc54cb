//! The RunIteration job. An iteration gathers the flywheel's COMPLETED datasets from the
//! lake, trains a new model version (`Comprehend-Generated-v1-<8 hex>`) on all TRAIN
//! data, evaluates it and the active version on the same test data (the TEST datasets,
//! or a seeded 10 % held out of TRAIN when there are none), and writes the evaluation
//! into the lake. Status TRAINING → EVALUATING → COMPLETED, or FAILED / STOPPED. When no
//! dataset arrived since the last trained version, it only evaluates the active version
//! and says so. Promotion is never automatic; only a flywheel without an active version
//! adopts the first version it trains (there is nothing to replace).

use std::sync::atomic::Ordering;

use comprehend_ml::{Document, Evaluation, Mode, TrainParams};
use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::classifiers::{ClassifierChanges, ClassifierRecord, NewClassifier};
use comprehend_store::datasets::DatasetRecord;
use comprehend_store::flywheels::{FlywheelChanges, FlywheelRecord};
use comprehend_store::iterations::{IterationChanges, IterationRecord};
use comprehend_store::{Creation, IterationKey, Job, Target};
use serde_json::json;

use super::error::JobError;
use super::training::{self, TrainFailure};
use crate::data::{self, ml_mode};
use crate::domain::{self, round4};
use crate::error::Error;
use crate::lake::Lake;
use crate::state::State;

/// The message of an iteration that trained and evaluated a new version.
pub const FULL_ITERATION: &str =
    "FULL_ITERATION: Flywheel iteration performed all functions successfully.";
/// The message of an iteration that found no new data.
pub const EVALUATION_ONLY: &str = "EVALUATION_ONLY: No new datasets since the last trained model version; \
     the active model version was evaluated and no new version was trained.";

/// How an iteration ended, other than completing.
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
        message: Some(Some(message.to_owned())),
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
    mode: Mode,
    datasets: Vec<DatasetRecord>,
    train: Vec<Document>,
    test: Vec<Document>,
    /// Whether a dataset arrived since the last trained version.
    new_data: bool,
    active: Option<ClassifierRecord>,
}

/// A model version and its evaluation on the iteration's test data.
type Scored = (String, Evaluation);

async fn iterate(
    state: &State,
    job: &Job,
    flywheel: &FlywheelRecord,
    iteration: &IterationRecord,
) -> Result<(), Outcome> {
    let plan = plan(state, flywheel, iteration).await?;
    let evaluated = evaluate_active(state, &plan).await?;
    if !plan.new_data && plan.active.is_some() {
        return evaluation_only(state, &plan, evaluated).await;
    }
    let record = new_version(state, &plan).await?;
    let (trained, labels) = train_version(state, job, &plan, &record).await?;
    record_evaluation(state, &plan, evaluated.as_ref(), Some(&trained)).await?;
    write_stats(state, &plan, &record, &trained.1).await?;
    if flywheel.active_model_arn.is_none() {
        adopt(state, flywheel, &record.arn, labels).await?;
    }
    finish(state, iteration, FULL_ITERATION).await
}

async fn plan<'a>(
    state: &State,
    flywheel: &'a FlywheelRecord,
    iteration: &'a IterationRecord,
) -> Result<Plan<'a>, Outcome> {
    let mode = ml_mode(domain::mode(flywheel));
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
    let active = match &flywheel.active_model_arn {
        Some(arn) => state.store.classifier(arn).await?,
        None => None,
    };
    let (train_sets, test_sets) = (of_type(DatasetType::Train), of_type(DatasetType::Test));
    if train_sets.is_empty() && active.is_none() {
        return Err(Outcome::Failed(
            "The flywheel has no completed TRAIN dataset: create one with CreateDataset before starting an iteration.".into(),
        ));
    }
    let train = read_datasets(state, &train_sets, mode).await?;
    let (train, test) = if test_sets.is_empty() {
        data::holdout_split(train, &TrainParams::new(mode))
    } else {
        (train, read_datasets(state, &test_sets, mode).await?)
    };
    if test.is_empty() {
        return Err(Outcome::Failed(
            "The flywheel has no test documents: add a TEST dataset.".into(),
        ));
    }
    Ok(Plan {
        lake: Lake::at(&flywheel.data_lake_s3_uri),
        flywheel,
        iteration,
        mode,
        datasets,
        train,
        test,
        new_data,
        active,
    })
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

/// The active version, scored on the test data.
async fn evaluate_active(state: &State, plan: &Plan<'_>) -> Result<Option<Scored>, Outcome> {
    let Some(model) = &plan.active else {
        return Ok(None);
    };
    let key = model.model_key.clone().ok_or_else(|| {
        Outcome::Failed(format!(
            "The active model {} has no trained model.",
            model.arn
        ))
    })?;
    let loaded = state.models.load(&key).await?;
    let docs = plan.test.clone();
    let evaluation = tokio::task::spawn_blocking(move || loaded.evaluate(&docs))
        .await
        .map_err(|e| Outcome::Failed(format!("Evaluating the active model failed: {e}")))?;
    Ok(Some((model.arn.clone(), evaluation)))
}

async fn evaluation_only(
    state: &State,
    plan: &Plan<'_>,
    evaluated: Option<Scored>,
) -> Result<(), Outcome> {
    record_evaluation(state, plan, evaluated.as_ref(), None).await?;
    finish(state, plan.iteration, EVALUATION_ONLY).await
}

/// The new version's row (TRAINING, owned by the flywheel) and its data in the lake;
/// the existing row when the iteration resumes after a restart.
async fn new_version(state: &State, plan: &Plan<'_>) -> Result<ClassifierRecord, Outcome> {
    let flywheel = plan.flywheel;
    let version = domain::generated_version(&flywheel.arn, &plan.iteration.iteration_id);
    let name = domain::model_name(flywheel);
    let arn = Arn::parse(&flywheel.arn).map_err(|e| Outcome::Failed(e.to_string()))?;
    let model_arn = Arn {
        resource: Resource::DocumentClassifier {
            name: name.clone(),
            version: Some(version.clone()),
        },
        ..arn
    }
    .to_string();
    if let Some(existing) = state.store.classifier(&model_arn).await? {
        return Ok(existing);
    }
    let (training, test) = (
        plan.lake.model_training(&version),
        plan.lake.model_test(&version),
    );
    for (uri, docs) in [(&training, &plan.train), (&test, &plan.test)] {
        let csv = data::to_csv(docs).map_err(Outcome::Failed)?;
        data::put(state, uri, csv).await.map_err(Outcome::Failed)?;
    }
    let now = state.now_ms();
    let new = NewClassifier {
        arn: model_arn.clone(),
        account: flywheel.account.clone(),
        region: flywheel.region.clone(),
        name: name.clone(),
        version: Some(version.clone()),
        status: ModelStatus::Training,
        language_code: flywheel.task_config.language_code,
        mode: domain::mode(flywheel),
        submit_time: now,
        request: version_request(plan, name, version.clone(), training, test),
        flywheel_arn: Some(flywheel.arn.clone()),
        flywheel_stats_prefix: Some(plan.lake.model_stats(&version)),
    };
    state
        .store
        .insert_classifier(&new, &Creation::default())
        .await?;
    let started = ClassifierChanges {
        training_start_time: Some(now),
        ..Default::default()
    };
    state
        .store
        .transition_classifier(&model_arn, ModelStatus::Training, started)
        .await?;
    state
        .store
        .classifier(&model_arn)
        .await?
        .ok_or_else(|| Outcome::Failed("The new model version vanished.".into()))
}

/// The CreateDocumentClassifier request Describe echoes for a flywheel's version.
fn version_request(
    plan: &Plan<'_>,
    name: String,
    version: String,
    training: String,
    test: String,
) -> CreateDocumentClassifierRequest {
    let flywheel = plan.flywheel;
    let security = &flywheel.data_security_config;
    CreateDocumentClassifierRequest {
        document_classifier_name: name,
        version_name: Some(version),
        data_access_role_arn: flywheel.data_access_role_arn.clone(),
        tags: None,
        input_data_config: DocumentClassifierInputDataConfig {
            data_format: Some(DocumentClassifierDataFormat::ComprehendCsv),
            s3_uri: Some(training),
            test_s3_uri: Some(test),
            label_delimiter: (plan.mode == Mode::MultiLabel).then(|| "|".to_owned()),
            ..Default::default()
        },
        output_data_config: None,
        client_request_token: None,
        language_code: flywheel.task_config.language_code,
        volume_kms_key_id: security.volume_kms_key_id.clone(),
        vpc_config: security.vpc_config.clone(),
        mode: Some(domain::mode(flywheel)),
        model_kms_key_id: security.model_kms_key_id.clone(),
        model_policy: None,
    }
}

/// Trains and stores the new version; returns its evaluation and its labels.
async fn train_version(
    state: &State,
    job: &Job,
    plan: &Plan<'_>,
    record: &ClassifierRecord,
) -> Result<(Scored, Vec<String>), Outcome> {
    let (train, test) = (plan.train.clone(), Some(plan.test.clone()));
    let outcome =
        training::train_with_stop(state, job.id, &record.arn, train, test, plan.mode).await;
    let trained = match outcome {
        Ok(trained) => trained,
        // The shutdown's cancel: the version and the iteration keep their states.
        Err(TrainFailure::Cancelled) if state.shutting_down.load(Ordering::Relaxed) => {
            return Err(Outcome::Internal(JobError::Interrupted));
        }
        Err(TrainFailure::Cancelled) => {
            training::stopped(state, &record.arn, None).await?;
            return Err(Outcome::Stopped);
        }
        Err(TrainFailure::Failed(message)) => {
            training::fail_version(state, &record.arn, &message).await?;
            return Err(Outcome::Failed(format!(
                "Training the new model version failed: {message}"
            )));
        }
    };
    let evaluation = trained.evaluation.clone();
    let labels = trained.model.labels().to_vec();
    training::complete(state, record, trained)
        .await
        .map_err(|e| match e {
            JobError::Failed(m) => Outcome::Failed(m),
            other => Outcome::Internal(other),
        })?;
    Ok(((record.arn.clone(), evaluation), labels))
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

/// Moves the iteration to EVALUATING with both versions' metrics, and writes the
/// evaluation manifest into the lake.
async fn record_evaluation(
    state: &State,
    plan: &Plan<'_>,
    evaluated: Option<&Scored>,
    trained: Option<&Scored>,
) -> Result<(), Outcome> {
    let changes = IterationChanges {
        evaluated_model_arn: evaluated.map(|(arn, _)| arn.clone()),
        evaluated_metrics: evaluated.map(|(_, e)| flywheel_metrics(e)),
        trained_model_arn: trained.map(|(arn, _)| arn.clone()),
        trained_metrics: trained.map(|(_, e)| flywheel_metrics(e)),
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
    let model = |(arn, e): &Scored| {
        json!({
            "ModelArn": arn,
            "NumberOfTestDocuments": e.number_of_test_documents,
            "EvaluationMetrics": training::metadata(e).evaluation_metrics,
            "ConfusionMatrix": serde_json::from_str::<serde_json::Value>(&e.confusion_matrix.to_json()).unwrap_or_default(),
        })
    };
    let manifest = json!({
        "FlywheelArn": plan.flywheel.arn,
        "FlywheelIterationId": plan.iteration.iteration_id,
        "Datasets": plan.datasets.iter().map(|d| json!({
            "DatasetArn": d.arn, "DatasetType": d.dataset_type.as_str(), "DatasetS3Uri": d.dataset_s3_uri,
            "NumberOfDocuments": d.number_of_documents,
        })).collect::<Vec<_>>(),
        "EvaluatedModel": evaluated.map(model),
        "TrainedModel": trained.map(model),
    });
    let uri = plan.lake.evaluation_manifest(&plan.iteration.iteration_id);
    data::put_json(state, &uri, &manifest)
        .await
        .map_err(Outcome::Failed)
}

/// The new version's statistics in the lake (`FlywheelStatsS3Prefix`).
async fn write_stats(
    state: &State,
    plan: &Plan<'_>,
    record: &ClassifierRecord,
    evaluation: &Evaluation,
) -> Result<(), Outcome> {
    let version = record.version.as_deref().unwrap_or_default();
    let matrix = evaluation.confusion_matrix.to_json().into_bytes();
    data::put(state, &plan.lake.model_confusion_matrix(version), matrix)
        .await
        .map_err(Outcome::Failed)?;
    let metrics = json!({
        "ModelArn": record.arn,
        "FlywheelIterationId": plan.iteration.iteration_id,
        "EvaluationMetrics": training::metadata(evaluation),
        "FlywheelModelEvaluationMetrics": flywheel_metrics(evaluation),
    });
    data::put_json(state, &plan.lake.model_metrics(version), &metrics)
        .await
        .map_err(Outcome::Failed)
}

/// A flywheel without an active version adopts its first one, and (made without
/// labels) that version's labels, in one change.
async fn adopt(
    state: &State,
    flywheel: &FlywheelRecord,
    model_arn: &str,
    labels: Vec<String>,
) -> Result<(), Outcome> {
    let mut changes = FlywheelChanges {
        active_model_arn: Some(model_arn.to_owned()),
        last_modified_time: Some(state.now_ms()),
        ..Default::default()
    };
    if domain::labels(flywheel).is_none() {
        let mut task = flywheel.task_config.clone();
        if let Some(config) = task.document_classification_config.as_mut() {
            config.labels = Some(labels);
        }
        changes.task_config = Some(task);
    }
    state
        .store
        .transition_flywheel(&flywheel.arn, FlywheelStatus::Active, changes)
        .await?;
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
