//! TEMPORARY
use crate::error::Result;
use crate::runner::JobError;
use crate::state::{Shared, State};
use comprehend_protocol::*;
use comprehend_store::Job;
pub async fn fail(_state: &State, _arn: &str, _message: &str) -> Result<()> {
    Ok(())
}
pub async fn run_create(_s: &Shared, _j: &Job) -> Result<(), JobError> {
    Ok(())
}
pub async fn create(
    _s: &Shared,
    _c: &RequestContext,
    _i: CreateFlywheelRequest,
) -> Result<CreateFlywheelResponse> {
    todo!()
}
pub async fn describe(
    _s: &Shared,
    _c: &RequestContext,
    _i: DescribeFlywheelRequest,
) -> Result<DescribeFlywheelResponse> {
    todo!()
}
pub async fn list(
    _s: &Shared,
    _c: &RequestContext,
    _i: ListFlywheelsRequest,
) -> Result<ListFlywheelsResponse> {
    Ok(ListFlywheelsResponse {
        flywheel_summary_list: Some(vec![]),
        next_token: None,
    })
}
pub async fn update(
    _s: &Shared,
    _c: &RequestContext,
    _i: UpdateFlywheelRequest,
) -> Result<UpdateFlywheelResponse> {
    todo!()
}
pub async fn delete(
    _s: &Shared,
    _c: &RequestContext,
    _i: DeleteFlywheelRequest,
) -> Result<DeleteFlywheelResponse> {
    todo!()
}
