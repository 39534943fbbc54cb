//! DetectDominantLanguage and BatchDetectDominantLanguage: no `LanguageCode`; 100 KB for one
//! document, 5 KB for each document of a batch.

use comprehend_builtin::language::{self, LanguageScore};
use comprehend_protocol::*;

use super::{ItemFailure, LARGE_TEXT_BYTES, batch, one};
use crate::error::Result;
use crate::state::Shared;

/// DetectDominantLanguage.
pub async fn detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: DetectDominantLanguageRequest,
) -> Result<DetectDominantLanguageResponse> {
    let languages = one(input.text, LARGE_TEXT_BYTES, language::detect).await?;
    Ok(DetectDominantLanguageResponse {
        languages: Some(wire(languages)),
    })
}

/// BatchDetectDominantLanguage.
pub async fn batch_detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: BatchDetectDominantLanguageRequest,
) -> Result<BatchDetectDominantLanguageResponse> {
    let answers = batch(input.text_list, detect_in_batch, |index, languages| {
        BatchDetectDominantLanguageItemResult {
            index: Some(index),
            languages: Some(wire(languages)),
        }
    })
    .await?;
    Ok(BatchDetectDominantLanguageResponse {
        result_list: answers.results,
        error_list: answers.errors,
    })
}

/// A document of a batch without a single letter fails on its own, as the Developer Guide
/// shows for the text "$$$$$$" ("Multiple document processing": an `ErrorList` entry with
/// `InternalServerException`, the other documents answered).
fn detect_in_batch(text: &str) -> Result<Vec<LanguageScore>, ItemFailure> {
    if !text.chars().any(char::is_alphabetic) {
        return Err(ItemFailure {
            code: "InternalServerException",
            message: "Unexpected Server Error. Please try again.".to_owned(),
        });
    }
    Ok(language::detect(text))
}

fn wire(languages: Vec<LanguageScore>) -> Vec<DominantLanguage> {
    languages
        .into_iter()
        .map(|l| DominantLanguage {
            language_code: Some(l.code.to_owned()),
            score: Some(l.score),
        })
        .collect()
}
