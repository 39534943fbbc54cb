//! Custom entity recognizer (model version) rows: the same shape as classifier rows,
//! read and written by [`crate::versions`].

use comprehend_protocol::{
    CreateEntityRecognizerRequest, EntityRecognizerMetadata, LanguageCode, ModelStatus,
};
use serde::Serialize;

use crate::creation::Creation;
use crate::error::StoreError;
use crate::list::Order;
use crate::page::{Page, PageRequest};
use crate::versions::{VersionChanges, VersionFilter, json_text, version_table};
#[cfg(test)]
use crate::{db::Store, jobs::Target};

/// An entity recognizer version as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct RecognizerRecord {
    /// List position.
    pub seq: i64,
    /// Its ARN (`…:entity-recognizer/<name>[/version/<v>]`).
    pub arn: String,
    /// Owner account.
    pub account: String,
    /// Owner region.
    pub region: String,
    /// Recognizer name.
    pub name: String,
    /// Version name, if any.
    pub version: Option<String>,
    /// Lifecycle status.
    #[sqlx(try_from = "String")]
    pub status: ModelStatus,
    /// Why it failed, stopped or trained with a warning.
    pub message: Option<String>,
    /// Language.
    #[sqlx(try_from = "String")]
    pub language_code: LanguageCode,
    /// When it was created (ms).
    pub submit_time: i64,
    /// When training started (ms).
    pub training_start_time: Option<i64>,
    /// When training ended (ms).
    pub training_end_time: Option<i64>,
    /// When the job ended (ms).
    pub end_time: Option<i64>,
    /// The create request as received (tags and token removed, defaults filled in),
    /// echoed by Describe; `request.input_data_config` is the InputDataConfig echo.
    #[sqlx(json)]
    pub request: CreateEntityRecognizerRequest,
    /// Counts and evaluation metrics (0–100 scale), once trained.
    #[sqlx(json(nullable))]
    pub metadata: Option<EntityRecognizerMetadata>,
    /// The model file in the private model store (`ModelCache` key), once trained.
    pub model_key: Option<String>,
    /// The flywheel that trained it.
    pub flywheel_arn: Option<String>,
    /// Where the flywheel keeps its statistics (OutputDataConfig.FlywheelStatsS3Prefix).
    pub flywheel_stats_prefix: Option<String>,
    /// The model it was copied from (not used by this emulator yet).
    pub source_model_arn: Option<String>,
}

impl RecognizerRecord {
    /// The entity types it is trained for, in request order.
    pub fn entity_types(&self) -> Vec<String> {
        self.request
            .input_data_config
            .entity_types
            .iter()
            .map(|t| t.type_.clone())
            .collect()
    }
}

version_table!(RecognizerRecord {
    new: NewRecognizer,
    request: CreateEntityRecognizerRequest,
    columns(request): {},
    metadata: EntityRecognizerMetadata,
    table: "entity_recognizers",
    noun: "Entity recognizer",
    jobs: TrainEntityRecognizer,
    DeleteEntityRecognizer,
    names: recognizer,
    insert_recognizer,
    transition_recognizer,
    delete_recognizer,
    list_recognizers,
});

/// A new entity recognizer version; its field names are the table's columns.
#[derive(Debug, Clone, Serialize)]
pub struct NewRecognizer {
    /// ARN.
    pub arn: String,
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Name.
    pub name: String,
    /// Version.
    pub version: Option<String>,
    /// Initial status (SUBMITTED).
    pub status: ModelStatus,
    /// Language.
    pub language_code: LanguageCode,
    /// Now (ms).
    pub submit_time: i64,
    /// The request to echo.
    #[serde(serialize_with = "json_text")]
    pub request: CreateEntityRecognizerRequest,
    /// Flywheel that owns it.
    pub flywheel_arn: Option<String>,
    /// Flywheel statistics prefix.
    pub flywheel_stats_prefix: Option<String>,
}

/// Changes applied together with a recognizer's status transition (it has no output
/// location: `output_s3_uri` stays `None`).
pub type RecognizerChanges = VersionChanges<EntityRecognizerMetadata>;

#[cfg(test)]
mod tests {
    use comprehend_protocol::LanguageCode;
    use serde_json::json;

    use super::*;
    use crate::jobs::JobKind;

    fn recognizer(arn: &str, status: ModelStatus) -> NewRecognizer {
        NewRecognizer {
            arn: arn.into(),
            account: "000000000000".into(),
            region: "us-east-1".into(),
            name: arn.into(),
            version: None,
            status,
            language_code: LanguageCode::En,
            submit_time: 1,
            request: serde_json::from_value(json!({
                "RecognizerName": "r", "DataAccessRoleArn": "arn:aws:iam::000000000000:role/r",
                "InputDataConfig": {"EntityTypes": [{"Type": "PERSON"}],
                    "Documents": {"S3Uri": "s3://b/d"}, "Annotations": {"S3Uri": "s3://b/a"}},
                "LanguageCode": "en"
            }))
            .unwrap(),
            flywheel_arn: None,
            flywheel_stats_prefix: None,
        }
    }

    /// The recognizer lifecycle moves rows, the sweep queues the finisher of a version
    /// left mid-change, and only a DELETING row is removed.
    #[tokio::test]
    async fn lifecycle_sweep_and_delete() {
        let dir = std::env::temp_dir().join(format!("cl-recognizers-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("db.sqlite")).await.unwrap();
        let none = Creation::default();
        for (arn, status) in [
            ("arn:training", ModelStatus::Training),
            ("arn:deleting", ModelStatus::Deleting),
            ("arn:trained", ModelStatus::Trained),
        ] {
            store
                .insert_recognizer(&recognizer(arn, status), &none)
                .await
                .unwrap();
        }
        let taken = store
            .insert_recognizer(&recognizer("arn:trained", ModelStatus::Submitted), &none)
            .await;
        assert!(matches!(taken, Err(StoreError::AlreadyExists(_))));
        let mut queued = store.sweep(5).await.unwrap();
        queued.sort_by_key(|(kind, target)| (kind.as_str(), target.to_string()));
        assert_eq!(
            queued,
            [
                (JobKind::DeleteEntityRecognizer, Target::arn("arn:deleting")),
                (JobKind::TrainEntityRecognizer, Target::arn("arn:training")),
            ]
        );
        let changes = RecognizerChanges::default;
        assert!(
            !store
                .transition_recognizer("arn:trained", ModelStatus::Training, changes())
                .await
                .unwrap()
        );
        assert!(
            store
                .transition_recognizer("arn:training", ModelStatus::Trained, changes())
                .await
                .unwrap()
        );
        let mut tx = store.begin().await.unwrap();
        assert!(!tx.delete_recognizer("arn:trained").await.unwrap());
        assert!(tx.delete_recognizer("arn:deleting").await.unwrap());
        tx.commit().await.unwrap();
        assert!(store.recognizer("arn:deleting").await.unwrap().is_none());
        let record = store.recognizer("arn:training").await.unwrap().unwrap();
        assert_eq!(record.entity_types(), ["PERSON"]);
        let page = store
            .list_recognizers(
                "000000000000",
                "us-east-1",
                &[VersionFilter::Status(ModelStatus::Trained)],
                Order::Ascending,
                PageRequest {
                    after: None,
                    limit: 10,
                },
            )
            .await
            .unwrap();
        assert_eq!(page.items.len(), 2);
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
