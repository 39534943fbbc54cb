//! Flywheel rows.

use comprehend_protocol::{DataSecurityConfig, FlywheelStatus, ModelType, TaskConfig};
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

/// A flywheel as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FlywheelRecord {
    /// List position.
    pub seq: i64,
    /// ARN.
    pub arn: String,
    /// Account.
    pub account: String,
    /// Region.
    pub region: String,
    /// Name.
    pub name: String,
    /// Status.
    #[sqlx(try_from = "String")]
    pub status: FlywheelStatus,
    /// Why it failed.
    pub message: Option<String>,
    /// The model version inference through the flywheel uses.
    pub active_model_arn: Option<String>,
    /// Role (echoed).
    pub data_access_role_arn: String,
    /// DOCUMENT_CLASSIFIER.
    #[sqlx(try_from = "String")]
    pub model_type: ModelType,
    /// Language, mode and the fixed label set.
    #[sqlx(json)]
    pub task_config: TaskConfig,
    /// The lake root: `<given>/<name>/schemaVersion=1/<time>/`.
    pub data_lake_s3_uri: String,
    /// KMS and VPC settings (echoed).
    #[sqlx(json)]
    pub data_security_config: DataSecurityConfig,
    /// Created (ms).
    pub creation_time: i64,
    /// Last changed (ms).
    pub last_modified_time: i64,
    /// The newest iteration's id.
    pub latest_iteration_id: Option<String>,
}

impl HasSeq for FlywheelRecord {
    fn seq(&self) -> i64 {
        self.seq
    }
}

/// Fields UpdateFlywheel may change (`None` keeps the stored value).
#[derive(Debug, Clone, Default)]
pub struct FlywheelChanges {
    /// New message (`Some(None)` clears it).
    pub message: Option<Option<String>>,
    /// New active model (promotion).
    pub active_model_arn: Option<String>,
    /// New role.
    pub data_access_role_arn: Option<String>,
    /// New security config.
    pub data_security_config: Option<DataSecurityConfig>,
    /// New task config (labels learnt from the first model).
    pub task_config: Option<TaskConfig>,
    /// Latest iteration.
    pub latest_iteration_id: Option<String>,
    /// Modification time.
    pub last_modified_time: Option<i64>,
}

/// A member of ListFlywheels' filter.
#[derive(Debug, Clone)]
pub enum FlywheelFilter {
    /// In this status.
    Status(FlywheelStatus),
    /// Created before (ms).
    CreatedBefore(i64),
    /// Created after (ms).
    CreatedAfter(i64),
}

impl ListFilter for FlywheelFilter {
    fn condition(&self) -> Condition {
        match self {
            FlywheelFilter::Status(s) => Condition::Eq("status", s.spelling().into()),
            FlywheelFilter::CreatedBefore(t) => Condition::Before("creation_time", *t),
            FlywheelFilter::CreatedAfter(t) => Condition::After("creation_time", *t),
        }
    }
}

impl Store {
    /// Flywheels of one (account, region).
    pub async fn list_flywheels(
        &self,
        account: &str,
        region: &str,
        filter: &[FlywheelFilter],
        page: PageRequest,
    ) -> Result<Page<FlywheelRecord>, StoreError> {
        self.list_in(
            "flywheels",
            (account, region),
            filter,
            Order::Ascending,
            page,
        )
        .await
    }
}

impl Tx {
    /// Moves a flywheel to `to` (if its lifecycle allows it), applying `changes`.
    pub async fn transition_flywheel(
        &mut self,
        arn: &str,
        to: FlywheelStatus,
        changes: FlywheelChanges,
    ) -> Result<bool, StoreError> {
        let security = changes
            .data_security_config
            .as_ref()
            .map(json)
            .transpose()?;
        let task = changes.task_config.as_ref().map(json).transpose()?;
        let sets = Sets::default()
            .text("message", changes.message)
            .text("active_model_arn", changes.active_model_arn.map(Some))
            .text(
                "data_access_role_arn",
                changes.data_access_role_arn.map(Some),
            )
            .text("data_security_config", security.map(Some))
            .text("task_config", task.map(Some))
            .text("latest_iteration_id", changes.latest_iteration_id.map(Some))
            .int("last_modified_time", changes.last_modified_time);
        transition(self.conn(), "flywheels", Row::Arn(arn), to, &sets.0).await
    }

    /// Deletes a flywheel with its datasets, iterations and their tags; endpoints that
    /// followed it keep serving their model. The lake and the model versions stay.
    pub async fn delete_flywheel(&mut self, arn: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM tags WHERE arn = ?1 OR arn IN (SELECT arn FROM datasets WHERE flywheel_arn = ?1)")
            .bind(arn)
            .execute(self.conn())
            .await?;
        for table in [
            "DELETE FROM datasets WHERE flywheel_arn = ?",
            "DELETE FROM flywheel_iterations WHERE flywheel_arn = ?",
            "DELETE FROM flywheels WHERE arn = ?",
        ] {
            sqlx::query(table).bind(arn).execute(self.conn()).await?;
        }
        self.unfollow_flywheel(arn).await
    }
}

on_its_own!(
    /// [`Tx::transition_flywheel`] in a transaction of its own.
    transition_flywheel(&str, FlywheelStatus, FlywheelChanges)
);

reads!(
    /// A flywheel by ARN.
    flywheel(arn: &str) -> Option<FlywheelRecord>
);

async fn flywheel(
    conn: &mut SqliteConnection,
    arn: &str,
) -> Result<Option<FlywheelRecord>, StoreError> {
    Ok(sqlx::query_as("SELECT * FROM flywheels WHERE arn = ?")
        .bind(arn)
        .fetch_optional(&mut *conn)
        .await?)
}

reads!(
    /// Flywheels whose active model is `model_arn`.
    flywheels_with_active_model(model_arn: &str) -> Vec<FlywheelRecord>
);

async fn flywheels_with_active_model(
    conn: &mut SqliteConnection,
    model_arn: &str,
) -> Result<Vec<FlywheelRecord>, StoreError> {
    Ok(
        sqlx::query_as("SELECT * FROM flywheels WHERE active_model_arn = ?")
            .bind(model_arn)
            .fetch_all(&mut *conn)
            .await?,
    )
}

reads!(
    /// Counts flywheels of an (account, region), and those still CREATING.
    count_flywheels(account: &str, region: &str) -> (i64, i64)
);

async fn count_flywheels(
    conn: &mut SqliteConnection,
    account: &str,
    region: &str,
) -> Result<(i64, i64), StoreError> {
    Ok(sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(status = ?), 0) FROM flywheels WHERE account = ? AND region = ?",
    )
    .bind(FlywheelStatus::Creating.spelling())
    .bind(account)
    .bind(region)
    .fetch_one(&mut *conn)
    .await?)
}

insert_on_its_own!(
    /// Inserts a flywheel; a taken name is [`StoreError::AlreadyExists`] (by ARN).
    insert_flywheel(&FlywheelRecord)
);

impl Tx {
    /// Inserts a flywheel; a taken name is [`StoreError::AlreadyExists`] (by ARN).
    pub async fn insert_flywheel(
        &mut self,
        f: &FlywheelRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO flywheels (arn, account, region, name, status, message, active_model_arn, data_access_role_arn,
                 model_type, task_config, data_lake_s3_uri, data_security_config, creation_time, last_modified_time)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&f.arn)
        .bind(&f.account)
        .bind(&f.region)
        .bind(&f.name)
        .bind(f.status.as_str())
        .bind(&f.message)
        .bind(&f.active_model_arn)
        .bind(&f.data_access_role_arn)
        .bind(f.model_type.as_str())
        .bind(json(&f.task_config)?)
        .bind(&f.data_lake_s3_uri)
        .bind(json(&f.data_security_config)?)
        .bind(f.creation_time)
        .bind(f.last_modified_time)
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::unique(e, format!("Flywheel {}", f.arn)))?;
        self.finish_creation(&Target::arn(&f.arn), creation).await?;
        Ok(())
    }
}
