//! DetectPiiEntities and ContainsPiiEntities: English and Spanish (API reference,
//! DetectPiiEntities `LanguageCode`, "Valid Values: en | es"; the Developer Guide's
//! "Supported languages" lists both for ContainsPiiEntities too, while its API reference page
//! says en only — both are accepted here, so a request the service takes is never refused),
//! 100 KB per document. Offsets are code points; DetectPiiEntities carries no `Text`.

use comprehend_builtin::pii::{self, PiiEntity as Found, PiiType};
use comprehend_protocol::*;

use super::{LARGE_TEXT_BYTES, language_in, one};
use crate::error::Result;
use crate::state::Shared;

/// The languages of both operations.
const LANGUAGES: &[LanguageCode] = &[LanguageCode::En, LanguageCode::Es];

/// DetectPiiEntities.
pub async fn detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: DetectPiiEntitiesRequest,
) -> Result<DetectPiiEntitiesResponse> {
    let language = language_in(input.language_code, LANGUAGES)?;
    let found = one(input.text, LARGE_TEXT_BYTES, move |text| {
        pii::detect(text, language)
    })
    .await?;
    Ok(DetectPiiEntitiesResponse {
        entities: Some(found.into_iter().map(wire_entity).collect()),
    })
}

/// ContainsPiiEntities.
pub async fn contains(
    _state: &Shared,
    _ctx: &RequestContext,
    input: ContainsPiiEntitiesRequest,
) -> Result<ContainsPiiEntitiesResponse> {
    let language = language_in(input.language_code, LANGUAGES)?;
    let labels = one(input.text, LARGE_TEXT_BYTES, move |text| {
        pii::contains(text, language)
    })
    .await?;
    let labels = labels
        .into_iter()
        .map(|(kind, score)| EntityLabel {
            name: Some(wire_type(kind)),
            score: Some(score),
        })
        .collect();
    Ok(ContainsPiiEntitiesResponse {
        labels: Some(labels),
    })
}

fn wire_entity(found: Found) -> PiiEntity {
    PiiEntity {
        score: Some(found.score),
        type_: Some(wire_type(found.kind)),
        begin_offset: Some(found.begin as i32),
        end_offset: Some(found.end as i32),
    }
}

/// The wire enumeration of an engine type: the same names (the engine lists the model's
/// `PiiEntityType` values but `ALL`, which only selects types for redaction).
fn wire_type(kind: PiiType) -> PiiEntityType {
    PiiEntityType::parse(kind.name())
        .expect("every engine PII type is a PiiEntityType (tested below)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_type_has_its_wire_name() {
        for kind in PiiType::ALL {
            assert_eq!(wire_type(kind).as_str(), kind.name());
        }
        // and the engine knows every wire type but ALL
        assert_eq!(PiiType::ALL.len() + 1, PiiEntityType::ALL.len());
    }
}
