//! What the tables of asynchronous analysis jobs (`classification_jobs`,
//! `entities_detection_jobs`) share: their list filter.

use comprehend_protocol::JobStatus;

use crate::list::{Condition, ListFilter};

/// A member of a ListXJobs filter (DocumentClassificationJobFilter,
/// EntitiesDetectionJobFilter, …): one job name, status or submit-time bound.
#[derive(Debug, Clone)]
pub enum DocumentJobFilter {
    /// With this job name.
    Name(String),
    /// In this status.
    Status(JobStatus),
    /// Submitted before (ms).
    SubmittedBefore(i64),
    /// Submitted after (ms).
    SubmittedAfter(i64),
}

impl ListFilter for DocumentJobFilter {
    fn condition(&self) -> Condition {
        match self {
            DocumentJobFilter::Name(n) => Condition::Eq("job_name", n.clone()),
            DocumentJobFilter::Status(s) => Condition::Eq("status", s.as_str().into()),
            DocumentJobFilter::SubmittedBefore(t) => Condition::Before("submit_time", *t),
            DocumentJobFilter::SubmittedAfter(t) => Condition::After("submit_time", *t),
        }
    }
}
