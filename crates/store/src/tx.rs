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

/// Creation conveniences: `Store::$name(new, creation)` inserts a row with its creation
/// extras in its own transaction; `Tx::$name` does it inside a caller's transaction
/// (after the checks the insert depends on).
macro_rules! insert_on_its_own {
    ($(#[$doc:meta])* $name:ident($new:ty)) => {
        impl crate::db::Store {
            $(#[$doc])*
            pub async fn $name(
                &self,
                new: $new,
                creation: &crate::creation::Creation,
            ) -> Result<(), crate::error::StoreError> {
                let mut tx = self.begin().await?;
                tx.$name(new, creation).await?;
                tx.commit().await
            }
        }
    };
}
pub(crate) use insert_on_its_own;

/// Reads that run either on their own (`Store::$name`, a pooled connection) or inside a
/// write transaction (`Tx::$name`, so the rule they feed holds when the write commits).
/// `$name` is a module function taking `&mut SqliteConnection` first.
macro_rules! reads {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $out:ty) => {
        impl crate::db::Store {
            $(#[$doc])*
            pub async fn $name(&self, $($arg: $ty),*) -> Result<$out, crate::error::StoreError> {
                let mut conn = self.pool.acquire().await?;
                $name(&mut conn, $($arg),*).await
            }
        }
        impl crate::tx::Tx {
            $(#[$doc])*
            pub async fn $name(&mut self, $($arg: $ty),*) -> Result<$out, crate::error::StoreError> {
                $name(self.conn(), $($arg),*).await
            }
        }
    };
}
pub(crate) use reads;
