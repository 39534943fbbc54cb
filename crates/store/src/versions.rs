//! What the two model-version tables (`document_classifiers`, `entity_recognizers`)
//! share, written once over [`Version`], which each kind's module implements with
//! `version_table!`: the rows' shared columns, reads, inserts, transitions (the one
//! version lifecycle), deletes, the list filter, the per-name summaries of the
//! ListSummaries operations, and the route of an endpoint serving a version.

use comprehend_protocol::{LanguageCode, ModelStatus};
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqliteConnection};

use crate::classifiers::delete_deleting;
use crate::creation::Creation;
use crate::db::Store;
use crate::endpoints::EndpointRoute;
use crate::error::StoreError;
use crate::jobs::{JobKind, Target};
use crate::lifecycle::VersionJob;
use crate::list::{Condition, HasSeq, ListFilter, Order};
use crate::page::{Page, PageRequest};
use crate::tx::Tx;
use crate::update::{Row, Sets, json, transition};

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
    /// One summary per model name of kind `V`, ordered by the name's first version.
    pub async fn version_summaries<V: Version>(
        &self,
        (account, region): (&str, &str),
        page: PageRequest,
    ) -> Result<Page<VersionSummary>, StoreError> {
        let table = V::TABLE;
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

/// A model-version table, implemented once per kind by `version_table!`: the generic
/// reads, inserts, transitions and deletes below are written over it.
pub trait Version: for<'r> FromRow<'r, SqliteRow> + HasSeq + Send + Unpin + 'static {
    /// A new row: its serde field names are the table's columns.
    type New: Serialize + Sync;
    /// The create request a version echoes.
    type Request;
    /// What training stores in the `metadata` column.
    type Metadata: Serialize + Send;
    /// The table.
    const TABLE: &'static str;
    /// How a taken (name, version) names the row ("Document classifier …").
    const NOUN: &'static str;
    /// The job that trains a version.
    const TRAIN: JobKind;
    /// The job that removes a DELETING version.
    const DELETE: JobKind;

    /// This kind's job for a step of the version lifecycle.
    fn job(step: VersionJob) -> JobKind {
        match step {
            VersionJob::Train => Self::TRAIN,
            VersionJob::Delete => Self::DELETE,
        }
    }
    /// Its ARN.
    fn arn(&self) -> &str;
    /// Its (account, region).
    fn owner(&self) -> (&str, &str);
    /// Its status.
    fn status(&self) -> ModelStatus;
    /// The flywheel that trained it.
    fn flywheel_arn(&self) -> Option<&str>;
    /// Its model file, once trained.
    fn model_key(&self) -> Option<&str>;
    /// A new row of this kind.
    fn new_row(head: NewHead, request: Self::Request) -> Self::New;
}

/// What every new version holds besides its kind's request (and what follows from it).
#[derive(Debug, Clone)]
pub struct NewHead {
    /// Its ARN.
    pub arn: String,
    /// Its (account, region).
    pub owner: (String, String),
    /// The model's name.
    pub name: String,
    /// The version's name.
    pub version: Option<String>,
    /// SUBMITTED, or TRAINING for a version a flywheel iteration trains.
    pub status: ModelStatus,
    /// The language it trains in.
    pub language_code: LanguageCode,
    /// Now (ms).
    pub submit_time: i64,
    /// For a flywheel's version: the flywheel, and where it keeps the version's statistics.
    pub flywheel: Option<(String, String)>,
}

/// Declares a kind's record (the shared columns and `$extra` ones) and new row (the shared
/// columns and `$column`s, computed from the request), implements [`Version`] for it, and
/// names the generic reads and writes for that kind (`Store::classifier`,
/// `Tx::transition_recognizer`, …), which callers have used since before they were generic.
macro_rules! version_table {
    (
        $(#[$record_doc:meta])*
        $record:ident { $($(#[$extra_attr:meta])* $extra:ident: $extra_ty:ty,)* }
        $(#[$new_doc:meta])*
        $new:ident($r:ident: $request:ty) { $($column:ident: $column_ty:ty = $value:expr,)* }
        metadata: $metadata:ty,
        table: $table:literal,
        noun: $noun:literal,
        jobs: $train:ident, $delete:ident,
        names: $read:ident, $insert:ident, $transition:ident, $delete_fn:ident, $list:ident,
    ) => {
        $(#[$record_doc])*
        #[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
        pub struct $record {
            /// List position.
            pub seq: i64,
            /// Its ARN (with `/version/<v>` when versioned).
            pub arn: String,
            /// Owner account.
            pub account: String,
            /// Owner region.
            pub region: String,
            /// Model name.
            pub name: String,
            /// Version name, if any.
            pub version: Option<String>,
            /// Lifecycle status.
            #[sqlx(try_from = "String")]
            pub status: ModelStatus,
            /// Why it failed, stopped or trained with a warning.
            pub message: Option<String>,
            /// Language.
            #[sqlx(try_from = "String")]
            pub language_code: LanguageCode,
            /// When it was created (ms).
            pub submit_time: i64,
            /// When training started (ms).
            pub training_start_time: Option<i64>,
            /// When training ended (ms).
            pub training_end_time: Option<i64>,
            /// When the job ended (ms).
            pub end_time: Option<i64>,
            /// The create request as received (tags and token removed, defaults filled
            /// in), echoed by Describe.
            #[sqlx(json)]
            pub request: $request,
            /// Counts and evaluation metrics, once trained.
            #[sqlx(json(nullable))]
            pub metadata: Option<$metadata>,
            /// The model file in the private model store, once trained.
            pub model_key: Option<String>,
            /// The flywheel that trained it.
            pub flywheel_arn: Option<String>,
            /// Where the flywheel keeps its statistics
            /// (OutputDataConfig.FlywheelStatsS3Prefix).
            pub flywheel_stats_prefix: Option<String>,
            /// The model it was copied from (not used by this emulator yet).
            pub source_model_arn: Option<String>,
            $($(#[$extra_attr])* pub $extra: $extra_ty,)*
        }

        $(#[$new_doc])*
        /// Its field names are the table's columns.
        #[derive(Debug, Clone, serde::Serialize)]
        pub struct $new {
            /// ARN.
            pub arn: String,
            /// Account.
            pub account: String,
            /// Region.
            pub region: String,
            /// Name.
            pub name: String,
            /// Version.
            pub version: Option<String>,
            /// Initial status (SUBMITTED, or TRAINING for a flywheel's).
            pub status: ModelStatus,
            /// Language.
            pub language_code: LanguageCode,
            /// Now (ms).
            pub submit_time: i64,
            /// The request to echo.
            #[serde(serialize_with = "crate::versions::json_text")]
            pub request: $request,
            /// Flywheel that owns it.
            pub flywheel_arn: Option<String>,
            /// Flywheel statistics prefix.
            pub flywheel_stats_prefix: Option<String>,
            $(#[doc = "Follows from the request."] pub $column: $column_ty,)*
        }

        impl crate::versions::Version for $record {
            type New = $new;
            type Request = $request;
            type Metadata = $metadata;
            const TABLE: &'static str = $table;
            const NOUN: &'static str = $noun;
            const TRAIN: crate::jobs::JobKind = crate::jobs::JobKind::$train;
            const DELETE: crate::jobs::JobKind = crate::jobs::JobKind::$delete;
            fn arn(&self) -> &str {
                &self.arn
            }
            fn owner(&self) -> (&str, &str) {
                (&self.account, &self.region)
            }
            fn status(&self) -> ModelStatus {
                self.status
            }
            fn flywheel_arn(&self) -> Option<&str> {
                self.flywheel_arn.as_deref()
            }
            fn model_key(&self) -> Option<&str> {
                self.model_key.as_deref()
            }
            fn new_row(head: crate::versions::NewHead, $r: $request) -> $new {
                let (account, region) = head.owner;
                let (flywheel_arn, flywheel_stats_prefix) = head.flywheel.unzip();
                $new {
                    $($column: $value,)*
                    arn: head.arn,
                    account,
                    region,
                    name: head.name,
                    version: head.version,
                    status: head.status,
                    language_code: head.language_code,
                    submit_time: head.submit_time,
                    request: $r,
                    flywheel_arn,
                    flywheel_stats_prefix,
                }
            }
        }
        impl crate::list::HasSeq for $record {
            fn seq(&self) -> i64 {
                self.seq
            }
        }
        impl crate::db::Store {
            /// A version of this kind by ARN.
            pub async fn $read(&self, arn: &str) -> Result<Option<$record>, StoreError> {
                self.version(arn).await
            }
            /// [`crate::Tx::insert_version`] of this kind, on its own.
            pub async fn $insert(&self, new: &$new, creation: &Creation) -> Result<(), StoreError> {
                self.insert_version::<$record>(new, creation).await
            }
            /// [`crate::Tx::transition_version`] of this kind, on its own.
            pub async fn $transition(
                &self,
                arn: &str,
                to: ModelStatus,
                changes: VersionChanges<$metadata>,
            ) -> Result<bool, StoreError> {
                self.transition_version::<$record>(arn, to, changes).await
            }
            /// Versions of this kind in one (account, region).
            pub async fn $list(
                &self,
                account: &str,
                region: &str,
                filter: &[VersionFilter],
                order: Order,
                page: PageRequest,
            ) -> Result<Page<$record>, StoreError> {
                self.list_versions((account, region), filter, order, page).await
            }
        }
        impl crate::tx::Tx {
            /// A version of this kind by ARN.
            pub async fn $read(&mut self, arn: &str) -> Result<Option<$record>, StoreError> {
                self.version(arn).await
            }
            /// [`crate::Tx::insert_version`] of this kind.
            pub async fn $insert(&mut self, new: &$new, creation: &Creation) -> Result<(), StoreError> {
                self.insert_version::<$record>(new, creation).await
            }
            /// [`crate::Tx::transition_version`] of this kind.
            pub async fn $transition(
                &mut self,
                arn: &str,
                to: ModelStatus,
                changes: VersionChanges<$metadata>,
            ) -> Result<bool, StoreError> {
                self.transition_version::<$record>(arn, to, changes).await
            }
            /// [`crate::Tx::delete_version`] of this kind.
            pub async fn $delete_fn(&mut self, arn: &str) -> Result<bool, StoreError> {
                self.delete_version::<$record>(arn).await
            }
        }
    };
}
pub(crate) use version_table;

/// Changes applied together with a status transition; `None` leaves a column alone.
#[derive(Debug, Clone)]
pub struct VersionChanges<M> {
    /// New message (`Some(None)` clears it).
    pub message: Option<Option<String>>,
    /// Training start.
    pub training_start_time: Option<i64>,
    /// Training end.
    pub training_end_time: Option<i64>,
    /// End.
    pub end_time: Option<i64>,
    /// Output archive location (classifiers only: recognizers have no such column).
    pub output_s3_uri: Option<String>,
    /// Metadata.
    pub metadata: Option<M>,
    /// Model file key.
    pub model_key: Option<String>,
}

impl<M> Default for VersionChanges<M> {
    fn default() -> Self {
        VersionChanges {
            message: None,
            training_start_time: None,
            training_end_time: None,
            end_time: None,
            output_s3_uri: None,
            metadata: None,
            model_key: None,
        }
    }
}

/// Serialises a JSON column of a new row as its text.
pub(crate) fn json_text<T: Serialize, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

async fn read<V: Version>(conn: &mut SqliteConnection, arn: &str) -> Result<Option<V>, StoreError> {
    let sql = format!("SELECT * FROM {} WHERE arn = ?", V::TABLE);
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(arn)
        .fetch_optional(conn)
        .await?)
}

impl Store {
    /// A version by ARN.
    pub async fn version<V: Version>(&self, arn: &str) -> Result<Option<V>, StoreError> {
        read(&mut *self.pool.acquire().await?, arn).await
    }

    /// Versions of one (account, region).
    pub async fn list_versions<V: Version>(
        &self,
        (account, region): (&str, &str),
        filter: &[VersionFilter],
        order: Order,
        page: PageRequest,
    ) -> Result<Page<V>, StoreError> {
        self.list_in(V::TABLE, (account, region), filter, order, page)
            .await
    }

    /// [`Tx::transition_version`] in a transaction of its own.
    pub async fn transition_version<V: Version>(
        &self,
        arn: &str,
        to: ModelStatus,
        changes: VersionChanges<V::Metadata>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let moved = tx.transition_version::<V>(arn, to, changes).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// [`Tx::insert_version`] in a transaction of its own.
    pub async fn insert_version<V: Version>(
        &self,
        new: &V::New,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        tx.insert_version::<V>(new, creation).await?;
        tx.commit().await
    }

    /// The status, units and model file of an endpoint serving a `V` (the hot path of
    /// inference).
    pub async fn endpoint_route<V: Version>(
        &self,
        arn: &str,
    ) -> Result<Option<EndpointRoute>, StoreError> {
        let sql = format!(
            "SELECT e.status AS status, COALESCE(e.current_inference_units, e.desired_inference_units) AS inference_units,
                    m.model_key AS model_key
             FROM endpoints e LEFT JOIN {} m ON m.arn = e.model_arn WHERE e.arn = ?",
            V::TABLE
        );
        Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(arn)
            .fetch_optional(&self.pool)
            .await?)
    }
}

impl Tx {
    /// A version by ARN, read in this transaction.
    pub async fn version<V: Version>(&mut self, arn: &str) -> Result<Option<V>, StoreError> {
        read(self.conn(), arn).await
    }

    /// Moves a version to `to` (if the version lifecycle allows it from its current
    /// status), applying `changes`. Returns whether the row changed.
    pub async fn transition_version<V: Version>(
        &mut self,
        arn: &str,
        to: ModelStatus,
        changes: VersionChanges<V::Metadata>,
    ) -> Result<bool, StoreError> {
        let metadata = changes.metadata.as_ref().map(json).transpose()?;
        let sets = Sets::default()
            .text("message", changes.message)
            .int("training_start_time", changes.training_start_time)
            .int("training_end_time", changes.training_end_time)
            .int("end_time", changes.end_time)
            .text("output_s3_uri", changes.output_s3_uri.map(Some))
            .text("metadata", metadata.map(Some))
            .text("model_key", changes.model_key.map(Some));
        transition(self.conn(), V::TABLE, Row::Arn(arn), to, &sets.0).await
    }

    /// Removes a DELETING version row and its tags; false if it was not DELETING.
    pub async fn delete_version<V: Version>(&mut self, arn: &str) -> Result<bool, StoreError> {
        delete_deleting(self, V::TABLE, arn, ModelStatus::Deleting).await
    }

    /// Inserts a version with its creation extras. A taken (name, version) is
    /// [`StoreError::AlreadyExists`].
    pub async fn insert_version<V: Version>(
        &mut self,
        new: &V::New,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        let columns = match serde_json::to_value(new) {
            Ok(serde_json::Value::Object(columns)) => columns,
            other => return Err(StoreError::Corrupt(format!("a new row: {other:?}"))),
        };
        let arn = columns["arn"].as_str().unwrap_or_default().to_owned();
        let names = columns.keys().cloned().collect::<Vec<_>>().join(", ");
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("INSERT INTO {} ({names}) VALUES (", V::TABLE));
        let mut values = q.separated(", ");
        for (column, value) in columns {
            match value {
                serde_json::Value::String(text) => values.push_bind(Some(text)),
                serde_json::Value::Number(n) => values.push_bind(n.as_i64()),
                serde_json::Value::Null => values.push_bind(None::<String>),
                other => return Err(StoreError::Corrupt(format!("{column}: {other}"))),
            };
        }
        q.push(")");
        q.build()
            .execute(self.conn())
            .await
            .map_err(|e| StoreError::unique(e, format!("{} {arn}", V::NOUN)))?;
        self.finish_creation(&Target::arn(&arn), creation).await
    }
}
