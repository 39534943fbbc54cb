//! The one conditional update every status change goes through: "set the status to X,
//! and these columns, if the status is one that may move to X". The allowed statuses come
//! from [`crate::lifecycle`], never from the caller.

use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use crate::error::StoreError;
use crate::jobs::IterationKey;
use crate::lifecycle::Lifecycle;

/// A column to set. Column names are compile-time constants of this crate.
#[derive(Debug, Clone)]
pub(crate) enum Set {
    /// A text column (NULL when `None`).
    Text(&'static str, Option<String>),
    /// An integer column (NULL when `None`).
    Int(&'static str, Option<i64>),
}

/// Builds the [`Set`] list from optional changes: entries are added only when the
/// change is present.
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

/// Which row a transition changes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Row<'a> {
    /// The row with this ARN.
    Arn(&'a str),
    /// A flywheel iteration.
    Iteration(&'a IterationKey),
}

/// `UPDATE table SET status = to, sets... WHERE row AND status IN (sources of to)`.
/// Returns whether the row changed (false: it was not in a status that may move to `to`,
/// or it is gone).
pub(crate) async fn transition<S: Lifecycle>(
    conn: &mut SqliteConnection,
    table: &'static str,
    row: Row<'_>,
    to: S,
    sets: &[Set],
) -> Result<bool, StoreError> {
    let sources = S::sources(to);
    if sources.is_empty() {
        return Ok(false);
    }
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(format!("UPDATE {table} SET status = "));
    q.push_bind(to.spelling());
    for set in sets {
        match set {
            Set::Text(column, value) => q.push(format!(", {column} = ")).push_bind(value.clone()),
            Set::Int(column, value) => q.push(format!(", {column} = ")).push_bind(*value),
        };
    }
    match row {
        Row::Arn(arn) => q.push(" WHERE arn = ").push_bind(arn.to_owned()),
        Row::Iteration(key) => q
            .push(" WHERE flywheel_arn = ")
            .push_bind(key.flywheel_arn.clone())
            .push(" AND iteration_id = ")
            .push_bind(key.iteration_id.clone()),
    };
    q.push(" AND status IN (");
    let mut separated = q.separated(", ");
    for status in sources {
        separated.push_bind(status.spelling());
    }
    q.push(")");
    Ok(q.build().execute(conn).await?.rows_affected() == 1)
}

/// Serialises a JSON column.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}
