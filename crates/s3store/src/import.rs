//! Importing a data directory written by the previous built-in S3 (s3s-fs 0.14), so
//! users' objects survive the upgrade.
//!
//! That layout keeps bucket `b`, key `k` as the file `<root>/b/k`, and in `<root>` itself
//! dot-files: `.bucket-<b64 bucket>.object-<b64 key>.metadata.json` (content type and
//! user metadata, the same field names as [`Attributes`]), `….internal.json` (ETag and
//! checksums), `.upload-*.json` / `.upload_id-*.part-*` (unfinished multipart uploads,
//! not imported) and `.tmp.*` (interrupted writes). Each object is copied into the store,
//! then the old folders and dot-files are moved into `<root>/.s3s-fs-imported/` (kept,
//! not deleted: the user decides when the copy is no longer needed). An import
//! interrupted half-way is redone from the start at the next start-up (a re-imported key
//! is overwritten with the same bytes).

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use base64::Engine;

use crate::content::{file_stream, hex};
use crate::error::Result;
use crate::index::{Attributes, ObjectRecord};
use crate::store::{DEFAULT_REGION, S3Store, check_key};

/// Where the imported folders and files are moved.
pub const IMPORTED_DIR: &str = ".s3s-fs-imported";

/// Imports every bucket folder under `root`, then moves the old layout aside.
pub(crate) async fn import_s3s_fs(store: &S3Store, root: &Path) -> Result<()> {
    let mut buckets = Vec::new();
    let mut leftovers = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == ".store" || name == IMPORTED_DIR {
            continue;
        }
        if entry.file_type()?.is_dir() && !name.starts_with('.') {
            if !is_bucket_name(&name) {
                tracing::warn!(folder = %entry.path().display(), "not importing a folder whose name is no bucket name; left in place");
                continue;
            }
            buckets.push((name, entry.path()));
        } else if name.starts_with('.') {
            leftovers.push(entry.path());
        }
    }
    if buckets.is_empty() && leftovers.is_empty() {
        return Ok(());
    }
    let aside = root.join(IMPORTED_DIR);
    std::fs::create_dir_all(&aside)?;
    for (bucket, dir) in &buckets {
        let count = import_bucket(store, root, bucket, dir).await?;
        tracing::info!(bucket, objects = count, "imported an s3s-fs bucket folder");
        move_aside(dir, &aside)?;
    }
    for path in leftovers {
        move_aside(&path, &aside)?;
    }
    tracing::info!(moved_to = %aside.display(), "the old S3 layout was imported and moved aside; it can be deleted");
    Ok(())
}

async fn import_bucket(store: &S3Store, root: &Path, bucket: &str, dir: &Path) -> Result<usize> {
    store.create_bucket(bucket, DEFAULT_REGION).await?;
    let mut count = 0;
    for (path, key) in files_under(dir)? {
        if check_key(&key).is_err() {
            tracing::warn!(
                bucket,
                key,
                "skipping an old object whose key S3 does not allow"
            );
            continue;
        }
        import_object(store, root, bucket, &key, &path).await?;
        count += 1;
    }
    Ok(count)
}

async fn import_object(
    store: &S3Store,
    root: &Path,
    bucket: &str,
    key: &str,
    path: &Path,
) -> Result<()> {
    let sidecar = |suffix: &str| {
        let encode = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        root.join(format!(
            ".bucket-{}.object-{}.{suffix}",
            encode(bucket),
            encode(key)
        ))
    };
    let attributes: Attributes = read_json(&sidecar("metadata.json")).unwrap_or_default();
    let stored_etag = read_json::<serde_json::Value>(&sidecar("internal.json"))
        .and_then(|v| v.get("e_tag").and_then(|e| e.as_str()).map(str::to_owned));
    let file = tokio::fs::File::open(path).await?;
    let meta = file.metadata().await?;
    let written = store
        .content
        .write(file_stream(file, 0, meta.len()))
        .await?;
    let record = ObjectRecord {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        etag: stored_etag.unwrap_or_else(|| hex(&written.md5)),
        content_id: written.id,
        size: written.size,
        attributes,
        tags: Vec::new(),
        last_modified: meta.modified().unwrap_or_else(|_| SystemTime::now()),
    };
    store.commit_object(record).await?;
    Ok(())
}

/// The names the previous built-in S3 accepted: 1–63 of `a-z 0-9 . -`, starting with a
/// letter or digit.
fn is_bucket_name(name: &str) -> bool {
    (1..=63).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && name.as_bytes()[0].is_ascii_alphanumeric()
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Every file under `dir` with its key (`/`-joined relative path), in no set order.
fn files_under(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_owned(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                tracing::warn!(path = %entry.path().display(), "skipping a file whose name is not UTF-8");
                continue;
            };
            let key = format!("{prefix}{name}");
            if entry.file_type()?.is_dir() {
                stack.push((entry.path(), format!("{key}/")));
            } else {
                out.push((entry.path(), key));
            }
        }
    }
    Ok(out)
}

fn move_aside(path: &Path, aside: &Path) -> Result<()> {
    let name = path.file_name().unwrap_or_default();
    let mut target = aside.join(name);
    if target.exists() {
        let stamp = crate::index::millis(SystemTime::now());
        target = aside.join(format!("{}.{stamp}", name.to_string_lossy()));
    }
    std::fs::rename(path, target)?;
    Ok(())
}
