//! What a flywheel iteration does differently for its two model kinds: the lake data it
//! reads, how the active version is scored, how the new version is written, inserted and
//! trained, and how its evaluation reads as flywheel metrics. The driver
//! ([`super::iteration`]) stays one; each step here is one `match` on the kind.

use std::sync::Arc;

use comprehend_ml::TrainParams;
use comprehend_protocol::arn::Arn;
use comprehend_protocol::*;
use comprehend_store::datasets::DatasetRecord;
use comprehend_store::entity_recognizers::RecognizerRecord;
use comprehend_store::flywheels::FlywheelRecord;

use super::classifier_version;
use super::iteration_step::{
    NewVersion, Outcome, Scored, Sets, classifier_scored, recognizer_scored, trained,
    version_in_training,
};
use super::recognizer;
use super::recognizer_data::{self, Spilled, TrainingData};
use super::recognizer_lake;
use crate::data;
use crate::domain::{self, ModelKind};
use crate::lake::Lake;
use crate::state::State;

/// Reads the TRAIN and TEST datasets from the lake; without TEST data, the kind's own
/// seeded hold-out of TRAIN is the test set.
pub(super) async fn read_sets(
    state: &State,
    flywheel: &FlywheelRecord,
    train: &[&DatasetRecord],
    test: &[&DatasetRecord],
) -> Result<Sets, Outcome> {
    let sets = match ModelKind::of_flywheel(flywheel) {
        ModelKind::Classifier => {
            let mode = data::ml_mode(domain::mode(flywheel));
            let train_docs = classifier_version::read_datasets(state, train, mode).await?;
            let (train, test) = if test.is_empty() {
                data::holdout_split(train_docs, &TrainParams::new(mode))
            } else {
                let test = classifier_version::read_datasets(state, test, mode).await?;
                (train_docs, test)
            };
            Sets::Classifier { train, test, mode }
        }
        ModelKind::Recognizer => {
            let types = domain::entity_types(flywheel).unwrap_or_default();
            let train_corpus = read_lake(state, train, &types).await?;
            let (train, test) = if test.is_empty() {
                recognizer_lake::split(state, train_corpus, &types)
                    .await
                    .map_err(Outcome::Failed)?
            } else {
                (train_corpus, read_lake(state, test, &types).await?)
            };
            Sets::Recognizer { train, test, types }
        }
    };
    if sets.test_len() == 0 {
        return Err(Outcome::Failed(
            "The flywheel has no test documents: add a TEST dataset.".into(),
        ));
    }
    Ok(sets)
}

/// Every dataset's documents and annotations, in one corpus.
async fn read_lake(
    state: &State,
    datasets: &[&DatasetRecord],
    types: &[String],
) -> Result<Arc<Spilled>, Outcome> {
    let mut corpus = recognizer_data::new_corpus(state).map_err(Outcome::Failed)?;
    for dataset in datasets {
        let (read, _) =
            recognizer_lake::read_lake_into(state, corpus, &dataset.dataset_s3_uri, types)
                .await
                .map_err(|e| Outcome::Failed(format!("Dataset {}: {e}", dataset.name)))?;
        corpus = read;
    }
    Ok(Arc::new(corpus))
}

/// The active version, scored on the test data.
pub(super) async fn evaluate_active(
    state: &State,
    active_arn: Option<&str>,
    sets: &Sets,
) -> Result<Option<Scored>, Outcome> {
    let Some(arn) = active_arn else {
        return Ok(None);
    };
    let no_model = || Outcome::Failed(format!("The active model {arn} has no trained model."));
    let failed = |e: tokio::task::JoinError| {
        Outcome::Failed(format!("Evaluating the active model failed: {e}"))
    };
    match sets {
        Sets::Classifier { test, .. } => {
            let record = state.store.classifier(arn).await?.ok_or_else(no_model)?;
            let key = record.model_key.ok_or_else(no_model)?;
            let loaded = state.models.load(&key).await?;
            let docs = test.clone();
            let evaluation = tokio::task::spawn_blocking(move || loaded.evaluate(&docs))
                .await
                .map_err(failed)?;
            Ok(Some(classifier_scored(arn, &evaluation, Vec::new())))
        }
        Sets::Recognizer { test, .. } => {
            let record = state.store.recognizer(arn).await?.ok_or_else(no_model)?;
            let key = record.model_key.ok_or_else(no_model)?;
            let loaded = state.recognizers.load(&state.models, &key).await?;
            let test = test.clone();
            let evaluation = tokio::task::spawn_blocking(move || loaded.evaluate_corpus(&*test))
                .await
                .map_err(failed)?
                .map_err(|e| Outcome::Failed(e.to_string()))?;
            Ok(Some(recognizer_scored(arn, &evaluation)))
        }
    }
}

/// The new version's row (TRAINING, owned by the flywheel) and its data in the lake; the
/// existing row when the iteration resumes after a restart. Returns its ARN.
pub(super) async fn new_version(
    state: &State,
    flywheel: &FlywheelRecord,
    iteration_id: &str,
    sets: &Sets,
) -> Result<String, Outcome> {
    let version = domain::generated_version(&flywheel.arn, iteration_id);
    let name = domain::model_name(flywheel);
    let kind = ModelKind::of_flywheel(flywheel);
    let arn = Arn::parse(&flywheel.arn).map_err(|e| Outcome::Failed(e.to_string()))?;
    let model_arn = Arn {
        resource: kind.version_resource(name.clone(), Some(version.clone())),
        ..arn
    }
    .to_string();
    let v = NewVersion {
        flywheel,
        model_arn: &model_arn,
        name,
        version,
    };
    match sets {
        Sets::Classifier { train, test, mode } => {
            classifier_version::insert(state, &v, train, test, *mode).await?
        }
        Sets::Recognizer { train, test, types } => {
            insert_recognizer(state, &v, types, train, test).await?
        }
    }
    Ok(model_arn)
}

async fn insert_recognizer(
    state: &State,
    v: &NewVersion<'_>,
    types: &[String],
    train: &Arc<Spilled>,
    test: &Arc<Spilled>,
) -> Result<(), Outcome> {
    if v.exists::<RecognizerRecord>(state).await? {
        return Ok(());
    }
    let lake = Lake::at(&v.flywheel.data_lake_s3_uri);
    let (training, testing) = (
        lake.model_training_folder(&v.version),
        lake.model_test_folder(&v.version),
    );
    for (corpus, folder) in [(train, &training), (test, &testing)] {
        recognizer_lake::write_lake(state, corpus.clone(), types, folder)
            .await
            .map_err(Outcome::Failed)?;
    }
    let request = recognizer_request(v, types, &training, &testing);
    v.insert::<RecognizerRecord>(state, request).await
}

/// The CreateEntityRecognizer request Describe echoes for a flywheel's version: its lake
/// data, so its own job can finish it if its iteration is given up.
fn recognizer_request(
    v: &NewVersion<'_>,
    types: &[String],
    training: &str,
    testing: &str,
) -> CreateEntityRecognizerRequest {
    let security = &v.flywheel.data_security_config;
    CreateEntityRecognizerRequest {
        recognizer_name: v.name.clone(),
        version_name: Some(v.version.clone()),
        data_access_role_arn: v.flywheel.data_access_role_arn.clone(),
        tags: None,
        input_data_config: EntityRecognizerInputDataConfig {
            data_format: Some(EntityRecognizerDataFormat::ComprehendCsv),
            entity_types: types
                .iter()
                .map(|t| EntityTypesListItem { type_: t.clone() })
                .collect(),
            documents: Some(EntityRecognizerDocuments {
                s3_uri: Lake::documents_txt(training),
                test_s3_uri: Some(Lake::documents_txt(testing)),
                input_format: Some(InputFormat::OneDocPerLine),
            }),
            annotations: Some(EntityRecognizerAnnotations {
                s3_uri: Lake::annotations_csv(training),
                test_s3_uri: Some(Lake::annotations_csv(testing)),
            }),
            entity_list: None,
            augmented_manifests: None,
        },
        client_request_token: None,
        language_code: v.flywheel.task_config.language_code,
        volume_kms_key_id: security.volume_kms_key_id.clone(),
        vpc_config: security.vpc_config.clone(),
        model_kms_key_id: security.model_kms_key_id.clone(),
        model_policy: None,
    }
}

/// Trains and stores the new version; its evaluation on the test data.
pub(super) async fn train_version(
    state: &State,
    job_id: i64,
    model_arn: &str,
    sets: &Sets,
) -> Result<Scored, Outcome> {
    match sets {
        Sets::Classifier { train, test, mode } => {
            classifier_version::train(state, job_id, model_arn, train, test, *mode).await
        }
        Sets::Recognizer { train, test, types } => {
            let data = TrainingData {
                train: train.clone(),
                test: Some(test.clone()),
                gazetteer: None,
                ignored: Default::default(),
            };
            train_recognizer(state, job_id, model_arn, data, types).await
        }
    }
}

async fn train_recognizer(
    state: &State,
    job_id: i64,
    model_arn: &str,
    data: TrainingData,
    types: &[String],
) -> Result<Scored, Outcome> {
    let record = version_in_training::<RecognizerRecord>(state, model_arn).await?;
    let params = comprehend_ner::TrainParams::default();
    let outcome =
        recognizer::train_with_stop(state, job_id, model_arn, data, types.to_vec(), params).await;
    let stopped = Some(recognizer::STOPPED_BY_REQUEST);
    let trained = trained::<RecognizerRecord, _>(state, model_arn, outcome, stopped).await?;
    let scored = recognizer_scored(model_arn, &trained.evaluation);
    recognizer::complete(state, &record, trained, &Default::default())
        .await
        .map_err(Outcome::of)?;
    Ok(scored)
}
