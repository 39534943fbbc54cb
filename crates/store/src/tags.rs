//! Tags of any resource, keyed by ARN.

use crate::db::Store;
use crate::error::StoreError;
use crate::tx::Tx;

/// A tag as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Tag {
    /// Key.
    pub key: String,
    /// Value (empty when the client sent none).
    pub value: String,
}

/// The outcome of adding tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagOutcome {
    /// The tags were written.
    Applied,
    /// Writing them would leave more than the allowed number on the resource; nothing changed.
    TooMany,
}

impl Store {
    /// The tags of a resource, ordered by key.
    pub async fn tags(&self, arn: &str) -> Result<Vec<Tag>, StoreError> {
        Ok(
            sqlx::query_as::<_, Tag>("SELECT key, value FROM tags WHERE arn = ? ORDER BY key")
                .bind(arn)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

impl Tx {
    /// Adds or overwrites tags, unless the resource would then carry more than `max`
    /// (then nothing is written: the caller drops the transaction).
    pub async fn add_tags(
        &mut self,
        arn: &str,
        tags: &[Tag],
        max: usize,
    ) -> Result<TagOutcome, StoreError> {
        for tag in tags {
            sqlx::query("INSERT INTO tags (arn, key, value) VALUES (?, ?, ?) ON CONFLICT (arn, key) DO UPDATE SET value = excluded.value")
                .bind(arn)
                .bind(&tag.key)
                .bind(&tag.value)
                .execute(self.conn())
                .await?;
        }
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tags WHERE arn = ?")
            .bind(arn)
            .fetch_one(self.conn())
            .await?;
        Ok(if count as usize > max {
            TagOutcome::TooMany
        } else {
            TagOutcome::Applied
        })
    }

    /// Removes the given keys (absent keys are ignored).
    pub async fn remove_tags(&mut self, arn: &str, keys: &[String]) -> Result<(), StoreError> {
        for key in keys {
            sqlx::query("DELETE FROM tags WHERE arn = ? AND key = ?")
                .bind(arn)
                .bind(key)
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }
}

impl Store {
    /// Removes every tag of a deleted resource.
    pub async fn remove_all_tags(&self, arn: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM tags WHERE arn = ?")
            .bind(arn)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
