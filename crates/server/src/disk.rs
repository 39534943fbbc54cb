//! The data directory's disk: the space held back for a full disk, and what a full disk
//! means for the work that meets it.
//!
//! The reserve itself (`comprehend_s3store::reserve`) is shared with the built-in S3,
//! whose deletes give it up to go through on a full disk.

use comprehend_s3store::reserve::says_disk_full;

use crate::error::Result;
use crate::state::State;

/// Runs a request that frees space (a Delete operation) through the reserve: on a full
/// disk a chunk is given up and the request, whose failed transaction rolled back, runs
/// once more (see `Reserve::freeing`, which the built-in S3's deletes use too).
pub async fn freeing<T, F, Fut>(state: &State, request: F) -> Result<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    state.reserve.freeing(request).await
}

/// The message a resource fails with. When `message` says the disk is full, the
/// failure says so in words a user can act on, naming the data directory, and the
/// reserve is given up first so that the FAILED status itself can be written.
pub fn failure_message(state: &State, message: &str) -> String {
    if !says_disk_full(message) {
        return message.to_owned();
    }
    state.reserve.release();
    format!(
        "The disk that holds the data directory {} is full ({message}). Free space there and start the work again.",
        state.config.data_dir.display()
    )
}

/// `/health`'s verdict on the disk: the reason it is degraded, if it is.
pub fn degraded(state: &State) -> Option<String> {
    let reserve = &state.reserve;
    reserve.restore();
    reserve.disk_full().then(|| {
        format!(
            "The disk that holds the data directory {} is full ({} bytes free): writes fail until space is freed there.",
            state.config.data_dir.display(),
            reserve.free_bytes().unwrap_or(0)
        )
    })
}
