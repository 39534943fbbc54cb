//! The TrainClassifier and DeleteClassifier jobs.

use std::sync::atomic::Ordering;

use comprehend_protocol::ModelStatus;
use comprehend_store::classifiers::{ClassifierChanges, ClassifierRecord};
use comprehend_store::{Job, Target};

use super::error::{JobError, resource_arn};
use super::training::{self, TrainFailure};
use crate::data::ml_mode;
use crate::error::Error;
use crate::state::State;

/// What a user sees when StopTrainingDocumentClassifier stopped the training.
const STOPPED_BY_REQUEST: &str = "Training was stopped by StopTrainingDocumentClassifier.";

/// TrainClassifier: reads the data, trains, evaluates, stores the model and the training
/// output. Safe to run again from the start after a crash.
pub async fn train(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let Some(record) = state.store.classifier(arn).await? else {
        return Ok(());
    };
    if !start(state, &record).await? {
        return Ok(());
    }
    let mode = ml_mode(record.mode);
    let (train_docs, test_docs) =
        match training::read_input(state, &record.request.input_data_config, mode).await {
            Ok(docs) => docs,
            Err(message) => return training::failed(state, arn, message).await,
        };
    let outcome = training::train_with_stop(state, job.id, arn, train_docs, test_docs, mode).await;
    match outcome {
        Ok(trained) => training::complete(state, &record, trained).await,
        // Cancelled by the shutdown, not by a user: the version stays TRAINING.
        Err(TrainFailure::Cancelled) if state.shutting_down.load(Ordering::Relaxed) => {
            Err(JobError::Interrupted)
        }
        Err(TrainFailure::Cancelled) => {
            training::stopped(state, arn, Some(STOPPED_BY_REQUEST)).await
        }
        Err(TrainFailure::Failed(message)) => training::failed(state, arn, message).await,
    }
}

/// Moves the version to TRAINING; false when there is nothing to train (it finished, or
/// a stop won the race since the job was claimed — then the stop is settled here).
async fn start(state: &State, record: &ClassifierRecord) -> Result<bool, JobError> {
    let now = state.now_ms();
    let started = ClassifierChanges {
        training_start_time: Some(record.training_start_time.unwrap_or(now)),
        message: Some(None),
        ..Default::default()
    };
    if state
        .store
        .transition_classifier(&record.arn, ModelStatus::Training, started)
        .await?
    {
        return Ok(true);
    }
    let settled = ClassifierChanges {
        end_time: Some(now),
        ..Default::default()
    };
    state
        .store
        .transition_classifier(&record.arn, ModelStatus::Stopped, settled)
        .await?;
    Ok(false)
}

/// DeleteClassifier: removes the model file, then the row (only while DELETING).
pub async fn delete(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let Some(record) = state.store.classifier(arn).await? else {
        return Ok(());
    };
    if record.status != ModelStatus::Deleting {
        return Ok(());
    }
    if let Some(key) = &record.model_key {
        state.models.delete(key).await?;
    }
    let mut tx = state.store.begin().await?;
    tx.delete_classifier(&record.arn).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks a classifier IN_ERROR (its training or deletion failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    match resource_arn(target) {
        Some(arn) => training::fail_version(state, arn, message).await,
        None => Ok(()),
    }
}
