//! The server's error type and its one mapping onto the AWS error envelope.

use comprehend_protocol::ServiceError;
use comprehend_store::StoreError;
use comprehend_store::objects::ObjectError;

/// Anything a resource service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An error already phrased for the client.
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// The metadata store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An object store failed while serving a request.
    #[error(transparent)]
    Objects(#[from] ObjectError),
}

/// Results of the resource services.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for ServiceError {
    fn from(err: Error) -> ServiceError {
        match err {
            Error::Service(e) => e,
            Error::Store(StoreError::AlreadyExists(what)) => {
                ServiceError::resource_in_use(format!("{what} already exists"))
            }
            Error::Store(
                e @ (StoreError::Database(_) | StoreError::Migration(_) | StoreError::Corrupt(_)),
            ) => {
                tracing::error!(error = %e, "storage failure");
                ServiceError::internal(format!("Internal storage error: {e}"))
            }
            Error::Objects(
                e @ (ObjectError::InvalidUri(_)
                | ObjectError::NoSuchBucket(_)
                | ObjectError::NotFound(_)),
            ) => ServiceError::invalid_request(e.to_string()),
            Error::Objects(e @ ObjectError::Store(_)) => {
                tracing::error!(error = %e, "object store failure");
                ServiceError::internal(format!("Internal object store error: {e}"))
            }
        }
    }
}

/// The message moto and this emulator use for unknown resources.
pub fn not_found(what: &str) -> Error {
    Error::Service(ServiceError::resource_not_found(format!(
        "RESOURCE_NOT_FOUND: Could not find specified resource. ({what})"
    )))
}
