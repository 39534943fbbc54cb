//! The durable job queue. A job row is inserted in the same transaction as the change it
//! completes, claimed by one worker at a time, and, after a crash, either put back in
//! the queue or given up (the jobs layer then fails its resource with a message).

use sqlx::SqliteConnection;

use crate::db::Store;
use crate::error::StoreError;
use crate::tx::Tx;

/// Declares [`JobKind`] from one list: each kind's variant, stored spelling and doc.
macro_rules! job_kinds {
    ($($(#[$doc:meta])* $kind:ident => $spelling:literal,)*) => {
        /// What a job does. The spelling is stored; never rename a variant's string.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum JobKind {
            $($(#[$doc])* $kind,)*
        }

        impl JobKind {
            /// Every kind.
            pub const ALL: &'static [JobKind] = &[$(JobKind::$kind,)*];

            /// The stored spelling.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(JobKind::$kind => $spelling,)*
                }
            }
        }
    };
}

job_kinds! {
    /// Train a document classifier (version).
    TrainClassifier => "train_classifier",
    /// Delete a classifier's model files and row.
    DeleteClassifier => "delete_classifier",
    /// Set up a flywheel's data lake (copy an existing model's data in).
    CreateFlywheel => "create_flywheel",
    /// Ingest a dataset into a flywheel's lake.
    IngestDataset => "ingest_dataset",
    /// Run a flywheel iteration: evaluate, train, evaluate.
    RunIteration => "run_iteration",
    /// Bring an endpoint into service (load its model).
    DeployEndpoint => "deploy_endpoint",
    /// Remove an endpoint.
    DeleteEndpoint => "delete_endpoint",
    /// Run an asynchronous analysis job of any family (its row names the family).
    AnalyzeDocuments => "analyze_documents",
    /// Train a custom entity recognizer (version).
    TrainEntityRecognizer => "train_entity_recognizer",
    /// Delete an entity recognizer's model file and row.
    DeleteEntityRecognizer => "delete_entity_recognizer",
}

impl JobKind {
    fn parse(text: &str) -> Result<JobKind, StoreError> {
        JobKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown job kind '{text}'")))
    }
}

/// Where a job is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for a worker.
    Queued,
    /// Claimed by a worker (or interrupted by a crash, until the next start).
    Running,
    /// Finished.
    Done,
    /// Finished with an error; its resource was failed with a message.
    Failed,
}

impl JobState {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }
}

/// A flywheel iteration's identity: iterations are named by their flywheel and an id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IterationKey {
    /// The flywheel's ARN.
    pub flywheel_arn: String,
    /// The iteration id (`YYYYMMDDTHHMMSSZ`).
    pub iteration_id: String,
}

/// What a job works on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A resource with an ARN.
    Resource(String),
    /// A flywheel iteration.
    Iteration(IterationKey),
}

impl Target {
    /// A resource target.
    pub fn arn(arn: &str) -> Target {
        Target::Resource(arn.to_owned())
    }

    fn columns(&self) -> (&str, Option<&str>) {
        match self {
            Target::Resource(arn) => (arn, None),
            Target::Iteration(key) => (&key.flywheel_arn, Some(&key.iteration_id)),
        }
    }

    fn from_columns(arn: String, iteration_id: Option<String>) -> Target {
        match iteration_id {
            Some(iteration_id) => Target::Iteration(IterationKey {
                flywheel_arn: arn,
                iteration_id,
            }),
            None => Target::Resource(arn),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Resource(arn) => f.write_str(arn),
            Target::Iteration(key) => {
                write!(f, "{} iteration {}", key.flywheel_arn, key.iteration_id)
            }
        }
    }
}

/// A claimed job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Queue id.
    pub id: i64,
    /// What to do.
    pub kind: JobKind,
    /// What it works on.
    pub target: Target,
    /// How many times it has been started (1 on the first run).
    pub attempts: i64,
}

type JobRow = (i64, String, String, Option<String>, i64);

fn job(row: JobRow) -> Result<Job, StoreError> {
    let (id, kind, arn, iteration_id, attempts) = row;
    Ok(Job {
        id,
        kind: JobKind::parse(&kind)?,
        target: Target::from_columns(arn, iteration_id),
        attempts,
    })
}

/// Inserts a queued job.
pub(crate) async fn enqueue(
    conn: &mut SqliteConnection,
    kind: JobKind,
    target: &Target,
    now: i64,
) -> Result<i64, StoreError> {
    let (arn, iteration_id) = target.columns();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO jobs (kind, resource_arn, iteration_id, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(arn)
    .bind(iteration_id)
    .bind(JobState::Queued.as_str())
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

impl Tx {
    /// Enqueues a job with the rest of this transaction.
    pub async fn enqueue(
        &mut self,
        kind: JobKind,
        target: &Target,
        now: i64,
    ) -> Result<i64, StoreError> {
        enqueue(self.conn(), kind, target, now).await
    }

    /// Enqueues a job of `kind` for `target` unless one is already queued or running;
    /// true when it enqueued one.
    pub async fn ensure_job(
        &mut self,
        kind: JobKind,
        target: &Target,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.ensure_job_unless(kind, target, now, JobState::Running)
            .await
    }

    /// Enqueues a job of `kind` for `target` unless one is already queued; true when it
    /// enqueued one. For kinds whose run reads the resource afresh and does nothing when
    /// nothing is left to do (endpoint deployment): a running one may already have
    /// committed its outcome, and would not see the change this job is for.
    pub async fn ensure_queued_job(
        &mut self,
        kind: JobKind,
        target: &Target,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.ensure_job_unless(kind, target, now, JobState::Queued)
            .await
    }

    /// Enqueues unless a job is queued, or in state `also`.
    async fn ensure_job_unless(
        &mut self,
        kind: JobKind,
        target: &Target,
        now: i64,
        also: JobState,
    ) -> Result<bool, StoreError> {
        let (arn, iteration_id) = target.columns();
        let (active,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM jobs WHERE kind = ? AND resource_arn = ? AND iteration_id IS ? AND state IN (?, ?)",
        )
        .bind(kind.as_str())
        .bind(arn)
        .bind(iteration_id)
        .bind(JobState::Queued.as_str())
        .bind(also.as_str())
        .fetch_one(self.conn())
        .await?;
        if active > 0 {
            return Ok(false);
        }
        self.enqueue(kind, target, now).await?;
        Ok(true)
    }

    /// Asks the queued or running jobs of a target to stop.
    pub async fn request_stop(&mut self, target: &Target, now: i64) -> Result<(), StoreError> {
        let (arn, iteration_id) = target.columns();
        sqlx::query(
            "UPDATE jobs SET stop_requested = 1, updated_at = ?
             WHERE resource_arn = ? AND iteration_id IS ? AND state IN (?, ?)",
        )
        .bind(now)
        .bind(arn)
        .bind(iteration_id)
        .bind(JobState::Queued.as_str())
        .bind(JobState::Running.as_str())
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Store {
    /// Claims the oldest queued job, atomically marking it running.
    pub async fn claim_job(&self, now: i64) -> Result<Option<Job>, StoreError> {
        let row: Option<JobRow> = sqlx::query_as(
            "UPDATE jobs SET state = ?1, attempts = attempts + 1, updated_at = ?2
             WHERE id = (SELECT id FROM jobs WHERE state = ?3 ORDER BY id LIMIT 1)
             RETURNING id, kind, resource_arn, iteration_id, attempts",
        )
        .bind(JobState::Running.as_str())
        .bind(now)
        .bind(JobState::Queued.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(job).transpose()
    }

    /// Marks a job finished: [`JobState::Failed`] with an error, else [`JobState::Done`].
    pub async fn finish_job(
        &self,
        id: i64,
        error: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        let state = match error {
            Some(_) => JobState::Failed,
            None => JobState::Done,
        };
        sqlx::query("UPDATE jobs SET state = ?, last_error = ?, updated_at = ? WHERE id = ?")
            .bind(state.as_str())
            .bind(error)
            .bind(now)
            .bind(id)
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

    /// Whether a target has queued or running jobs.
    pub async fn has_active_jobs(&self, target: &Target) -> Result<bool, StoreError> {
        let (arn, iteration_id) = target.columns();
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM jobs WHERE resource_arn = ? AND iteration_id IS ? AND state IN (?, ?)",
        )
        .bind(arn)
        .bind(iteration_id)
        .bind(JobState::Queued.as_str())
        .bind(JobState::Running.as_str())
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// At a graceful shutdown: running jobs go back to the queue without counting the
    /// interrupted start (only crashes count towards giving a job up).
    pub async fn release_running_jobs(&self, now: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query(
            "UPDATE jobs SET state = ?, attempts = MAX(attempts - 1, 0), updated_at = ? WHERE state = ?",
        )
        .bind(JobState::Queued.as_str())
        .bind(now)
        .bind(JobState::Running.as_str())
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// At start: jobs a crash left running go back to the queue, unless they have
    /// already been started `max_attempts` times — those are failed and returned so their
    /// resources can be failed with a message.
    pub async fn recover_jobs(
        &self,
        max_attempts: i64,
        now: i64,
    ) -> Result<(usize, Vec<Job>), StoreError> {
        let mut tx = self.begin().await?;
        let abandoned: Vec<JobRow> = sqlx::query_as(
            "UPDATE jobs SET state = ?1, last_error = 'interrupted too many times', updated_at = ?2
             WHERE state = ?3 AND attempts >= ?4
             RETURNING id, kind, resource_arn, iteration_id, attempts",
        )
        .bind(JobState::Failed.as_str())
        .bind(now)
        .bind(JobState::Running.as_str())
        .bind(max_attempts)
        .fetch_all(tx.conn())
        .await?;
        let requeued = sqlx::query("UPDATE jobs SET state = ?, updated_at = ? WHERE state = ?")
            .bind(JobState::Queued.as_str())
            .bind(now)
            .bind(JobState::Running.as_str())
            .execute(tx.conn())
            .await?
            .rows_affected();
        tx.commit().await?;
        let abandoned = abandoned.into_iter().map(job).collect::<Result<_, _>>()?;
        Ok((requeued as usize, abandoned))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn temp_store(name: &str) -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("cl-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("db.sqlite")).await.unwrap();
        (store, dir)
    }

    #[tokio::test]
    async fn interrupted_jobs_are_requeued_then_given_up() {
        let (store, dir) = temp_store("jobs").await;
        let target = Target::arn("arn:x");
        let mut tx = store.begin().await.unwrap();
        tx.enqueue(JobKind::TrainClassifier, &target, 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        for attempt in 1..=3 {
            // A worker claims the job, then the process dies.
            let job = store.claim_job(10).await.unwrap().expect("queued");
            assert_eq!(job.attempts, attempt);
            let (requeued, abandoned) = store.recover_jobs(3, 20).await.unwrap();
            if attempt < 3 {
                assert_eq!((requeued, abandoned.len()), (1, 0));
            } else {
                assert_eq!(requeued, 0);
                assert_eq!(abandoned[0].target, target);
            }
        }
        assert!(store.claim_job(30).await.unwrap().is_none());
        assert!(!store.has_active_jobs(&target).await.unwrap());
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn iteration_targets_round_trip_and_ensure_job_enqueues_once() {
        let (store, dir) = temp_store("targets").await;
        let target = Target::Iteration(IterationKey {
            flywheel_arn: "arn:fw".into(),
            iteration_id: "20260101T000000Z".into(),
        });
        let mut tx = store.begin().await.unwrap();
        assert!(
            tx.ensure_job(JobKind::RunIteration, &target, 1)
                .await
                .unwrap()
        );
        assert!(
            !tx.ensure_job(JobKind::RunIteration, &target, 1)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        let job = store.claim_job(2).await.unwrap().unwrap();
        assert_eq!(job.target, target);
        assert!(!store.has_active_jobs(&Target::arn("arn:fw")).await.unwrap());
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A running job counts for `ensure_job` but not for `ensure_queued_job`, which then
    /// queues one (and only one) more.
    #[tokio::test]
    async fn ensure_queued_job_looks_past_a_running_job() {
        let (store, dir) = temp_store("queued").await;
        let target = Target::arn("arn:endpoint");
        let kind = JobKind::DeployEndpoint;
        let mut tx = store.begin().await.unwrap();
        tx.enqueue(kind, &target, 1).await.unwrap();
        tx.commit().await.unwrap();
        store
            .claim_job(2)
            .await
            .unwrap()
            .expect("the first deployment runs");
        let mut tx = store.begin().await.unwrap();
        assert!(!tx.ensure_job(kind, &target, 3).await.unwrap());
        assert!(tx.ensure_queued_job(kind, &target, 3).await.unwrap());
        assert!(!tx.ensure_queued_job(kind, &target, 3).await.unwrap());
        tx.commit().await.unwrap();
        let next = store
            .claim_job(4)
            .await
            .unwrap()
            .expect("a second deployment");
        assert_eq!((next.kind, next.target), (kind, target));
        store.close().await;
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
