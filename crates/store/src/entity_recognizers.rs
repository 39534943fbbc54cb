//! Custom entity recognizer (model version) rows: the shared version columns (see
//! [`crate::versions`]); the entity types are in the request.

use comprehend_protocol::{
    CreateEntityRecognizerRequest, EntityRecognizerMetadata, LanguageCode, ModelStatus,
};

use crate::creation::Creation;
use crate::error::StoreError;
use crate::list::Order;
use crate::page::{Page, PageRequest};
use crate::versions::{VersionChanges, VersionFilter, version_table};
#[cfg(test)]
use crate::{db::Store, jobs::Target};

version_table! {
    /// An entity recognizer version as stored.
    RecognizerRecord {}
    /// A new entity recognizer version.
    NewRecognizer(request: CreateEntityRecognizerRequest) {}
    metadata: EntityRecognizerMetadata,
    table: "entity_recognizers",
    noun: "Entity recognizer",
    jobs: TrainEntityRecognizer, DeleteEntityRecognizer,
    names: recognizer, insert_recognizer, transition_recognizer, delete_recognizer, list_recognizers,
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
