//! Flywheel rows.

use comprehend_protocol::{DataSecurityConfig, FlywheelStatus, ModelType, TaskConfig};

use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::list::{Condition, HasSeq, Order};
use crate::page::{Page, PageRequest};
use crate::update::{Sets, json};

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

impl Store {
    /// Inserts a flywheel; a taken name is [`StoreError::AlreadyExists`] (by ARN).
    pub async fn insert_flywheel(
        &self,
        f: &FlywheelRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
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
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unique(e, format!("Flywheel {}", f.arn)))?;
        Store::finish_creation(&mut tx, &f.arn, creation).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A flywheel by ARN.
    pub async fn flywheel(&self, arn: &str) -> Result<Option<FlywheelRecord>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM flywheels WHERE arn = ?")
            .bind(arn)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Flywheels of one (account, region).
    pub async fn list_flywheels(
        &self,
        account: &str,
        region: &str,
        filter: &[Condition],
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

    /// Flywheels whose active model is `model_arn`.
    pub async fn flywheels_with_active_model(
        &self,
        model_arn: &str,
    ) -> Result<Vec<FlywheelRecord>, StoreError> {
        Ok(
            sqlx::query_as("SELECT * FROM flywheels WHERE active_model_arn = ?")
                .bind(model_arn)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Counts flywheels of an (account, region), and those still CREATING.
    pub async fn count_flywheels(
        &self,
        account: &str,
        region: &str,
    ) -> Result<(i64, i64), StoreError> {
        Ok(sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(status = 'CREATING'), 0) FROM flywheels WHERE account = ? AND region = ?",
        )
        .bind(account)
        .bind(region)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Sets status and changes if the status is one of `from` (any status when empty).
    pub async fn transition_flywheel(
        &self,
        arn: &str,
        from: &[FlywheelStatus],
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
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        self.transition("flywheels", "arn", arn, &from, to.as_str(), &sets.0)
            .await
    }

    /// Deletes a flywheel, its dataset and iteration rows, and their tags. The lake and
    /// the model versions stay.
    pub async fn delete_flywheel(&self, arn: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM tags WHERE arn = ?1 OR arn IN (SELECT arn FROM datasets WHERE flywheel_arn = ?1)")
            .bind(arn)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM datasets WHERE flywheel_arn = ?")
            .bind(arn)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM flywheel_iterations WHERE flywheel_arn = ?")
            .bind(arn)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM flywheels WHERE arn = ?")
            .bind(arn)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
