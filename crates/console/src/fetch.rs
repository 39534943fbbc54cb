//! Reading whole lists through the paginated List operations.

use std::future::Future;

use comprehend_protocol::ServiceError;

/// The most items a page lists of one kind: enough for any local workload, and a bound
/// on the time and memory of a page.
pub(crate) const MAX_ITEMS: usize = 5_000;

/// The page size the console asks for (the model's maximum for every List operation
/// it calls).
pub(crate) const PAGE: i32 = 500;

/// Calls `page` with each `NextToken` until the list ends or [`MAX_ITEMS`] are read.
pub(crate) async fn all<T, F, Fut>(mut page: F) -> Result<Vec<T>, ServiceError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Option<Vec<T>>, Option<String>), ServiceError>>,
{
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let (batch, next) = page(token).await?;
        items.extend(batch.unwrap_or_default());
        match next {
            Some(next) if items.len() < MAX_ITEMS => token = Some(next),
            _ => break,
        }
    }
    items.truncate(MAX_ITEMS);
    Ok(items)
}
