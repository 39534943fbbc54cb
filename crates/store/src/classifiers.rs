//! Document classifier (model version) rows: the shared version columns (see
//! [`crate::versions`]), the classification mode and the training output's location.

use comprehend_protocol::{
    ClassifierMetadata, CreateDocumentClassifierRequest, DocumentClassifierMode, LanguageCode,
    ModelStatus,
};

use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::lifecycle::Lifecycle;
use crate::list::Order;
use crate::page::{Page, PageRequest};
use crate::tx::Tx;
use crate::versions::{VersionChanges, VersionFilter, version_table};

version_table! {
    /// A document classifier version as stored.
    ClassifierRecord {
        /// MULTI_CLASS or MULTI_LABEL.
        #[sqlx(try_from = "String")]
        mode: DocumentClassifierMode,
        /// Where `output.tar.gz` was written.
        output_s3_uri: Option<String>,
    }
    /// A new classifier version.
    NewClassifier(request: CreateDocumentClassifierRequest) {
        mode: DocumentClassifierMode = request.mode.unwrap_or(DocumentClassifierMode::MultiClass),
    }
    metadata: ClassifierMetadata,
    table: "document_classifiers",
    noun: "Document classifier",
    jobs: TrainClassifier, DeleteClassifier,
    names: classifier, insert_classifier, transition_classifier, delete_classifier, list_classifiers,
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
