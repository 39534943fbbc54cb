//! [`S3Store`]: buckets and objects, combining the index and the content files.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use futures::Stream;
use sqlx::sqlite::SqlitePool;
use tokio::sync::Mutex;

use crate::content::{Content, hex};
use crate::error::{Error, Result};
use crate::index::{self, Attributes, Bucket, ObjectRecord, Tags};
use crate::reserve::Reserve;

/// The region S3 treats as the default (legacy `us-east-1` answers).
pub const DEFAULT_REGION: &str = "us-east-1";

/// The built-in S3's storage. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct S3Store {
    pub(crate) pool: SqlitePool,
    pub(crate) content: Content,
    /// One writer at a time (see `index`).
    pub(crate) write: Mutex<()>,
    root: PathBuf,
    /// Space given up when a delete meets a full disk (see [`Reserve`]).
    reserve: Option<Arc<Reserve>>,
}

/// What CreateBucket did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// A new bucket.
    New,
    /// The bucket existed already (owned by the caller: there is one owner).
    Existing(Bucket),
}

/// A new object's bytes' description.
#[derive(Debug, Clone, Default)]
pub struct NewObject {
    /// Stored headers and user metadata.
    pub attributes: Attributes,
    /// Tags.
    pub tags: Tags,
    /// The base64 `Content-MD5` the client sent, checked against the bytes.
    pub content_md5: Option<String>,
}

impl S3Store {
    /// Opens the store under `root` (`<data-dir>/s3`): the index in
    /// `<root>/.store/index.db`, the content files beside it. A bucket name cannot start
    /// with `.`, so `.store` never collides with a bucket of the old s3s-fs layout,
    /// whose bucket folders are imported here (see `import`).
    pub async fn open(root: &Path) -> Result<S3Store> {
        let dir = root.join(".store");
        std::fs::create_dir_all(&dir)?;
        let pool = crate::sqlite::pool_options()
            .connect_with(crate::sqlite::connect_options(&dir.join("index.db"))?)
            .await?;
        // The index is the built-in S3's own database, separate from comprehend.db (a
        // different lifecycle: it can be deleted with the S3 data), so its migrations
        // live with this crate.
        sqlx::migrate!("./migrations").run(&pool).await?;
        let store = S3Store {
            pool,
            content: Content::open(&dir)?,
            write: Mutex::new(()),
            root: root.to_owned(),
            reserve: None,
        };
        store.sweep().await?;
        crate::import::import_s3s_fs(&store, root).await?;
        Ok(store)
    }

    /// Deletes on a full disk may give up `reserve`'s space to go through.
    pub fn with_reserve(mut self, reserve: Arc<Reserve>) -> S3Store {
        self.reserve = Some(reserve);
        self
    }

    /// Runs an index change that frees space through the reserve (see
    /// [`Reserve::freeing`]), or as it is without one.
    pub(crate) async fn freeing<T, F, Fut>(&self, change: F) -> Result<T>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        match &self.reserve {
            Some(reserve) => reserve.freeing(change).await,
            None => change().await,
        }
    }

    /// The folder this store lives in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Removes content files no row points to (left by a process killed between
    /// writing a file and committing its row).
    async fn sweep(&self) -> Result<()> {
        let used: std::collections::HashSet<String> =
            index::content_ids(&self.pool).await?.into_iter().collect();
        let unused: Vec<String> = self
            .content
            .all_ids()?
            .into_iter()
            .filter(|id| !used.contains(id))
            .collect();
        if !unused.is_empty() {
            tracing::info!(
                count = unused.len(),
                "removing unreferenced S3 content files"
            );
        }
        self.content.remove(unused).await;
        Ok(())
    }

    /// Creates a bucket in `region`, or reports the existing one.
    pub async fn create_bucket(&self, name: &str, region: &str) -> Result<Created> {
        let _write = self.write.lock().await;
        let mut conn = self.pool.acquire().await?;
        if index::insert_bucket(&mut conn, name, region).await? {
            return Ok(Created::New);
        }
        drop(conn);
        Ok(Created::Existing(self.bucket(name).await?))
    }

    /// A bucket, or `NoSuchBucket`.
    pub async fn bucket(&self, name: &str) -> Result<Bucket> {
        index::get_bucket(&self.pool, name)
            .await?
            .ok_or_else(|| Error::NoSuchBucket(name.to_owned()))
    }

    /// Every bucket.
    pub async fn buckets(&self) -> Result<Vec<Bucket>> {
        index::list_buckets(&self.pool).await
    }

    /// Deletes an empty bucket.
    pub async fn delete_bucket(&self, name: &str) -> Result<()> {
        self.freeing(|| async {
            let _write = self.write.lock().await;
            let mut tx = self.pool.begin().await?;
            index::delete_bucket(&mut tx, name).await?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// An object's row, or `NoSuchKey` / `NoSuchBucket`.
    pub async fn head(&self, bucket: &str, key: &str) -> Result<ObjectRecord> {
        match index::get_object(&self.pool, bucket, key).await? {
            Some(record) => Ok(record),
            None => {
                self.bucket(bucket).await?;
                Err(Error::NoSuchKey(key.to_owned()))
            }
        }
    }

    /// An object's row and its content file, opened. The file stays readable even if
    /// the object is overwritten or deleted while it is read.
    pub async fn open_object(
        &self,
        bucket: &str,
        key: &str,
    ) -> Result<(ObjectRecord, tokio::fs::File)> {
        // An overwrite between reading the row and opening its file unlinks that file;
        // reading the row again finds the new one.
        for _ in 0..8 {
            let record = self.head(bucket, key).await?;
            match self.content.open_file(&record.content_id).await {
                Ok(file) => return Ok((record, file)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::NoSuchKey(key.to_owned()))
    }

    /// Writes an object from a stream of bytes: the whole object replaces the old one
    /// at once, or nothing changes.
    pub async fn put<S, E>(
        &self,
        bucket: &str,
        key: &str,
        body: S,
        new: NewObject,
    ) -> Result<ObjectRecord>
    where
        S: Stream<Item = std::result::Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        check_key(key)?;
        self.bucket(bucket).await?;
        let written = self.content.write(body).await?;
        if let Some(expected) = &new.content_md5 {
            use base64::Engine;
            let given = base64::engine::general_purpose::STANDARD
                .decode(expected)
                .map_err(|_| Error::InvalidArgument("Content-MD5 is not base64".into()))?;
            if given != written.md5 {
                self.content.remove([written.id]).await;
                return Err(Error::BadDigest);
            }
        }
        let record = ObjectRecord {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
            content_id: written.id,
            size: written.size,
            etag: hex(&written.md5),
            attributes: new.attributes,
            tags: new.tags,
            last_modified: SystemTime::now(),
        };
        self.commit_object(record).await
    }

    /// Points `record.key` at `record.content_id`, then unlinks the replaced content.
    /// On failure the new content file is removed.
    pub(crate) async fn commit_object(&self, record: ObjectRecord) -> Result<ObjectRecord> {
        let committed = async {
            let _write = self.write.lock().await;
            let mut tx = self.pool.begin().await?;
            let old = index::upsert_object(&mut tx, &record).await?;
            tx.commit().await?;
            Ok::<_, Error>(old)
        }
        .await;
        match committed {
            Ok(old) => {
                self.content.remove(old).await;
                Ok(record)
            }
            Err(e) => {
                self.content.remove([record.content_id]).await;
                Err(e)
            }
        }
    }

    /// Deletes an object; deleting a missing key succeeds, as in S3.
    pub async fn delete(&self, bucket: &str, key: &str) -> Result<()> {
        self.bucket(bucket).await?;
        let old = self
            .freeing(|| async {
                let _write = self.write.lock().await;
                let mut tx = self.pool.begin().await?;
                let old = index::delete_object(&mut tx, bucket, key).await?;
                tx.commit().await?;
                Ok(old)
            })
            .await?;
        self.content.remove(old).await;
        Ok(())
    }

    /// Copies an object. `replace` gives the copy new attributes and tags; `None`
    /// keeps the source's.
    pub async fn copy(
        &self,
        from: (&str, &str),
        to: (&str, &str),
        replace: Option<NewObject>,
    ) -> Result<ObjectRecord> {
        check_key(to.1)?;
        let (source, file) = self.open_object(from.0, from.1).await?;
        self.bucket(to.0).await?;
        let written = self
            .content
            .write(crate::content::file_stream(file, 0, source.size))
            .await?;
        let (attributes, tags) = match replace {
            Some(new) => (new.attributes, new.tags),
            None => (source.attributes, source.tags),
        };
        let record = ObjectRecord {
            bucket: to.0.to_owned(),
            key: to.1.to_owned(),
            content_id: written.id,
            size: written.size,
            etag: source.etag,
            attributes,
            tags,
            last_modified: SystemTime::now(),
        };
        self.commit_object(record).await
    }

    /// Replaces an object's tags.
    pub async fn set_tags(&self, bucket: &str, key: &str, tags: Tags) -> Result<()> {
        let updated = {
            let _write = self.write.lock().await;
            let mut conn = self.pool.acquire().await?;
            index::set_tags(&mut conn, bucket, key, &tags).await?
        };
        if updated {
            return Ok(());
        }
        self.head(bucket, key).await.map(|_| ())
    }
}

/// S3's key rule: 1 to 1,024 bytes of UTF-8 (the type already guarantees UTF-8).
pub(crate) fn check_key(key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(Error::InvalidArgument(
            "An object key cannot be empty".into(),
        ));
    }
    if key.len() > 1024 {
        return Err(Error::KeyTooLong);
    }
    Ok(())
}
