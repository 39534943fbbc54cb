//! Object operations: put, get (ranged), head, delete, copy, list, tags.

use futures::{StreamExt, TryStreamExt};
use s3s::dto::*;
use s3s::{S3Error, S3ErrorCode, S3Response, S3Result};

use super::buckets::invalid;
use super::url_encode;
use crate::content::file_stream;
use crate::index::{Attributes, ObjectRecord, Tags};
use crate::listing::{ListQuery, Listing};
use crate::store::{NewObject, S3Store};

type Answer<T> = S3Result<S3Response<T>>;

/// The most entries one listing page holds, as in S3.
const MAX_KEYS: i32 = 1000;

/// Attributes from a request's headers.
pub(super) fn attributes(
    metadata: Option<Metadata>,
    content_type: Option<String>,
    content_encoding: Option<String>,
    content_disposition: Option<String>,
    content_language: Option<String>,
    cache_control: Option<String>,
) -> Attributes {
    Attributes {
        user_metadata: metadata.map(|m| m.into_iter().collect()),
        content_encoding,
        content_type,
        content_disposition,
        content_language,
        cache_control,
    }
}

/// Tags from an `x-amz-tagging` header (`k1=v1&k2=v2`, URL-encoded).
pub(super) fn header_tags(header: Option<&str>) -> S3Result<Tags> {
    let Some(header) = header.filter(|h| !h.is_empty()) else {
        return Ok(Vec::new());
    };
    header
        .split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((url_decode(k)?, url_decode(v)?))
        })
        .collect()
}

fn url_decode(text: &str) -> S3Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| invalid("The x-amz-tagging header is not URL-encoded"))?;
                out.push(hex);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| invalid("The x-amz-tagging header is not UTF-8"))
}

/// PutObject.
pub(super) async fn put(store: &S3Store, input: PutObjectInput) -> Answer<PutObjectOutput> {
    if input.if_none_match.as_ref().is_some_and(|c| c.is_any())
        && store.head(&input.bucket, &input.key).await.is_ok()
    {
        return Err(S3Error::with_message(
            S3ErrorCode::PreconditionFailed,
            "At least one of the pre-conditions you specified did not hold",
        ));
    }
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
        content_md5: input.content_md5,
    };
    let body = input
        .body
        .map(|b| b.map_err(|e| e.to_string()).left_stream())
        .unwrap_or_else(|| futures::stream::empty().right_stream());
    let record = store.put(&input.bucket, &input.key, body, new).await?;
    Ok(S3Response::new(PutObjectOutput {
        e_tag: Some(ETag::Strong(record.etag)),
        ..Default::default()
    }))
}

/// GetObject, whole or one byte range.
pub(super) async fn get(store: &S3Store, input: GetObjectInput) -> Answer<GetObjectOutput> {
    let (record, file) = store.open_object(&input.bucket, &input.key).await?;
    let (start, length, content_range) = match input.range {
        None => (0, record.size, None),
        Some(range) => {
            let r = range.check(record.size).map_err(|_| {
                S3Error::with_message(
                    S3ErrorCode::InvalidRange,
                    "The requested range is not satisfiable",
                )
            })?;
            let text = format!("bytes {}-{}/{}", r.start, r.end - 1, record.size);
            (r.start, r.end - r.start, Some(text))
        }
    };
    let body = file_stream(file, start, length);
    let a = record.attributes;
    Ok(S3Response::new(GetObjectOutput {
        body: Some(StreamingBlob::wrap(body)),
        content_length: Some(i64::try_from(length).unwrap_or(i64::MAX)),
        content_range,
        accept_ranges: Some("bytes".into()),
        last_modified: Some(Timestamp::from(record.last_modified)),
        e_tag: Some(ETag::Strong(record.etag)),
        metadata: a.user_metadata.map(|m| m.into_iter().collect()),
        content_type: a.content_type,
        content_encoding: a.content_encoding,
        content_disposition: a.content_disposition,
        content_language: a.content_language,
        cache_control: a.cache_control,
        tag_count: i32::try_from(record.tags.len()).ok().filter(|n| *n > 0),
        ..Default::default()
    }))
}

/// HeadObject.
pub(super) async fn head(store: &S3Store, input: HeadObjectInput) -> Answer<HeadObjectOutput> {
    let record = store.head(&input.bucket, &input.key).await?;
    let a = record.attributes;
    Ok(S3Response::new(HeadObjectOutput {
        content_length: Some(i64::try_from(record.size).unwrap_or(i64::MAX)),
        accept_ranges: Some("bytes".into()),
        last_modified: Some(Timestamp::from(record.last_modified)),
        e_tag: Some(ETag::Strong(record.etag)),
        metadata: a.user_metadata.map(|m| m.into_iter().collect()),
        content_type: a.content_type,
        content_encoding: a.content_encoding,
        content_disposition: a.content_disposition,
        content_language: a.content_language,
        cache_control: a.cache_control,
        ..Default::default()
    }))
}

/// DeleteObject (a missing key is not an error; a missing bucket is).
pub(super) async fn delete(
    store: &S3Store,
    input: DeleteObjectInput,
) -> Answer<DeleteObjectOutput> {
    store.delete(&input.bucket, &input.key).await?;
    Ok(S3Response::new(DeleteObjectOutput::default()))
}

/// DeleteObjects: `NoSuchBucket` for a missing bucket, else each key deleted.
pub(super) async fn delete_many(
    store: &S3Store,
    input: DeleteObjectsInput,
) -> Answer<DeleteObjectsOutput> {
    store.bucket(&input.bucket).await?;
    let quiet = input.delete.quiet.unwrap_or(false);
    let mut deleted = Vec::new();
    let mut errors = Vec::new();
    for object in input.delete.objects {
        match store.delete(&input.bucket, &object.key).await {
            Ok(()) if quiet => {}
            Ok(()) => deleted.push(DeletedObject {
                key: Some(object.key),
                ..Default::default()
            }),
            Err(e) => {
                let e = S3Error::from(e);
                errors.push(Error {
                    code: Some(e.code().as_str().to_owned()),
                    message: e.message().map(str::to_owned),
                    key: Some(object.key),
                    version_id: None,
                });
            }
        }
    }
    Ok(S3Response::new(DeleteObjectsOutput {
        deleted: Some(deleted),
        errors: (!errors.is_empty()).then_some(errors),
        ..Default::default()
    }))
}

/// CopyObject; `MetadataDirective: REPLACE` takes the request's headers.
pub(super) async fn copy(store: &S3Store, input: CopyObjectInput) -> Answer<CopyObjectOutput> {
    let CopySource::Bucket { bucket, key, .. } = &input.copy_source else {
        return Err(S3Error::with_message(
            S3ErrorCode::NotImplemented,
            "Only bucket copy sources are supported",
        ));
    };
    let replace = input
        .metadata_directive
        .as_ref()
        .is_some_and(|d| d.as_str() == MetadataDirective::REPLACE);
    let new = replace.then(|| NewObject {
        attributes: attributes(
            input.metadata.clone(),
            input.content_type.clone(),
            input.content_encoding.clone(),
            input.content_disposition.clone(),
            input.content_language.clone(),
            input.cache_control.clone(),
        ),
        tags: Vec::new(),
        content_md5: None,
    });
    let record = store
        .copy((bucket, key), (&input.bucket, &input.key), new)
        .await?;
    Ok(S3Response::new(CopyObjectOutput {
        copy_object_result: Some(CopyObjectResult {
            e_tag: Some(ETag::Strong(record.etag)),
            last_modified: Some(Timestamp::from(record.last_modified)),
            ..Default::default()
        }),
        ..Default::default()
    }))
}

/// A page of a listing, with `MaxKeys` capped at S3's 1,000.
async fn page(
    store: &S3Store,
    bucket: &str,
    prefix: Option<&str>,
    delimiter: Option<&str>,
    after: Option<&str>,
    max_keys: Option<i32>,
) -> S3Result<(Listing, i32)> {
    let max = max_keys.unwrap_or(MAX_KEYS).clamp(0, MAX_KEYS);
    let query = ListQuery {
        prefix: prefix.unwrap_or_default(),
        delimiter,
        after,
        max: usize::try_from(max).unwrap_or(0),
    };
    Ok((store.list(bucket, &query).await?, max))
}

fn contents(objects: Vec<ObjectRecord>, url: bool) -> (Vec<Object>, usize) {
    let count = objects.len();
    let list = objects
        .into_iter()
        .map(|o| Object {
            key: Some(if url { url_encode(&o.key) } else { o.key }),
            size: Some(i64::try_from(o.size).unwrap_or(i64::MAX)),
            e_tag: Some(ETag::Strong(o.etag)),
            last_modified: Some(Timestamp::from(o.last_modified)),
            storage_class: Some(ObjectStorageClass::from_static(
                ObjectStorageClass::STANDARD,
            )),
            ..Default::default()
        })
        .collect();
    (list, count)
}

fn prefixes(list: Vec<String>, url: bool) -> Vec<CommonPrefix> {
    list.into_iter()
        .map(|p| CommonPrefix {
            prefix: Some(if url { url_encode(&p) } else { p }),
        })
        .collect()
}

fn is_url(encoding: Option<&EncodingType>) -> bool {
    encoding.is_some_and(|e| e.as_str() == EncodingType::URL)
}

/// ListObjectsV2. The continuation token is the last entry of the previous page.
pub(super) async fn list_v2(
    store: &S3Store,
    input: ListObjectsV2Input,
) -> Answer<ListObjectsV2Output> {
    let after = match (
        input.continuation_token.as_deref(),
        input.start_after.as_deref(),
    ) {
        (Some(token), Some(start)) => Some(token.max(start)),
        (token, start) => token.or(start),
    };
    let (listing, max) = page(
        store,
        &input.bucket,
        input.prefix.as_deref(),
        input.delimiter.as_deref(),
        after,
        input.max_keys,
    )
    .await?;
    let url = is_url(input.encoding_type.as_ref());
    let (objects, count) = contents(listing.objects, url);
    let key_count = count + listing.prefixes.len();
    let enc = |v: Option<String>| if url { v.map(|s| url_encode(&s)) } else { v };
    Ok(S3Response::new(ListObjectsV2Output {
        name: Some(input.bucket),
        prefix: enc(input.prefix),
        delimiter: enc(input.delimiter),
        start_after: enc(input.start_after),
        max_keys: Some(max),
        key_count: Some(i32::try_from(key_count).unwrap_or(MAX_KEYS)),
        is_truncated: Some(listing.next.is_some()),
        continuation_token: input.continuation_token,
        next_continuation_token: listing.next,
        contents: (!objects.is_empty()).then_some(objects),
        common_prefixes: Some(prefixes(listing.prefixes, url)).filter(|p| !p.is_empty()),
        encoding_type: input.encoding_type,
        ..Default::default()
    }))
}

/// ListObjects (version 1): `Marker` and `NextMarker`.
pub(super) async fn list_v1(store: &S3Store, input: ListObjectsInput) -> Answer<ListObjectsOutput> {
    let (listing, max) = page(
        store,
        &input.bucket,
        input.prefix.as_deref(),
        input.delimiter.as_deref(),
        input.marker.as_deref(),
        input.max_keys,
    )
    .await?;
    let url = is_url(input.encoding_type.as_ref());
    let (objects, _) = contents(listing.objects, url);
    let enc = |v: Option<String>| if url { v.map(|s| url_encode(&s)) } else { v };
    Ok(S3Response::new(ListObjectsOutput {
        name: Some(input.bucket),
        prefix: enc(input.prefix),
        delimiter: enc(input.delimiter),
        marker: enc(input.marker),
        max_keys: Some(max),
        is_truncated: Some(listing.next.is_some()),
        next_marker: enc(listing.next),
        contents: (!objects.is_empty()).then_some(objects),
        common_prefixes: Some(prefixes(listing.prefixes, url)).filter(|p| !p.is_empty()),
        encoding_type: input.encoding_type,
        ..Default::default()
    }))
}

/// PutObjectTagging.
pub(super) async fn put_tags(
    store: &S3Store,
    input: PutObjectTaggingInput,
) -> Answer<PutObjectTaggingOutput> {
    let tags = input
        .tagging
        .tag_set
        .into_iter()
        .map(|t| (t.key.unwrap_or_default(), t.value.unwrap_or_default()))
        .collect();
    store.set_tags(&input.bucket, &input.key, tags).await?;
    Ok(S3Response::new(PutObjectTaggingOutput::default()))
}

/// GetObjectTagging.
pub(super) async fn get_tags(
    store: &S3Store,
    input: GetObjectTaggingInput,
) -> Answer<GetObjectTaggingOutput> {
    let record = store.head(&input.bucket, &input.key).await?;
    let tag_set = record
        .tags
        .into_iter()
        .map(|(key, value)| Tag {
            key: Some(key),
            value: Some(value),
        })
        .collect();
    Ok(S3Response::new(GetObjectTaggingOutput {
        tag_set,
        version_id: None,
    }))
}

/// DeleteObjectTagging.
pub(super) async fn delete_tags(
    store: &S3Store,
    input: DeleteObjectTaggingInput,
) -> Answer<DeleteObjectTaggingOutput> {
    store
        .set_tags(&input.bucket, &input.key, Vec::new())
        .await?;
    Ok(S3Response::new(DeleteObjectTaggingOutput::default()))
}
