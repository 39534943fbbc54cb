//! The start-up sweep: every resource in a transitional status gets the job that
//! finishes it, if it has none. Changes are written with their job in one transaction,
//! so this only finds work lost by data directories written before that was so (or by
//! a bug); it makes "no resource is left mid-state with nothing queued to finish it" an
//! invariant checked at every start.

use comprehend_protocol::{
    DatasetStatus, EndpointStatus, FlywheelIterationStatus, FlywheelStatus, JobStatus, ModelStatus,
};

use crate::classifiers::ClassifierRecord;
use crate::db::Store;
use crate::entity_recognizers::RecognizerRecord;
use crate::error::StoreError;
use crate::jobs::{JobKind, JobState, Target};
use crate::lifecycle::Lifecycle;
use crate::tx::Tx;
use crate::versions::Version;

/// How a table names the target of its jobs.
struct Keys {
    table: &'static str,
    arn: &'static str,
    iteration_id: &'static str,
    /// More conditions on `t`, the resource row.
    extra: String,
}

impl Keys {
    /// A table whose rows are named by their `arn`.
    fn by_arn(table: &'static str) -> Keys {
        Keys {
            table,
            arn: "t.arn",
            iteration_id: "NULL",
            extra: String::new(),
        }
    }
}

impl Store {
    /// Queues the missing jobs; returns what it queued.
    pub async fn sweep(&self, now: i64) -> Result<Vec<(JobKind, Target)>, StoreError> {
        let mut tx = self.begin().await?;
        let mut queued = Vec::new();
        // Iterations first: a flywheel version in training is finished by its iteration.
        let iterations = Keys {
            table: "flywheel_iterations",
            arn: "t.flywheel_arn",
            iteration_id: "t.iteration_id",
            extra: String::new(),
        };
        queued.extend(sweep::<FlywheelIterationStatus>(&mut tx, &iterations, now).await?);
        let running = FlywheelIterationStatus::transitional()
            .iter()
            .map(|(s, _)| format!("'{}'", s.spelling()))
            .collect::<Vec<_>>()
            .join(", ");
        // A version an iteration is training is the iteration's to finish: sweeping it too
        // would start a second training of the same version.
        let not_in_iteration = format!(
            "AND NOT EXISTS (SELECT 1 FROM flywheel_iterations i WHERE i.flywheel_arn = t.flywheel_arn AND i.status IN ({running}))"
        );
        queued.extend(sweep_versions::<ClassifierRecord>(&mut tx, &not_in_iteration, now).await?);
        let flywheels = Keys::by_arn("flywheels");
        queued.extend(sweep::<FlywheelStatus>(&mut tx, &flywheels, now).await?);
        let datasets = Keys::by_arn("datasets");
        queued.extend(sweep::<DatasetStatus>(&mut tx, &datasets, now).await?);
        let endpoints = Keys::by_arn("endpoints");
        queued.extend(sweep::<EndpointStatus>(&mut tx, &endpoints, now).await?);
        let jobs = Keys::by_arn("document_jobs");
        queued.extend(sweep::<JobStatus>(&mut tx, &jobs, now).await?);
        queued.extend(sweep_versions::<RecognizerRecord>(&mut tx, &not_in_iteration, now).await?);
        tx.commit().await?;
        Ok(queued)
    }
}

/// Queues the finishing job of every row of `keys.table` in a transitional status of
/// `S` that has no queued or running job of that kind.
async fn sweep<S: Lifecycle<Finisher = JobKind>>(
    tx: &mut Tx,
    keys: &Keys,
    now: i64,
) -> Result<Vec<(JobKind, Target)>, StoreError> {
    sweep_statuses(tx, keys, now, S::transitional()).await
}

/// [`sweep`] of the versions of kind `V` (`extra`: the condition that leaves a flywheel's
/// versions to its iteration): the version lifecycle's steps are `V`'s jobs.
async fn sweep_versions<V: Version>(
    tx: &mut Tx,
    extra: &str,
    now: i64,
) -> Result<Vec<(JobKind, Target)>, StoreError> {
    let keys = Keys {
        extra: extra.to_owned(),
        ..Keys::by_arn(V::TABLE)
    };
    let statuses = ModelStatus::transitional()
        .into_iter()
        .map(|(status, step)| (status, V::job(step)));
    sweep_statuses(tx, &keys, now, statuses.collect()).await
}

async fn sweep_statuses<S: Lifecycle>(
    tx: &mut Tx,
    keys: &Keys,
    now: i64,
    statuses: Vec<(S, JobKind)>,
) -> Result<Vec<(JobKind, Target)>, StoreError> {
    let mut queued = Vec::new();
    for (status, kind) in statuses {
        let sql = format!(
            "SELECT {arn}, {id} FROM {table} t WHERE t.status = ? {extra}
               AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.kind = ? AND j.resource_arn = {arn}
                               AND j.iteration_id IS {id} AND j.state IN (?, ?))",
            arn = keys.arn,
            id = keys.iteration_id,
            table = keys.table,
            extra = keys.extra,
        );
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(status.spelling())
            .bind(kind.as_str())
            .bind(JobState::Queued.as_str())
            .bind(JobState::Running.as_str())
            .fetch_all(tx.conn())
            .await?;
        for (arn, iteration_id) in rows {
            let target = match iteration_id {
                Some(iteration_id) => Target::Iteration(crate::jobs::IterationKey {
                    flywheel_arn: arn,
                    iteration_id,
                }),
                None => Target::Resource(arn),
            };
            tx.enqueue(kind, &target, now).await?;
            queued.push((kind, target));
        }
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use comprehend_protocol::{DocumentClassifierMode, LanguageCode};
    use serde_json::json;

    use super::*;
    use crate::classifiers::NewClassifier;
    use crate::creation::Creation;
    use crate::endpoints::EndpointRecord;
    use crate::entity_recognizers::NewRecognizer;
    use crate::flywheels::FlywheelRecord;
    use crate::iterations::IterationRecord;

    fn classifier(arn: &str, status: ModelStatus, flywheel: Option<&str>) -> NewClassifier {
        NewClassifier {
            arn: arn.into(),
            account: "000000000000".into(),
            region: "us-east-1".into(),
            name: arn.into(),
            version: None,
            status,
            language_code: LanguageCode::En,
            mode: DocumentClassifierMode::MultiClass,
            submit_time: 1,
            request: serde_json::from_value(json!({
                "DocumentClassifierName": "c", "DataAccessRoleArn": "arn:aws:iam::000000000000:role/r",
                "InputDataConfig": {"S3Uri": "s3://b/k"}, "LanguageCode": "en"
            }))
            .unwrap(),
            flywheel_arn: flywheel.map(str::to_owned),
            flywheel_stats_prefix: None,
        }
    }

    fn recognizer(arn: &str, flywheel: Option<&str>) -> NewRecognizer {
        NewRecognizer {
            arn: arn.into(),
            account: "000000000000".into(),
            region: "us-east-1".into(),
            name: arn.into(),
            version: None,
            status: ModelStatus::Training,
            language_code: LanguageCode::En,
            submit_time: 1,
            request: serde_json::from_value(json!({
                "RecognizerName": "r", "DataAccessRoleArn": "arn:aws:iam::000000000000:role/r",
                "InputDataConfig": {"EntityTypes": [{"Type": "PERSON"}], "Documents": {"S3Uri": "s3://b/d"}},
                "LanguageCode": "en"
            }))
            .unwrap(),
            flywheel_arn: flywheel.map(str::to_owned),
            flywheel_stats_prefix: None,
        }
    }

    fn flywheel(arn: &str) -> FlywheelRecord {
        FlywheelRecord {
            seq: 0,
            arn: arn.into(),
            account: "000000000000".into(),
            region: "us-east-1".into(),
            name: "fw".into(),
            status: FlywheelStatus::Active,
            message: None,
            active_model_arn: None,
            data_access_role_arn: "arn:aws:iam::000000000000:role/r".into(),
            model_type: comprehend_protocol::ModelType::DocumentClassifier,
            task_config: serde_json::from_value(json!({"LanguageCode": "en"})).unwrap(),
            data_lake_s3_uri: "s3://b/lake/".into(),
            data_security_config: Default::default(),
            creation_time: 1,
            last_modified_time: 1,
            latest_iteration_id: None,
        }
    }

    fn endpoint(arn: &str, status: EndpointStatus) -> EndpointRecord {
        EndpointRecord {
            seq: 0,
            arn: arn.into(),
            account: "000000000000".into(),
            region: "us-east-1".into(),
            name: arn.into(),
            status,
            message: None,
            model_arn: Some("arn:model".into()),
            desired_model_arn: Some("arn:model".into()),
            desired_inference_units: 1,
            current_inference_units: Some(1),
            data_access_role_arn: None,
            desired_data_access_role_arn: None,
            flywheel_arn: None,
            creation_time: 1,
            last_modified_time: 1,
        }
    }

    /// Rows an older version left mid-change with no job (as a crash between two
    /// statements could): the sweep queues exactly the job that finishes each, once.
    #[tokio::test]
    async fn resources_left_mid_change_get_their_job_once() {
        let dir = std::env::temp_dir().join(format!("cl-sweep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("db.sqlite")).await.unwrap();
        let none = Creation::default();
        let trained = classifier("arn:trained", ModelStatus::Trained, None);
        store.insert_classifier(&trained, &none).await.unwrap();
        let training = classifier("arn:training", ModelStatus::Training, None);
        store.insert_classifier(&training, &none).await.unwrap();
        store
            .insert_flywheel(&flywheel("arn:fw"), &none)
            .await
            .unwrap();
        let version = classifier("arn:fw-v", ModelStatus::Training, Some("arn:fw"));
        store.insert_classifier(&version, &none).await.unwrap();
        let alone = recognizer("arn:recognizer", None);
        store.insert_recognizer(&alone, &none).await.unwrap();
        let owned = recognizer("arn:fw-recognizer", Some("arn:fw"));
        store.insert_recognizer(&owned, &none).await.unwrap();
        let iteration = IterationRecord {
            seq: 0,
            flywheel_arn: "arn:fw".into(),
            iteration_id: "20260101T000000Z".into(),
            status: FlywheelIterationStatus::Training,
            message: None,
            creation_time: 1,
            end_time: None,
            evaluated_model_arn: None,
            evaluated_metrics: None,
            trained_model_arn: None,
            trained_metrics: None,
            evaluation_prefix: None,
        };
        store.insert_iteration(&iteration, &none).await.unwrap();
        for (arn, status) in [
            ("arn:deleting", EndpointStatus::Deleting),
            ("arn:updating", EndpointStatus::Updating),
            ("arn:serving", EndpointStatus::InService),
        ] {
            store
                .insert_endpoint(&endpoint(arn, status), &none)
                .await
                .unwrap();
        }

        let mut queued = store.sweep(5).await.unwrap();
        queued.sort_by_key(|(kind, target)| (kind.as_str(), target.to_string()));
        assert_eq!(
            queued,
            [
                (JobKind::DeleteEndpoint, Target::arn("arn:deleting")),
                (JobKind::DeployEndpoint, Target::arn("arn:updating")),
                (JobKind::RunIteration, Target::Iteration(iteration.key())),
                (JobKind::TrainClassifier, Target::arn("arn:training")),
                (
                    JobKind::TrainEntityRecognizer,
                    Target::arn("arn:recognizer")
                ),
            ],
            "the flywheel's versions (of either kind) are finished by its iteration"
        );
        assert!(store.sweep(6).await.unwrap().is_empty(), "once");
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
