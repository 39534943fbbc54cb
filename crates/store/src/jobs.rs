//! The durable job queue. A job row is inserted in the same transaction as the resource
//! it works on, claimed by one worker at a time, and, after a crash, either put back in
//! the queue or given up (the runner then fails its resource with a message).

use sqlx::{Sqlite, Transaction};

use crate::db::Store;
use crate::error::StoreError;

/// What a job does. The spelling is stored; never rename a variant's string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Train a document classifier (version).
    TrainClassifier,
    /// Delete a classifier's model files and row.
    DeleteClassifier,
    /// Set up a flywheel's data lake (copy an existing model's data in).
    CreateFlywheel,
    /// Ingest a dataset into a flywheel's lake.
    IngestDataset,
    /// Run a flywheel iteration: evaluate, train, evaluate.
    RunIteration,
    /// Bring an endpoint into service (load its model).
    DeployEndpoint,
    /// Remove an endpoint.
    DeleteEndpoint,
    /// Run an asynchronous classification job.
    ClassifyDocuments,
}

impl JobKind {
    /// Every kind.
    pub const ALL: &'static [JobKind] = &[
        JobKind::TrainClassifier,
        JobKind::DeleteClassifier,
        JobKind::CreateFlywheel,
        JobKind::IngestDataset,
        JobKind::RunIteration,
        JobKind::DeployEndpoint,
        JobKind::DeleteEndpoint,
        JobKind::ClassifyDocuments,
    ];

    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::TrainClassifier => "train_classifier",
            JobKind::DeleteClassifier => "delete_classifier",
            JobKind::CreateFlywheel => "create_flywheel",
            JobKind::IngestDataset => "ingest_dataset",
            JobKind::RunIteration => "run_iteration",
            JobKind::DeployEndpoint => "deploy_endpoint",
            JobKind::DeleteEndpoint => "delete_endpoint",
            JobKind::ClassifyDocuments => "classify_documents",
        }
    }

    fn parse(text: &str) -> Result<JobKind, StoreError> {
        JobKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown job kind '{text}'")))
    }
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Queue id.
    pub id: i64,
    /// What to do.
    pub kind: JobKind,
    /// The resource it works on.
    pub resource_arn: String,
    /// How many times it has been started (1 on the first run).
    pub attempts: i64,
}

/// A job the queue gave up on at start, because it was interrupted too often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbandonedJob {
    /// The job.
    pub job: Job,
}

impl Store {
    /// Enqueues a job inside a caller's transaction (so the resource and its job commit together).
    pub async fn enqueue_in(
        tx: &mut Transaction<'_, Sqlite>,
        kind: JobKind,
        resource_arn: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO jobs (kind, resource_arn, state, created_at, updated_at) VALUES (?, ?, 'queued', ?, ?) RETURNING id",
        )
        .bind(kind.as_str())
        .bind(resource_arn)
        .bind(now)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    /// Enqueues a job on its own.
    pub async fn enqueue(
        &self,
        kind: JobKind,
        resource_arn: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id = Store::enqueue_in(&mut tx, kind, resource_arn, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Claims the oldest queued job, atomically marking it running.
    pub async fn claim_job(&self, now: i64) -> Result<Option<Job>, StoreError> {
        let row: Option<(i64, String, String, i64)> = sqlx::query_as(
            "UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ?
             WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1)
             RETURNING id, kind, resource_arn, attempts",
        )
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, kind, resource_arn, attempts)| {
            Ok(Job {
                id,
                kind: JobKind::parse(&kind)?,
                resource_arn,
                attempts,
            })
        })
        .transpose()
    }

    /// Marks a job finished (`failed` with an error, or `done`).
    pub async fn finish_job(
        &self,
        id: i64,
        error: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE jobs SET state = ?, last_error = ?, updated_at = ? WHERE id = ?")
            .bind(if error.is_some() { "failed" } else { "done" })
            .bind(error)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Asks the running (or queued) jobs of a resource to stop.
    pub async fn request_stop(&self, resource_arn: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE jobs SET stop_requested = 1, updated_at = ? WHERE resource_arn = ? AND state IN ('queued', 'running')")
            .bind(now)
            .bind(resource_arn)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Whether a stop was requested for this job.
    pub async fn stop_requested(&self, id: i64) -> Result<bool, StoreError> {
        let (flag,): (i64,) = sqlx::query_as("SELECT stop_requested FROM jobs WHERE id = ?")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(flag != 0)
    }

    /// Whether a resource has queued or running jobs.
    pub async fn has_active_jobs(&self, resource_arn: &str) -> Result<bool, StoreError> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM jobs WHERE resource_arn = ? AND state IN ('queued', 'running')",
        )
        .bind(resource_arn)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// At a graceful shutdown: running jobs go back to the queue without counting the
    /// interrupted start (only crashes count towards giving a job up).
    pub async fn release_running_jobs(&self, now: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0), updated_at = ? WHERE state = 'running'")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// At start: jobs a crash left `running` go back to the queue, unless they have
    /// already been started `max_attempts` times — those are failed and returned so their
    /// resources can be failed with a message.
    pub async fn recover_jobs(
        &self,
        max_attempts: i64,
        now: i64,
    ) -> Result<(usize, Vec<AbandonedJob>), StoreError> {
        let mut tx = self.pool.begin().await?;
        let abandoned: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "UPDATE jobs SET state = 'failed', last_error = 'interrupted too many times', updated_at = ?
             WHERE state = 'running' AND attempts >= ? RETURNING id, kind, resource_arn, attempts",
        )
        .bind(now)
        .bind(max_attempts)
        .fetch_all(&mut *tx)
        .await?;
        let requeued =
            sqlx::query("UPDATE jobs SET state = 'queued', updated_at = ? WHERE state = 'running'")
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        tx.commit().await?;
        let abandoned = abandoned
            .into_iter()
            .map(|(id, kind, resource_arn, attempts)| {
                Ok(AbandonedJob {
                    job: Job {
                        id,
                        kind: JobKind::parse(&kind)?,
                        resource_arn,
                        attempts,
                    },
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((requeued as usize, abandoned))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn interrupted_jobs_are_requeued_then_given_up() {
        let dir = std::env::temp_dir().join(format!("cl-jobs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("db.sqlite")).await.unwrap();
        store
            .enqueue(JobKind::TrainClassifier, "arn:x", 1)
            .await
            .unwrap();
        for attempt in 1..=3 {
            // A worker claims the job, then the process dies.
            let job = store.claim_job(10).await.unwrap().expect("queued");
            assert_eq!(job.attempts, attempt);
            let (requeued, abandoned) = store.recover_jobs(3, 20).await.unwrap();
            if attempt < 3 {
                assert_eq!((requeued, abandoned.len()), (1, 0));
            } else {
                assert_eq!(requeued, 0);
                assert_eq!(abandoned[0].job.resource_arn, "arn:x");
            }
        }
        assert!(store.claim_job(30).await.unwrap().is_none());
        assert!(!store.has_active_jobs("arn:x").await.unwrap());
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
