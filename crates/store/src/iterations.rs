//! Flywheel iteration rows.

use comprehend_protocol::{FlywheelIterationStatus, FlywheelModelEvaluationMetrics};
use sqlx::SqliteConnection;

use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::jobs::{IterationKey, Target};
use crate::lifecycle::Lifecycle;
use crate::list::{Condition, HasSeq, ListFilter, Order};
use crate::page::{Page, PageRequest};
use crate::tx::{Tx, insert_on_its_own, on_its_own, reads};
use crate::update::{Row, Sets, json, transition};

/// An iteration as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct IterationRecord {
    /// List position.
    pub seq: i64,
    /// Owning flywheel.
    pub flywheel_arn: String,
    /// `YYYYMMDDTHHMMSSZ`.
    pub iteration_id: String,
    /// Status.
    #[sqlx(try_from = "String")]
    pub status: FlywheelIterationStatus,
    /// What happened.
    pub message: Option<String>,
    /// Started (ms).
    pub creation_time: i64,
    /// Ended (ms).
    pub end_time: Option<i64>,
    /// The active version that was evaluated.
    pub evaluated_model_arn: Option<String>,
    /// Its metrics.
    #[sqlx(json(nullable))]
    pub evaluated_metrics: Option<FlywheelModelEvaluationMetrics>,
    /// The version this iteration trained.
    pub trained_model_arn: Option<String>,
    /// Its metrics.
    #[sqlx(json(nullable))]
    pub trained_metrics: Option<FlywheelModelEvaluationMetrics>,
    /// `<lake>evaluation/<id>/`.
    pub evaluation_prefix: Option<String>,
}

impl HasSeq for IterationRecord {
    fn seq(&self) -> i64 {
        self.seq
    }
}

/// Results recorded with a transition (`None` leaves a column alone).
#[derive(Debug, Clone, Default)]
pub struct IterationChanges {
    /// Message.
    pub message: Option<Option<String>>,
    /// End time.
    pub end_time: Option<i64>,
    /// Evaluated version.
    pub evaluated_model_arn: Option<String>,
    /// Its metrics.
    pub evaluated_metrics: Option<FlywheelModelEvaluationMetrics>,
    /// Trained version.
    pub trained_model_arn: Option<String>,
    /// Its metrics.
    pub trained_metrics: Option<FlywheelModelEvaluationMetrics>,
}

impl Store {
    /// An iteration of a flywheel.
    pub async fn iteration(
        &self,
        key: &IterationKey,
    ) -> Result<Option<IterationRecord>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT * FROM flywheel_iterations WHERE flywheel_arn = ? AND iteration_id = ?",
        )
        .bind(&key.flywheel_arn)
        .bind(&key.iteration_id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Iterations of a flywheel.
    pub async fn list_iterations(
        &self,
        flywheel_arn: &str,
        filter: &[IterationFilter],
        page: PageRequest,
    ) -> Result<Page<IterationRecord>, StoreError> {
        let mut conditions = vec![Condition::Eq("flywheel_arn", flywheel_arn.into())];
        conditions.extend(filter.iter().map(ListFilter::condition));
        self.list_rows("flywheel_iterations", &conditions, Order::Ascending, page)
            .await
    }
}

impl Tx {
    /// Moves an iteration to `to` (if its lifecycle allows it), applying `changes`.
    pub async fn transition_iteration(
        &mut self,
        key: &IterationKey,
        to: FlywheelIterationStatus,
        changes: IterationChanges,
    ) -> Result<bool, StoreError> {
        let evaluated = changes.evaluated_metrics.as_ref().map(json).transpose()?;
        let trained = changes.trained_metrics.as_ref().map(json).transpose()?;
        let sets = Sets::default()
            .text("message", changes.message)
            .int("end_time", changes.end_time)
            .text("evaluated_model_arn", changes.evaluated_model_arn.map(Some))
            .text("evaluated_metrics", evaluated.map(Some))
            .text("trained_model_arn", changes.trained_model_arn.map(Some))
            .text("trained_metrics", trained.map(Some));
        transition(
            self.conn(),
            "flywheel_iterations",
            Row::Iteration(key),
            to,
            &sets.0,
        )
        .await
    }
}

on_its_own!(
    /// [`Tx::transition_iteration`] in a transaction of its own.
    transition_iteration(&IterationKey, FlywheelIterationStatus, IterationChanges)
);

impl IterationRecord {
    /// The iteration's key.
    pub fn key(&self) -> IterationKey {
        IterationKey {
            flywheel_arn: self.flywheel_arn.clone(),
            iteration_id: self.iteration_id.clone(),
        }
    }
}

/// A member of ListFlywheelIterationHistory's filter.
#[derive(Debug, Clone)]
pub enum IterationFilter {
    /// Created before (ms).
    CreatedBefore(i64),
    /// Created after (ms).
    CreatedAfter(i64),
}

impl ListFilter for IterationFilter {
    fn condition(&self) -> Condition {
        match self {
            IterationFilter::CreatedBefore(t) => Condition::Before("creation_time", *t),
            IterationFilter::CreatedAfter(t) => Condition::After("creation_time", *t),
        }
    }
}

reads!(
    /// Iterations still running (not COMPLETED, FAILED or STOPPED) in an account and region.
    running_iterations(account: &str, region: &str) -> Vec<IterationRecord>
);

async fn running_iterations(
    conn: &mut SqliteConnection,
    account: &str,
    region: &str,
) -> Result<Vec<IterationRecord>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT i.* FROM flywheel_iterations i JOIN flywheels f ON f.arn = i.flywheel_arn
         WHERE f.account = ? AND f.region = ? AND i.status IN (?, ?, ?)",
    )
    .bind(account)
    .bind(region)
    .bind(FlywheelIterationStatus::Training.spelling())
    .bind(FlywheelIterationStatus::Evaluating.spelling())
    .bind(FlywheelIterationStatus::StopRequested.spelling())
    .fetch_all(&mut *conn)
    .await?)
}

insert_on_its_own!(
    /// Inserts an iteration (with its job), and records it as the flywheel's latest.
    /// An iteration id already used by this flywheel is [`StoreError::AlreadyExists`].
    insert_iteration(&IterationRecord)
);

impl Tx {
    /// Inserts an iteration (with its job), and records it as the flywheel's latest.
    /// An iteration id already used by this flywheel is [`StoreError::AlreadyExists`].
    pub async fn insert_iteration(
        &mut self,
        it: &IterationRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO flywheel_iterations (flywheel_arn, iteration_id, status, message, creation_time, evaluation_prefix)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&it.flywheel_arn)
        .bind(&it.iteration_id)
        .bind(it.status.as_str())
        .bind(&it.message)
        .bind(it.creation_time)
        .bind(&it.evaluation_prefix)
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::unique(e, format!("Flywheel iteration {}", it.iteration_id)))?;
        sqlx::query(
            "UPDATE flywheels SET latest_iteration_id = ?, last_modified_time = ? WHERE arn = ?",
        )
        .bind(&it.iteration_id)
        .bind(it.creation_time)
        .bind(&it.flywheel_arn)
        .execute(self.conn())
        .await?;
        self.finish_creation(&Target::Iteration(it.key()), creation)
            .await?;
        Ok(())
    }
}
