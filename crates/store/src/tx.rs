//! Write transactions. A change to an existing resource — its status, the fields that
//! change with it, the job that will finish it, a stop asked of its running job — is
//! written in one [`Tx`] and committed together, so a crash can never keep the status
//! and lose the work (or the reverse).

use sqlx::{Sqlite, SqliteConnection, Transaction};

use crate::db::Store;
use crate::error::StoreError;

/// One write transaction. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    inner: Transaction<'static, Sqlite>,
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl Store {
    /// Starts a write transaction.
    ///
    /// `BEGIN IMMEDIATE` takes SQLite's write lock up front: a deferred transaction
    /// that reads and then writes fails at once with SQLITE_BUSY when another writer
    /// committed in between, instead of waiting its turn.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(Tx {
            inner: self.pool.begin_with("BEGIN IMMEDIATE").await?,
        })
    }
}

impl Tx {
    /// Commits every change made in this transaction.
    pub async fn commit(self) -> Result<(), StoreError> {
        self.inner.commit().await?;
        Ok(())
    }

    pub(crate) fn conn(&mut self) -> &mut SqliteConnection {
        &mut self.inner
    }
}

/// Single-statement conveniences: `Store::$name` runs `Tx::$name` in its own transaction.
macro_rules! on_its_own {
    ($(#[$doc:meta])* $name:ident($key:ty, $status:ty, $changes:ty)) => {
        impl crate::db::Store {
            $(#[$doc])*
            pub async fn $name(
                &self,
                key: $key,
                to: $status,
                changes: $changes,
            ) -> Result<bool, crate::error::StoreError> {
                let mut tx = self.begin().await?;
                let moved = tx.$name(key, to, changes).await?;
                tx.commit().await?;
                Ok(moved)
            }
        }
    };
}
pub(crate) use on_its_own;
