//! Asynchronous document classification job rows.

use comprehend_protocol::{JobStatus, StartDocumentClassificationJobRequest};
use sqlx::SqliteConnection;

use crate::creation::Creation;
use crate::db::Store;
use crate::document_jobs::DocumentJobFilter;
use crate::error::StoreError;
use crate::jobs::Target;
use crate::lifecycle::Lifecycle;
use crate::list::{HasSeq, Order};
use crate::page::{Page, PageRequest};
use crate::tx::{Tx, insert_on_its_own, on_its_own, reads};
use crate::update::{Row, Sets, json, transition};

/// A classification job as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ClassificationJobRecord {
    /// List position.
    pub seq: i64,
    /// 32 hex characters.
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
    /// The model version used (resolved from the flywheel when one was given).
    pub document_classifier_arn: Option<String>,
    /// The flywheel given.
    pub flywheel_arn: Option<String>,
    /// The start request (input, output, VPC and KMS settings).
    #[sqlx(json)]
    pub request: StartDocumentClassificationJobRequest,
    /// `<S3Uri><account>-CLN-<id>/output/output.tar.gz`.
    pub output_s3_uri: String,
}

impl HasSeq for ClassificationJobRecord {
    fn seq(&self) -> i64 {
        self.seq
    }
}

impl Store {
    /// A job by id, in an (account, region).
    pub async fn classification_job(
        &self,
        account: &str,
        region: &str,
        job_id: &str,
    ) -> Result<Option<ClassificationJobRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT * FROM classification_jobs WHERE account = ? AND region = ? AND job_id = ?",
        )
        .bind(account)
        .bind(region)
        .bind(job_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A job by ARN.
    pub async fn classification_job_by_arn(
        &self,
        arn: &str,
    ) -> Result<Option<ClassificationJobRecord>, StoreError> {
        Ok(
            sqlx::query_as("SELECT * FROM classification_jobs WHERE arn = ?")
                .bind(arn)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Jobs of an (account, region).
    pub async fn list_classification_jobs(
        &self,
        account: &str,
        region: &str,
        filter: &[DocumentJobFilter],
        order: Order,
        page: PageRequest,
    ) -> Result<Page<ClassificationJobRecord>, StoreError> {
        self.list_in(
            "classification_jobs",
            (account, region),
            filter,
            order,
            page,
        )
        .await
    }

    /// Jobs not yet finished in an (account, region).
    pub async fn active_classification_jobs(
        &self,
        account: &str,
        region: &str,
    ) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM classification_jobs WHERE account = ? AND region = ? AND status IN (?, ?)",
        )
        .bind(account)
        .bind(region)
        .bind(JobStatus::Submitted.spelling())
        .bind(JobStatus::InProgress.spelling())
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}

impl Tx {
    /// Moves a classification job to `to` (if its lifecycle allows it), applying `changes`.
    pub async fn transition_classification_job(
        &mut self,
        arn: &str,
        to: JobStatus,
        changes: ClassificationJobChanges,
    ) -> Result<bool, StoreError> {
        let sets = Sets::default()
            .text("message", changes.message)
            .int("end_time", changes.end_time);
        transition(
            self.conn(),
            "classification_jobs",
            Row::Arn(arn),
            to,
            &sets.0,
        )
        .await
    }
}

on_its_own!(
    /// [`Tx::transition_classification_job`] in a transaction of its own.
    transition_classification_job(&str, JobStatus, ClassificationJobChanges)
);

/// Changes applied with a classification job's transition (`None` keeps the column).
#[derive(Debug, Clone, Default)]
pub struct ClassificationJobChanges {
    /// Message (`Some(None)` clears it).
    pub message: Option<Option<String>>,
    /// When it ended (ms).
    pub end_time: Option<i64>,
}

reads!(
    /// Jobs not yet finished that use a model version.
    active_jobs_using_model(model_arn: &str) -> i64
);

async fn active_jobs_using_model(
    conn: &mut SqliteConnection,
    model_arn: &str,
) -> Result<i64, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM classification_jobs WHERE document_classifier_arn = ? AND status IN (?, ?)",
    )
    .bind(model_arn)
    .bind(JobStatus::Submitted.spelling())
    .bind(JobStatus::InProgress.spelling())
    .fetch_one(&mut *conn)
    .await?;
    Ok(n)
}

insert_on_its_own!(
    /// Inserts a job with its creation extras.
    insert_classification_job(&ClassificationJobRecord)
);

impl Tx {
    /// Inserts a job with its creation extras.
    pub async fn insert_classification_job(
        &mut self,
        j: &ClassificationJobRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO classification_jobs (job_id, arn, account, region, job_name, status, message, submit_time,
                 end_time, document_classifier_arn, flywheel_arn, request, output_s3_uri)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        .bind(&j.document_classifier_arn)
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
