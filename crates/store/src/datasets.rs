//! Flywheel dataset rows.

use comprehend_protocol::{CreateDatasetRequest, DatasetStatus, DatasetType};
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

/// A dataset as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DatasetRecord {
    /// List position.
    pub seq: i64,
    /// ARN.
    pub arn: String,
    /// Owning flywheel.
    pub flywheel_arn: String,
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Name.
    pub name: String,
    /// TRAIN or TEST.
    #[sqlx(try_from = "String")]
    pub dataset_type: DatasetType,
    /// Description (echoed).
    pub description: Option<String>,
    /// Status.
    #[sqlx(try_from = "String")]
    pub status: DatasetStatus,
    /// What happened (failures, dropped documents).
    pub message: Option<String>,
    /// Documents ingested.
    pub number_of_documents: Option<i64>,
    /// Where in the lake the documents are.
    pub dataset_s3_uri: String,
    /// Created (ms).
    pub creation_time: i64,
    /// Ingestion ended (ms).
    pub end_time: Option<i64>,
    /// The create request (input location and format).
    #[sqlx(json)]
    pub request: CreateDatasetRequest,
}

impl HasSeq for DatasetRecord {
    fn seq(&self) -> i64 {
        self.seq
    }
}

/// A member of ListDatasets' filter (and its FlywheelArn).
#[derive(Debug, Clone)]
pub enum DatasetFilter {
    /// Of this flywheel.
    Flywheel(String),
    /// In this status.
    Status(DatasetStatus),
    /// TRAIN or TEST.
    Type(DatasetType),
    /// Created before (ms).
    CreatedBefore(i64),
    /// Created after (ms).
    CreatedAfter(i64),
}

impl ListFilter for DatasetFilter {
    fn condition(&self) -> Condition {
        match self {
            DatasetFilter::Flywheel(arn) => Condition::Eq("flywheel_arn", arn.clone()),
            DatasetFilter::Status(s) => Condition::Eq("status", s.spelling().into()),
            DatasetFilter::Type(t) => Condition::Eq("dataset_type", t.as_str().into()),
            DatasetFilter::CreatedBefore(t) => Condition::Before("creation_time", *t),
            DatasetFilter::CreatedAfter(t) => Condition::After("creation_time", *t),
        }
    }
}

/// Changes applied with a dataset's transition (`None` keeps the column).
#[derive(Debug, Clone, Default)]
pub struct DatasetChanges {
    /// Message (`Some(None)` clears it).
    pub message: Option<Option<String>>,
    /// Documents ingested.
    pub number_of_documents: Option<i64>,
    /// End of ingestion (ms).
    pub end_time: Option<i64>,
}

impl Store {
    /// A dataset by ARN.
    pub async fn dataset(&self, arn: &str) -> Result<Option<DatasetRecord>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM datasets WHERE arn = ?")
            .bind(arn)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Datasets of one (account, region), optionally of one flywheel.
    pub async fn list_datasets(
        &self,
        account: &str,
        region: &str,
        filter: &[DatasetFilter],
        page: PageRequest,
    ) -> Result<Page<DatasetRecord>, StoreError> {
        self.list_in(
            "datasets",
            (account, region),
            filter,
            Order::Ascending,
            page,
        )
        .await
    }
}

impl Tx {
    /// Moves a dataset to `to` (if its lifecycle allows it), applying `changes`.
    pub async fn transition_dataset(
        &mut self,
        arn: &str,
        to: DatasetStatus,
        changes: DatasetChanges,
    ) -> Result<bool, StoreError> {
        let sets = Sets::default()
            .text("message", changes.message)
            .int("number_of_documents", changes.number_of_documents)
            .int("end_time", changes.end_time);
        transition(self.conn(), "datasets", Row::Arn(arn), to, &sets.0).await
    }
}

on_its_own!(
    /// [`Tx::transition_dataset`] in a transaction of its own.
    transition_dataset(&str, DatasetStatus, DatasetChanges)
);

reads!(
    /// Every dataset of a flywheel, oldest first.
    flywheel_datasets(flywheel_arn: &str) -> Vec<DatasetRecord>
);

async fn flywheel_datasets(
    conn: &mut SqliteConnection,
    flywheel_arn: &str,
) -> Result<Vec<DatasetRecord>, StoreError> {
    Ok(
        sqlx::query_as("SELECT * FROM datasets WHERE flywheel_arn = ? ORDER BY seq")
            .bind(flywheel_arn)
            .fetch_all(&mut *conn)
            .await?,
    )
}

insert_on_its_own!(
    /// Inserts a dataset; a taken name in the flywheel is [`StoreError::AlreadyExists`].
    insert_dataset(&DatasetRecord)
);

impl Tx {
    /// Inserts a dataset; a taken name in the flywheel is [`StoreError::AlreadyExists`].
    pub async fn insert_dataset(
        &mut self,
        d: &DatasetRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO datasets (arn, flywheel_arn, account, region, name, dataset_type, description, status, message,
                 number_of_documents, dataset_s3_uri, creation_time, end_time, request)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&d.arn)
        .bind(&d.flywheel_arn)
        .bind(&d.account)
        .bind(&d.region)
        .bind(&d.name)
        .bind(d.dataset_type.as_str())
        .bind(&d.description)
        .bind(d.status.as_str())
        .bind(&d.message)
        .bind(d.number_of_documents)
        .bind(&d.dataset_s3_uri)
        .bind(d.creation_time)
        .bind(d.end_time)
        .bind(json(&d.request)?)
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::unique(e, format!("Dataset {}", d.arn)))?;
        self.finish_creation(&Target::arn(&d.arn), creation).await?;
        Ok(())
    }
}
