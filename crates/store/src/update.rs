//! The one conditional update: "set these columns (and the status) if the status is
//! still one of these". Lifecycle transitions of every resource go through it, so a
//! worker and a Stop/Delete request racing on the same row cannot both win.

use sqlx::{QueryBuilder, Sqlite};

use crate::db::Store;
use crate::error::StoreError;

/// A column to set. Column names are compile-time constants of this crate.
#[derive(Debug, Clone)]
pub enum Set {
    /// A text column (NULL when `None`).
    Text(&'static str, Option<String>),
    /// An integer column (NULL when `None`).
    Int(&'static str, Option<i64>),
}

/// Builds the [`Set`] list from optional changes: `text!`/`int!` entries are added only
/// when the change is present.
#[derive(Debug, Default)]
pub(crate) struct Sets(pub Vec<Set>);

impl Sets {
    pub(crate) fn text(mut self, column: &'static str, value: Option<Option<String>>) -> Self {
        if let Some(v) = value {
            self.0.push(Set::Text(column, v));
        }
        self
    }

    pub(crate) fn int(mut self, column: &'static str, value: Option<i64>) -> Self {
        if let Some(v) = value {
            self.0.push(Set::Int(column, Some(v)));
        }
        self
    }
}

impl Store {
    /// `UPDATE table SET status = to, sets... WHERE key_column = key AND status IN (from)`.
    /// With an empty `from`, the status is not checked. Returns whether a row changed.
    pub(crate) async fn transition(
        &self,
        table: &'static str,
        key_column: &'static str,
        key: &str,
        from: &[&str],
        to: &str,
        sets: &[Set],
    ) -> Result<bool, StoreError> {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("UPDATE {table} SET status = "));
        q.push_bind(to.to_owned());
        for set in sets {
            match set {
                Set::Text(column, value) => {
                    q.push(format!(", {column} = ")).push_bind(value.clone())
                }
                Set::Int(column, value) => q.push(format!(", {column} = ")).push_bind(*value),
            };
        }
        q.push(format!(" WHERE {key_column} = "))
            .push_bind(key.to_owned());
        if !from.is_empty() {
            q.push(" AND status IN (");
            let mut separated = q.separated(", ");
            for status in from {
                separated.push_bind(status.to_string());
            }
            q.push(")");
        }
        Ok(q.build().execute(&self.pool).await?.rows_affected() == 1)
    }
}

/// Serialises a JSON column.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}
