//! DetectEntities with a custom recognizer: real-time entity detection through an
//! IN_SERVICE `entity-recognizer-endpoint`. A request without `EndpointArn` asks for the
//! built-in entity types: `resources::builtin::entities`.
//!
//! Offsets are Unicode code points, end exclusive (what the engine returns); entities
//! come in text order without overlaps. `LanguageCode` is ignored: the recognizer's
//! language applies (API reference, DetectEntities: "If you specify an endpoint, Amazon
//! Comprehend uses the language of the custom model, and it ignores any language code
//! that you provide in your request").

use comprehend_protocol::*;

use comprehend_store::entity_recognizers::RecognizerRecord;

use super::inference::{document, model_key};
use crate::error::Result;
use crate::state::Shared;

/// Largest text for a custom recognizer endpoint, in bytes of UTF-8. The Developer
/// Guide gives two figures: 5 KB ("Guidelines and quotas", custom entity recognition,
/// real-time analysis: maximum document size) and 10 KB ("Inputs for synchronous
/// analysis"). The stricter one is enforced, so a request accepted here is accepted by
/// the service under either reading.
pub const MAX_TEXT_BYTES: usize = 5_000;

/// DetectEntities.
pub async fn detect(
    state: &Shared,
    ctx: &RequestContext,
    input: DetectEntitiesRequest,
) -> Result<DetectEntitiesResponse> {
    let Some(arn) = input.endpoint_arn else {
        return super::builtin::entities::detect(input.text, input.bytes, input.language_code)
            .await;
    };
    let (text, _) = document(input.text, input.bytes)?;
    let key = model_key::<RecognizerRecord>(state, ctx, &arn, &text, MAX_TEXT_BYTES).await?;
    let recognizer = state.recognizers.load(&state.models, &key).await?;
    let entities = recognizer.detect(&text).into_iter().map(wire).collect();
    Ok(DetectEntitiesResponse {
        entities: Some(entities),
        ..Default::default()
    })
}

/// An engine entity on the wire.
pub fn wire(e: comprehend_ner::Entity) -> Entity {
    Entity {
        score: Some(e.score as f32),
        type_: Some(e.entity_type),
        text: Some(e.text),
        begin_offset: Some(e.begin as i32),
        end_offset: Some(e.end as i32),
        block_references: None,
    }
}
