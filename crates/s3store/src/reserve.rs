//! Disk space held back for the writes that free space or record why work failed.
//!
//! On a full disk even a delete needs a little room: SQLite appends the change to its
//! write-ahead log before the content file can go, and a job that fails for want of
//! space must still write its resource's FAILED status. So the server keeps a few
//! files of real (not sparse) bytes in the data directory, gives one up each time a
//! write that must go through fails with a full disk, and takes them back once there is
//! room again. Several chunks rather than one: a failed job gives up one to record its
//! failure and leaves the others for the deletes that come next.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One chunk's size: room for hundreds of index changes or failure records.
pub const CHUNK_BYTES: u64 = 1024 * 1024;
/// How many chunks are held.
pub const CHUNKS: usize = 4;

/// The reserve of one data directory: `<dir>/reserve/chunk-<n>`.
#[derive(Debug)]
pub struct Reserve {
    dir: PathBuf,
    /// Serialises creating and removing the chunks.
    lock: Mutex<()>,
}

impl Reserve {
    /// The reserve of `dir`, taken now as far as the disk has room for it.
    pub fn open(dir: &Path) -> Reserve {
        if let Err(e) = std::fs::create_dir_all(dir.join("reserve")) {
            tracing::warn!(error = %e, "cannot hold disk space back for a full disk");
        }
        let reserve = Reserve {
            dir: dir.to_owned(),
            lock: Mutex::new(()),
        };
        reserve.restore();
        reserve
    }

    /// The folder whose disk this reserve is on.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn chunk(&self, n: usize) -> PathBuf {
        self.dir.join("reserve").join(format!("chunk-{n}"))
    }

    /// Gives one chunk back to the disk; false when none was left.
    pub fn release(&self) -> bool {
        let _held = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let released = (0..CHUNKS).any(|n| std::fs::remove_file(self.chunk(n)).is_ok());
        if released {
            tracing::warn!(dir = %self.dir.display(), "the disk is full: released 1 MiB held back for deletes and failure records");
        }
        released
    }

    /// Takes back the missing chunks while the disk has room for each and as much
    /// again; a fuller disk keeps its space for the user's writes.
    pub fn restore(&self) {
        let _held = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        for n in 0..CHUNKS {
            let path = self.chunk(n);
            if path.exists() {
                continue;
            }
            if self.free_bytes().is_none_or(|free| free < 2 * CHUNK_BYTES) {
                return;
            }
            if let Err(e) = write_zeros(&path, CHUNK_BYTES) {
                tracing::debug!(error = %e, "cannot reserve disk space yet");
                let _ = std::fs::remove_file(&path);
                return;
            }
        }
    }

    /// Runs a change that frees space (a delete). On a full disk the change may find no
    /// room for its log entry: one chunk is given up and the change, whose failed
    /// transaction rolled back, runs once more. After a change that went through, the
    /// missing chunks are taken back if there is room for them.
    pub async fn freeing<T, E, F, Fut>(self: &Arc<Self>, change: F) -> Result<T, E>
    where
        E: std::fmt::Display,
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let outcome = match change().await {
            Err(e) if says_disk_full(&e.to_string()) && self.release() => change().await,
            other => other,
        };
        if outcome.is_ok() {
            let reserve = self.clone();
            let _ = tokio::task::spawn_blocking(move || reserve.restore()).await;
        }
        outcome
    }

    /// Bytes available to this process on the data directory's disk.
    pub fn free_bytes(&self) -> Option<u64> {
        let stat = rustix::fs::statvfs(&self.dir).ok()?;
        Some(stat.f_bavail.saturating_mul(stat.f_frsize))
    }

    /// Whether the disk is (nearly) full now: less free than one chunk.
    pub fn disk_full(&self) -> bool {
        self.free_bytes().is_some_and(|free| free < CHUNK_BYTES)
    }
}

fn write_zeros(path: &Path, bytes: u64) -> std::io::Result<()> {
    let mut file = std::fs::File::create(path)?;
    let block = [0u8; 64 * 1024];
    let mut left = bytes;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n])?;
        left -= n as u64;
    }
    file.sync_all()
}

/// Whether an error's text says the disk is full: ENOSPC from the file system ("No space
/// left on device"), SQLITE_FULL from SQLite ("database or disk is full"), or EDQUOT.
/// Errors reach the places that ask (a job's failure message, a retried delete) through
/// several crates' error types (io, sqlx, object_store, the ML engines), often already
/// as text, so the text is what all of them share.
pub fn says_disk_full(text: &str) -> bool {
    [
        "No space left on device",
        "database or disk is full",
        "Disk quota exceeded",
        "os error 28",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_given_up_one_at_a_time_and_taken_back() {
        let dir = tempfile::tempdir().unwrap();
        let reserve = Reserve::open(dir.path());
        let held = || (0..CHUNKS).filter(|&n| reserve.chunk(n).exists()).count();
        assert_eq!(held(), CHUNKS);
        assert_eq!(
            std::fs::metadata(reserve.chunk(0)).unwrap().len(),
            CHUNK_BYTES
        );
        assert!(reserve.release());
        assert_eq!(held(), CHUNKS - 1);
        while reserve.release() {}
        assert_eq!(held(), 0);
        reserve.restore();
        assert_eq!(held(), CHUNKS);
    }

    #[test]
    fn full_disk_errors_are_recognised() {
        assert!(says_disk_full(
            "storage I/O error: No space left on device (os error 28)"
        ));
        assert!(says_disk_full(
            "database error: error returned from database: (code: 13) database or disk is full"
        ));
        assert!(!says_disk_full(
            "the training data has only 1 distinct label(s)"
        ));
    }
}
