//! TEMPORARY
use crate::error::Result;
use crate::runner::JobError;
use crate::state::{Shared, State};
use comprehend_protocol::*;
use comprehend_store::Job;
pub async fn fail(_state: &State, _arn: &str, _message: &str) -> Result<()> {
    Ok(())
}
pub async fn run(_s: &Shared, _j: &Job) -> Result<(), JobError> {
    Ok(())
}
pub async fn start(
    _s: &Shared,
    _c: &RequestContext,
    _i: StartDocumentClassificationJobRequest,
) -> Result<StartDocumentClassificationJobResponse> {
    todo!()
}
pub async fn describe(
    _s: &Shared,
    _c: &RequestContext,
    _i: DescribeDocumentClassificationJobRequest,
) -> Result<DescribeDocumentClassificationJobResponse> {
    todo!()
}
pub async fn list(
    _s: &Shared,
    _c: &RequestContext,
    _i: ListDocumentClassificationJobsRequest,
) -> Result<ListDocumentClassificationJobsResponse> {
    todo!()
}
