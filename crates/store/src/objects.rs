//! Every `s3://` URI the Comprehend operations read or write, resolved onto an object
//! store: the built-in S3's storage by default (the same store its S3 endpoint serves),
//! or an external S3-compatible server (MinIO, LocalStack, real S3) when configured.
//!
//! Both backends are `object_store` implementations, so the code above sees one
//! interface; `tests/objects_contract.rs`-style tests run the same checks against both.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use comprehend_s3store::{BucketStore, S3Store};

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};

/// Where bucket contents live.
#[derive(Debug, Clone)]
pub enum Backend {
    /// The built-in S3's storage (shared with its S3 endpoint).
    Builtin(Arc<S3Store>),
    /// An external S3-compatible endpoint.
    S3 {
        /// `http(s)://host:port`; `None` means real AWS S3.
        endpoint: Option<String>,
        /// Signing region.
        region: String,
        /// Access key id.
        access_key_id: Option<String>,
        /// Secret access key.
        secret_access_key: Option<String>,
        /// Path-style addressing (`http://host/bucket/key`), as MinIO and moto want.
        path_style: bool,
    },
}

/// An `s3://bucket/key` location, parsed once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct S3Uri {
    /// Bucket name.
    pub bucket: String,
    /// Key or key prefix (may be empty; never starts with `/`).
    pub key: String,
}

/// Why a location cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    /// The URI is not `s3://bucket/key`, or the key has segments no store can hold (`..`).
    #[error("{0}")]
    InvalidUri(String),
    /// The bucket does not exist.
    #[error("The specified bucket does not exist: {0}")]
    NoSuchBucket(String),
    /// The object does not exist.
    #[error("The specified key does not exist: {0}")]
    NotFound(String),
    /// The store failed.
    #[error("{0}")]
    Store(String),
}

impl S3Uri {
    /// Parses `s3://bucket[/key]`.
    pub fn parse(uri: &str) -> Result<S3Uri, ObjectError> {
        let invalid = || {
            ObjectError::InvalidUri(format!(
                "'{uri}' is not a valid S3 URI (expected s3://bucket/key)"
            ))
        };
        let rest = uri.strip_prefix("s3://").ok_or_else(invalid)?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() || bucket.contains(['\\', '\0']) || bucket.starts_with('.') {
            return Err(invalid());
        }
        let parsed = S3Uri {
            bucket: bucket.to_owned(),
            key: key.to_owned(),
        };
        parsed.object_path()?;
        Ok(parsed)
    }

    /// Joins a relative key onto this prefix (`s3://b/out/` + `x.tar.gz`).
    pub fn join(&self, relative: &str) -> S3Uri {
        S3Uri {
            bucket: self.bucket.clone(),
            key: format!("{}{relative}", self.key),
        }
    }

    /// The key as an object_store path, refusing `.`/`..` segments and empty segments in the
    /// middle, so no key can reach outside its bucket's folder.
    pub fn object_path(&self) -> Result<Path, ObjectError> {
        let trimmed = self.key.trim_end_matches('/');
        if trimmed.is_empty() {
            return Ok(Path::default());
        }
        if trimmed
            .split('/')
            .any(|segment| segment.is_empty() || segment == "." || segment == "..")
        {
            return Err(ObjectError::InvalidUri(format!(
                "'{self}' has an empty, '.' or '..' path segment"
            )));
        }
        Path::parse(trimmed)
            .map_err(|e| ObjectError::InvalidUri(format!("'{self}' is not a usable key: {e}")))
    }
}

impl std::fmt::Display for S3Uri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "s3://{}/{}", self.bucket, self.key)
    }
}

/// One listed object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectInfo {
    /// Its location.
    pub uri: S3Uri,
    /// Size in bytes.
    pub size: u64,
}

/// Resolves buckets to object stores, caching one client per bucket.
#[derive(Debug)]
pub struct Objects {
    backend: Backend,
    buckets: Mutex<HashMap<String, Arc<dyn ObjectStore>>>,
}

impl Objects {
    /// Objects on the given backend.
    pub fn new(backend: Backend) -> Objects {
        Objects {
            backend,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The backend in use.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    fn bucket(&self, bucket: &str) -> Result<Arc<dyn ObjectStore>, ObjectError> {
        let mut buckets = self
            .buckets
            .lock()
            .map_err(|_| ObjectError::Store("object store cache poisoned".into()))?;
        if let Some(store) = buckets.get(bucket) {
            return Ok(store.clone());
        }
        let store: Arc<dyn ObjectStore> = match &self.backend {
            // Not cached: a cheap handle, and a bucket may be created or deleted later
            // through the S3 API (a missing one answers NoSuchBucket per operation).
            Backend::Builtin(store) => {
                return Ok(Arc::new(BucketStore::new(store.clone(), bucket)));
            }
            Backend::S3 {
                endpoint,
                region,
                access_key_id,
                secret_access_key,
                path_style,
            } => {
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_virtual_hosted_style_request(!path_style);
                if let Some(endpoint) = endpoint {
                    builder = builder
                        .with_allow_http(endpoint.starts_with("http://"))
                        .with_endpoint(endpoint);
                }
                if let Some(key) = access_key_id {
                    builder = builder.with_access_key_id(key);
                }
                if let Some(secret) = secret_access_key {
                    builder = builder.with_secret_access_key(secret);
                }
                Arc::new(
                    builder
                        .build()
                        .map_err(|e| ObjectError::Store(e.to_string()))?,
                )
            }
        };
        buckets.insert(bucket.to_owned(), store.clone());
        Ok(store)
    }

    /// Reads a whole object.
    pub async fn get(&self, uri: &S3Uri) -> Result<Bytes, ObjectError> {
        let store = self.bucket(&uri.bucket)?;
        let result = store
            .get(&uri.object_path()?)
            .await
            .map_err(|e| map_error(e, uri))?;
        result.bytes().await.map_err(|e| map_error(e, uri))
    }

    /// Writes a whole object.
    pub async fn put(&self, uri: &S3Uri, bytes: Bytes) -> Result<(), ObjectError> {
        let store = self.bucket(&uri.bucket)?;
        store
            .put(&uri.object_path()?, PutPayload::from(bytes))
            .await
            .map_err(|e| map_error(e, uri))?;
        Ok(())
    }

    /// Reads an object as a stream of chunks, for inputs too large to hold at once.
    pub async fn get_stream(
        &self,
        uri: &S3Uri,
    ) -> Result<BoxStream<'static, Result<Bytes, ObjectError>>, ObjectError> {
        let store = self.bucket(&uri.bucket)?;
        let result = store
            .get(&uri.object_path()?)
            .await
            .map_err(|e| map_error(e, uri))?;
        let uri = uri.clone();
        Ok(result
            .into_stream()
            .map_err(move |e| map_error(e, &uri))
            .boxed())
    }

    /// Uploads a local file in parts, without holding it in memory.
    pub async fn put_file(&self, uri: &S3Uri, file: &std::path::Path) -> Result<(), ObjectError> {
        use tokio::io::AsyncReadExt;
        let store = self.bucket(&uri.bucket)?;
        let upload = store
            .put_multipart(&uri.object_path()?)
            .await
            .map_err(|e| map_error(e, uri))?;
        let mut writer = WriteMultipart::new(upload);
        let mut input = tokio::fs::File::open(file)
            .await
            .map_err(|e| ObjectError::Store(e.to_string()))?;
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let n = input
                .read(&mut buffer)
                .await
                .map_err(|e| ObjectError::Store(e.to_string()))?;
            if n == 0 {
                break;
            }
            writer
                .wait_for_capacity(4)
                .await
                .map_err(|e| map_error(e, uri))?;
            writer.write(&buffer[..n]);
        }
        writer.finish().await.map_err(|e| map_error(e, uri))?;
        Ok(())
    }

    /// Every object whose key starts with `uri.key` (S3 prefix semantics: `train` matches
    /// `train.csv` and `training/a.csv`), ordered by key. Folder markers (keys ending
    /// in `/`) are skipped.
    pub async fn list(&self, uri: &S3Uri) -> Result<Vec<ObjectInfo>, ObjectError> {
        let store = self.bucket(&uri.bucket)?;
        // object_store lists by whole path segments; list the enclosing folder and filter.
        let folder = match uri.key.rfind('/') {
            Some(i) => S3Uri {
                bucket: uri.bucket.clone(),
                key: uri.key[..i].to_owned(),
            },
            None => S3Uri {
                bucket: uri.bucket.clone(),
                key: String::new(),
            },
        };
        let prefix = folder.object_path()?;
        let listed: Vec<_> = store
            .list(if folder.key.is_empty() {
                None
            } else {
                Some(&prefix)
            })
            .try_collect()
            .await
            .map_err(|e| map_error(e, uri))?;
        let mut out: Vec<ObjectInfo> = listed
            .into_iter()
            .filter(|meta| meta.location.as_ref().starts_with(uri.key.as_str()))
            .map(|meta| ObjectInfo {
                uri: S3Uri {
                    bucket: uri.bucket.clone(),
                    key: meta.location.to_string(),
                },
                size: meta.size,
            })
            .collect();
        out.sort_by(|a, b| a.uri.key.cmp(&b.uri.key));
        Ok(out)
    }

    /// Deletes an object (deleting a missing one succeeds, as in S3).
    pub async fn delete(&self, uri: &S3Uri) -> Result<(), ObjectError> {
        let store = self.bucket(&uri.bucket)?;
        store
            .delete(&uri.object_path()?)
            .await
            .map_err(|e| map_error(e, uri))
    }

    /// One level of a folder (`uri.key` is a folder, with or without the trailing `/`):
    /// the objects directly in it and its subfolders (keys ending in `/`), both by key.
    pub async fn list_folder(
        &self,
        uri: &S3Uri,
    ) -> Result<(Vec<ObjectInfo>, Vec<String>), ObjectError> {
        let store = self.bucket(&uri.bucket)?;
        let path = uri.object_path()?;
        let listed = store
            .list_with_delimiter((!uri.key.is_empty()).then_some(&path))
            .await
            .map_err(|e| map_error(e, uri))?;
        let mut objects: Vec<ObjectInfo> = listed
            .objects
            .into_iter()
            .map(|meta| ObjectInfo {
                uri: S3Uri {
                    bucket: uri.bucket.clone(),
                    key: meta.location.to_string(),
                },
                size: meta.size,
            })
            .collect();
        objects.sort_by(|a, b| a.uri.key.cmp(&b.uri.key));
        let mut folders: Vec<String> = listed
            .common_prefixes
            .into_iter()
            .map(|p| format!("{p}/"))
            .collect();
        folders.sort();
        Ok((objects, folders))
    }

    /// Whether the bucket exists and can be listed.
    pub async fn bucket_exists(&self, bucket: &str) -> Result<bool, ObjectError> {
        let uri = S3Uri {
            bucket: bucket.to_owned(),
            key: String::new(),
        };
        match self.list(&uri).await {
            Ok(_) => Ok(true),
            Err(ObjectError::NoSuchBucket(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

fn map_error(err: object_store::Error, uri: &S3Uri) -> ObjectError {
    match err {
        object_store::Error::NotFound { .. } => ObjectError::NotFound(uri.to_string()),
        other => {
            let text = other.to_string();
            if text.contains("NoSuchBucket") {
                ObjectError::NoSuchBucket(uri.bucket.clone())
            } else {
                ObjectError::Store(text)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses_escapes() {
        let uri = S3Uri::parse("s3://bucket/a/b.csv").unwrap();
        assert_eq!(
            (uri.bucket.as_str(), uri.key.as_str()),
            ("bucket", "a/b.csv")
        );
        assert_eq!(S3Uri::parse("s3://bucket").unwrap().key, "");
        for bad in [
            "s3://bucket/../x",
            "s3://bucket/a/../../x",
            "s3://bucket/a//b",
            "http://bucket/x",
            "s3://../x",
            "s3://b/./x",
        ] {
            assert!(S3Uri::parse(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn builtin_backend_contract() {
        let dir = std::env::temp_dir().join(format!("cl-objects-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = S3Store::open(&dir).await.unwrap();
        store.create_bucket("b", "us-east-1").await.unwrap();
        let objects = Objects::new(Backend::Builtin(Arc::new(store)));
        crate::contract::check(&objects, "b").await;
        assert!(matches!(
            objects.get(&S3Uri::parse("s3://missing/x").unwrap()).await,
            Err(ObjectError::NoSuchBucket(_))
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
