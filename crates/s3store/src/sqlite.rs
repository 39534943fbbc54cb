//! How comprehend-local opens an SQLite database: the built-in S3's index here and the
//! metadata database in `comprehend-store` share these settings.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// A database file in WAL mode: `synchronous = NORMAL` survives a killed process
/// without losing a committed transaction (only a power loss can lose the last ones);
/// writers wait up to 10 s for the write lock.
pub fn connect_options(path: &Path) -> Result<SqliteConnectOptions, sqlx::Error> {
    Ok(
        SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true),
    )
}

/// A pool of 8 connections that never hands out a connection still inside a
/// transaction.
///
/// When a COMMIT fails (SQLITE_FULL on a full disk, an I/O error) sqlx keeps the
/// connection's transaction depth at 1, and the ROLLBACK it sends on drop fails too
/// when SQLite has already rolled back by itself. Returned to the pool, such a
/// connection answers every later BEGIN with "attempted to call begin_with at non-zero
/// transaction depth" until a restart. So a released connection first flushes its
/// queued rollback (the ping runs after it on the connection's worker), and one that is
/// still in a transaction is closed, which rolls back whatever SQLite still holds.
pub fn pool_options() -> SqlitePoolOptions {
    SqlitePoolOptions::new()
        .max_connections(8)
        .after_release(|conn, _| {
            Box::pin(async move {
                conn.ping().await?;
                Ok(!conn.is_in_transaction())
            })
        })
}
