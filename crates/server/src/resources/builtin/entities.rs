//! DetectEntities without an endpoint and BatchDetectEntities: the built-in entity types
//! (PERSON, LOCATION, ORGANIZATION, COMMERCIAL_ITEM, EVENT, DATE, QUANTITY, TITLE, OTHER) in
//! every language of the shared `LanguageCode`, 100 KB for one document and 5 KB for each
//! document of a batch. DetectEntities with an `EndpointArn` (a custom recognizer) is
//! `resources::entity_inference`, which hands requests without one to [`detect`].

use comprehend_builtin::Language;
use comprehend_builtin::entities;
use comprehend_builtin::offsets::CodePoints;
use comprehend_protocol::*;

use super::{LARGE_TEXT_BYTES, batch, language_in, one};
use crate::error::Result;
use crate::state::Shared;

/// DetectEntities without `EndpointArn`: `Text` and `LanguageCode` are then required (the
/// model marks both optional because a custom recognizer takes `Bytes` and its own language),
/// and their absence is phrased as the model's own checks phrase it.
pub async fn detect(
    text: Option<String>,
    bytes: Option<Blob>,
    language_code: Option<LanguageCode>,
) -> Result<DetectEntitiesResponse> {
    if bytes.is_some() {
        return Err(ServiceError::invalid_request(
            "Bytes is supported only with the EndpointArn of a custom entity recognizer; give the built-in entity types Text.",
        )
        .into());
    }
    let text = text.ok_or_else(|| validate::missing_member("text"))?;
    let code = language_code.ok_or_else(|| validate::missing_member("languageCode"))?;
    let language = language_in(code, LanguageCode::ALL)?;
    let entities = one(text, LARGE_TEXT_BYTES, move |text| found(text, language)).await?;
    Ok(DetectEntitiesResponse {
        entities: Some(entities),
        ..Default::default()
    })
}

/// BatchDetectEntities (built-in types only: the operation takes no endpoint).
pub async fn batch_detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: BatchDetectEntitiesRequest,
) -> Result<BatchDetectEntitiesResponse> {
    let language = language_in(input.language_code, LanguageCode::ALL)?;
    let analyse = move |text: &str| Ok(found(text, language));
    let answers = batch(input.text_list, analyse, |index, entities| {
        BatchDetectEntitiesItemResult {
            index: Some(index),
            entities: Some(entities),
        }
    })
    .await?;
    Ok(BatchDetectEntitiesResponse {
        result_list: answers.results,
        error_list: answers.errors,
    })
}

fn found(text: &str, language: Language) -> Vec<Entity> {
    let map = CodePoints::new(text);
    entities::detect(text, language)
        .into_iter()
        .map(|e| Entity {
            score: Some(e.score),
            // `Entity.Type` is a plain string on the wire: custom recognizers answer their
            // own type names there.
            type_: Some(e.kind.name().to_owned()),
            text: Some(map.slice(text, e.begin, e.end).to_owned()),
            begin_offset: Some(e.begin as i32),
            end_offset: Some(e.end as i32),
            block_references: None,
        })
        .collect()
}
