//! The storage layer's one error type.

/// What can go wrong below the resource services.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken (a name or ARN already exists).
    #[error("{0} already exists")]
    AlreadyExists(String),
    /// SQLite failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying migrations failed at start.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// A stored value could not be read back (a JSON column, an enum spelling).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Maps SQLite's UNIQUE violations to [`StoreError::AlreadyExists`] for `what`.
    pub fn unique(err: sqlx::Error, what: impl Into<String>) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::AlreadyExists(what.into())
            }
            _ => StoreError::Database(err),
        }
    }
}
