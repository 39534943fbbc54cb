//! The one list query: rows of one table in one (account, region), filtered, ordered by
//! `seq`, one page at a time. Every List operation goes through it.

use sqlx::sqlite::SqliteRow;
use sqlx::{FromRow, QueryBuilder, Sqlite};

use crate::db::Store;
use crate::error::StoreError;
use crate::page::{Page, PageRequest};

/// One condition of a list query. Column names are compile-time constants of this crate:
/// callers outside it filter with each resource's typed filter enum.
#[derive(Debug, Clone)]
pub(crate) enum Condition {
    /// `column = value`.
    Eq(&'static str, String),
    /// `column < value`.
    Before(&'static str, i64),
    /// `column > value`.
    After(&'static str, i64),
}

/// Newest first or oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By creation, oldest first (the default).
    Ascending,
    /// By creation, newest first.
    Descending,
}

impl Store {
    /// Lists rows of `table` matching every condition, as `T` (which must read `seq`).
    pub(crate) async fn list_rows<T>(
        &self,
        table: &'static str,
        conditions: &[Condition],
        order: Order,
        page: PageRequest,
    ) -> Result<Page<T>, StoreError>
    where
        T: for<'r> FromRow<'r, SqliteRow> + Send + Unpin + HasSeq,
    {
        let mut query: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("SELECT * FROM {table} WHERE 1 = 1"));
        for condition in conditions {
            match condition {
                Condition::Eq(column, value) => query
                    .push(format!(" AND {column} = "))
                    .push_bind(value.clone()),
                Condition::Before(column, value) => {
                    query.push(format!(" AND {column} < ")).push_bind(*value)
                }
                Condition::After(column, value) => {
                    query.push(format!(" AND {column} > ")).push_bind(*value)
                }
            };
        }
        match (order, page.after) {
            (Order::Ascending, Some(after)) => {
                query.push(" AND seq > ").push_bind(after);
            }
            (Order::Descending, Some(after)) => {
                query.push(" AND seq < ").push_bind(after);
            }
            (_, None) => {}
        }
        query.push(match order {
            Order::Ascending => " ORDER BY seq ASC",
            Order::Descending => " ORDER BY seq DESC",
        });
        query.push(" LIMIT ").push_bind(page.fetch());
        let rows: Vec<T> = query.build_query_as().fetch_all(&self.pool).await?;
        Ok(Page::from_rows(
            rows.into_iter().map(|r| (r.seq(), r)).collect(),
            page.limit,
        ))
    }
}

impl Store {
    /// Lists rows of `table` in one (account, region) — resources are isolated per pair —
    /// that match every condition of `filter`.
    pub(crate) async fn list_in<T, F: ListFilter>(
        &self,
        table: &'static str,
        (account, region): (&str, &str),
        filter: &[F],
        order: Order,
        page: PageRequest,
    ) -> Result<Page<T>, StoreError>
    where
        T: for<'r> FromRow<'r, SqliteRow> + Send + Unpin + HasSeq,
    {
        let mut conditions = vec![
            Condition::Eq("account", account.into()),
            Condition::Eq("region", region.into()),
        ];
        conditions.extend(filter.iter().map(ListFilter::condition));
        self.list_rows(table, &conditions, order, page).await
    }
}

/// A typed list filter: one resource's filter members, mapped onto its columns here.
pub(crate) trait ListFilter {
    /// The SQL condition of this filter member.
    fn condition(&self) -> Condition;
}

/// Rows that carry their `seq`.
pub trait HasSeq {
    /// The row's position.
    fn seq(&self) -> i64;
}
