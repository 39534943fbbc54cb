//! The store as an [`object_store::ObjectStore`], one bucket per instance: how the
//! Comprehend side reads and writes `s3://` data held by the built-in S3.
//!
//! object_store paths are `/`-separated segments with no empty, `.` or `..` segment, so
//! keys that are not such a path (`dir/`, `a//b`) are skipped when listing: they exist
//! for S3 clients, and object_store cannot name them.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{
    CopyMode, CopyOptions, GetOptions, GetResult, GetResultPayload, ListResult, MultipartUpload,
    ObjectMeta, ObjectStore, PutMode, PutMultipartOptions, PutOptions, PutPayload, PutResult,
    UploadPart,
};

use crate::content::file_stream;
use crate::error::{Error, STORE};
use crate::index::ObjectRecord;
use crate::listing::ListQuery;
use crate::store::{NewObject, S3Store};

type Result<T> = object_store::Result<T>;

/// One bucket of an [`S3Store`], as an object store.
#[derive(Debug, Clone)]
pub struct BucketStore {
    store: Arc<S3Store>,
    bucket: String,
}

impl BucketStore {
    /// `bucket` of `store`. The bucket need not exist yet: operations on a missing
    /// bucket fail with a `NoSuchBucket` error.
    pub fn new(store: Arc<S3Store>, bucket: &str) -> BucketStore {
        BucketStore {
            store,
            bucket: bucket.to_owned(),
        }
    }
}

impl std::fmt::Display for BucketStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BuiltinS3({})", self.bucket)
    }
}

/// The object's metadata, if its key is exactly an object_store path: `dir/` (a folder
/// marker) would parse as `dir`, a key that does not exist.
fn meta(record: &ObjectRecord) -> Option<ObjectMeta> {
    let location = Path::parse(&record.key).ok()?;
    if location.as_ref() != record.key {
        return None;
    }
    Some(ObjectMeta {
        location,
        last_modified: chrono::DateTime::<chrono::Utc>::from(record.last_modified),
        size: record.size,
        e_tag: Some(format!("\"{}\"", record.etag)),
        version: None,
    })
}

fn not_supported(what: &str) -> object_store::Error {
    object_store::Error::NotImplemented {
        operation: what.to_owned(),
        implementer: STORE.to_owned(),
    }
}

fn io_error(e: std::io::Error) -> object_store::Error {
    Error::Io(e).into()
}

#[async_trait]
impl ObjectStore for BucketStore {
    async fn put_opts(
        &self,
        location: &Path,
        payload: PutPayload,
        opts: PutOptions,
    ) -> Result<PutResult> {
        if !matches!(opts.mode, PutMode::Overwrite) {
            return Err(not_supported("put_opts with a conditional mode"));
        }
        let chunks = futures::stream::iter(payload.into_iter().map(Ok::<_, std::io::Error>));
        let record = self
            .store
            .put(
                &self.bucket,
                location.as_ref(),
                chunks,
                NewObject::default(),
            )
            .await?;
        Ok(PutResult {
            e_tag: Some(format!("\"{}\"", record.etag)),
            version: None,
            extensions: Default::default(),
        })
    }

    async fn put_multipart_opts(
        &self,
        location: &Path,
        _opts: PutMultipartOptions,
    ) -> Result<Box<dyn MultipartUpload>> {
        let upload = self
            .store
            .create_upload(&self.bucket, location.as_ref(), NewObject::default())
            .await?;
        Ok(Box::new(Upload {
            store: self.store.clone(),
            bucket: self.bucket.clone(),
            key: location.to_string(),
            upload_id: upload.upload_id,
            next: 0,
            parts: Arc::new(Mutex::new(Vec::new())),
        }))
    }

    async fn get_opts(&self, location: &Path, options: GetOptions) -> Result<GetResult> {
        let (record, file) = self
            .store
            .open_object(&self.bucket, location.as_ref())
            .await?;
        let meta = meta(&record).ok_or_else(|| Error::NoSuchKey(record.key.clone()))?;
        options.check_preconditions(&meta)?;
        let range: Range<u64> = match &options.range {
            Some(r) => r
                .as_range(record.size)
                .map_err(|e| object_store::Error::Generic {
                    store: STORE,
                    source: Box::new(e),
                })?,
            None => 0..record.size,
        };
        let length = if options.head {
            0
        } else {
            range.end - range.start
        };
        let stream = file_stream(file, range.start, length)
            .map_err(io_error)
            .boxed();
        Ok(GetResult {
            payload: GetResultPayload::Stream(stream),
            meta,
            range,
            attributes: Default::default(),
            extensions: Default::default(),
        })
    }

    fn delete_stream(
        &self,
        locations: BoxStream<'static, Result<Path>>,
    ) -> BoxStream<'static, Result<Path>> {
        let this = self.clone();
        locations
            .and_then(move |path| {
                let this = this.clone();
                async move {
                    this.store.delete(&this.bucket, path.as_ref()).await?;
                    Ok(path)
                }
            })
            .boxed()
    }

    fn list(&self, prefix: Option<&Path>) -> BoxStream<'static, Result<ObjectMeta>> {
        let this = self.clone();
        let prefix = prefix.map(|p| format!("{p}/")).unwrap_or_default();
        futures::stream::once(async move { this.list_all(&prefix).await })
            .map_ok(|all| futures::stream::iter(all.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    async fn list_with_delimiter(&self, prefix: Option<&Path>) -> Result<ListResult> {
        let prefix = prefix.map(|p| format!("{p}/")).unwrap_or_default();
        let mut out = ListResult {
            common_prefixes: Vec::new(),
            objects: Vec::new(),
            extensions: Default::default(),
        };
        let mut after: Option<String> = None;
        loop {
            let query = ListQuery {
                prefix: &prefix,
                delimiter: Some("/"),
                after: after.as_deref(),
                max: 1000,
            };
            let page = self.store.list(&self.bucket, &query).await?;
            out.objects.extend(page.objects.iter().filter_map(meta));
            out.common_prefixes.extend(
                page.prefixes
                    .iter()
                    .filter_map(|p| Path::parse(p.trim_end_matches('/')).ok()),
            );
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(out),
            }
        }
    }

    async fn copy_opts(&self, from: &Path, to: &Path, options: CopyOptions) -> Result<()> {
        if !matches!(options.mode, CopyMode::Overwrite) {
            return Err(not_supported("copy_opts with a conditional mode"));
        }
        self.store
            .copy(
                (&self.bucket, from.as_ref()),
                (&self.bucket, to.as_ref()),
                None,
            )
            .await?;
        Ok(())
    }
}

impl BucketStore {
    /// Every object under `prefix` whose key is an object_store path.
    async fn list_all(&self, prefix: &str) -> Result<Vec<ObjectMeta>> {
        let mut out = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let query = ListQuery {
                prefix,
                delimiter: None,
                after: after.as_deref(),
                max: 1000,
            };
            let page = self.store.list(&self.bucket, &query).await?;
            out.extend(page.objects.iter().filter_map(meta));
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(out),
            }
        }
    }
}

/// A multipart upload through the store's own upload machinery. Parts are numbered in
/// the order `put_part` is called; they may finish in any order.
#[derive(Debug)]
struct Upload {
    store: Arc<S3Store>,
    bucket: String,
    key: String,
    upload_id: String,
    next: i32,
    parts: Arc<Mutex<Vec<i32>>>,
}

#[async_trait]
impl MultipartUpload for Upload {
    fn put_part(&mut self, data: PutPayload) -> UploadPart {
        self.next += 1;
        let number = self.next;
        let store = self.store.clone();
        let (bucket, key, id) = (
            self.bucket.clone(),
            self.key.clone(),
            self.upload_id.clone(),
        );
        let parts = self.parts.clone();
        Box::pin(async move {
            let chunks = futures::stream::iter(data.into_iter().map(Ok::<_, std::io::Error>));
            store
                .upload_part((&bucket, &key, &id), number, chunks)
                .await?;
            parts
                .lock()
                .map_err(|_| not_supported("a poisoned part list"))?
                .push(number);
            Ok(())
        })
    }

    async fn complete(&mut self) -> Result<PutResult> {
        let mut numbers = self
            .parts
            .lock()
            .map_err(|_| not_supported("a poisoned part list"))?
            .clone();
        numbers.sort_unstable();
        if numbers.is_empty() {
            // An empty object: S3 wants at least one part.
            let empty = futures::stream::empty::<std::io::Result<bytes::Bytes>>();
            self.store
                .upload_part((&self.bucket, &self.key, &self.upload_id), 1, empty)
                .await?;
            numbers.push(1);
        }
        let listed: Vec<_> = numbers.into_iter().map(|n| (n, None)).collect();
        // object_store's writers choose their own part sizes; S3's 5 MiB minimum is for
        // S3 clients.
        let record = self
            .store
            .complete_upload((&self.bucket, &self.key, &self.upload_id), &listed, 0)
            .await?;
        Ok(PutResult {
            e_tag: Some(format!("\"{}\"", record.etag)),
            version: None,
            extensions: Default::default(),
        })
    }

    async fn abort(&mut self) -> Result<()> {
        self.store
            .abort_upload(&self.bucket, &self.key, &self.upload_id)
            .await?;
        Ok(())
    }
}
