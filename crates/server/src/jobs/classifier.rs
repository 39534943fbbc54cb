//! The TrainClassifier and DeleteClassifier jobs.

use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::{Job, Target};

use super::error::JobError;
use super::training;
use crate::data::ml_mode;
use crate::error::Error;
use crate::state::State;

/// What a user sees when StopTrainingDocumentClassifier stopped the training.
const STOPPED_BY_REQUEST: &str = "Training was stopped by StopTrainingDocumentClassifier.";

type V = ClassifierRecord;

/// TrainClassifier: reads the data, trains, evaluates, stores the model and the training
/// output. Safe to run again from the start after a crash.
pub async fn train(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(record) = training::version::<V>(state, job).await? else {
        return Ok(());
    };
    let arn = record.arn.as_str();
    // A stop that won the race keeps the message it had (none).
    if !training::start::<V>(state, arn, record.training_start_time, None).await? {
        return Ok(());
    }
    let mode = ml_mode(record.mode);
    let (train_docs, test_docs) =
        match training::read_input(state, &record.request.input_data_config, mode).await {
            Ok(docs) => docs,
            Err(message) => return training::failed::<V>(state, arn, message).await,
        };
    let outcome = training::train_with_stop(state, job.id, arn, train_docs, test_docs, mode).await;
    match training::trained::<V, _>(state, arn, outcome, STOPPED_BY_REQUEST).await? {
        Some(trained) => training::complete(state, &record, trained).await,
        None => Ok(()),
    }
}

/// DeleteClassifier (see [`training::delete`]).
pub async fn delete(state: &State, job: &Job) -> Result<(), JobError> {
    training::delete::<V>(state, job).await
}

/// Marks a classifier IN_ERROR (its training or deletion failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    training::fail::<V>(state, target, message).await
}
