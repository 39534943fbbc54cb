//! Asynchronous entities detection job rows (StartEntitiesDetectionJob).
//!
//! Their statuses are the model's `JobStatus`; their state machine is
//! [`EntitiesJobStatus`]'s (it has STOP_REQUESTED and STOPPED, which classification jobs
//! never enter).

use comprehend_protocol::{JobStatus, StartEntitiesDetectionJobRequest};
use sqlx::SqliteConnection;

use crate::creation::Creation;
use crate::db::Store;
use crate::document_jobs::DocumentJobFilter;
use crate::error::StoreError;
use crate::jobs::Target;
use crate::lifecycle::{EntitiesJobStatus, Lifecycle};
use crate::list::{HasSeq, Order};
use crate::page::{Page, PageRequest};
use crate::tx::{Tx, insert_on_its_own, on_its_own, reads};
use crate::update::{Row, Sets, json, transition};

/// An entities detection job as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EntitiesJobRecord {
    /// List position.
    pub seq: i64,
    /// 32 lowercase hex characters.
    pub job_id: String,
    /// ARN (`…:entities-detection-job/<JobId>`).
    pub arn: String,
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Name given by the caller.
    pub job_name: Option<String>,
    /// Status.
    #[sqlx(try_from = "String")]
    pub status: JobStatus,
    /// What happened.
    pub message: Option<String>,
    /// Submitted (ms).
    pub submit_time: i64,
    /// Ended (ms).
    pub end_time: Option<i64>,
    /// The recognizer version the job runs with.
    pub entity_recognizer_arn: String,
    /// The start request (input, output, VPC and KMS settings), echoed by Describe.
    #[sqlx(json)]
    pub request: StartEntitiesDetectionJobRequest,
    /// `<S3Uri><account>-NER-<JobId>/output/output.tar.gz`.
    pub output_s3_uri: String,
}

impl HasSeq for EntitiesJobRecord {
    fn seq(&self) -> i64 {
        self.seq
    }
}

/// Changes applied with a transition (`None` keeps the column).
#[derive(Debug, Clone, Default)]
pub struct EntitiesJobChanges {
    /// Message (`Some(None)` clears it).
    pub message: Option<Option<String>>,
    /// When it ended (ms).
    pub end_time: Option<i64>,
}

/// The statuses in which a job still uses its recognizer (queued, running or stopping).
fn active_statuses() -> [&'static str; 3] {
    [
        EntitiesJobStatus(JobStatus::Submitted).spelling(),
        EntitiesJobStatus(JobStatus::InProgress).spelling(),
        EntitiesJobStatus(JobStatus::StopRequested).spelling(),
    ]
}

impl Store {
    /// A job by id, in an (account, region).
    pub async fn entities_job(
        &self,
        account: &str,
        region: &str,
        job_id: &str,
    ) -> Result<Option<EntitiesJobRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT * FROM entities_detection_jobs WHERE account = ? AND region = ? AND job_id = ?",
        )
        .bind(account)
        .bind(region)
        .bind(job_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A job by ARN.
    pub async fn entities_job_by_arn(
        &self,
        arn: &str,
    ) -> Result<Option<EntitiesJobRecord>, StoreError> {
        Ok(
            sqlx::query_as("SELECT * FROM entities_detection_jobs WHERE arn = ?")
                .bind(arn)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Jobs of an (account, region).
    pub async fn list_entities_jobs(
        &self,
        account: &str,
        region: &str,
        filter: &[DocumentJobFilter],
        order: Order,
        page: PageRequest,
    ) -> Result<Page<EntitiesJobRecord>, StoreError> {
        self.list_in(
            "entities_detection_jobs",
            (account, region),
            filter,
            order,
            page,
        )
        .await
    }

    /// Jobs not yet ended in an (account, region) (the concurrent-jobs quota).
    pub async fn active_entities_jobs(
        &self,
        account: &str,
        region: &str,
    ) -> Result<i64, StoreError> {
        let [a, b, c] = active_statuses();
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM entities_detection_jobs WHERE account = ? AND region = ? AND status IN (?, ?, ?)",
        )
        .bind(account)
        .bind(region)
        .bind(a)
        .bind(b)
        .bind(c)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}

impl Tx {
    /// Moves an entities detection job to `to` (if its lifecycle allows it), applying
    /// `changes`.
    pub async fn transition_entities_job(
        &mut self,
        arn: &str,
        to: JobStatus,
        changes: EntitiesJobChanges,
    ) -> Result<bool, StoreError> {
        let sets = Sets::default()
            .text("message", changes.message)
            .int("end_time", changes.end_time);
        transition(
            self.conn(),
            "entities_detection_jobs",
            Row::Arn(arn),
            EntitiesJobStatus(to),
            &sets.0,
        )
        .await
    }
}

on_its_own!(
    /// [`Tx::transition_entities_job`] in a transaction of its own.
    transition_entities_job(&str, JobStatus, EntitiesJobChanges)
);

reads!(
    /// Whether an entities detection job that has not ended (SUBMITTED, IN_PROGRESS or
    /// STOP_REQUESTED) uses this recognizer version: DeleteEntityRecognizer answers
    /// ResourceInUseException then (API reference, DeleteEntityRecognizer: "If an active
    /// inference job is using the model, a ResourceInUseException will be returned").
    recognizer_in_use_by_entities_job(recognizer_arn: &str) -> bool
);

async fn recognizer_in_use_by_entities_job(
    conn: &mut SqliteConnection,
    recognizer_arn: &str,
) -> Result<bool, StoreError> {
    let [a, b, c] = active_statuses();
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM entities_detection_jobs WHERE entity_recognizer_arn = ? AND status IN (?, ?, ?)",
    )
    .bind(recognizer_arn)
    .bind(a)
    .bind(b)
    .bind(c)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

insert_on_its_own!(
    /// Inserts a job with its creation extras (tags, queue entry, idempotency record).
    insert_entities_job(&EntitiesJobRecord)
);

impl Tx {
    /// Inserts a job with its creation extras (tags, queue entry, idempotency record).
    pub async fn insert_entities_job(
        &mut self,
        j: &EntitiesJobRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO entities_detection_jobs (job_id, arn, account, region, job_name, status, message,
                 submit_time, end_time, entity_recognizer_arn, request, output_s3_uri)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&j.job_id)
        .bind(&j.arn)
        .bind(&j.account)
        .bind(&j.region)
        .bind(&j.job_name)
        .bind(j.status.as_str())
        .bind(&j.message)
        .bind(j.submit_time)
        .bind(j.end_time)
        .bind(&j.entity_recognizer_arn)
        .bind(json(&j.request)?)
        .bind(&j.output_s3_uri)
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::unique(e, format!("Job {}", j.job_id)))?;
        self.finish_creation(&Target::arn(&j.arn), creation).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::jobs::JobKind;

    const RECOGNIZER: &str = "arn:aws:comprehend:us-east-1:000000000000:entity-recognizer/r";

    fn job(id: &str) -> EntitiesJobRecord {
        EntitiesJobRecord {
            seq: 0,
            job_id: id.into(),
            arn: format!("arn:aws:comprehend:us-east-1:000000000000:entities-detection-job/{id}"),
            account: "000000000000".into(),
            region: "us-east-1".into(),
            job_name: Some("n".into()),
            status: JobStatus::Submitted,
            message: None,
            submit_time: 1,
            end_time: None,
            entity_recognizer_arn: RECOGNIZER.into(),
            request: serde_json::from_value(json!({
                "InputDataConfig": {"S3Uri": "s3://b/in"},
                "OutputDataConfig": {"S3Uri": "s3://b/out/"},
                "DataAccessRoleArn": "arn:aws:iam::000000000000:role/r",
                "LanguageCode": "en"
            }))
            .unwrap(),
            output_s3_uri: "s3://b/out/x".into(),
        }
    }

    /// A stopped job moves SUBMITTED → STOP_REQUESTED → STOPPED and then no further;
    /// it uses its recognizer until it has ended; the sweep queues its job if lost.
    #[tokio::test]
    async fn stop_path_and_recognizer_in_use() {
        let dir = std::env::temp_dir().join(format!("cl-entities-jobs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("db.sqlite")).await.unwrap();
        let record = job("0123456789abcdef0123456789abcdef");
        store
            .insert_entities_job(&record, &Creation::default())
            .await
            .unwrap();
        assert!(
            store
                .recognizer_in_use_by_entities_job(RECOGNIZER)
                .await
                .unwrap()
        );
        let swept = store.sweep(2).await.unwrap();
        assert_eq!(swept, [(JobKind::DetectEntities, Target::arn(&record.arn))]);
        let change = EntitiesJobChanges::default;
        assert!(
            !store
                .transition_entities_job(&record.arn, JobStatus::Stopped, change())
                .await
                .unwrap()
        );
        assert!(
            store
                .transition_entities_job(&record.arn, JobStatus::StopRequested, change())
                .await
                .unwrap()
        );
        assert!(
            store
                .recognizer_in_use_by_entities_job(RECOGNIZER)
                .await
                .unwrap()
        );
        assert!(
            store
                .transition_entities_job(&record.arn, JobStatus::Stopped, change())
                .await
                .unwrap()
        );
        assert!(
            !store
                .transition_entities_job(&record.arn, JobStatus::InProgress, change())
                .await
                .unwrap()
        );
        assert!(
            !store
                .recognizer_in_use_by_entities_job(RECOGNIZER)
                .await
                .unwrap()
        );
        let got = store
            .entities_job("000000000000", "us-east-1", &record.job_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (got.status, got.request),
            (JobStatus::Stopped, record.request)
        );
        assert!(store.resource_exists(&record.arn).await.unwrap());
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
