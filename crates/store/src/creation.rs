//! What every Create/Start operation writes besides its resource row, in the same
//! transaction: tags, the job that will do the work, and the idempotency record.

use sqlx::SqliteConnection;

use crate::db::Store;
use crate::error::StoreError;
use crate::jobs::{JobKind, Target, enqueue};
use crate::tags::Tag;
use crate::tx::{Tx, reads};

/// A `ClientRequestToken` and the response it must replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// Caller's account.
    pub account: String,
    /// Caller's region.
    pub region: String,
    /// Operation name.
    pub operation: String,
    /// The token.
    pub token: String,
    /// A hash of the request (without the token), to tell a replay from a reuse.
    pub request_hash: String,
    /// The JSON response to replay.
    pub response: String,
}

/// The extras of a creation.
#[derive(Debug, Clone, Default)]
pub struct Creation {
    /// Tags to attach to the new resource.
    pub tags: Vec<Tag>,
    /// The job to enqueue for it.
    pub job: Option<JobKind>,
    /// The idempotency record to keep.
    pub idempotency: Option<Idempotency>,
    /// Now, in milliseconds.
    pub now: i64,
}

impl Tx {
    /// Writes a creation's extras for `target` inside this transaction.
    pub(crate) async fn finish_creation(
        &mut self,
        target: &Target,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        if let Target::Resource(arn) = target {
            for tag in &creation.tags {
                sqlx::query("INSERT INTO tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value")
                    .bind(arn)
                    .bind(&tag.key)
                    .bind(&tag.value)
                    .execute(self.conn())
                    .await?;
            }
        }
        if let Some(kind) = creation.job {
            enqueue(self.conn(), kind, target, creation.now).await?;
        }
        if let Some(i) = &creation.idempotency {
            sqlx::query(
                "INSERT INTO idempotency (account, region, operation, token, request_hash, response, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&i.account)
            .bind(&i.region)
            .bind(&i.operation)
            .bind(&i.token)
            .bind(&i.request_hash)
            .bind(&i.response)
            .bind(creation.now)
            .execute(self.conn())
            .await
            .map_err(|e| StoreError::unique(e, format!("A request with ClientRequestToken '{}'", i.token)))?;
        }
        Ok(())
    }
}

impl Store {}

reads!(
    /// The stored (request hash, response) for a token, if it was used before.
    idempotent_response(account: &str, region: &str, operation: &str, token: &str) -> Option<(String, String)>
);

async fn idempotent_response(
    conn: &mut SqliteConnection,
    account: &str,
    region: &str,
    operation: &str,
    token: &str,
) -> Result<Option<(String, String)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT request_hash, response FROM idempotency WHERE account = ? AND region = ? AND operation = ? AND token = ?",
    )
    .bind(account)
    .bind(region)
    .bind(operation)
    .bind(token)
    .fetch_optional(&mut *conn)
    .await?)
}

reads!(
    /// Whether any resource has this ARN (tags can be attached to any of them).
    resource_exists(arn: &str) -> bool
);

async fn resource_exists(conn: &mut SqliteConnection, arn: &str) -> Result<bool, StoreError> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM document_classifiers WHERE arn = ?1)
              + (SELECT COUNT(*) FROM flywheels WHERE arn = ?1)
              + (SELECT COUNT(*) FROM datasets WHERE arn = ?1)
              + (SELECT COUNT(*) FROM endpoints WHERE arn = ?1)
              + (SELECT COUNT(*) FROM document_jobs WHERE arn = ?1)
              + (SELECT COUNT(*) FROM entity_recognizers WHERE arn = ?1)",
    )
    .bind(arn)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}
