//! Opening the database: one SQLite file in the data directory, migrations applied at start.

use std::path::Path;

use sqlx::sqlite::SqlitePool;

use crate::error::StoreError;

/// The metadata store. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies `migrations/`.
    ///
    /// Settings shared with the built-in S3's index (`comprehend_s3store::sqlite`): WAL,
    /// and a pool that never reuses a connection whose transaction failed to end.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        let pool = comprehend_s3store::sqlite::pool_options()
            .connect_with(comprehend_s3store::sqlite::connect_options(path)?)
            .await?;
        sqlx::migrate!("../../migrations").run(&pool).await?;
        Ok(Store { pool })
    }

    /// Closes the pool, waiting for running queries.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
