//! What the steps of a flywheel iteration share: how a step ends ([`Outcome`]), the data
//! it works on ([`Sets`]) and a version scored on the test data ([`Scored`]). The driver
//! ([`super::iteration`]), the per-kind seam ([`super::flywheel_kind`]) and the
//! classifier side ([`super::classifier_version`]) all import this module and not each
//! other backwards.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use comprehend_ml::{Document, Mode};
use comprehend_protocol::{FlywheelModelEvaluationMetrics, ModelStatus};
use comprehend_store::Creation;
use comprehend_store::flywheels::FlywheelRecord;
use comprehend_store::versions::{NewHead, Version, VersionChanges};
use serde_json::json;

use super::error::JobError;
use super::recognizer;
use super::recognizer_data::Spilled;
use super::training::{self, TrainFailure};
use crate::domain::round4;
use crate::lake::Lake;
use crate::state::State;

/// How an iteration ended, other than completing.
pub(super) enum Outcome {
    Stopped,
    Failed(String),
    Internal(JobError),
}

impl<E: Into<JobError>> From<E> for Outcome {
    fn from(e: E) -> Outcome {
        Outcome::Internal(e.into())
    }
}

impl Outcome {
    /// A job's error as the iteration's: a failure stays a failure with its message.
    pub(super) fn of(error: JobError) -> Outcome {
        match error {
            JobError::Failed(message) => Outcome::Failed(message),
            other => Outcome::Internal(other),
        }
    }
}

/// A flywheel's new version of either kind: its ARN and names.
pub(super) struct NewVersion<'a> {
    pub flywheel: &'a FlywheelRecord,
    pub model_arn: &'a str,
    pub name: String,
    pub version: String,
}

impl NewVersion<'_> {
    /// Whether its row exists (the iteration resumes after a restart).
    pub(super) async fn exists<V: Version>(&self, state: &State) -> Result<bool, Outcome> {
        Ok(state.store.version::<V>(self.model_arn).await?.is_some())
    }

    /// Inserts its row TRAINING, owned by the flywheel, echoing `request` (its data in
    /// the lake), with its training start.
    pub(super) async fn insert<V: Version>(
        &self,
        state: &State,
        request: V::Request,
    ) -> Result<(), Outcome> {
        let now = state.now_ms();
        let flywheel = self.flywheel;
        let stats = Lake::at(&flywheel.data_lake_s3_uri).model_stats(&self.version);
        let head = NewHead {
            arn: self.model_arn.to_owned(),
            owner: (flywheel.account.clone(), flywheel.region.clone()),
            name: self.name.clone(),
            version: Some(self.version.clone()),
            status: ModelStatus::Training,
            language_code: flywheel.task_config.language_code,
            submit_time: now,
            flywheel: Some((flywheel.arn.clone(), stats)),
        };
        let new = V::new_row(head, request);
        state
            .store
            .insert_version::<V>(&new, &Creation::default())
            .await?;
        let started = VersionChanges::<V::Metadata> {
            training_start_time: Some(now),
            ..Default::default()
        };
        let training = ModelStatus::Training;
        state
            .store
            .transition_version::<V>(self.model_arn, training, started)
            .await?;
        Ok(())
    }
}

/// The new version an iteration trains.
pub(super) async fn version_in_training<V: Version>(
    state: &State,
    model_arn: &str,
) -> Result<V, Outcome> {
    let vanished = || Outcome::Failed("The new model version vanished.".into());
    state.store.version(model_arn).await?.ok_or_else(vanished)
}

/// What an iteration's training of its new version came to: the model to store, or the
/// iteration's end (the version settled STOPPED, with `stopped_message` if any, or
/// IN_ERROR). The shutdown's cancel leaves the version and the iteration as they are.
pub(super) async fn trained<V: Version, T>(
    state: &State,
    model_arn: &str,
    outcome: Result<T, TrainFailure>,
    stopped_message: Option<&str>,
) -> Result<T, Outcome> {
    match outcome {
        Ok(trained) => Ok(trained),
        Err(TrainFailure::Cancelled) if state.shutting_down.load(Ordering::Relaxed) => {
            Err(Outcome::Internal(JobError::Interrupted))
        }
        Err(TrainFailure::Cancelled) => {
            training::stopped::<V>(state, model_arn, stopped_message).await?;
            Err(Outcome::Stopped)
        }
        Err(TrainFailure::Failed(message)) => {
            training::fail_version::<V>(state, model_arn, &message).await?;
            Err(Outcome::Failed(format!(
                "Training the new model version failed: {message}"
            )))
        }
    }
}

/// An iteration's training and test data.
pub(super) enum Sets {
    /// Classifier documents.
    Classifier {
        train: Vec<Document>,
        test: Vec<Document>,
        mode: Mode,
    },
    /// Recognizer documents with their mentions, in scratch files.
    Recognizer {
        train: Arc<Spilled>,
        test: Arc<Spilled>,
        types: Vec<String>,
    },
}

impl Sets {
    pub(super) fn test_len(&self) -> usize {
        match self {
            Sets::Classifier { test, .. } => test.len(),
            Sets::Recognizer { test, .. } => comprehend_ner::Corpus::len(&**test),
        }
    }
}

/// A version scored on the iteration's test data.
pub(super) struct Scored {
    /// The version.
    pub arn: String,
    /// Its flywheel metrics (0–1).
    pub metrics: FlywheelModelEvaluationMetrics,
    /// Its own metadata, as DescribeDocumentClassifier / DescribeEntityRecognizer show it.
    pub metadata: serde_json::Value,
    /// Its block of the evaluation manifest.
    pub manifest: serde_json::Value,
    /// A classifier's confusion matrix (JSON).
    pub confusion_matrix: Option<Vec<u8>>,
    /// A classifier's labels: a flywheel made without labels adopts them.
    pub labels: Vec<String>,
}

/// A classifier's evaluation as a [`Scored`].
pub(super) fn classifier_scored(
    arn: &str,
    evaluation: &comprehend_ml::Evaluation,
    labels: Vec<String>,
) -> Scored {
    let m = &evaluation.metrics;
    let metadata = training::metadata(evaluation);
    let matrix = evaluation.confusion_matrix.to_json();
    Scored {
        arn: arn.to_owned(),
        metrics: FlywheelModelEvaluationMetrics {
            average_f1_score: Some(round4(m.f1_score)),
            average_precision: Some(round4(m.precision)),
            average_recall: Some(round4(m.recall)),
            average_accuracy: Some(round4(m.accuracy)),
        },
        manifest: json!({
            "ModelArn": arn,
            "NumberOfTestDocuments": evaluation.number_of_test_documents,
            "EvaluationMetrics": metadata.evaluation_metrics,
            "ConfusionMatrix": serde_json::from_str::<serde_json::Value>(&matrix).unwrap_or_default(),
        }),
        metadata: serde_json::to_value(&metadata).unwrap_or_default(),
        confusion_matrix: Some(matrix.into_bytes()),
        labels,
    }
}

/// A recognizer's evaluation as a [`Scored`]: the flywheel metrics are the micro
/// exact-match figures on 0–1 (the version's own metadata keeps the service's 0–100), and
/// AverageAccuracy is the share of exact matches among all predicted and gold mentions,
/// TP / (TP + FP + FN) = P·R / (P + R − P·R).
pub(super) fn recognizer_scored(arn: &str, evaluation: &comprehend_ner::Evaluation) -> Scored {
    let o = &evaluation.overall;
    let (p, r) = (o.precision / 100.0, o.recall / 100.0);
    let accuracy = if p > 0.0 && r > 0.0 {
        p * r / (p + r - p * r)
    } else {
        0.0
    };
    let metadata = recognizer::metadata(evaluation);
    Scored {
        arn: arn.to_owned(),
        metrics: FlywheelModelEvaluationMetrics {
            average_f1_score: Some(round4(o.f1_score / 100.0)),
            average_precision: Some(round4(p)),
            average_recall: Some(round4(r)),
            average_accuracy: Some(round4(accuracy)),
        },
        manifest: json!({
            "ModelArn": arn,
            "NumberOfTestDocuments": evaluation.number_of_test_documents,
            "EvaluationMetrics": metadata.evaluation_metrics,
            "EntityTypes": metadata.entity_types,
        }),
        metadata: serde_json::to_value(&metadata).unwrap_or_default(),
        confusion_matrix: None,
        labels: Vec::new(),
    }
}
