//! The crate's one error type, converted once to each face's error: [`s3s::S3Error`]
//! for the S3 protocol and [`object_store::Error`] for the server's own reads and writes.

use s3s::{S3Error, S3ErrorCode};

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bucket does not exist.
    #[error("The specified bucket does not exist")]
    NoSuchBucket(String),
    /// The object does not exist.
    #[error("The specified key does not exist.")]
    NoSuchKey(String),
    /// The multipart upload does not exist (never created, completed or aborted).
    #[error(
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
    )]
    NoSuchUpload(String),
    /// DeleteBucket on a bucket that still holds objects or uploads.
    #[error("The bucket you tried to delete is not empty")]
    BucketNotEmpty(String),
    /// CreateBucket of an existing bucket outside us-east-1.
    #[error("Your previous request to create the named bucket succeeded and you already own it.")]
    BucketAlreadyOwnedByYou(String),
    /// A part named in CompleteMultipartUpload was not uploaded, or its ETag differs.
    #[error(
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
    )]
    InvalidPart,
    /// CompleteMultipartUpload's parts are not in ascending order.
    #[error("The list of parts was not in ascending order. Parts must be ordered by part number.")]
    InvalidPartOrder,
    /// A part other than the last is smaller than 5 MiB.
    #[error("Your proposed upload is smaller than the minimum allowed size")]
    EntityTooSmall,
    /// A key longer than S3's 1,024 bytes.
    #[error("Your key is too long")]
    KeyTooLong,
    /// A request argument S3 would refuse.
    #[error("{0}")]
    InvalidArgument(String),
    /// The Content-MD5 header does not match the body.
    #[error("The Content-MD5 you specified did not match what we received.")]
    BadDigest,
    /// A condition (If-Match, If-None-Match) does not hold.
    #[error("At least one of the pre-conditions you specified did not hold")]
    PreconditionFailed,
    /// Reading the request body failed (the client went away, bad framing).
    #[error("{0}")]
    IncompleteBody(String),
    /// A content file could not be read or written.
    #[error("storage I/O error: {0}")]
    Io(#[from] std::io::Error),
    /// The index database failed.
    #[error("index database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The index database could not be migrated.
    #[error("index migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored JSON column could not be read back.
    #[error("index JSON error: {0}")]
    Json(#[from] serde_json::Error),
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<Error> for S3Error {
    fn from(err: Error) -> S3Error {
        let code = match &err {
            Error::NoSuchBucket(_) => S3ErrorCode::NoSuchBucket,
            Error::NoSuchKey(_) => S3ErrorCode::NoSuchKey,
            Error::NoSuchUpload(_) => S3ErrorCode::NoSuchUpload,
            Error::BucketNotEmpty(_) => S3ErrorCode::BucketNotEmpty,
            Error::BucketAlreadyOwnedByYou(_) => S3ErrorCode::BucketAlreadyOwnedByYou,
            Error::InvalidPart => S3ErrorCode::InvalidPart,
            Error::InvalidPartOrder => S3ErrorCode::InvalidPartOrder,
            Error::EntityTooSmall => S3ErrorCode::EntityTooSmall,
            Error::KeyTooLong => S3ErrorCode::KeyTooLongError,
            Error::InvalidArgument(_) => S3ErrorCode::InvalidArgument,
            Error::BadDigest => S3ErrorCode::BadDigest,
            Error::PreconditionFailed => S3ErrorCode::PreconditionFailed,
            Error::IncompleteBody(_) => S3ErrorCode::IncompleteBody,
            Error::Io(_) | Error::Database(_) | Error::Migration(_) | Error::Json(_) => {
                tracing::error!(error = %err, "built-in S3 storage failure");
                S3ErrorCode::InternalError
            }
        };
        S3Error::with_message(code, err.to_string())
    }
}

/// The name object_store errors carry for this store.
pub(crate) const STORE: &str = "comprehend-s3store";

impl From<Error> for object_store::Error {
    fn from(err: Error) -> object_store::Error {
        match err {
            Error::NoSuchKey(key) => object_store::Error::NotFound {
                path: key,
                source: "NoSuchKey".into(),
            },
            Error::PreconditionFailed => object_store::Error::Precondition {
                path: String::new(),
                source: "PreconditionFailed".into(),
            },
            // `comprehend_store::objects` recognises a missing bucket by this code in the text,
            // as it does for the external S3's answers.
            Error::NoSuchBucket(bucket) => object_store::Error::Generic {
                store: STORE,
                source: format!("NoSuchBucket: {bucket}").into(),
            },
            other => object_store::Error::Generic {
                store: STORE,
                source: Box::new(other),
            },
        }
    }
}
