//! TEMPORARY
use crate::error::Result;
use crate::state::Shared;
use comprehend_protocol::*;
pub async fn classify(
    _s: &Shared,
    _c: &RequestContext,
    _i: ClassifyDocumentRequest,
) -> Result<ClassifyDocumentResponse> {
    todo!()
}
