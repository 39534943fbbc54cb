//! The job runner: workers on tokio that claim jobs from the durable queue and run them.
//!
//! A job row is committed with its resource before the API answers; a worker claims it
//! atomically, runs it (CPU work on blocking threads), and marks it done or failed. At
//! start, jobs a crash left running are put back in the queue (each job is written to
//! be safely restarted from the beginning) or, after [`MAX_ATTEMPTS`] starts, given up:
//! their resource then ends failed with a message saying why. Nothing stays in TRAINING
//! forever.

use std::sync::Arc;
use std::time::Duration;

use comprehend_store::{Job, JobKind};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

use crate::error::Error;
use crate::resources::{
    classification_jobs, classifiers, datasets, endpoints, flywheels, iterations,
};
use crate::state::{Shared, now_ms};

/// How many times a job is started before a crash loop gives it up.
pub const MAX_ATTEMPTS: i64 = 3;

/// Wakes idle workers when a job is enqueued.
#[derive(Debug, Default)]
pub struct Wakeup(Notify);

impl Wakeup {
    /// Signals that work is waiting.
    pub fn notify(&self) {
        self.0.notify_waiters();
    }
}

/// Why a job did not finish normally.
#[derive(Debug)]
pub enum JobError {
    /// The work failed; the resource has been (or must be) marked failed with this message.
    Failed(String),
    /// The server failed (database, object store); the resource is failed with this message.
    Internal(Error),
}

impl<E: Into<Error>> From<E> for JobError {
    fn from(err: E) -> JobError {
        JobError::Internal(err.into())
    }
}

/// Requeues interrupted jobs and fails the resources of jobs that keep crashing.
pub async fn recover(state: &Shared) -> Result<(), Error> {
    let (requeued, abandoned) = state.store.recover_jobs(MAX_ATTEMPTS, now_ms()).await?;
    if requeued > 0 {
        tracing::info!(requeued, "resuming jobs interrupted by a restart");
    }
    for lost in abandoned {
        let message = format!(
            "The server stopped {} times while this {} job was running; it was not retried again.",
            lost.job.attempts,
            describe(lost.job.kind)
        );
        tracing::warn!(job = lost.job.id, resource = %lost.job.resource_arn, "giving up on an interrupted job");
        fail_resource(state, &lost.job, &message).await?;
    }
    Ok(())
}

/// Starts `workers` workers; they stop when `shutdown` turns true.
pub fn start(
    state: Shared,
    workers: usize,
    shutdown: watch::Receiver<bool>,
) -> Vec<JoinHandle<()>> {
    (0..workers)
        .map(|n| {
            let state = state.clone();
            let mut shutdown = shutdown.clone();
            tokio::spawn(async move {
                loop {
                    if *shutdown.borrow() {
                        break;
                    }
                    match run_once(&state).await {
                        Ok(true) => continue,
                        Ok(false) => {}
                        Err(e) => tracing::error!(worker = n, error = %e, "job queue error"),
                    }
                    let notified = state.wakeup.0.notified();
                    tokio::select! {
                        _ = notified => {}
                        _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                        _ = shutdown.changed() => {}
                    }
                }
            })
        })
        .collect()
}

/// Claims and runs one job; false when the queue is empty. Tests can drive the queue with it.
pub async fn run_once(state: &Shared) -> Result<bool, Error> {
    let Some(job) = state.store.claim_job(now_ms()).await? else {
        return Ok(false);
    };
    let started = std::time::Instant::now();
    tracing::info!(job = job.id, kind = job.kind.as_str(), resource = %job.resource_arn, attempt = job.attempts, "job started");
    let outcome = execute(state, &job).await;
    let error = match outcome {
        Ok(()) => None,
        Err(JobError::Failed(message)) => Some(message),
        Err(JobError::Internal(err)) => {
            let message = format!("Internal error: {err}");
            fail_resource(state, &job, &message).await?;
            Some(message)
        }
    };
    match &error {
        None => tracing::info!(
            job = job.id,
            kind = job.kind.as_str(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "job done"
        ),
        Some(message) => {
            tracing::warn!(job = job.id, kind = job.kind.as_str(), %message, "job failed")
        }
    }
    state
        .store
        .finish_job(job.id, error.as_deref(), now_ms())
        .await?;
    Ok(true)
}

async fn execute(state: &Shared, job: &Job) -> Result<(), JobError> {
    let state = Arc::clone(state);
    match job.kind {
        JobKind::TrainClassifier => classifiers::run_training(&state, job).await,
        JobKind::DeleteClassifier => classifiers::run_delete(&state, job).await,
        JobKind::CreateFlywheel => flywheels::run_create(&state, job).await,
        JobKind::IngestDataset => datasets::run_ingest(&state, job).await,
        JobKind::RunIteration => iterations::run_iteration(&state, job).await,
        JobKind::DeployEndpoint => endpoints::run_deploy(&state, job).await,
        JobKind::DeleteEndpoint => endpoints::run_delete(&state, job).await,
        JobKind::ClassifyDocuments => classification_jobs::run(&state, job).await,
    }
}

/// Puts a job's resource into its failed state with `message`.
async fn fail_resource(state: &Shared, job: &Job, message: &str) -> Result<(), Error> {
    match job.kind {
        JobKind::TrainClassifier | JobKind::DeleteClassifier => {
            classifiers::fail(state, &job.resource_arn, message).await
        }
        JobKind::CreateFlywheel => flywheels::fail(state, &job.resource_arn, message).await,
        JobKind::IngestDataset => datasets::fail(state, &job.resource_arn, message).await,
        JobKind::RunIteration => iterations::fail(state, &job.resource_arn, message).await,
        JobKind::DeployEndpoint | JobKind::DeleteEndpoint => {
            endpoints::fail(state, &job.resource_arn, message).await
        }
        JobKind::ClassifyDocuments => {
            classification_jobs::fail(state, &job.resource_arn, message).await
        }
    }
}

fn describe(kind: JobKind) -> &'static str {
    match kind {
        JobKind::TrainClassifier => "training",
        JobKind::DeleteClassifier => "deletion",
        JobKind::CreateFlywheel => "flywheel creation",
        JobKind::IngestDataset => "dataset ingestion",
        JobKind::RunIteration => "flywheel iteration",
        JobKind::DeployEndpoint => "endpoint deployment",
        JobKind::DeleteEndpoint => "endpoint deletion",
        JobKind::ClassifyDocuments => "classification",
    }
}
