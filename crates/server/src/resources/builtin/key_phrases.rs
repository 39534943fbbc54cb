//! DetectKeyPhrases and BatchDetectKeyPhrases: every language of the shared `LanguageCode`,
//! 100 KB for one document and 5 KB for each document of a batch. Phrases carry their exact
//! `Text` and code-point offsets.

use comprehend_builtin::Language;
use comprehend_builtin::key_phrases;
use comprehend_builtin::offsets::CodePoints;
use comprehend_protocol::*;

use super::{LARGE_TEXT_BYTES, batch, language_in, one};
use crate::error::Result;
use crate::state::Shared;

/// DetectKeyPhrases.
pub async fn detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: DetectKeyPhrasesRequest,
) -> Result<DetectKeyPhrasesResponse> {
    let language = language_in(input.language_code, LanguageCode::ALL)?;
    let phrases = one(input.text, LARGE_TEXT_BYTES, move |text| {
        phrases(text, language)
    })
    .await?;
    Ok(DetectKeyPhrasesResponse {
        key_phrases: Some(phrases),
    })
}

/// BatchDetectKeyPhrases.
pub async fn batch_detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: BatchDetectKeyPhrasesRequest,
) -> Result<BatchDetectKeyPhrasesResponse> {
    let language = language_in(input.language_code, LanguageCode::ALL)?;
    let analyse = move |text: &str| Ok(phrases(text, language));
    let answers = batch(input.text_list, analyse, |index, phrases| {
        BatchDetectKeyPhrasesItemResult {
            index: Some(index),
            key_phrases: Some(phrases),
        }
    })
    .await?;
    Ok(BatchDetectKeyPhrasesResponse {
        result_list: answers.results,
        error_list: answers.errors,
    })
}

fn phrases(text: &str, language: Language) -> Vec<KeyPhrase> {
    let map = CodePoints::new(text);
    key_phrases::detect(text, language)
        .into_iter()
        .map(|p| KeyPhrase {
            score: Some(p.score),
            text: Some(map.slice(text, p.begin, p.end).to_owned()),
            begin_offset: Some(p.begin as i32),
            end_offset: Some(p.end as i32),
        })
        .collect()
}
