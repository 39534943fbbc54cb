//! What the two model-version tables (`document_classifiers`, `entity_recognizers`)
//! share: their list filter and the per-name summaries of the ListSummaries operations.

use comprehend_protocol::ModelStatus;

use crate::db::Store;
use crate::error::StoreError;
use crate::list::{Condition, HasSeq, ListFilter};
use crate::page::{Page, PageRequest};

/// A member of ListDocumentClassifiers' or ListEntityRecognizers' filter.
#[derive(Debug, Clone)]
pub enum VersionFilter {
    /// In this status.
    Status(ModelStatus),
    /// With this name.
    Name(String),
    /// Submitted before (ms).
    SubmittedBefore(i64),
    /// Submitted after (ms).
    SubmittedAfter(i64),
}

impl ListFilter for VersionFilter {
    fn condition(&self) -> Condition {
        match self {
            VersionFilter::Status(s) => Condition::Eq("status", s.as_str().into()),
            VersionFilter::Name(n) => Condition::Eq("name", n.clone()),
            VersionFilter::SubmittedBefore(t) => Condition::Before("submit_time", *t),
            VersionFilter::SubmittedAfter(t) => Condition::After("submit_time", *t),
        }
    }
}

/// One row of ListDocumentClassifierSummaries or ListEntityRecognizerSummaries.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct VersionSummary {
    /// Position (first version's seq).
    pub seq: i64,
    /// Name.
    pub name: String,
    /// Versions with this name.
    pub versions: i64,
    /// Submit time of the newest version.
    pub latest_submit_time: i64,
    /// The newest version's name.
    pub latest_version: Option<String>,
    /// The newest version's status.
    #[sqlx(try_from = "String")]
    pub latest_status: ModelStatus,
}

impl HasSeq for VersionSummary {
    fn seq(&self) -> i64 {
        self.seq
    }
}

impl Store {
    /// One summary per model name in `table` (a version table), ordered by the name's
    /// first version.
    pub(crate) async fn version_summaries(
        &self,
        table: &'static str,
        account: &str,
        region: &str,
        page: PageRequest,
    ) -> Result<Page<VersionSummary>, StoreError> {
        let latest = |column: &str| {
            format!(
                "(SELECT l.{column} FROM {table} l WHERE l.account = d.account AND l.region = d.region
                    AND l.name = d.name ORDER BY l.submit_time DESC, l.seq DESC LIMIT 1)"
            )
        };
        let sql = format!(
            "SELECT MIN(d.seq) AS seq, d.name AS name, COUNT(*) AS versions, MAX(d.submit_time) AS latest_submit_time,
                 {} AS latest_version, {} AS latest_status
             FROM {table} d WHERE d.account = ? AND d.region = ?
             GROUP BY d.name HAVING MIN(d.seq) > ? ORDER BY seq LIMIT ?",
            latest("version"),
            latest("status"),
        );
        let rows: Vec<VersionSummary> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(account)
            .bind(region)
            .bind(page.after_or_start())
            .bind(page.fetch())
            .fetch_all(&self.pool)
            .await?;
        Ok(Page::from_rows(
            rows.into_iter().map(|r| (r.seq, r)).collect(),
            page.limit,
        ))
    }
}
