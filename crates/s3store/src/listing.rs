//! ListObjects from the index: prefix, delimiter, start-after and continuation, in
//! key order (UTF-8 byte order, as S3 lists).

use crate::error::Result;
use crate::index::{self, ObjectRecord};
use crate::store::S3Store;

/// One listing request.
#[derive(Debug, Clone, Default)]
pub struct ListQuery<'a> {
    /// Only keys starting with this.
    pub prefix: &'a str,
    /// Roll keys up to the first delimiter after the prefix into common prefixes.
    pub delimiter: Option<&'a str>,
    /// Only entries after this key (StartAfter, or a continuation token: the last
    /// entry of the previous page, an object key or a common prefix).
    pub after: Option<&'a str>,
    /// At most this many entries (objects plus common prefixes).
    pub max: usize,
}

/// One page of a listing.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    /// Objects, by key.
    pub objects: Vec<ObjectRecord>,
    /// Common prefixes, in order.
    pub prefixes: Vec<String>,
    /// When truncated, the last entry of this page: pass it as `after` for the next.
    pub next: Option<String>,
}

/// Rows read from the index per query.
const BATCH: usize = 1000;

/// Where the scan stands.
struct Scan {
    cursor: String,
    inclusive: bool,
    listing: Listing,
    count: usize,
    max: usize,
    last: Option<String>,
}

impl S3Store {
    /// Lists a bucket.
    pub async fn list(&self, bucket: &str, query: &ListQuery<'_>) -> Result<Listing> {
        self.bucket(bucket).await?;
        let (cursor, inclusive) = match query.after {
            Some(after) if after >= query.prefix => (after.to_owned(), false),
            _ => (query.prefix.to_owned(), true),
        };
        let mut scan = Scan {
            cursor,
            inclusive,
            listing: Listing::default(),
            count: 0,
            max: query.max,
            last: None,
        };
        loop {
            let rows = index::objects_after(
                &self.pool,
                bucket,
                &scan.cursor,
                scan.inclusive,
                BATCH as i64,
            )
            .await?;
            let full = rows.len() == BATCH;
            match scan.take(rows, query) {
                Step::Done => break,
                Step::Jumped => continue,
                Step::More if full => continue,
                Step::More => break,
            }
        }
        Ok(scan.listing)
    }
}

enum Step {
    /// The page is full or the prefix is past.
    Done,
    /// Skipped past a common prefix: query again from the new cursor.
    Jumped,
    /// Every row taken; more may follow.
    More,
}

impl Scan {
    fn take(&mut self, rows: Vec<ObjectRecord>, query: &ListQuery<'_>) -> Step {
        for row in rows {
            self.cursor.clone_from(&row.key);
            self.inclusive = false;
            if !row.key.starts_with(query.prefix) {
                return Step::Done;
            }
            let folder = query.delimiter.filter(|d| !d.is_empty()).and_then(|d| {
                row.key[query.prefix.len()..]
                    .find(d)
                    .map(|i| row.key[..query.prefix.len() + i + d.len()].to_owned())
            });
            let Some(folder) = folder else {
                if !self.push(row.key.clone()) {
                    return Step::Done;
                }
                self.listing.objects.push(row);
                continue;
            };
            // A continuation token may be this very prefix (listed on the last page).
            let listed = query.after.is_some_and(|a| folder.as_str() <= a)
                || self.listing.prefixes.last() == Some(&folder);
            if !listed && !self.push(folder.clone()) {
                return Step::Done;
            }
            if !listed {
                self.listing.prefixes.push(folder.clone());
            }
            // Every key starting with `folder` sorts before `folder` + U+10FFFF (or starts
            // with that string, and is then skipped as already listed).
            self.cursor = format!("{folder}\u{10FFFF}");
            return Step::Jumped;
        }
        Step::More
    }

    /// Counts an entry; false (and marks the page truncated) if the page is full.
    fn push(&mut self, entry: String) -> bool {
        if self.count >= self.max {
            self.listing.next = self.last.take();
            return false;
        }
        self.count += 1;
        self.last = Some(entry);
        true
    }
}
