//! Endpoint rows.

use comprehend_protocol::EndpointStatus;
use sqlx::SqliteConnection;

use crate::classifiers::delete_deleting;
use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::jobs::Target;
use crate::lifecycle::Lifecycle;
use crate::list::{Condition, HasSeq, ListFilter, Order};
use crate::page::{Page, PageRequest};
use crate::tx::{Tx, insert_on_its_own, on_its_own, reads};
use crate::update::{Row, Sets, transition};

/// An endpoint as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EndpointRecord {
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
    pub status: EndpointStatus,
    /// Why it failed.
    pub message: Option<String>,
    /// The model version it serves.
    pub model_arn: Option<String>,
    /// The model version it is moving to.
    pub desired_model_arn: Option<String>,
    /// Requested inference units.
    pub desired_inference_units: i64,
    /// Inference units in service.
    pub current_inference_units: Option<i64>,
    /// Role in use.
    pub data_access_role_arn: Option<String>,
    /// Role requested.
    pub desired_data_access_role_arn: Option<String>,
    /// The flywheel whose active version it follows.
    pub flywheel_arn: Option<String>,
    /// Created (ms).
    pub creation_time: i64,
    /// Changed (ms).
    pub last_modified_time: i64,
}

impl HasSeq for EndpointRecord {
    fn seq(&self) -> i64 {
        self.seq
    }
}

/// Changes applied with a transition (`None` keeps the column).
#[derive(Debug, Clone, Default)]
pub struct EndpointChanges {
    /// Message.
    pub message: Option<Option<String>>,
    /// Model served.
    pub model_arn: Option<String>,
    /// Model wanted.
    pub desired_model_arn: Option<String>,
    /// Units wanted.
    pub desired_inference_units: Option<i64>,
    /// Units in service.
    pub current_inference_units: Option<i64>,
    /// Role in use.
    pub data_access_role_arn: Option<String>,
    /// Role wanted.
    pub desired_data_access_role_arn: Option<String>,
    /// Flywheel followed (`Some(None)` stops following).
    pub flywheel_arn: Option<Option<String>>,
    /// Modification time.
    pub last_modified_time: Option<i64>,
}

/// A member of ListEndpoints' filter.
#[derive(Debug, Clone)]
pub enum EndpointFilter {
    /// Serving this model.
    ModelArn(String),
    /// In this status.
    Status(EndpointStatus),
    /// Created before (ms).
    CreatedBefore(i64),
    /// Created after (ms).
    CreatedAfter(i64),
}

impl ListFilter for EndpointFilter {
    fn condition(&self) -> Condition {
        match self {
            EndpointFilter::ModelArn(m) => Condition::Eq("model_arn", m.clone()),
            EndpointFilter::Status(s) => Condition::Eq("status", s.spelling().into()),
            EndpointFilter::CreatedBefore(t) => Condition::Before("creation_time", *t),
            EndpointFilter::CreatedAfter(t) => Condition::After("creation_time", *t),
        }
    }
}

impl Store {
    /// Endpoints of one (account, region).
    pub async fn list_endpoints(
        &self,
        account: &str,
        region: &str,
        filter: &[EndpointFilter],
        page: PageRequest,
    ) -> Result<Page<EndpointRecord>, StoreError> {
        self.list_in(
            "endpoints",
            (account, region),
            filter,
            Order::Ascending,
            page,
        )
        .await
    }

    /// Every endpoint (the runner reloads models at start).
    pub async fn all_endpoints(&self) -> Result<Vec<EndpointRecord>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM endpoints ORDER BY seq")
            .fetch_all(&self.pool)
            .await?)
    }
}

impl Tx {
    /// Moves an endpoint to `to` (if its lifecycle allows it), applying `changes`.
    pub async fn transition_endpoint(
        &mut self,
        arn: &str,
        to: EndpointStatus,
        changes: EndpointChanges,
    ) -> Result<bool, StoreError> {
        let sets = Sets::default()
            .text("message", changes.message)
            .text("model_arn", changes.model_arn.map(Some))
            .text("desired_model_arn", changes.desired_model_arn.map(Some))
            .int("desired_inference_units", changes.desired_inference_units)
            .int("current_inference_units", changes.current_inference_units)
            .text(
                "data_access_role_arn",
                changes.data_access_role_arn.map(Some),
            )
            .text(
                "desired_data_access_role_arn",
                changes.desired_data_access_role_arn.map(Some),
            )
            .text("flywheel_arn", changes.flywheel_arn)
            .int("last_modified_time", changes.last_modified_time);
        transition(self.conn(), "endpoints", Row::Arn(arn), to, &sets.0).await
    }

    /// Removes a DELETING endpoint and its tags; false if it was not DELETING.
    pub async fn delete_endpoint(&mut self, arn: &str) -> Result<bool, StoreError> {
        delete_deleting(self, "endpoints", arn, EndpointStatus::Deleting).await
    }

    /// Endpoints that followed a flywheel's active version keep their model and stop following.
    pub(crate) async fn unfollow_flywheel(&mut self, flywheel_arn: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE endpoints SET flywheel_arn = NULL WHERE flywheel_arn = ?")
            .bind(flywheel_arn)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}

on_its_own!(
    /// [`Tx::transition_endpoint`] in a transaction of its own.
    transition_endpoint(&str, EndpointStatus, EndpointChanges)
);

/// What inference needs of an endpoint, in one query ([`Store::endpoint_route`]).
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EndpointRoute {
    /// Endpoint status.
    #[sqlx(try_from = "String")]
    pub status: EndpointStatus,
    /// Inference units in service (else the desired ones).
    pub inference_units: i64,
    /// The served model's file, when the model still exists.
    pub model_key: Option<String>,
}

reads!(
    /// An endpoint by ARN.
    endpoint(arn: &str) -> Option<EndpointRecord>
);

async fn endpoint(
    conn: &mut SqliteConnection,
    arn: &str,
) -> Result<Option<EndpointRecord>, StoreError> {
    Ok(sqlx::query_as("SELECT * FROM endpoints WHERE arn = ?")
        .bind(arn)
        .fetch_optional(&mut *conn)
        .await?)
}

reads!(
    /// Endpoints serving, or moving to, a model version.
    endpoints_using_model(model_arn: &str) -> Vec<EndpointRecord>
);

async fn endpoints_using_model(
    conn: &mut SqliteConnection,
    model_arn: &str,
) -> Result<Vec<EndpointRecord>, StoreError> {
    Ok(
        sqlx::query_as("SELECT * FROM endpoints WHERE model_arn = ?1 OR desired_model_arn = ?1")
            .bind(model_arn)
            .fetch_all(&mut *conn)
            .await?,
    )
}

reads!(
    /// Endpoints following a flywheel's active version.
    endpoints_following(flywheel_arn: &str) -> Vec<EndpointRecord>
);

async fn endpoints_following(
    conn: &mut SqliteConnection,
    flywheel_arn: &str,
) -> Result<Vec<EndpointRecord>, StoreError> {
    Ok(
        sqlx::query_as("SELECT * FROM endpoints WHERE flywheel_arn = ?")
            .bind(flywheel_arn)
            .fetch_all(&mut *conn)
            .await?,
    )
}

insert_on_its_own!(
    /// Inserts an endpoint; a taken name is [`StoreError::AlreadyExists`].
    insert_endpoint(&EndpointRecord)
);

impl Tx {
    /// Inserts an endpoint; a taken name is [`StoreError::AlreadyExists`].
    pub async fn insert_endpoint(
        &mut self,
        e: &EndpointRecord,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO endpoints (arn, account, region, name, status, message, model_arn, desired_model_arn,
                 desired_inference_units, current_inference_units, data_access_role_arn, desired_data_access_role_arn,
                 flywheel_arn, creation_time, last_modified_time)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&e.arn)
        .bind(&e.account)
        .bind(&e.region)
        .bind(&e.name)
        .bind(e.status.as_str())
        .bind(&e.message)
        .bind(&e.model_arn)
        .bind(&e.desired_model_arn)
        .bind(e.desired_inference_units)
        .bind(e.current_inference_units)
        .bind(&e.data_access_role_arn)
        .bind(&e.desired_data_access_role_arn)
        .bind(&e.flywheel_arn)
        .bind(e.creation_time)
        .bind(e.last_modified_time)
        .execute(self.conn())
        .await
        .map_err(|err| StoreError::unique(err, format!("Endpoint {}", e.arn)))?;
        self.finish_creation(&Target::arn(&e.arn), creation).await?;
        Ok(())
    }
}

reads!(
    /// Every endpoint of one (account, region): the endpoint and inference-unit quotas count
    /// them.
    endpoints_of(account: &str, region: &str) -> Vec<EndpointRecord>
);

async fn endpoints_of(
    conn: &mut SqliteConnection,
    account: &str,
    region: &str,
) -> Result<Vec<EndpointRecord>, StoreError> {
    Ok(
        sqlx::query_as("SELECT * FROM endpoints WHERE account = ? AND region = ? ORDER BY seq")
            .bind(account)
            .bind(region)
            .fetch_all(&mut *conn)
            .await?,
    )
}
