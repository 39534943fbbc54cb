//! The CreateFlywheel job: checks the data lake location, writes the flywheel's
//! description, and, for a flywheel made from an existing model, copies that model's
//! training and test data into the lake as its first datasets.

use std::sync::Arc;

use comprehend_ml::{Document, TrainParams};
use comprehend_ner::Limits;
use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::datasets::DatasetRecord;
use comprehend_store::entity_recognizers::RecognizerRecord;
use comprehend_store::flywheels::{FlywheelChanges, FlywheelRecord};
use comprehend_store::objects::S3Uri;
use comprehend_store::versions::Version;
use comprehend_store::{Creation, Job, Target};
use serde_json::json;

use super::error::{JobError, resource_arn};
use super::recognizer_data::{self, Spilled};
use super::{recognizer_lake, training};
use crate::data::{self, ml_mode};
use crate::domain::ModelKind;
use crate::error::Error;
use crate::lake::Lake;
use crate::state::State;

/// CreateFlywheel.
pub async fn create(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let Some(flywheel) = state.store.flywheel(arn).await? else {
        return Ok(());
    };
    if flywheel.status != FlywheelStatus::Creating {
        return Ok(());
    }
    match set_up(state, &flywheel).await {
        Ok(changes) => {
            state
                .store
                .transition_flywheel(&flywheel.arn, FlywheelStatus::Active, changes)
                .await?;
            Ok(())
        }
        Err(message) => {
            fail_flywheel(state, &flywheel.arn, &message).await?;
            Err(JobError::Failed(message))
        }
    }
}

async fn fail_flywheel(state: &State, arn: &str, message: &str) -> Result<(), Error> {
    let changes = FlywheelChanges {
        message: Some(Some(crate::disk::failure_message(state, message))),
        last_modified_time: Some(state.now_ms()),
        ..Default::default()
    };
    state
        .store
        .transition_flywheel(arn, FlywheelStatus::Failed, changes)
        .await?;
    Ok(())
}

/// Marks a flywheel FAILED (its creation failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    match resource_arn(target) {
        Some(arn) => fail_flywheel(state, arn, message).await,
        None => Ok(()),
    }
}

async fn set_up(state: &State, flywheel: &FlywheelRecord) -> Result<FlywheelChanges, String> {
    let lake = Lake::at(&flywheel.data_lake_s3_uri);
    let root = S3Uri::parse(lake.root()).map_err(|e| e.to_string())?;
    let usable = state
        .objects
        .bucket_exists(&root.bucket)
        .await
        .map_err(|e| data::object_message(e, lake.root()))?;
    if !usable {
        return Err(format!(
            "The data lake location {} is not usable: the bucket '{}' does not exist.",
            lake.root(),
            root.bucket
        ));
    }
    let mut task_config = flywheel.task_config.clone();
    if let Some(model_arn) = &flywheel.active_model_arn {
        let created = Timestamp::from_millis(flywheel.creation_time);
        let sets = match ModelKind::of_flywheel(flywheel) {
            ModelKind::Classifier => classifier_sets(state, model_arn, &mut task_config).await?,
            ModelKind::Recognizer => recognizer_sets(state, model_arn).await?,
        };
        for (data, kind) in sets {
            add_initial_dataset(state, flywheel, &lake, created, kind, data).await?;
        }
    }
    let description = json!({
        "FlywheelArn": flywheel.arn,
        "FlywheelName": flywheel.name,
        "ModelType": flywheel.model_type.as_str(),
        "TaskConfig": task_config,
        "ActiveModelArnAtCreation": flywheel.active_model_arn,
        "DataLakeS3Uri": lake.root(),
        "CreationTime": Timestamp::from_millis(flywheel.creation_time),
    });
    data::put_json(state, &lake.flywheel_file(), &description).await?;
    Ok(FlywheelChanges {
        task_config: Some(task_config),
        last_modified_time: Some(state.now_ms()),
        message: Some(None),
        ..Default::default()
    })
}

/// A flywheel's first datasets' data, by model kind.
enum Initial {
    /// Classifier documents.
    Documents(Vec<Document>),
    /// Recognizer documents with their mentions, and the entity types to keep.
    Annotated(Arc<Spilled>, Vec<String>),
}

/// The classifier's training and test documents (its own split when it had no test data),
/// and its labels into the task.
async fn classifier_sets(
    state: &State,
    model_arn: &str,
    task_config: &mut TaskConfig,
) -> Result<Vec<(Initial, DatasetType)>, String> {
    let model = model::<ClassifierRecord>(state, model_arn).await?;
    let mode = ml_mode(model.mode);
    let (train, test) = training::read_input(state, &model.request.input_data_config, mode)
        .await
        .map_err(|e| format!("Cannot copy the model's data into the data lake: {e}"))?;
    let (train, test) = match test {
        Some(test) => (train, test),
        // The model held out part of its training data; the same seeded split gives
        // the lake the very documents it was trained and tested on.
        None => data::holdout_split(train, &TrainParams::new(mode)),
    };
    let mut labels: Vec<String> = train
        .iter()
        .flat_map(|d| d.labels.iter().cloned())
        .collect();
    labels.sort();
    labels.dedup();
    if let Some(config) = task_config.document_classification_config.as_mut() {
        config.labels = Some(labels);
    }
    Ok([(train, DatasetType::Train), (test, DatasetType::Test)]
        .into_iter()
        .filter(|(docs, _)| !docs.is_empty())
        .map(|(docs, kind)| (Initial::Documents(docs), kind))
        .collect())
}

/// The version a flywheel starts from.
async fn model<V: Version>(state: &State, model_arn: &str) -> Result<V, String> {
    let gone = || format!("The model {model_arn} no longer exists.");
    state
        .store
        .version(model_arn)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(gone)
}

/// The recognizer's training and test documents: its test data, or the engine's own
/// split of its training data (the documents it was scored on).
async fn recognizer_sets(
    state: &State,
    model_arn: &str,
) -> Result<Vec<(Initial, DatasetType)>, String> {
    let model = model::<RecognizerRecord>(state, model_arn).await?;
    let types = model.entity_types();
    let input = &model.request.input_data_config;
    let copy = |e: String| format!("Cannot copy the model's data into the data lake: {e}");
    let data = recognizer_data::read(state, input, &types, &Limits::default())
        .await
        .map_err(copy)?;
    let (train, test) = match data.test {
        Some(test) => (data.train, test),
        None => recognizer_lake::split(state, data.train, &types)
            .await
            .map_err(copy)?,
    };
    Ok(vec![
        (Initial::Annotated(train, types.clone()), DatasetType::Train),
        (Initial::Annotated(test, types), DatasetType::Test),
    ])
}

/// A dataset the flywheel made from its model's data, stored COMPLETED. Its creation
/// time is the flywheel's, so the first iteration does not count it as new data.
async fn add_initial_dataset(
    state: &State,
    flywheel: &FlywheelRecord,
    lake: &Lake,
    created: Timestamp,
    kind: DatasetType,
    data: Initial,
) -> Result<(), String> {
    let name = match kind {
        DatasetType::Train => "flywheel-creation-train",
        DatasetType::Test => "flywheel-creation-test",
    };
    let arn = Arn::parse(&flywheel.arn).map_err(|e| e.to_string())?;
    let arn = Arn {
        resource: Resource::Dataset {
            flywheel: flywheel.name.clone(),
            name: name.into(),
        },
        ..arn
    }
    .to_string();
    if state
        .store
        .dataset(&arn)
        .await
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(()); // written before a restart
    }
    let folder = lake.dataset(name, created);
    let count = match data {
        Initial::Documents(docs) => {
            data::put(
                state,
                &Lake::dataset_documents(&folder),
                data::to_csv(&docs)?,
            )
            .await?;
            docs.len()
        }
        Initial::Annotated(corpus, types) => {
            let counts = recognizer_lake::write_lake(state, corpus, &types, &folder).await?;
            counts.documents as usize
        }
    };
    let description = format!("{} Dataset created by Flywheel creation.", kind.as_str());
    data::put_json(
        state,
        &Lake::dataset_description(&folder),
        &json!({"DatasetType": kind.as_str(), "NumberOfDocuments": count, "Source": flywheel.active_model_arn, "Description": description}),
    )
    .await?;
    let record = DatasetRecord {
        seq: 0,
        arn,
        flywheel_arn: flywheel.arn.clone(),
        account: flywheel.account.clone(),
        region: flywheel.region.clone(),
        name: name.into(),
        dataset_type: kind,
        description: Some(description),
        status: DatasetStatus::Completed,
        message: None,
        number_of_documents: Some(count as i64),
        dataset_s3_uri: folder,
        creation_time: created.millis(),
        end_time: Some(state.now_ms()),
        request: CreateDatasetRequest {
            flywheel_arn: flywheel.arn.clone(),
            dataset_name: name.into(),
            dataset_type: Some(kind),
            description: None,
            input_data_config: DatasetInputDataConfig::default(),
            client_request_token: None,
            tags: None,
        },
    };
    state
        .store
        .insert_dataset(&record, &Creation::default())
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}
