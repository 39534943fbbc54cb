//! What the handlers of every asynchronous analysis job family share (classification and
//! entities detection jobs today): the ListXJobs filter.

use comprehend_protocol::{JobStatus, Timestamp};
use comprehend_store::Order;
use comprehend_store::document_jobs::DocumentJobFilter;

use super::{at_most_one_filter, submit_order, time_window};
use crate::error::Result;

/// The conditions and order of a ListXJobs filter (job name, status, submitted before,
/// submitted after): one member at a time, oldest first (newest first with
/// SubmitTimeAfter).
pub(super) fn list_filter(
    name: Option<String>,
    status: Option<JobStatus>,
    before: Option<Timestamp>,
    after: Option<Timestamp>,
) -> Result<(Vec<DocumentJobFilter>, Order)> {
    at_most_one_filter(&[
        name.is_some(),
        status.is_some(),
        before.is_some(),
        after.is_some(),
    ])?;
    let mut conditions = Vec::new();
    conditions.extend(name.map(DocumentJobFilter::Name));
    conditions.extend(status.map(DocumentJobFilter::Status));
    conditions.extend(time_window(
        after,
        before,
        DocumentJobFilter::SubmittedAfter,
        DocumentJobFilter::SubmittedBefore,
    ));
    Ok((conditions, submit_order(after)))
}
