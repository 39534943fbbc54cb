//! Document classifier (model version) rows.

use comprehend_protocol::{
    ClassifierMetadata, CreateDocumentClassifierRequest, DocumentClassifierMode, LanguageCode,
    ModelStatus,
};

use crate::creation::Creation;
use crate::db::Store;
use crate::error::StoreError;
use crate::list::{Condition, HasSeq, Order};
use crate::page::{Page, PageRequest};
use crate::update::{Sets, json};

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

/// One row of ListDocumentClassifierSummaries.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ClassifierSummary {
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

impl HasSeq for ClassifierSummary {
    fn seq(&self) -> i64 {
        self.seq
    }
}

impl Store {
    /// Inserts a classifier with its creation extras. A taken (name, version) is
    /// [`StoreError::AlreadyExists`].
    pub async fn insert_classifier(
        &self,
        new: &NewClassifier,
        creation: &Creation,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
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
        .execute(&mut *tx)
        .await
        .map_err(|e| StoreError::unique(e, format!("Document classifier {}", new.arn)))?;
        Store::finish_creation(&mut tx, &new.arn, creation).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A classifier by ARN.
    pub async fn classifier(&self, arn: &str) -> Result<Option<ClassifierRecord>, StoreError> {
        Ok(
            sqlx::query_as("SELECT * FROM document_classifiers WHERE arn = ?")
                .bind(arn)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Classifiers of one (account, region).
    pub async fn list_classifiers(
        &self,
        account: &str,
        region: &str,
        filter: &[Condition],
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
    ) -> Result<Page<ClassifierSummary>, StoreError> {
        let rows: Vec<ClassifierSummary> = sqlx::query_as(
            "SELECT MIN(d.seq) AS seq, d.name AS name, COUNT(*) AS versions, MAX(d.submit_time) AS latest_submit_time,
                 (SELECT l.version FROM document_classifiers l WHERE l.account = d.account AND l.region = d.region
                    AND l.name = d.name ORDER BY l.submit_time DESC, l.seq DESC LIMIT 1) AS latest_version,
                 (SELECT l.status FROM document_classifiers l WHERE l.account = d.account AND l.region = d.region
                    AND l.name = d.name ORDER BY l.submit_time DESC, l.seq DESC LIMIT 1) AS latest_status
             FROM document_classifiers d WHERE d.account = ? AND d.region = ?
             GROUP BY d.name HAVING MIN(d.seq) > ? ORDER BY seq LIMIT ?",
        )
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

    /// Moves a classifier to `to` if its status is one of `from`, applying `changes`.
    /// Returns whether the row changed (false: it was not in an allowed state, or is gone).
    pub async fn transition_classifier(
        &self,
        arn: &str,
        from: &[ModelStatus],
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
        let from: Vec<&str> = from.iter().map(|s| s.as_str()).collect();
        self.transition(
            "document_classifiers",
            "arn",
            arn,
            &from,
            to.as_str(),
            &sets.0,
        )
        .await
    }

    /// Removes a classifier row and its tags.
    pub async fn delete_classifier(&self, arn: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM document_classifiers WHERE arn = ?")
            .bind(arn)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM tags WHERE arn = ?")
            .bind(arn)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
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
