//! Object bytes: one content file per object version (or upload part), named by a
//! random id under `<root>/.store/content/<first two hex digits>/<id>`.
//!
//! A file is written under `tmp/` and renamed into place when complete, and an id is
//! never reused: a reader that opened a file keeps reading the bytes it opened even if
//! the object is overwritten or deleted meanwhile (the index then points elsewhere and
//! the old file is unlinked). Keys never become file names, so no key can reach outside
//! the store, collide with another key, or exceed a file system's name length.
//!
//! Content files are not fsynced: a killed process leaves either the old or the new
//! object (the rename is atomic), and only a power loss can lose the latest writes, as
//! with the metadata database's `synchronous = NORMAL`.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use s3s::crypto::{Checksum, Md5};
use tokio::io::AsyncWriteExt;

use crate::error::{Error, Result};

/// The content directory.
#[derive(Debug, Clone)]
pub(crate) struct Content {
    content: PathBuf,
    tmp: PathBuf,
}

/// A content file just written.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    /// Its id.
    pub id: String,
    /// Its length.
    pub size: u64,
    /// The MD5 of its bytes.
    pub md5: [u8; 16],
}

/// Lowercase hex, as S3 writes ETags.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Content {
    /// Uses `<store>/content` and `<store>/tmp`, creating them; empties `tmp` (files
    /// left by a write that was interrupted).
    pub fn open(store: &Path) -> Result<Content> {
        let content = store.join("content");
        let tmp = store.join("tmp");
        std::fs::create_dir_all(&content)?;
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp)?;
        }
        std::fs::create_dir_all(&tmp)?;
        Ok(Content { content, tmp })
    }

    /// Where the content file `id` lives.
    pub fn path(&self, id: &str) -> PathBuf {
        self.content.join(id.get(..2).unwrap_or("00")).join(id)
    }

    /// Writes a stream to a new content file: the whole stream or nothing.
    pub async fn write<S, E>(&self, stream: S) -> Result<Written>
    where
        S: Stream<Item = std::result::Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let tmp = self.tmp.join(&id);
        let result = self.write_tmp(&tmp, stream).await;
        let (size, md5) = match result {
            Ok(done) => done,
            Err(e) => {
                let _ = tokio::fs::remove_file(&tmp).await;
                return Err(e);
            }
        };
        let path = self.path(&id);
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::rename(&tmp, &path).await?;
        Ok(Written { id, size, md5 })
    }

    async fn write_tmp<S, E>(&self, tmp: &Path, stream: S) -> Result<(u64, [u8; 16])>
    where
        S: Stream<Item = std::result::Result<Bytes, E>>,
        E: std::fmt::Display,
    {
        let mut file = tokio::fs::File::create(tmp).await?;
        let mut md5 = Md5::new();
        let mut size = 0u64;
        let mut stream = std::pin::pin!(stream);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| Error::IncompleteBody(e.to_string()))?;
            md5.update(&chunk);
            size += chunk.len() as u64;
            file.write_all(&chunk).await?;
        }
        file.flush().await?;
        Ok((size, md5.finalize()))
    }

    /// Opens a content file for reading.
    pub async fn open_file(&self, id: &str) -> std::io::Result<tokio::fs::File> {
        tokio::fs::File::open(self.path(id)).await
    }

    /// Removes content files no row points to any more. Failures are logged, not
    /// returned: the object is already gone from the index, and a leftover file only
    /// costs space (the start-up sweep removes it).
    pub async fn remove(&self, ids: impl IntoIterator<Item = String>) {
        for id in ids {
            if let Err(e) = tokio::fs::remove_file(self.path(&id)).await
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(id, error = %e, "could not remove an unused content file");
            }
        }
    }

    /// Every content file id on disk (for the start-up sweep).
    pub fn all_ids(&self) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for dir in std::fs::read_dir(&self.content)? {
            let dir = dir?;
            if !dir.file_type()?.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(dir.path())? {
                if let Some(name) = file?.file_name().to_str() {
                    ids.push(name.to_owned());
                }
            }
        }
        Ok(ids)
    }
}

/// Reads a file from `start` for `len` bytes as a stream of chunks.
pub(crate) fn file_stream(
    file: tokio::fs::File,
    start: u64,
    len: u64,
) -> impl Stream<Item = std::io::Result<Bytes>> + Send + 'static {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    const CHUNK: u64 = 256 * 1024;
    futures::stream::try_unfold(
        (file, start, len, false),
        |(mut file, start, left, seeked)| async move {
            if left == 0 {
                return Ok(None);
            }
            if !seeked && start > 0 {
                file.seek(std::io::SeekFrom::Start(start)).await?;
            }
            let want = usize::try_from(left.min(CHUNK)).unwrap_or(CHUNK as usize);
            let mut buf = vec![0u8; want];
            let n = file.read(&mut buf).await?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "content file shorter than its index row",
                ));
            }
            buf.truncate(n);
            Ok(Some((
                Bytes::from(buf),
                (file, start, left - n as u64, true),
            )))
        },
    )
}
