//! The classifier side of a flywheel iteration ([`super::flywheel_kind`]): reading the
//! lake's datasets, writing and inserting the new version, training it.

use comprehend_ml::{Document, Mode};
use comprehend_protocol::*;
use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::datasets::DatasetRecord;

use super::iteration_step::{
    NewVersion, Outcome, Scored, classifier_scored, trained, version_in_training,
};
use super::training;
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

/// Writes the version's data into the lake and inserts its row, TRAINING (nothing when
/// the row exists: the iteration resumes after a restart).
pub(super) async fn insert(
    state: &State,
    v: &NewVersion<'_>,
    train: &[Document],
    test: &[Document],
    mode: Mode,
) -> Result<(), Outcome> {
    if v.exists::<ClassifierRecord>(state).await? {
        return Ok(());
    }
    let lake = Lake::at(&v.flywheel.data_lake_s3_uri);
    let (training, test_uri) = (lake.model_training(&v.version), lake.model_test(&v.version));
    for (uri, docs) in [(&training, train), (&test_uri, test)] {
        let csv = data::to_csv(docs).map_err(Outcome::Failed)?;
        data::put(state, uri, csv).await.map_err(Outcome::Failed)?;
    }
    let request = version_request(v, mode, training, test_uri);
    v.insert::<ClassifierRecord>(state, request).await
}

/// The CreateDocumentClassifier request Describe echoes for a flywheel's version.
fn version_request(
    v: &NewVersion<'_>,
    mode: Mode,
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
            label_delimiter: (mode == Mode::MultiLabel).then(|| "|".to_owned()),
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
    let record = version_in_training::<ClassifierRecord>(state, model_arn).await?;
    let (train, test) = (train.to_vec(), Some(test.to_vec()));
    let outcome = training::train_with_stop(state, job_id, model_arn, train, test, mode).await;
    let trained = trained::<ClassifierRecord, _>(state, model_arn, outcome, None).await?;
    let scored = classifier_scored(
        model_arn,
        &trained.evaluation,
        trained.model.labels().to_vec(),
    );
    training::complete(state, &record, trained)
        .await
        .map_err(Outcome::of)?;
    Ok(scored)
}
