//! TEMPORARY
use crate::error::Result;
use crate::runner::JobError;
use crate::state::{Shared, State};
use comprehend_protocol::*;
use comprehend_store::Job;
pub async fn fail(_state: &State, _arn: &str, _message: &str) -> Result<()> {
    Ok(())
}
pub async fn run_ingest(_s: &Shared, _j: &Job) -> Result<(), JobError> {
    Ok(())
}
pub async fn create(
    _s: &Shared,
    _c: &RequestContext,
    _i: CreateDatasetRequest,
) -> Result<CreateDatasetResponse> {
    todo!()
}
pub async fn describe(
    _s: &Shared,
    _c: &RequestContext,
    _i: DescribeDatasetRequest,
) -> Result<DescribeDatasetResponse> {
    todo!()
}
pub async fn list(
    _s: &Shared,
    _c: &RequestContext,
    _i: ListDatasetsRequest,
) -> Result<ListDatasetsResponse> {
    todo!()
}
