//! DetectSyntax and BatchDetectSyntax: English, Spanish, French, German, Italian and
//! Portuguese (the model's `SyntaxLanguageCode`; another code fails the model's enum check
//! with a ValidationException, as the service answers), 5 KB per document. Tokens carry
//! `TokenId` from 1, code-point offsets and their exact `Text`.

use comprehend_builtin::Language;
use comprehend_builtin::offsets::CodePoints;
use comprehend_builtin::syntax::{self, PartOfSpeech};
use comprehend_protocol::*;

use super::{SMALL_TEXT_BYTES, batch, one};
use crate::error::Result;
use crate::state::Shared;

/// DetectSyntax.
pub async fn detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: DetectSyntaxRequest,
) -> Result<DetectSyntaxResponse> {
    let language = engine_language(input.language_code);
    let tokens = one(input.text, SMALL_TEXT_BYTES, move |text| {
        tokens(text, language)
    })
    .await?;
    Ok(DetectSyntaxResponse {
        syntax_tokens: Some(tokens),
    })
}

/// BatchDetectSyntax.
pub async fn batch_detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: BatchDetectSyntaxRequest,
) -> Result<BatchDetectSyntaxResponse> {
    let language = engine_language(input.language_code);
    let analyse = move |text: &str| Ok(tokens(text, language));
    let answers = batch(input.text_list, analyse, |index, tokens| {
        BatchDetectSyntaxItemResult {
            index: Some(index),
            syntax_tokens: Some(tokens),
        }
    })
    .await?;
    Ok(BatchDetectSyntaxResponse {
        result_list: answers.results,
        error_list: answers.errors,
    })
}

/// The engine language of a syntax language: every `SyntaxLanguageCode` is one of the
/// engine's twelve.
fn engine_language(code: SyntaxLanguageCode) -> Language {
    match code {
        SyntaxLanguageCode::En => Language::En,
        SyntaxLanguageCode::Es => Language::Es,
        SyntaxLanguageCode::Fr => Language::Fr,
        SyntaxLanguageCode::De => Language::De,
        SyntaxLanguageCode::It => Language::It,
        SyntaxLanguageCode::Pt => Language::Pt,
    }
}

/// The tagged tokens of `text` on the wire.
fn tokens(text: &str, language: Language) -> Vec<SyntaxToken> {
    let map = CodePoints::new(text);
    syntax::analyse(text, language)
        .into_iter()
        .map(|t| SyntaxToken {
            token_id: Some(t.id as i32),
            text: Some(map.slice(text, t.begin, t.end).to_owned()),
            begin_offset: Some(t.begin as i32),
            end_offset: Some(t.end as i32),
            part_of_speech: Some(PartOfSpeechTag {
                tag: Some(wire_tag(t.tag)),
                score: Some(t.score),
            }),
        })
        .collect()
}

fn wire_tag(tag: PartOfSpeech) -> PartOfSpeechTagType {
    PartOfSpeechTagType::parse(tag.name())
        .expect("every engine tag is a PartOfSpeechTagType (tested below)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_tag_has_its_wire_name() {
        for tag in PartOfSpeech::ALL {
            assert_eq!(wire_tag(tag).as_str(), tag.name());
        }
        assert_eq!(PartOfSpeech::ALL.len(), PartOfSpeechTagType::ALL.len());
    }
}
