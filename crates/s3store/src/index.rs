//! The SQLite index: buckets, objects, uploads and parts. The only module with SQL.
//!
//! Reads go through the pool; every change runs in a transaction while the store's
//! write lock is held (one writer in the process), so a read-then-write transaction
//! never meets another writer's commit.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::error::{Error, Result};

/// What S3 stores with an object besides its bytes. Field names are s3s-fs's, so its
/// metadata files read straight into this type when an old data directory is imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributes {
    /// `x-amz-meta-*`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_metadata: Option<BTreeMap<String, String>>,
    /// `Content-Encoding`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
    /// `Content-Type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `Content-Disposition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_disposition: Option<String>,
    /// `Content-Language`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_language: Option<String>,
    /// `Cache-Control`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<String>,
}

/// Object tags, in the order given.
pub type Tags = Vec<(String, String)>;

/// A bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// Its name.
    pub name: String,
    /// The region it was created in.
    pub region: String,
    /// When it was created.
    pub created: SystemTime,
}

/// An object's index row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRecord {
    /// Bucket name.
    pub bucket: String,
    /// Key.
    pub key: String,
    /// The content file holding its bytes.
    pub(crate) content_id: String,
    /// Length in bytes.
    pub size: u64,
    /// The ETag, unquoted.
    pub etag: String,
    /// Stored headers and user metadata.
    pub attributes: Attributes,
    /// Tags.
    pub tags: Tags,
    /// When it was written.
    pub last_modified: SystemTime,
}

/// A multipart upload in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Its id.
    pub upload_id: String,
    /// Bucket name.
    pub bucket: String,
    /// The key it will complete to.
    pub key: String,
    /// The object's attributes once completed.
    pub attributes: Attributes,
    /// The object's tags once completed.
    pub tags: Tags,
    /// When it was created.
    pub initiated: SystemTime,
}

/// An uploaded part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartRecord {
    /// 1 to 10,000.
    pub part_number: i32,
    pub(crate) content_id: String,
    /// Length in bytes.
    pub size: u64,
    /// MD5 of the part, hex, unquoted.
    pub etag: String,
    /// When it was uploaded.
    pub last_modified: SystemTime,
}

pub(crate) fn millis(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn time(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

fn size(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn object(row: &SqliteRow) -> Result<ObjectRecord> {
    Ok(ObjectRecord {
        bucket: row.try_get("bucket")?,
        key: row.try_get("key")?,
        content_id: row.try_get("content_id")?,
        size: size(row.try_get("size")?),
        etag: row.try_get("etag")?,
        attributes: serde_json::from_str(row.try_get("attributes")?)?,
        tags: serde_json::from_str(row.try_get("tags")?)?,
        last_modified: time(row.try_get("last_modified_ms")?),
    })
}

fn bucket(row: &SqliteRow) -> Result<Bucket> {
    Ok(Bucket {
        name: row.try_get("name")?,
        region: row.try_get("region")?,
        created: time(row.try_get("created_ms")?),
    })
}

/// A bucket by name.
pub(crate) async fn get_bucket(pool: &SqlitePool, name: &str) -> Result<Option<Bucket>> {
    sqlx::query("SELECT name, region, created_ms FROM buckets WHERE name = ?")
        .bind(name)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(bucket)
        .transpose()
}

/// Every bucket, by name.
pub(crate) async fn list_buckets(pool: &SqlitePool) -> Result<Vec<Bucket>> {
    sqlx::query("SELECT name, region, created_ms FROM buckets ORDER BY name")
        .fetch_all(pool)
        .await?
        .iter()
        .map(bucket)
        .collect()
}

/// Inserts a bucket; false if it already exists.
pub(crate) async fn insert_bucket(
    conn: &mut SqliteConnection,
    name: &str,
    region: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO buckets (name, region, created_ms) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(region)
    .bind(millis(SystemTime::now()))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes an empty bucket (no objects, no uploads).
pub(crate) async fn delete_bucket(conn: &mut SqliteConnection, name: &str) -> Result<()> {
    let used: i64 = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM objects WHERE bucket = ?1) OR EXISTS (SELECT 1 FROM uploads WHERE bucket = ?1)",
    )
    .bind(name)
    .fetch_one(&mut *conn)
    .await?;
    if used != 0 {
        return Err(Error::BucketNotEmpty(name.to_owned()));
    }
    let done = sqlx::query("DELETE FROM buckets WHERE name = ?")
        .bind(name)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NoSuchBucket(name.to_owned()));
    }
    Ok(())
}

/// An object's row.
pub(crate) async fn get_object(
    conn: impl sqlx::SqliteExecutor<'_>,
    bucket: &str,
    key: &str,
) -> Result<Option<ObjectRecord>> {
    sqlx::query("SELECT * FROM objects WHERE bucket = ? AND key = ?")
        .bind(bucket)
        .bind(key)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(object)
        .transpose()
}

/// Up to `limit` objects of `bucket` with keys after `after`, in key order.
pub(crate) async fn objects_after(
    pool: &SqlitePool,
    bucket: &str,
    after: &str,
    inclusive: bool,
    limit: i64,
) -> Result<Vec<ObjectRecord>> {
    let sql = if inclusive {
        "SELECT * FROM objects WHERE bucket = ? AND key >= ? ORDER BY key LIMIT ?"
    } else {
        "SELECT * FROM objects WHERE bucket = ? AND key > ? ORDER BY key LIMIT ?"
    };
    sqlx::query(sql)
        .bind(bucket)
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?
        .iter()
        .map(object)
        .collect()
}

/// Inserts or replaces an object's row; returns the content file the old row used.
/// Fails with `NoSuchBucket` if the bucket is gone.
pub(crate) async fn upsert_object(
    conn: &mut SqliteConnection,
    record: &ObjectRecord,
) -> Result<Option<String>> {
    let old: Option<String> =
        sqlx::query_scalar("SELECT content_id FROM objects WHERE bucket = ? AND key = ?")
            .bind(&record.bucket)
            .bind(&record.key)
            .fetch_optional(&mut *conn)
            .await?;
    let inserted = sqlx::query(
        "INSERT OR REPLACE INTO objects (bucket, key, content_id, size, etag, attributes, tags, last_modified_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&record.bucket)
    .bind(&record.key)
    .bind(&record.content_id)
    .bind(i64::try_from(record.size).unwrap_or(i64::MAX))
    .bind(&record.etag)
    .bind(serde_json::to_string(&record.attributes)?)
    .bind(serde_json::to_string(&record.tags)?)
    .bind(millis(record.last_modified))
    .execute(conn)
    .await;
    match inserted {
        Ok(_) => Ok(old),
        Err(e) if is_foreign_key(&e) => Err(Error::NoSuchBucket(record.bucket.clone())),
        Err(e) => Err(e.into()),
    }
}

fn is_foreign_key(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.kind() == sqlx::error::ErrorKind::ForeignKeyViolation)
}

/// Deletes an object's row; returns its content file.
pub(crate) async fn delete_object(
    conn: &mut SqliteConnection,
    bucket: &str,
    key: &str,
) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("DELETE FROM objects WHERE bucket = ? AND key = ? RETURNING content_id")
            .bind(bucket)
            .bind(key)
            .fetch_optional(conn)
            .await?,
    )
}

/// Replaces an object's tags; false if there is no such object.
pub(crate) async fn set_tags(
    conn: &mut SqliteConnection,
    bucket: &str,
    key: &str,
    tags: &Tags,
) -> Result<bool> {
    let done = sqlx::query("UPDATE objects SET tags = ? WHERE bucket = ? AND key = ?")
        .bind(serde_json::to_string(tags)?)
        .bind(bucket)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Every content id a row points to (for the start-up sweep).
pub(crate) async fn content_ids(pool: &SqlitePool) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT content_id FROM objects UNION ALL SELECT content_id FROM parts")
            .fetch_all(pool)
            .await?,
    )
}

fn upload(row: &SqliteRow) -> Result<Upload> {
    Ok(Upload {
        upload_id: row.try_get("upload_id")?,
        bucket: row.try_get("bucket")?,
        key: row.try_get("key")?,
        attributes: serde_json::from_str(row.try_get("attributes")?)?,
        tags: serde_json::from_str(row.try_get("tags")?)?,
        initiated: time(row.try_get("initiated_ms")?),
    })
}

fn part(row: &SqliteRow) -> Result<PartRecord> {
    Ok(PartRecord {
        part_number: row.try_get("part_number")?,
        content_id: row.try_get("content_id")?,
        size: size(row.try_get("size")?),
        etag: row.try_get("etag")?,
        last_modified: time(row.try_get("last_modified_ms")?),
    })
}

/// Records a new upload. Fails with `NoSuchBucket` if the bucket is gone.
pub(crate) async fn insert_upload(conn: &mut SqliteConnection, upload: &Upload) -> Result<()> {
    let done = sqlx::query(
        "INSERT INTO uploads (upload_id, bucket, key, attributes, tags, initiated_ms) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&upload.upload_id)
    .bind(&upload.bucket)
    .bind(&upload.key)
    .bind(serde_json::to_string(&upload.attributes)?)
    .bind(serde_json::to_string(&upload.tags)?)
    .bind(millis(upload.initiated))
    .execute(conn)
    .await;
    match done {
        Ok(_) => Ok(()),
        Err(e) if is_foreign_key(&e) => Err(Error::NoSuchBucket(upload.bucket.clone())),
        Err(e) => Err(e.into()),
    }
}

/// An upload by id.
pub(crate) async fn get_upload(
    conn: impl sqlx::SqliteExecutor<'_>,
    upload_id: &str,
) -> Result<Option<Upload>> {
    sqlx::query("SELECT * FROM uploads WHERE upload_id = ?")
        .bind(upload_id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(upload)
        .transpose()
}

/// Uploads of a bucket whose key starts with `prefix`, by key then id.
pub(crate) async fn list_uploads(
    pool: &SqlitePool,
    bucket: &str,
    prefix: &str,
    limit: i64,
) -> Result<Vec<Upload>> {
    sqlx::query(
        "SELECT * FROM uploads WHERE bucket = ? AND substr(key, 1, length(?2)) = ?2 ORDER BY key, upload_id LIMIT ?3",
    )
    .bind(bucket)
    .bind(prefix)
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(upload)
    .collect()
}

/// Records a part, replacing an earlier upload of the same number; returns the
/// replaced part's content file. Fails with `NoSuchUpload` if the upload is gone.
pub(crate) async fn upsert_part(
    conn: &mut SqliteConnection,
    upload_id: &str,
    record: &PartRecord,
) -> Result<Option<String>> {
    let old: Option<String> =
        sqlx::query_scalar("SELECT content_id FROM parts WHERE upload_id = ? AND part_number = ?")
            .bind(upload_id)
            .bind(record.part_number)
            .fetch_optional(&mut *conn)
            .await?;
    let done = sqlx::query(
        "INSERT OR REPLACE INTO parts (upload_id, part_number, content_id, size, etag, last_modified_ms) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(upload_id)
    .bind(record.part_number)
    .bind(&record.content_id)
    .bind(i64::try_from(record.size).unwrap_or(i64::MAX))
    .bind(&record.etag)
    .bind(millis(record.last_modified))
    .execute(conn)
    .await;
    match done {
        Ok(_) => Ok(old),
        Err(e) if is_foreign_key(&e) => Err(Error::NoSuchUpload(upload_id.to_owned())),
        Err(e) => Err(e.into()),
    }
}

/// An upload's parts after `marker`, by number.
pub(crate) async fn list_parts(
    conn: impl sqlx::SqliteExecutor<'_>,
    upload_id: &str,
    marker: i32,
    limit: i64,
) -> Result<Vec<PartRecord>> {
    sqlx::query(
        "SELECT * FROM parts WHERE upload_id = ? AND part_number > ? ORDER BY part_number LIMIT ?",
    )
    .bind(upload_id)
    .bind(marker)
    .bind(limit)
    .fetch_all(conn)
    .await?
    .iter()
    .map(part)
    .collect()
}

/// Deletes an upload and its parts; returns the parts' content files.
pub(crate) async fn delete_upload(
    conn: &mut SqliteConnection,
    upload_id: &str,
) -> Result<Vec<String>> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT content_id FROM parts WHERE upload_id = ?")
        .bind(upload_id)
        .fetch_all(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM parts WHERE upload_id = ?")
        .bind(upload_id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM uploads WHERE upload_id = ?")
        .bind(upload_id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NoSuchUpload(upload_id.to_owned()));
    }
    Ok(ids)
}
