//! Flywheel dataset rows.

use comprehend_protocol::{CreateDatasetRequest, DatasetStatus, DatasetType};

use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::list::{Condition, HasSeq, Order};
use crate::page::{Page, PageRequest};
use crate::update::{Sets, json};

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

impl Store {
    /// Inserts a dataset; a taken name in the flywheel is [`StoreError::AlreadyExists`].
    pub async fn insert_dataset(
        &self,
        d: &DatasetRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
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
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unique(e, format!("Dataset {}", d.arn)))?;
        Store::finish_creation(&mut tx, &d.arn, creation).await?;
        tx.commit().await?;
        Ok(())
    }

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
        filter: &[Condition],
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

    /// Every dataset of a flywheel, oldest first.
    pub async fn flywheel_datasets(
        &self,
        flywheel_arn: &str,
    ) -> Result<Vec<DatasetRecord>, StoreError> {
        Ok(
            sqlx::query_as("SELECT * FROM datasets WHERE flywheel_arn = ? ORDER BY seq")
                .bind(flywheel_arn)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Sets a dataset's status and results if its status is one of `from`.
    pub async fn transition_dataset(
        &self,
        arn: &str,
        from: &[DatasetStatus],
        to: DatasetStatus,
        message: Option<Option<String>>,
        number_of_documents: Option<i64>,
        end_time: Option<i64>,
    ) -> Result<bool, StoreError> {
        let sets = Sets::default()
            .text("message", message)
            .int("number_of_documents", number_of_documents)
            .int("end_time", end_time);
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        self.transition("datasets", "arn", arn, &from, to.as_str(), &sets.0)
            .await
    }
}
