//! Keyset pagination shared by every List query: rows are ordered by `seq`, and a
//! page remembers the last `seq` it returned.

/// Which page to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// Return rows after this `seq` (exclusive); `None` for the first page.
    pub after: Option<i64>,
    /// At most this many rows.
    pub limit: u32,
}

/// One page of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows, in `seq` order.
    pub items: Vec<T>,
    /// The `seq` to continue after, when more rows exist.
    pub next_after: Option<i64>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched with their `seq`.
    pub fn from_rows(mut rows: Vec<(i64, T)>, limit: u32) -> Page<T> {
        let more = rows.len() > limit as usize;
        rows.truncate(limit as usize);
        let next_after = if more {
            rows.last().map(|(seq, _)| *seq)
        } else {
            None
        };
        Page {
            items: rows.into_iter().map(|(_, item)| item).collect(),
            next_after,
        }
    }

    /// Converts the items, keeping the position.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_after: self.next_after,
        }
    }
}

impl PageRequest {
    /// The `after` bound as SQL wants it (everything when absent).
    pub fn after_or_start(&self) -> i64 {
        self.after.unwrap_or(i64::MIN)
    }

    /// How many rows to fetch to know whether another page exists.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}
