//! The classifier side of a flywheel iteration ([`super::flywheel_kind`]): reading the
//! lake's datasets, writing and inserting the new version, training it.

use std::sync::atomic::Ordering;

use comprehend_ml::{Document, Mode};
use comprehend_protocol::*;
use comprehend_store::Creation;
use comprehend_store::classifiers::{ClassifierChanges, ClassifierRecord, NewClassifier};
use comprehend_store::datasets::DatasetRecord;
use comprehend_store::flywheels::FlywheelRecord;

use super::error::JobError;
use super::iteration_step::{Outcome, Scored, classifier_scored};
use super::training::{self, TrainFailure};
use crate::data;
use crate::domain;
use crate::lake::Lake;
use crate::state::State;

/// The documents of datasets in the lake.
pub(super) async fn read_datasets(
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

/// What a classifier version of a flywheel is made of.
pub(super) struct NewVersion<'a> {
    pub flywheel: &'a FlywheelRecord,
    pub model_arn: &'a str,
    pub name: String,
    pub version: String,
    pub train: &'a [Document],
    pub test: &'a [Document],
    pub mode: Mode,
}

/// Writes the version's data into the lake and inserts its row, TRAINING (nothing when
/// the row exists: the iteration resumes after a restart).
pub(super) async fn insert(state: &State, v: NewVersion<'_>) -> Result<(), Outcome> {
    if state.store.classifier(v.model_arn).await?.is_some() {
        return Ok(());
    }
    let lake = Lake::at(&v.flywheel.data_lake_s3_uri);
    let (training, test) = (lake.model_training(&v.version), lake.model_test(&v.version));
    for (uri, docs) in [(&training, v.train), (&test, v.test)] {
        let csv = data::to_csv(docs).map_err(Outcome::Failed)?;
        data::put(state, uri, csv).await.map_err(Outcome::Failed)?;
    }
    let now = state.now_ms();
    let new = NewClassifier {
        arn: v.model_arn.to_owned(),
        account: v.flywheel.account.clone(),
        region: v.flywheel.region.clone(),
        name: v.name.clone(),
        version: Some(v.version.clone()),
        status: ModelStatus::Training,
        language_code: v.flywheel.task_config.language_code,
        mode: domain::mode(v.flywheel),
        submit_time: now,
        request: version_request(&v, training, test),
        flywheel_arn: Some(v.flywheel.arn.clone()),
        flywheel_stats_prefix: Some(lake.model_stats(&v.version)),
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
        .transition_classifier(v.model_arn, ModelStatus::Training, started)
        .await?;
    Ok(())
}

/// The CreateDocumentClassifier request Describe echoes for a flywheel's version.
fn version_request(
    v: &NewVersion<'_>,
    training: String,
    test: String,
) -> CreateDocumentClassifierRequest {
    let flywheel = v.flywheel;
    let security = &flywheel.data_security_config;
    CreateDocumentClassifierRequest {
        document_classifier_name: v.name.clone(),
        version_name: Some(v.version.clone()),
        data_access_role_arn: flywheel.data_access_role_arn.clone(),
        tags: None,
        input_data_config: DocumentClassifierInputDataConfig {
            data_format: Some(DocumentClassifierDataFormat::ComprehendCsv),
            s3_uri: Some(training),
            test_s3_uri: Some(test),
            label_delimiter: (v.mode == Mode::MultiLabel).then(|| "|".to_owned()),
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

/// Trains and stores the new version; its evaluation, with its labels.
pub(super) async fn train(
    state: &State,
    job_id: i64,
    model_arn: &str,
    train: &[Document],
    test: &[Document],
    mode: Mode,
) -> Result<Scored, Outcome> {
    let record = state
        .store
        .classifier(model_arn)
        .await?
        .ok_or_else(|| Outcome::Failed("The new model version vanished.".into()))?;
    let (train, test) = (train.to_vec(), Some(test.to_vec()));
    let outcome = training::train_with_stop(state, job_id, model_arn, train, test, mode).await;
    let trained = match outcome {
        Ok(trained) => trained,
        // The shutdown's cancel: the version and the iteration keep their states.
        Err(TrainFailure::Cancelled) if state.shutting_down.load(Ordering::Relaxed) => {
            return Err(Outcome::Internal(JobError::Interrupted));
        }
        Err(TrainFailure::Cancelled) => {
            training::stopped::<ClassifierRecord>(state, model_arn, None).await?;
            return Err(Outcome::Stopped);
        }
        Err(TrainFailure::Failed(message)) => {
            training::fail_version::<ClassifierRecord>(state, model_arn, &message).await?;
            return Err(Outcome::Failed(format!(
                "Training the new model version failed: {message}"
            )));
        }
    };
    let scored = classifier_scored(
        model_arn,
        &trained.evaluation,
        trained.model.labels().to_vec(),
    );
    training::complete(state, &record, trained)
        .await
        .map_err(|e| match e {
            JobError::Failed(m) => Outcome::Failed(m),
            other => Outcome::Internal(other),
        })?;
    Ok(scored)
}
