//! Document classifier (model version) rows.

use comprehend_protocol::{
    ClassifierMetadata, CreateDocumentClassifierRequest, DocumentClassifierMode, LanguageCode,
    ModelStatus,
};
use serde::Serialize;

use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::lifecycle::Lifecycle;
use crate::list::Order;
use crate::page::{Page, PageRequest};
use crate::tx::Tx;
use crate::versions::{VersionChanges, VersionFilter, json_text, version_table};

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

version_table!(ClassifierRecord {
    new: NewClassifier,
    request: CreateDocumentClassifierRequest,
    columns(request): { mode: request.mode.unwrap_or(DocumentClassifierMode::MultiClass) },
    metadata: ClassifierMetadata,
    table: "document_classifiers",
    noun: "Document classifier",
    jobs: TrainClassifier,
    DeleteClassifier,
    names: classifier,
    insert_classifier,
    transition_classifier,
    delete_classifier,
    list_classifiers,
});

/// A new classifier version; its field names are the table's columns.
#[derive(Debug, Clone, Serialize)]
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
    #[serde(serialize_with = "json_text")]
    pub request: CreateDocumentClassifierRequest,
    /// Flywheel that owns it.
    pub flywheel_arn: Option<String>,
    /// Flywheel statistics prefix.
    pub flywheel_stats_prefix: Option<String>,
}

/// Changes applied together with a classifier's status transition.
pub type ClassifierChanges = VersionChanges<ClassifierMetadata>;

impl Store {
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
