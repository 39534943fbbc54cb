//! Asynchronous analysis job rows, every family in one table (`document_jobs`): a
//! family is a code (the `<TYPE>` of its output folder, e.g. CLN, NER) and the typed
//! start request is the server's to decode. The statuses are the model's `JobStatus`,
//! moved by [`Tx::transition_document_job`] along `JobStatus`'s lifecycle.

use comprehend_protocol::JobStatus;
use sqlx::SqliteConnection;

use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::jobs::Target;
use crate::lifecycle::Lifecycle;
use crate::list::{Condition, HasSeq, ListFilter, Order};
use crate::page::{Page, PageRequest};
use crate::tx::{Tx, insert_on_its_own, on_its_own, reads};
use crate::update::{Row, Sets, json, transition};

/// An asynchronous analysis job as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DocumentJobRecord {
    /// List position.
    pub seq: i64,
    /// The family's code.
    pub family: String,
    /// 32 lowercase hex characters.
    pub job_id: String,
    /// ARN.
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
    /// The model version the job runs with (resolved from the flywheel when one was
    /// given); none for built-in analysis.
    pub model_arn: Option<String>,
    /// The flywheel the request named.
    pub flywheel_arn: Option<String>,
    /// The start request (input, output, VPC and KMS settings), echoed by Describe.
    #[sqlx(json)]
    pub request: serde_json::Value,
    /// `<S3Uri><account>-<TYPE>-<JobId>/output/output.tar.gz`.
    pub output_s3_uri: String,
}

impl HasSeq for DocumentJobRecord {
    fn seq(&self) -> i64 {
        self.seq
    }
}

/// A member of a ListXJobs filter (DocumentClassificationJobFilter,
/// EntitiesDetectionJobFilter, …): one job name, status or submit-time bound.
#[derive(Debug, Clone)]
pub enum DocumentJobFilter {
    /// With this job name.
    Name(String),
    /// In this status.
    Status(JobStatus),
    /// Submitted before (ms).
    SubmittedBefore(i64),
    /// Submitted after (ms).
    SubmittedAfter(i64),
    /// Of this family (every list has it).
    Family(&'static str),
}

impl ListFilter for DocumentJobFilter {
    fn condition(&self) -> Condition {
        match self {
            DocumentJobFilter::Name(n) => Condition::Eq("job_name", n.clone()),
            DocumentJobFilter::Status(s) => Condition::Eq("status", s.as_str().into()),
            DocumentJobFilter::SubmittedBefore(t) => Condition::Before("submit_time", *t),
            DocumentJobFilter::SubmittedAfter(t) => Condition::After("submit_time", *t),
            DocumentJobFilter::Family(f) => Condition::Eq("family", (*f).into()),
        }
    }
}

/// Changes applied with a transition (`None` keeps the column).
#[derive(Debug, Clone, Default)]
pub struct DocumentJobChanges {
    /// Message (`Some(None)` clears it).
    pub message: Option<Option<String>>,
    /// When it ended (ms).
    pub end_time: Option<i64>,
}

impl Store {
    /// A job of a family by id, in an (account, region).
    pub async fn document_job(
        &self,
        family: &str,
        (account, region): (&str, &str),
        job_id: &str,
    ) -> Result<Option<DocumentJobRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT * FROM document_jobs WHERE family = ? AND account = ? AND region = ? AND job_id = ?",
        )
        .bind(family)
        .bind(account)
        .bind(region)
        .bind(job_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A job by ARN.
    pub async fn document_job_by_arn(
        &self,
        arn: &str,
    ) -> Result<Option<DocumentJobRecord>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM document_jobs WHERE arn = ?")
            .bind(arn)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Jobs of an (account, region); `filter` names the family.
    pub async fn list_document_jobs(
        &self,
        scope: (&str, &str),
        filter: &[DocumentJobFilter],
        order: Order,
        page: PageRequest,
    ) -> Result<Page<DocumentJobRecord>, StoreError> {
        self.list_in("document_jobs", scope, filter, order, page)
            .await
    }
}

impl Tx {
    /// Moves a job to `to` (if its lifecycle allows it), applying `changes`.
    pub async fn transition_document_job(
        &mut self,
        arn: &str,
        to: JobStatus,
        changes: DocumentJobChanges,
    ) -> Result<bool, StoreError> {
        let sets = Sets::default()
            .text("message", changes.message)
            .int("end_time", changes.end_time);
        transition(self.conn(), "document_jobs", Row::Arn(arn), to, &sets.0).await
    }
}

on_its_own!(
    /// [`Tx::transition_document_job`] in a transaction of its own.
    transition_document_job(&str, JobStatus, DocumentJobChanges)
);

reads!(
    /// Whether a job that has not ended (SUBMITTED, IN_PROGRESS or STOP_REQUESTED) runs
    /// with this model version: deleting the version answers ResourceInUseException then
    /// (API reference, DeleteEntityRecognizer: "If an active inference job is using the
    /// model, a ResourceInUseException will be returned").
    model_in_use_by_job(model_arn: &str) -> bool
);

async fn model_in_use_by_job(
    conn: &mut SqliteConnection,
    model_arn: &str,
) -> Result<bool, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM document_jobs WHERE model_arn = ? AND status IN (?, ?, ?)",
    )
    .bind(model_arn)
    .bind(JobStatus::Submitted.spelling())
    .bind(JobStatus::InProgress.spelling())
    .bind(JobStatus::StopRequested.spelling())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

insert_on_its_own!(
    /// Inserts a job with its creation extras (tags, queue entry, idempotency record).
    insert_document_job(&DocumentJobRecord)
);

impl Tx {
    /// Inserts a job with its creation extras (tags, queue entry, idempotency record).
    pub async fn insert_document_job(
        &mut self,
        j: &DocumentJobRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO document_jobs (family, job_id, arn, account, region, job_name, status,
                 message, submit_time, end_time, model_arn, flywheel_arn, request, output_s3_uri)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&j.family)
        .bind(&j.job_id)
        .bind(&j.arn)
        .bind(&j.account)
        .bind(&j.region)
        .bind(&j.job_name)
        .bind(j.status.as_str())
        .bind(&j.message)
        .bind(j.submit_time)
        .bind(j.end_time)
        .bind(&j.model_arn)
        .bind(&j.flywheel_arn)
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

    const MODEL: &str = "arn:aws:comprehend:us-east-1:000000000000:entity-recognizer/r";
    const SCOPE: (&str, &str) = ("000000000000", "us-east-1");

    fn job(id: &str) -> DocumentJobRecord {
        DocumentJobRecord {
            seq: 0,
            family: "NER".into(),
            job_id: id.into(),
            arn: format!("arn:aws:comprehend:us-east-1:000000000000:entities-detection-job/{id}"),
            account: SCOPE.0.into(),
            region: SCOPE.1.into(),
            job_name: Some("n".into()),
            status: JobStatus::Submitted,
            message: None,
            submit_time: 1,
            end_time: None,
            model_arn: Some(MODEL.into()),
            flywheel_arn: None,
            request: json!({"InputDataConfig": {"S3Uri": "s3://b/in"}}),
            output_s3_uri: "s3://b/out/x".into(),
        }
    }

    /// A stopped job moves SUBMITTED → STOP_REQUESTED → STOPPED and then no further;
    /// it uses its model until it has ended; the sweep queues its job if lost; a job is
    /// found only under its own family.
    #[tokio::test]
    async fn stop_path_model_in_use_and_family() {
        let dir = std::env::temp_dir().join(format!("cl-document-jobs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("db.sqlite")).await.unwrap();
        let record = job("0123456789abcdef0123456789abcdef");
        store
            .insert_document_job(&record, &Creation::default())
            .await
            .unwrap();
        assert!(store.model_in_use_by_job(MODEL).await.unwrap());
        let swept = store.sweep(2).await.unwrap();
        assert_eq!(
            swept,
            [(JobKind::AnalyzeDocuments, Target::arn(&record.arn))]
        );
        let steps = [
            (JobStatus::Stopped, false, true),
            (JobStatus::StopRequested, true, true),
            (JobStatus::Stopped, true, false),
            (JobStatus::InProgress, false, false),
        ];
        for (to, moves, in_use) in steps {
            let moved = store
                .transition_document_job(&record.arn, to, DocumentJobChanges::default())
                .await
                .unwrap();
            assert_eq!(moved, moves, "{to}");
            assert_eq!(store.model_in_use_by_job(MODEL).await.unwrap(), in_use);
        }
        let got = store.document_job("NER", SCOPE, &record.job_id).await;
        let got = got.unwrap().unwrap();
        assert_eq!(
            (got.status, got.request),
            (JobStatus::Stopped, record.request)
        );
        let other = store.document_job("CLN", SCOPE, &record.job_id).await;
        assert_eq!(other.unwrap(), None);
        assert!(store.resource_exists(&record.arn).await.unwrap());
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A data directory written before the families shared a table opens: migration 5
    /// moves each family's rows (and queued jobs) over.
    #[tokio::test]
    async fn rows_of_the_tables_before_move_over() {
        let dir = std::env::temp_dir().join(format!("cl-document-jobs-mig-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.sqlite");
        let options = comprehend_s3store::sqlite::connect_options(&path).unwrap();
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        let mut before = sqlx::migrate!("../../migrations");
        before.migrations = std::borrow::Cow::Owned(before.migrations[..4].to_vec());
        before.run(&pool).await.unwrap();
        let request = r#"{"InputDataConfig":{"S3Uri":"s3://b/in"},"FlywheelArn":"fw"}"#;
        for sql in [
            "INSERT INTO classification_jobs (job_id, arn, account, region, status, submit_time, document_classifier_arn, request, output_s3_uri) VALUES ('c', 'arn-c', 'a', 'r', 'COMPLETED', 1, 'model-c', ?, 'o')",
            "INSERT INTO entities_detection_jobs (job_id, arn, account, region, status, submit_time, entity_recognizer_arn, request, output_s3_uri) VALUES ('e', 'arn-e', 'a', 'r', 'SUBMITTED', 2, 'model-e', ?, 'o')",
            "INSERT INTO jobs (kind, resource_arn, state, created_at, updated_at) VALUES ('detect_entities', 'arn-e', 'queued', 2, ?)",
        ] {
            sqlx::query(sql).bind(request).execute(&pool).await.unwrap();
        }
        pool.close().await;
        let store = Store::open(&path).await.unwrap();
        let c = store
            .document_job("CLN", ("a", "r"), "c")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.model_arn.as_deref(), c.flywheel_arn),
            (Some("model-c"), None)
        );
        let e = store
            .document_job("NER", ("a", "r"), "e")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (e.model_arn.as_deref(), e.flywheel_arn.as_deref()),
            (Some("model-e"), Some("fw"))
        );
        assert_eq!(e.request["InputDataConfig"]["S3Uri"], "s3://b/in");
        let claimed = store.claim_job(3).await.unwrap().unwrap();
        assert_eq!(
            (claimed.kind, claimed.target),
            (JobKind::AnalyzeDocuments, Target::arn("arn-e"))
        );
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
