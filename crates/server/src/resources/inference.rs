//! ClassifyDocument: real-time classification through an IN_SERVICE endpoint.

use comprehend_ml::Mode;
use comprehend_protocol::*;

use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::versions::Version;

use super::owned_arn;
use crate::error::Result;
use crate::state::{Shared, State};

/// Largest plain-text document, in bytes of UTF-8 (API reference, ClassifyDocument:
/// "UTF-8 text ... less than 10 KB"; TextSizeLimitExceededException above it).
pub const MAX_TEXT_BYTES: usize = 10_000;

pub(super) fn unavailable(arn: &str, why: &str) -> ServiceError {
    ServiceError::resource_unavailable(format!("The endpoint {arn} is not available: {why}."))
}

/// What a `Bytes` document holds, recognised by its first bytes.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"II*\x00", "a TIFF image"),
        (b"MM\x00*", "a TIFF image"),
        (b"PK\x03\x04", "a Word (or other ZIP-based) document"),
        (b"\xd0\xcf\x11\xe0", "a legacy Office document"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

/// The document's text, and whether it came as `Bytes`: exactly one of Text and Bytes,
/// and Bytes must be UTF-8 plain text (native documents are not emulated).
pub(super) fn document(text: Option<String>, bytes: Option<Blob>) -> Result<(String, bool)> {
    match (text, bytes) {
        (Some(_), Some(_)) => {
            Err(ServiceError::invalid_request("Specify either Text or Bytes, not both.").into())
        }
        (None, None) => {
            Err(ServiceError::invalid_request("Specify the document as Text or Bytes.").into())
        }
        (Some(text), None) => Ok((text, false)),
        (None, Some(Blob(bytes))) => {
            if let Some(kind) = binary_kind(&bytes) {
                return Err(ServiceError::invalid_document(
                    InvalidRequestDetailReason::UnsupportedDocType,
                    format!("The document is {kind}; comprehend-local classifies plain text (UTF-8) only."),
                )
                .into());
            }
            String::from_utf8(bytes)
                .map(|text| (text, true))
                .map_err(|_| {
                    ServiceError::invalid_document(
                        InvalidRequestDetailReason::UnsupportedDocType,
                        "The document is neither UTF-8 plain text nor a supported document type.",
                    )
                    .into()
                })
        }
    }
}

/// ClassifyDocument.
pub async fn classify(
    state: &Shared,
    ctx: &RequestContext,
    input: ClassifyDocumentRequest,
) -> Result<ClassifyDocumentResponse> {
    let (text, from_bytes) = document(input.text, input.bytes)?;
    let key = model_key::<ClassifierRecord>(state, ctx, &input.endpoint_arn, &text, MAX_TEXT_BYTES)
        .await?;
    let model = state.models.load(&key).await?;
    let scores = model.predict(&text);
    Ok(response(model.mode(), scores, from_bytes.then_some(&text)))
}

/// The model file of a `V` endpoint that may take `text` now: within `max_bytes`, IN_SERVICE
/// and within its inference units.
pub(super) async fn model_key<V: Version>(
    state: &State,
    ctx: &RequestContext,
    arn: &str,
    text: &str,
    max_bytes: usize,
) -> Result<String> {
    if text.len() > max_bytes {
        return Err(ServiceError::text_size_limit_exceeded(format!(
            "Input text size exceeds limit. Max length of request text allowed is {max_bytes} bytes while in this request the text size is {} bytes",
            text.len()
        ))
        .into());
    }
    // Unknown endpoints are "unavailable" too: neither ClassifyDocument nor DetectEntities
    // models a ResourceNotFoundException.
    let endpoint = match owned_arn(ctx, arn) {
        Ok(_) => state.store.endpoint_route::<V>(arn).await?,
        Err(_) => None,
    };
    let Some(endpoint) = endpoint else {
        return Err(unavailable(arn, "it does not exist").into());
    };
    if endpoint.status != EndpointStatus::InService {
        return Err(unavailable(arn, &format!("it is {}", endpoint.status)).into());
    }
    let units = endpoint.inference_units;
    if !state
        .throttle
        .admit(arn, units, text.chars().count(), state.now_ms())
    {
        return Err(ServiceError::too_many_requests(format!(
            "The endpoint's throughput of {units} inference unit(s) ({} characters per second) is exceeded.",
            units * 100
        ))
        .into());
    }
    Ok(endpoint
        .model_key
        .ok_or_else(|| unavailable(arn, "its model is no longer available"))?)
}

/// The answer: `Classes` or `Labels` by the model's mode, and the document's metadata
/// when it came as `Bytes`.
fn response(
    mode: Mode,
    scores: Vec<(String, f64)>,
    from_bytes: Option<&String>,
) -> ClassifyDocumentResponse {
    let ranked = scores.into_iter().map(|(name, score)| (name, score as f32));
    let mut response = ClassifyDocumentResponse::default();
    match mode {
        Mode::MultiClass => {
            response.classes = Some(
                ranked
                    .map(|(name, score)| DocumentClass {
                        name: Some(name),
                        score: Some(score),
                        page: None,
                    })
                    .collect(),
            );
        }
        Mode::MultiLabel => {
            response.labels = Some(
                ranked
                    .map(|(name, score)| DocumentLabel {
                        name: Some(name),
                        score: Some(score),
                        page: None,
                    })
                    .collect(),
            );
        }
    }
    if let Some(text) = from_bytes {
        response.document_metadata = Some(DocumentMetadata {
            pages: Some(1),
            extracted_characters: Some(vec![ExtractedCharactersListItem {
                page: Some(1),
                count: Some(text.chars().count() as i32),
            }]),
        });
        response.document_type = Some(vec![DocumentTypeListItem {
            page: Some(1),
            type_: Some(DocumentType::PlainText),
        }]);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_binary_documents() {
        assert_eq!(binary_kind(b"%PDF-1.7 ..."), Some("a PDF document"));
        assert!(binary_kind(b"\x89PNG\r\n").is_some());
        assert_eq!(binary_kind(b"plain text"), None);
    }
}
