//! Document classifier (model version) rows.

use comprehend_protocol::{
    ClassifierMetadata, CreateDocumentClassifierRequest, DocumentClassifierMode, LanguageCode,
    ModelStatus,
};
use sqlx::SqliteConnection;

use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::jobs::Target;
use crate::lifecycle::Lifecycle;
use crate::list::{HasSeq, Order};
use crate::page::{Page, PageRequest};
use crate::tx::{Tx, insert_on_its_own, on_its_own, reads};
use crate::update::{Row, Sets, json, transition};
use crate::versions::{VersionFilter, VersionSummary};

/// A document classifier version as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ClassifierRecord {
    /// List position.
    pub seq: i64,
    /// Its ARN (with `/version/<v>` when versioned).
    pub arn: String,
    /// Owner account.
    pub account: String,
    /// Owner region.
    pub region: String,
    /// Classifier name.
    pub name: String,
    /// Version name, if any.
    pub version: Option<String>,
    /// Lifecycle status.
    #[sqlx(try_from = "String")]
    pub status: ModelStatus,
    /// Why it failed or stopped.
    pub message: Option<String>,
    /// Language.
    #[sqlx(try_from = "String")]
    pub language_code: LanguageCode,
    /// MULTI_CLASS or MULTI_LABEL.
    #[sqlx(try_from = "String")]
    pub mode: DocumentClassifierMode,
    /// When it was created (ms).
    pub submit_time: i64,
    /// When training started (ms).
    pub training_start_time: Option<i64>,
    /// When training ended (ms).
    pub training_end_time: Option<i64>,
    /// When the job ended (ms).
    pub end_time: Option<i64>,
    /// The create request as received (tags and token removed), echoed by Describe.
    #[sqlx(json)]
    pub request: CreateDocumentClassifierRequest,
    /// Where `output.tar.gz` was written.
    pub output_s3_uri: Option<String>,
    /// Counts and evaluation metrics, once trained.
    #[sqlx(json(nullable))]
    pub metadata: Option<ClassifierMetadata>,
    /// The model file in the private model store.
    pub model_key: Option<String>,
    /// The flywheel that trained it.
    pub flywheel_arn: Option<String>,
    /// Where the flywheel keeps its statistics.
    pub flywheel_stats_prefix: Option<String>,
    /// The model it was copied from (not used by this emulator yet).
    pub source_model_arn: Option<String>,
}

impl HasSeq for ClassifierRecord {
    fn seq(&self) -> i64 {
        self.seq
    }
}

/// A new classifier version.
#[derive(Debug, Clone)]
pub struct NewClassifier {
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
    /// Initial status (SUBMITTED).
    pub status: ModelStatus,
    /// Language.
    pub language_code: LanguageCode,
    /// Mode.
    pub mode: DocumentClassifierMode,
    /// Now (ms).
    pub submit_time: i64,
    /// The request to echo.
    pub request: CreateDocumentClassifierRequest,
    /// Flywheel that owns it.
    pub flywheel_arn: Option<String>,
    /// Flywheel statistics prefix.
    pub flywheel_stats_prefix: Option<String>,
}

/// Changes applied together with a status transition; `None` leaves a column alone.
#[derive(Debug, Clone, Default)]
pub struct ClassifierChanges {
    /// New message (`Some(None)` clears it).
    pub message: Option<Option<String>>,
    /// Training start.
    pub training_start_time: Option<i64>,
    /// Training end.
    pub training_end_time: Option<i64>,
    /// End.
    pub end_time: Option<i64>,
    /// Output archive location.
    pub output_s3_uri: Option<String>,
    /// Metadata.
    pub metadata: Option<ClassifierMetadata>,
    /// Model file key.
    pub model_key: Option<String>,
}

impl Store {
    /// Classifiers of one (account, region).
    pub async fn list_classifiers(
        &self,
        account: &str,
        region: &str,
        filter: &[VersionFilter],
        order: Order,
        page: PageRequest,
    ) -> Result<Page<ClassifierRecord>, StoreError> {
        self.list_in(
            "document_classifiers",
            (account, region),
            filter,
            order,
            page,
        )
        .await
    }

    /// One summary per classifier name, ordered by the name's first version.
    pub async fn classifier_summaries(
        &self,
        account: &str,
        region: &str,
        page: PageRequest,
    ) -> Result<Page<VersionSummary>, StoreError> {
        self.version_summaries("document_classifiers", account, region, page)
            .await
    }

    /// Versions of one classifier name (flywheels list their model's versions).
    pub async fn classifier_versions(
        &self,
        account: &str,
        region: &str,
        name: &str,
    ) -> Result<Vec<ClassifierRecord>, StoreError> {
        Ok(sqlx::query_as("SELECT * FROM document_classifiers WHERE account = ? AND region = ? AND name = ? ORDER BY seq")
            .bind(account)
            .bind(region)
            .bind(name)
            .fetch_all(&self.pool)
            .await?)
    }
}

impl Tx {
    /// Moves a classifier to `to` (if its lifecycle allows it from its current status),
    /// applying `changes`. Returns whether the row changed.
    pub async fn transition_classifier(
        &mut self,
        arn: &str,
        to: ModelStatus,
        changes: ClassifierChanges,
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
        transition(
            self.conn(),
            "document_classifiers",
            Row::Arn(arn),
            to,
            &sets.0,
        )
        .await
    }

    /// Removes a DELETING classifier row and its tags; false if it was not DELETING.
    pub async fn delete_classifier(&mut self, arn: &str) -> Result<bool, StoreError> {
        delete_deleting(self, "document_classifiers", arn, ModelStatus::Deleting).await
    }
}

on_its_own!(
    /// [`Tx::transition_classifier`] in a transaction of its own.
    transition_classifier(&str, ModelStatus, ClassifierChanges)
);

/// Removes the row of `table` with this ARN, and its tags, if it is in status `deleting`.
pub(crate) async fn delete_deleting<S: Lifecycle>(
    tx: &mut Tx,
    table: &'static str,
    arn: &str,
    deleting: S,
) -> Result<bool, StoreError> {
    let gone = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DELETE FROM {table} WHERE arn = ? AND status = ?"
    )))
    .bind(arn)
    .bind(deleting.spelling())
    .execute(tx.conn())
    .await?
    .rows_affected()
        == 1;
    if gone {
        sqlx::query("DELETE FROM tags WHERE arn = ?")
            .bind(arn)
            .execute(tx.conn())
            .await?;
    }
    Ok(gone)
}

reads!(
    /// A classifier by ARN.
    classifier(arn: &str) -> Option<ClassifierRecord>
);

async fn classifier(
    conn: &mut SqliteConnection,
    arn: &str,
) -> Result<Option<ClassifierRecord>, StoreError> {
    Ok(
        sqlx::query_as("SELECT * FROM document_classifiers WHERE arn = ?")
            .bind(arn)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

insert_on_its_own!(
    /// Inserts a classifier with its creation extras. A taken (name, version) is
    /// [`StoreError::AlreadyExists`].
    insert_classifier(&NewClassifier)
);

impl Tx {
    /// Inserts a classifier with its creation extras. A taken (name, version) is
    /// [`StoreError::AlreadyExists`].
    pub async fn insert_classifier(
        &mut self,
        new: &NewClassifier,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO document_classifiers (arn, account, region, name, version, status, language_code, mode,
                 submit_time, request, flywheel_arn, flywheel_stats_prefix)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&new.arn)
        .bind(&new.account)
        .bind(&new.region)
        .bind(&new.name)
        .bind(&new.version)
        .bind(new.status.as_str())
        .bind(new.language_code.as_str())
        .bind(new.mode.as_str())
        .bind(new.submit_time)
        .bind(json(&new.request)?)
        .bind(&new.flywheel_arn)
        .bind(&new.flywheel_stats_prefix)
        .execute(self.conn())
        .await
        .map_err(|e| StoreError::unique(e, format!("Document classifier {}", new.arn)))?;
        self.finish_creation(&Target::arn(&new.arn), creation)
            .await?;
        Ok(())
    }
}
