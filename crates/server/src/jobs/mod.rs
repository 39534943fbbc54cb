//! The jobs layer: the work that runs after a request has answered. One module per kind
//! of work, one dispatch table ([`handler`]), and the workers on tokio that claim jobs
//! from the durable queue and run them.
//!
//! A job row is committed with the change it completes before the API answers; a worker
//! claims it atomically, runs it (CPU work on blocking threads), and marks it done or
//! failed. At start, jobs a crash left running are put back in the queue (each job is
//! written to be safely restarted from the beginning) or, after [`MAX_ATTEMPTS`] starts,
//! given up: their resource then ends failed with a message saying why. Then a sweep
//! queues a job for any resource left in a transitional status without one. Nothing
//! stays in TRAINING, DELETING or UPDATING forever.
//!
//! Jobs import the store, the lake, the model cache and the ML engine; nothing here
//! imports the request handlers in [`crate::resources`], and they import nothing here.

mod analysis;
mod classification;
mod classifier;
mod classifier_version;
mod deployment;
mod document_jobs;
mod documents;
mod entities;
mod error;
mod flywheel;
mod flywheel_kind;
mod ingestion;
mod iteration;
mod iteration_step;
#[cfg(test)]
mod lengths_family;
mod output;
mod recognizer;
mod recognizer_data;
mod recognizer_lake;
mod training;

pub use error::JobError;

use std::time::Duration;

use comprehend_store::{Job, JobKind, Target};
use futures::future::BoxFuture;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing::Instrument;

use crate::error::Error;
use crate::state::{Shared, State};

/// How many times a job is started before a crash loop gives it up.
pub const MAX_ATTEMPTS: i64 = 3;

type Run = for<'a> fn(&'a State, &'a Job) -> BoxFuture<'a, Result<(), JobError>>;
type Fail = for<'a> fn(&'a State, &'a Target, &'a str) -> BoxFuture<'a, Result<(), Error>>;

/// What the jobs layer knows of one kind of job.
struct Handler {
    /// The work, for logs and messages.
    what: &'static str,
    /// Does the work (and settles the resource's status).
    run: Run,
    /// Puts the job's resource into its failed status with a message.
    fail: Fail,
}

/// The dispatch table.
fn handler(kind: JobKind) -> Handler {
    match kind {
        JobKind::TrainClassifier => Handler {
            what: "training",
            run: |s, j| Box::pin(classifier::train(s, j)),
            fail: |s, t, m| Box::pin(classifier::fail(s, t, m)),
        },
        JobKind::DeleteClassifier => Handler {
            what: "deletion",
            run: |s, j| Box::pin(classifier::delete(s, j)),
            fail: |s, t, m| Box::pin(classifier::fail(s, t, m)),
        },
        JobKind::CreateFlywheel => Handler {
            what: "flywheel creation",
            run: |s, j| Box::pin(flywheel::create(s, j)),
            fail: |s, t, m| Box::pin(flywheel::fail(s, t, m)),
        },
        JobKind::IngestDataset => Handler {
            what: "dataset ingestion",
            run: |s, j| Box::pin(ingestion::ingest(s, j)),
            fail: |s, t, m| Box::pin(ingestion::fail(s, t, m)),
        },
        JobKind::RunIteration => Handler {
            what: "flywheel iteration",
            run: |s, j| Box::pin(iteration::run(s, j)),
            fail: |s, t, m| Box::pin(iteration::fail(s, t, m)),
        },
        JobKind::DeployEndpoint => Handler {
            what: "endpoint deployment",
            run: |s, j| Box::pin(deployment::deploy(s, j)),
            fail: |s, t, m| Box::pin(deployment::fail(s, t, m)),
        },
        JobKind::DeleteEndpoint => Handler {
            what: "endpoint deletion",
            run: |s, j| Box::pin(deployment::delete(s, j)),
            fail: |s, t, m| Box::pin(deployment::fail(s, t, m)),
        },
        JobKind::AnalyzeDocuments => Handler {
            what: "analysis",
            run: |s, j| Box::pin(document_jobs::run(s, j)),
            fail: |s, t, m| Box::pin(document_jobs::fail(s, t, m)),
        },
        // Custom entity recognizers.
        JobKind::TrainEntityRecognizer => Handler {
            what: "entity recognizer training",
            run: |s, j| Box::pin(recognizer::train(s, j)),
            fail: |s, t, m| Box::pin(recognizer::fail(s, t, m)),
        },
        JobKind::DeleteEntityRecognizer => Handler {
            what: "entity recognizer deletion",
            run: |s, j| Box::pin(recognizer::delete(s, j)),
            fail: |s, t, m| Box::pin(recognizer::fail(s, t, m)),
        },
    }
}

/// At start: requeues interrupted jobs, fails the resources of jobs that keep crashing,
/// then queues a job for every resource left mid-change without one.
pub async fn recover(state: &State) -> Result<(), Error> {
    let (requeued, abandoned) = state
        .store
        .recover_jobs(MAX_ATTEMPTS, state.now_ms())
        .await?;
    if requeued > 0 {
        tracing::info!(requeued, "resuming jobs interrupted by a restart");
    }
    for job in abandoned {
        let handler = handler(job.kind);
        let message = format!(
            "The server stopped {} times while this {} job was running; it was not retried again.",
            job.attempts, handler.what
        );
        tracing::warn!(job = job.id, target = %job.target, "giving up on an interrupted job");
        (handler.fail)(state, &job.target, &message).await?;
    }
    for (kind, target) in state.store.sweep(state.now_ms()).await? {
        tracing::warn!(kind = kind.as_str(), %target, "queued the missing job of a resource left mid-change");
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
            let shutdown = shutdown.clone();
            tokio::spawn(async move { work(n, &state, shutdown).await })
        })
        .collect()
}

async fn work(n: usize, state: &State, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            break;
        }
        let wakeup = state.wakeup.notified();
        match run_once(state).await {
            Ok(true) => continue,
            Ok(false) => {}
            Err(e) => tracing::error!(worker = n, error = %e, "job queue error"),
        }
        tokio::select! {
            _ = wakeup => {}
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Claims and runs one job; false when the queue is empty. Tests can drive the queue with it.
pub async fn run_once(state: &State) -> Result<bool, Error> {
    let Some(job) = state.store.claim_job(state.now_ms()).await? else {
        return Ok(false);
    };
    let handler = handler(job.kind);
    let started = std::time::Instant::now();
    tracing::info!(job = job.id, kind = job.kind.as_str(), target = %job.target, attempt = job.attempts, "job started");
    // Every line a job logs (its phases, for one) carries the job's id, kind and target.
    let span =
        tracing::info_span!("job", id = job.id, kind = job.kind.as_str(), target = %job.target);
    let error = match (handler.run)(state, &job).instrument(span).await {
        Ok(()) => None,
        Err(JobError::Interrupted) => {
            tracing::info!(
                job = job.id,
                kind = job.kind.as_str(),
                "job interrupted by the shutdown; it resumes at the next start"
            );
            return Ok(true);
        }
        Err(JobError::Failed(message)) => Some(message),
        Err(JobError::Internal(err)) => {
            let message = format!("Internal error: {err}");
            (handler.fail)(state, &job.target, &message).await?;
            Some(message)
        }
    };
    match &error {
        None => tracing::info!(
            job = job.id,
            kind = job.kind.as_str(),
            elapsed_ms = format!("{:.3}", started.elapsed().as_secs_f64() * 1000.0),
            "job done"
        ),
        Some(message) => {
            tracing::warn!(job = job.id, kind = job.kind.as_str(), %message, "job failed")
        }
    }
    state
        .store
        .finish_job(job.id, error.as_deref(), state.now_ms())
        .await?;
    Ok(true)
}
