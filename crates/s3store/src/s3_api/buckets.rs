//! Bucket operations.

use s3s::dto::*;
use s3s::{S3Error, S3ErrorCode, S3Request, S3Response, S3Result};

use super::SigningRegion;
use crate::error::Error;
use crate::store::{Created, DEFAULT_REGION, S3Store};

type Answer<T> = S3Result<S3Response<T>>;

/// CreateBucket. Re-creating a bucket you own is a no-op in us-east-1 (S3's legacy
/// answer) and `BucketAlreadyOwnedByYou` in every other region. The region is the
/// LocationConstraint if given, else the request's signing region.
pub(super) async fn create(
    store: &S3Store,
    req: S3Request<CreateBucketInput>,
) -> Answer<CreateBucketOutput> {
    let constraint = req
        .input
        .create_bucket_configuration
        .as_ref()
        .and_then(|c| c.location_constraint.as_ref())
        .map(|c| c.as_str().to_owned())
        .filter(|c| !c.is_empty());
    let region = constraint
        .or_else(|| req.extensions.get::<SigningRegion>().map(|r| r.0.clone()))
        .unwrap_or_else(|| DEFAULT_REGION.to_owned());
    let bucket = req.input.bucket;
    match store.create_bucket(&bucket, &region).await? {
        Created::New => {}
        Created::Existing(_) if region == DEFAULT_REGION => {}
        Created::Existing(_) => return Err(Error::BucketAlreadyOwnedByYou(bucket).into()),
    }
    Ok(S3Response::new(CreateBucketOutput {
        location: Some(format!("/{bucket}")),
    }))
}

/// DeleteBucket: only an empty one.
pub(super) async fn delete(
    store: &S3Store,
    input: DeleteBucketInput,
) -> Answer<DeleteBucketOutput> {
    store.delete_bucket(&input.bucket).await?;
    Ok(S3Response::new(DeleteBucketOutput {}))
}

/// HeadBucket.
pub(super) async fn head(store: &S3Store, input: HeadBucketInput) -> Answer<HeadBucketOutput> {
    let bucket = store.bucket(&input.bucket).await?;
    Ok(S3Response::new(HeadBucketOutput {
        bucket_region: Some(bucket.region),
        ..Default::default()
    }))
}

/// ListBuckets: every bucket (one owner).
pub(super) async fn list(store: &S3Store) -> Answer<ListBucketsOutput> {
    let buckets = store
        .buckets()
        .await?
        .into_iter()
        .map(|b| Bucket {
            bucket_region: Some(b.region),
            creation_date: Some(Timestamp::from(b.created)),
            name: Some(b.name),
        })
        .collect();
    Ok(S3Response::new(ListBucketsOutput {
        buckets: Some(buckets),
        owner: Some(Owner {
            display_name: Some("comprehend-local".into()),
            id: Some("comprehend-local".into()),
        }),
        ..Default::default()
    }))
}

/// GetBucketLocation: empty for us-east-1, as S3 answers.
pub(super) async fn location(
    store: &S3Store,
    input: GetBucketLocationInput,
) -> Answer<GetBucketLocationOutput> {
    let bucket = store.bucket(&input.bucket).await?;
    let location_constraint =
        (bucket.region != DEFAULT_REGION).then(|| BucketLocationConstraint::from(bucket.region));
    Ok(S3Response::new(GetBucketLocationOutput {
        location_constraint,
    }))
}

/// An error for a request argument S3 would refuse.
pub(super) fn invalid(message: impl Into<String>) -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidArgument, message.into())
}
