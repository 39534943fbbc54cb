//! The TrainEntityRecognizer and DeleteEntityRecognizer jobs.
//!
//! Training reads the data through [`super::recognizer_data`], trains with the entity
//! engine on a blocking thread that stops when asked, stores the model file in the
//! private model store and writes the metadata (0–100 metrics, as the service reports
//! plain-text recognizers). Every step is safe to run again after a crash: the model key
//! is derived from the version, and the final status change is one conditional update.

use std::collections::BTreeMap;

use comprehend_ner::{
    Corpus, Evaluation, NerError, Progress, Scores, Scratch, TrainParams, Trained,
};
use comprehend_protocol::*;
use comprehend_store::entity_recognizers::{RecognizerChanges, RecognizerRecord};
use comprehend_store::{Job, Target};

use super::error::JobError;
use super::recognizer_data::{self, TrainingData};
use super::training::{self, TrainFailure};
use crate::domain::stable_id;
use crate::error::Error;
use crate::state::State;

/// What a user sees when StopTrainingEntityRecognizer stopped the training.
pub(super) const STOPPED_BY_REQUEST: &str = "Training was stopped by StopTrainingEntityRecognizer.";

type V = RecognizerRecord;

/// TrainEntityRecognizer.
pub async fn train(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(record) = training::version::<V>(state, job).await? else {
        return Ok(());
    };
    let arn = record.arn.as_str();
    let stop = Some(STOPPED_BY_REQUEST);
    if !training::start::<V>(state, arn, record.training_start_time, stop).await? {
        return Ok(());
    }
    let types = record.entity_types();
    let params = TrainParams::default();
    let input = &record.request.input_data_config;
    let data = match recognizer_data::read(state, input, &types, &params.limits).await {
        Ok(data) => data,
        Err(message) => return training::failed::<V>(state, arn, message).await,
    };
    let ignored = data.ignored.clone();
    let outcome = train_with_stop(state, job.id, arn, data, types, params).await;
    match training::trained::<V, _>(state, arn, outcome, STOPPED_BY_REQUEST).await? {
        Some(trained) => complete(state, &record, trained, &ignored).await,
        None => Ok(()),
    }
}

/// Trains on a blocking thread, stopping when the job's stop flag is set, the version is
/// STOP_REQUESTED, or the server shuts down.
pub(super) async fn train_with_stop(
    state: &State,
    job_id: i64,
    arn: &str,
    data: TrainingData,
    types: Vec<String>,
    params: TrainParams,
) -> Result<Trained, TrainFailure> {
    let dir = recognizer_data::scratch_dir(state).map_err(TrainFailure::Failed)?;
    let label = arn.to_owned();
    let live = state.progress.clone();
    training::stoppable::<V, _>(state, job_id, arn, move |cancel| {
        let mut logged = -1.0;
        let mut progress = |p: Progress| {
            live.report(&label, format!("Training: {:.0} % done", p.fraction * 100.0));
            if p.fraction >= logged + 0.1 || p.fraction >= 1.0 {
                logged = p.fraction;
                tracing::info!(model = %label, fraction = format!("{:.2}", p.fraction), "training progress");
            }
        };
        // The engine spills its encoded training set here, so memory stays flat.
        let mut scratch =
            || tempfile::tempfile_in(&dir).map(|file| Box::new(file) as Box<dyn Scratch>);
        let TrainingData {
            train,
            test,
            gazetteer,
            ..
        } = data;
        comprehend_ner::train_corpus(
            &*train,
            test.as_deref().map(|t| t as &dyn Corpus),
            &types,
            gazetteer.as_ref(),
            &params,
            &mut scratch,
            &mut progress,
            cancel,
        )
        .map_err(|e| match e {
            NerError::Stopped => TrainFailure::Cancelled,
            e => TrainFailure::Failed(e.to_string()),
        })
    })
    .await
}

/// The private model store key of a version (stable across retries of its job).
pub(super) fn model_key(record: &RecognizerRecord) -> String {
    let id = stable_id(&format!("{}@{}", record.arn, record.submit_time));
    format!(
        "{}/{}/entity-recognizers/{id}.model",
        record.account, record.region
    )
}

/// Stores the model and marks the version TRAINED, or TRAINED_WITH_WARNING when the
/// data had types the request does not list (they were ignored).
pub(super) async fn complete(
    state: &State,
    record: &RecognizerRecord,
    trained: Trained,
    ignored: &BTreeMap<String, usize>,
) -> Result<(), JobError> {
    let key = model_key(record);
    let model = trained.model;
    let bytes = tokio::task::spawn_blocking(move || model.to_bytes())
        .await
        .map_err(|e| Error::Service(ServiceError::internal(format!("model encoding: {e}"))))?;
    state.models.save_bytes(&key, bytes).await?;
    let (status, message) = match warning(ignored) {
        None => (ModelStatus::Trained, None),
        Some(message) => (ModelStatus::TrainedWithWarning, Some(message)),
    };
    let now = state.now_ms();
    let changes = RecognizerChanges {
        message: Some(message),
        training_end_time: Some(now),
        end_time: Some(now),
        metadata: Some(metadata(&trained.evaluation)),
        model_key: Some(key),
        ..Default::default()
    };
    state
        .store
        .transition_recognizer(&record.arn, status, changes)
        .await?;
    tracing::info!(model = %record.arn, status = %status, f1 = trained.evaluation.overall.f1_score, "entity recognizer trained");
    Ok(())
}

/// The Message of a version whose data had entity types it does not list.
fn warning(ignored: &BTreeMap<String, usize>) -> Option<String> {
    let listed = recognizer_data::ignored_listing(ignored)?;
    Some(format!(
        "The training data has annotations of entity types that are not in EntityTypes; they were ignored: {listed}."
    ))
}

fn metrics(scores: &Scores) -> (Option<f64>, Option<f64>, Option<f64>) {
    (
        Some(scores.precision),
        Some(scores.recall),
        Some(scores.f1_score),
    )
}

/// EntityRecognizerMetadata from an evaluation (0–100 scale, unrounded, as the service).
pub fn metadata(evaluation: &Evaluation) -> EntityRecognizerMetadata {
    let (precision, recall, f1_score) = metrics(&evaluation.overall);
    EntityRecognizerMetadata {
        number_of_trained_documents: Some(evaluation.number_of_trained_documents as i32),
        number_of_test_documents: Some(evaluation.number_of_test_documents as i32),
        evaluation_metrics: Some(EntityRecognizerEvaluationMetrics {
            precision,
            recall,
            f1_score,
        }),
        entity_types: Some(
            evaluation
                .per_type
                .iter()
                .map(|t| {
                    let (precision, recall, f1_score) = metrics(&t.scores);
                    EntityRecognizerMetadataEntityTypesListItem {
                        type_: Some(t.entity_type.clone()),
                        evaluation_metrics: Some(EntityTypesEvaluationMetrics {
                            precision,
                            recall,
                            f1_score,
                        }),
                        number_of_train_mentions: Some(t.number_of_train_mentions as i32),
                    }
                })
                .collect(),
        ),
    }
}

/// DeleteEntityRecognizer (see [`training::delete`]).
pub async fn delete(state: &State, job: &Job) -> Result<(), JobError> {
    training::delete::<V>(state, job).await
}

/// Marks a recognizer IN_ERROR (its training or deletion failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    training::fail::<V>(state, target, message).await
}
