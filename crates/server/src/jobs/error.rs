//! How a job ends when it does not finish normally, and what the job kinds share. The
//! kinds import this module; only the dispatch table in `mod.rs` imports the kinds.

use comprehend_store::Target;

use crate::error::Error;

/// Why a job did not finish normally.
#[derive(Debug)]
pub enum JobError {
    /// The work failed; the resource has been marked failed with this message.
    Failed(String),
    /// The server failed (database, object store); the resource is failed with this message.
    Internal(Error),
    /// The server is shutting down and cancelled the work: the resource keeps its state and
    /// the job stays claimed, so shutdown (or the next start's recovery) queues it again.
    Interrupted,
}

impl<E: Into<Error>> From<E> for JobError {
    fn from(err: E) -> JobError {
        JobError::Internal(err.into())
    }
}

/// The ARN of a job that works on a resource (every kind but iterations).
pub fn resource_arn(target: &Target) -> Option<&str> {
    match target {
        Target::Resource(arn) => Some(arn),
        Target::Iteration(_) => None,
    }
}
