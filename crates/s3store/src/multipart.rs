//! Multipart uploads: parts are content files of their own, concatenated into the
//! object's content file on completion.

use std::time::SystemTime;

use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};
use s3s::crypto::{Checksum, Md5};

use crate::content::{file_stream, hex};
use crate::error::{Error, Result};
use crate::index::{self, ObjectRecord, PartRecord, Upload};
use crate::store::{NewObject, S3Store, check_key};

/// S3's smallest part, except for the last one.
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;

/// A part named in CompleteMultipartUpload: its number and, optionally, its ETag.
pub type CompletedPart = (i32, Option<String>);

impl S3Store {
    /// Starts an upload.
    pub async fn create_upload(&self, bucket: &str, key: &str, new: NewObject) -> Result<Upload> {
        check_key(key)?;
        self.bucket(bucket).await?;
        let upload = Upload {
            upload_id: uuid::Uuid::new_v4().simple().to_string(),
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            attributes: new.attributes,
            tags: new.tags,
            initiated: SystemTime::now(),
        };
        let _write = self.write.lock().await;
        let mut conn = self.pool.acquire().await?;
        index::insert_upload(&mut conn, &upload).await?;
        Ok(upload)
    }

    /// An upload of `bucket`/`key`, or `NoSuchUpload` (`NoSuchBucket` if the bucket is gone).
    pub async fn upload(&self, bucket: &str, key: &str, upload_id: &str) -> Result<Upload> {
        match index::get_upload(&self.pool, upload_id).await? {
            Some(u) if u.bucket == bucket && u.key == key => Ok(u),
            _ => {
                self.bucket(bucket).await?;
                Err(Error::NoSuchUpload(upload_id.to_owned()))
            }
        }
    }

    /// Stores one part (replacing an earlier one with the same number).
    pub async fn upload_part<S, E>(
        &self,
        (bucket, key, upload_id): (&str, &str, &str),
        part_number: i32,
        body: S,
    ) -> Result<PartRecord>
    where
        S: Stream<Item = std::result::Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        if !(1..=10_000).contains(&part_number) {
            return Err(Error::InvalidArgument(
                "Part number must be an integer between 1 and 10000, inclusive".into(),
            ));
        }
        self.upload(bucket, key, upload_id).await?;
        let written = self.content.write(body).await?;
        let part = PartRecord {
            part_number,
            content_id: written.id,
            size: written.size,
            etag: hex(&written.md5),
            last_modified: SystemTime::now(),
        };
        let replaced = async {
            let _write = self.write.lock().await;
            let mut tx = self.pool.begin().await?;
            let old = index::upsert_part(&mut tx, upload_id, &part).await?;
            tx.commit().await?;
            Ok::<_, Error>(old)
        }
        .await;
        match replaced {
            Ok(old) => {
                self.content.remove(old).await;
                Ok(part)
            }
            Err(e) => {
                self.content.remove([part.content_id]).await;
                Err(e)
            }
        }
    }

    /// Stores one part copied from an object: all of it, or the inclusive byte range
    /// `(first, last)`.
    pub async fn upload_part_copy(
        &self,
        ids: (&str, &str, &str),
        part_number: i32,
        (bucket, key): (&str, &str),
        range: Option<(u64, u64)>,
    ) -> Result<PartRecord> {
        let (source, file) = self.open_object(bucket, key).await?;
        let (start, length) = match range {
            None => (0, source.size),
            Some((first, last)) if last < source.size => (first, last - first + 1),
            Some(_) => {
                return Err(Error::InvalidArgument(
                    "The x-amz-copy-source-range is past the end of the source object".into(),
                ));
            }
        };
        self.upload_part(ids, part_number, file_stream(file, start, length))
            .await
    }

    /// Up to `max` parts after part number `marker`.
    pub async fn parts(
        &self,
        (bucket, key, upload_id): (&str, &str, &str),
        marker: i32,
        max: usize,
    ) -> Result<Vec<PartRecord>> {
        self.upload(bucket, key, upload_id).await?;
        let limit = i64::try_from(max).unwrap_or(i64::MAX);
        index::list_parts(&self.pool, upload_id, marker, limit).await
    }

    /// Uploads in progress in a bucket under `prefix`.
    pub async fn uploads(&self, bucket: &str, prefix: &str, max: usize) -> Result<Vec<Upload>> {
        self.bucket(bucket).await?;
        let limit = i64::try_from(max).unwrap_or(i64::MAX);
        index::list_uploads(&self.pool, bucket, prefix, limit).await
    }

    /// Abandons an upload and its parts.
    pub async fn abort_upload(&self, bucket: &str, key: &str, upload_id: &str) -> Result<()> {
        self.upload(bucket, key, upload_id).await?;
        let ids = self
            .freeing(|| async {
                let _write = self.write.lock().await;
                let mut tx = self.pool.begin().await?;
                let ids = index::delete_upload(&mut tx, upload_id).await?;
                tx.commit().await?;
                Ok(ids)
            })
            .await?;
        self.content.remove(ids).await;
        Ok(())
    }

    /// Completes an upload from the listed parts (ascending; all but the last at least
    /// `min_part_size` bytes). Unlisted parts are discarded, as in S3.
    pub async fn complete_upload(
        &self,
        (bucket, key, upload_id): (&str, &str, &str),
        listed: &[CompletedPart],
        min_part_size: u64,
    ) -> Result<ObjectRecord> {
        let upload = self.upload(bucket, key, upload_id).await?;
        let all = index::list_parts(&self.pool, upload_id, 0, 10_001).await?;
        let chosen = choose_parts(&all, listed, min_part_size)?;
        let mut etag_md5 = Md5::new();
        for part in &chosen {
            etag_md5.update(&unhex(&part.etag).ok_or(Error::InvalidPart)?);
        }
        let content = self.content.clone();
        let files = futures::stream::iter(chosen.clone())
            .then(move |part| {
                let content = content.clone();
                async move {
                    let file = content.open_file(&part.content_id).await?;
                    Ok::<_, std::io::Error>(file_stream(file, 0, part.size))
                }
            })
            .try_flatten();
        let written = self.content.write(files).await?;
        let record = ObjectRecord {
            bucket: upload.bucket,
            key: upload.key,
            content_id: written.id,
            size: written.size,
            etag: format!("{}-{}", hex(&etag_md5.finalize()), chosen.len()),
            attributes: upload.attributes,
            tags: upload.tags,
            last_modified: SystemTime::now(),
        };
        self.commit_completed(record, upload_id).await
    }

    async fn commit_completed(
        &self,
        record: ObjectRecord,
        upload_id: &str,
    ) -> Result<ObjectRecord> {
        let committed = async {
            let _write = self.write.lock().await;
            let mut tx = self.pool.begin().await?;
            let old = index::upsert_object(&mut tx, &record).await?;
            let parts = index::delete_upload(&mut tx, upload_id).await?;
            tx.commit().await?;
            Ok::<_, Error>(old.into_iter().chain(parts))
        }
        .await;
        match committed {
            Ok(unused) => {
                self.content.remove(unused).await;
                Ok(record)
            }
            Err(e) => {
                self.content.remove([record.content_id]).await;
                Err(e)
            }
        }
    }
}

/// The uploaded parts CompleteMultipartUpload names, checked as S3 checks them.
fn choose_parts(
    all: &[PartRecord],
    listed: &[CompletedPart],
    min_part_size: u64,
) -> Result<Vec<PartRecord>> {
    if listed.is_empty() {
        return Err(Error::InvalidPart);
    }
    if listed.windows(2).any(|w| w[0].0 >= w[1].0) {
        return Err(Error::InvalidPartOrder);
    }
    let mut chosen = Vec::with_capacity(listed.len());
    for (number, etag) in listed {
        let part = all
            .iter()
            .find(|p| p.part_number == *number)
            .ok_or(Error::InvalidPart)?;
        if etag
            .as_deref()
            .is_some_and(|e| e.trim_matches('"') != part.etag)
        {
            return Err(Error::InvalidPart);
        }
        chosen.push(part.clone());
    }
    if chosen[..chosen.len() - 1]
        .iter()
        .any(|p| p.size < min_part_size)
    {
        return Err(Error::EntityTooSmall);
    }
    Ok(chosen)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
