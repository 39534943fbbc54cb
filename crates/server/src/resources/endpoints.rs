//! TEMPORARY
use crate::error::Result;
use crate::runner::JobError;
use crate::state::{Shared, State};
use comprehend_protocol::*;
use comprehend_store::Job;
pub async fn fail(_state: &State, _arn: &str, _message: &str) -> Result<()> {
    Ok(())
}
pub async fn run_deploy(_s: &Shared, _j: &Job) -> Result<(), JobError> {
    Ok(())
}
pub async fn run_delete(_s: &Shared, _j: &Job) -> Result<(), JobError> {
    Ok(())
}
pub async fn create(
    _s: &Shared,
    _c: &RequestContext,
    _i: CreateEndpointRequest,
) -> Result<CreateEndpointResponse> {
    todo!()
}
pub async fn describe(
    _s: &Shared,
    _c: &RequestContext,
    _i: DescribeEndpointRequest,
) -> Result<DescribeEndpointResponse> {
    todo!()
}
pub async fn list(
    _s: &Shared,
    _c: &RequestContext,
    _i: ListEndpointsRequest,
) -> Result<ListEndpointsResponse> {
    todo!()
}
pub async fn update(
    _s: &Shared,
    _c: &RequestContext,
    _i: UpdateEndpointRequest,
) -> Result<UpdateEndpointResponse> {
    todo!()
}
pub async fn delete(
    _s: &Shared,
    _c: &RequestContext,
    _i: DeleteEndpointRequest,
) -> Result<DeleteEndpointResponse> {
    todo!()
}
