//! DetectToxicContent: English only; at most 10 segments of at most 1 KB each, 10 KB in all
//! (API reference, DetectToxicContent `TextSegments`: "A list of up to 10 text strings. Each
//! string has a maximum size of 1 KB, and the maximum size of the list is 10 KB"). KB is
//! read as 1,000 bytes, as the service's other text limits are (5 KB = 5000 bytes).

use comprehend_builtin::toxicity::{self, ToxicLabel, Toxicity};
use comprehend_protocol::*;

use super::{language_in, off_thread, within};
use crate::error::Result;
use crate::state::Shared;

/// Most segments in one request.
pub const MAX_SEGMENTS: usize = 10;
/// Largest segment, in UTF-8 bytes.
pub const MAX_SEGMENT_BYTES: usize = 1_000;
/// Largest list, in UTF-8 bytes.
pub const MAX_LIST_BYTES: usize = 10_000;

/// DetectToxicContent.
pub async fn detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: DetectToxicContentRequest,
) -> Result<DetectToxicContentResponse> {
    language_in(input.language_code, &[LanguageCode::En])?;
    let segments: Vec<String> = input.text_segments.into_iter().map(|s| s.text).collect();
    check_segments(&segments)?;
    // The segments go to the engine together: it may read earlier ones as context for later
    // ones, as the service's documentation says it does.
    let answers = off_thread(move || {
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        toxicity::analyse(&segments)
    })
    .await?;
    Ok(DetectToxicContentResponse {
        result_list: Some(answers.into_iter().map(wire).collect()),
    })
}

/// The service's size rules for the segment list; a violation is a
/// TextSizeLimitExceededException, the one size error the operation models.
fn check_segments(segments: &[String]) -> Result<()> {
    if segments.len() > MAX_SEGMENTS {
        return Err(ServiceError::text_size_limit_exceeded(format!(
            "Input text size exceeds limit. The request has {} text segments; at most {MAX_SEGMENTS} are allowed",
            segments.len()
        ))
        .into());
    }
    for segment in segments {
        within(segment, MAX_SEGMENT_BYTES)?;
    }
    let total: usize = segments.iter().map(String::len).sum();
    if total > MAX_LIST_BYTES {
        return Err(ServiceError::text_size_limit_exceeded(format!(
            "Input text size exceeds limit. Max length of request text allowed is {MAX_LIST_BYTES} bytes while in this request the text size is {total} bytes"
        ))
        .into());
    }
    Ok(())
}

fn wire(answer: Toxicity) -> ToxicLabels {
    let labels = answer
        .labels
        .into_iter()
        .map(|(label, score)| ToxicContent {
            name: Some(wire_label(label)),
            score: Some(score),
        })
        .collect();
    ToxicLabels {
        labels: Some(labels),
        toxicity: Some(answer.toxicity),
    }
}

fn wire_label(label: ToxicLabel) -> ToxicContentType {
    match label {
        ToxicLabel::Graphic => ToxicContentType::Graphic,
        ToxicLabel::HarassmentOrAbuse => ToxicContentType::HarassmentOrAbuse,
        ToxicLabel::HateSpeech => ToxicContentType::HateSpeech,
        ToxicLabel::Insult => ToxicContentType::Insult,
        ToxicLabel::Profanity => ToxicContentType::Profanity,
        ToxicLabel::Sexual => ToxicContentType::Sexual,
        ToxicLabel::ViolenceOrThreat => ToxicContentType::ViolenceOrThreat,
    }
}
