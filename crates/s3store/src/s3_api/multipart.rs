//! Multipart uploads.

use futures::{StreamExt, TryStreamExt};
use s3s::dto::*;
use s3s::{S3Response, S3Result};

use super::buckets::invalid;
use super::objects::{attributes, header_tags};
use crate::multipart::MIN_PART_SIZE;
use crate::store::{NewObject, S3Store};

type Answer<T> = S3Result<S3Response<T>>;

/// CreateMultipartUpload.
pub(super) async fn create(
    store: &S3Store,
    input: CreateMultipartUploadInput,
) -> Answer<CreateMultipartUploadOutput> {
    let new = NewObject {
        attributes: attributes(
            input.metadata,
            input.content_type,
            input.content_encoding,
            input.content_disposition,
            input.content_language,
            input.cache_control,
        ),
        tags: header_tags(input.tagging.as_deref())?,
        content_md5: None,
    };
    let upload = store.create_upload(&input.bucket, &input.key, new).await?;
    Ok(S3Response::new(CreateMultipartUploadOutput {
        bucket: Some(input.bucket),
        key: Some(input.key),
        upload_id: Some(upload.upload_id),
        ..Default::default()
    }))
}

/// UploadPart.
pub(super) async fn upload_part(
    store: &S3Store,
    input: UploadPartInput,
) -> Answer<UploadPartOutput> {
    let body = input
        .body
        .map(|b| b.map_err(|e| e.to_string()).left_stream())
        .unwrap_or_else(|| futures::stream::empty().right_stream());
    let part = store
        .upload_part(
            (&input.bucket, &input.key, &input.upload_id),
            input.part_number,
            body,
        )
        .await?;
    Ok(S3Response::new(UploadPartOutput {
        e_tag: Some(ETag::Strong(part.etag)),
        ..Default::default()
    }))
}

/// ListParts, paginated by part number.
pub(super) async fn list_parts(store: &S3Store, input: ListPartsInput) -> Answer<ListPartsOutput> {
    let max = input.max_parts.unwrap_or(1000).clamp(1, 1000);
    let marker = input.part_number_marker.unwrap_or(0);
    let ids = (
        input.bucket.as_str(),
        input.key.as_str(),
        input.upload_id.as_str(),
    );
    let mut parts = store
        .parts(ids, marker, usize::try_from(max).unwrap_or(1000) + 1)
        .await?;
    let truncated = parts.len() > usize::try_from(max).unwrap_or(1000);
    parts.truncate(usize::try_from(max).unwrap_or(1000));
    let next = parts.last().filter(|_| truncated).map(|p| p.part_number);
    let parts = parts
        .into_iter()
        .map(|p| Part {
            part_number: Some(p.part_number),
            size: Some(i64::try_from(p.size).unwrap_or(i64::MAX)),
            e_tag: Some(ETag::Strong(p.etag)),
            last_modified: Some(Timestamp::from(p.last_modified)),
            ..Default::default()
        })
        .collect();
    Ok(S3Response::new(ListPartsOutput {
        bucket: Some(input.bucket),
        key: Some(input.key),
        upload_id: Some(input.upload_id),
        max_parts: Some(max),
        is_truncated: Some(truncated),
        part_number_marker: input.part_number_marker,
        next_part_number_marker: next,
        parts: Some(parts),
        ..Default::default()
    }))
}

/// CompleteMultipartUpload.
pub(super) async fn complete(
    store: &S3Store,
    input: CompleteMultipartUploadInput,
) -> Answer<CompleteMultipartUploadOutput> {
    let listed: Vec<_> = input
        .multipart_upload
        .and_then(|m| m.parts)
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.part_number.unwrap_or(0), p.e_tag.map(ETag::into_value)))
        .collect();
    let ids = (
        input.bucket.as_str(),
        input.key.as_str(),
        input.upload_id.as_str(),
    );
    let record = store.complete_upload(ids, &listed, MIN_PART_SIZE).await?;
    Ok(S3Response::new(CompleteMultipartUploadOutput {
        location: Some(format!("/{}/{}", record.bucket, record.key)),
        bucket: Some(record.bucket),
        key: Some(record.key),
        e_tag: Some(ETag::Strong(record.etag)),
        ..Default::default()
    }))
}

/// AbortMultipartUpload.
pub(super) async fn abort(
    store: &S3Store,
    input: AbortMultipartUploadInput,
) -> Answer<AbortMultipartUploadOutput> {
    store
        .abort_upload(&input.bucket, &input.key, &input.upload_id)
        .await?;
    Ok(S3Response::new(AbortMultipartUploadOutput::default()))
}

/// ListMultipartUploads (first 1,000, by key).
pub(super) async fn list_uploads(
    store: &S3Store,
    input: ListMultipartUploadsInput,
) -> Answer<ListMultipartUploadsOutput> {
    let max = input.max_uploads.unwrap_or(1000).clamp(1, 1000);
    let prefix = input.prefix.clone().unwrap_or_default();
    let uploads = store
        .uploads(&input.bucket, &prefix, usize::try_from(max).unwrap_or(1000))
        .await?
        .into_iter()
        .map(|u| MultipartUpload {
            key: Some(u.key),
            upload_id: Some(u.upload_id),
            initiated: Some(Timestamp::from(u.initiated)),
            ..Default::default()
        })
        .collect();
    Ok(S3Response::new(ListMultipartUploadsOutput {
        bucket: Some(input.bucket),
        prefix: input.prefix,
        max_uploads: Some(max),
        is_truncated: Some(false),
        uploads: Some(uploads),
        ..Default::default()
    }))
}

/// UploadPartCopy: a part copied from an object, whole or `bytes=first-last`.
pub(super) async fn upload_part_copy(
    store: &S3Store,
    input: UploadPartCopyInput,
) -> Answer<UploadPartCopyOutput> {
    let CopySource::Bucket { bucket, key, .. } = &input.copy_source else {
        return Err(invalid("Only bucket copy sources are supported"));
    };
    let range = input
        .copy_source_range
        .as_deref()
        .map(parse_copy_range)
        .transpose()?;
    let ids = (
        input.bucket.as_str(),
        input.key.as_str(),
        input.upload_id.as_str(),
    );
    let part = store
        .upload_part_copy(ids, input.part_number, (bucket, key), range)
        .await?;
    Ok(S3Response::new(UploadPartCopyOutput {
        copy_part_result: Some(CopyPartResult {
            e_tag: Some(ETag::Strong(part.etag)),
            last_modified: Some(Timestamp::from(part.last_modified)),
            ..Default::default()
        }),
        ..Default::default()
    }))
}

/// `bytes=first-last` (inclusive), as `x-amz-copy-source-range` has it.
fn parse_copy_range(text: &str) -> S3Result<(u64, u64)> {
    let bad = || invalid("The x-amz-copy-source-range value must be of the form bytes=first-last");
    let (first, last) = text
        .strip_prefix("bytes=")
        .and_then(|r| r.split_once('-'))
        .ok_or_else(bad)?;
    let first: u64 = first.parse().map_err(|_| bad())?;
    let last: u64 = last.parse().map_err(|_| bad())?;
    if last < first {
        return Err(bad());
    }
    Ok((first, last))
}
