//! Built-in analysis in real time: the operations that read text with Comprehend's
//! pre-trained models (no endpoint). Each family is a small module that names its limits and
//! languages and turns an engine's answer into wire types; the rules every family shares are
//! written once here: text sizes in UTF-8 bytes, the languages an operation reads, the batch
//! form (at most 25 documents, one result or one error per document) and running the engine
//! off the async threads. The engines themselves are `comprehend_builtin`.

pub mod entities;
pub mod key_phrases;
pub mod language;
pub mod pii;
pub mod sentiment;
pub mod syntax;
pub mod toxicity;

use comprehend_builtin::Language;
use comprehend_protocol::{BatchItemError, LanguageCode, ServiceError, validate};

use crate::error::Result;

/// Largest document of DetectDominantLanguage, DetectPiiEntities, ContainsPiiEntities,
/// DetectEntities and DetectKeyPhrases, in
/// UTF-8 bytes (Developer Guide, "Guidelines and quotas": 100 KB for real-time analysis; the
/// service's error message counts bytes: "Max length of request text allowed is 100000 bytes").
pub const LARGE_TEXT_BYTES: usize = 100_000;

/// Largest document of DetectSentiment, and of every document of a BatchDetect* request, in
/// UTF-8 bytes (Developer Guide, "Guidelines and quotas": 5 KB).
pub const SMALL_TEXT_BYTES: usize = 5_000;

/// Most documents in one BatchDetect* request (API reference, `TextList`: "a maximum of 25
/// documents").
pub const MAX_BATCH_DOCUMENTS: usize = 25;

/// Refuses `text` when it is longer than `max` UTF-8 bytes, as the service does (a text of
/// exactly `max` bytes passes: the message names `max` as the largest allowed).
pub fn within(text: &str, max: usize) -> Result<(), ServiceError> {
    if text.len() > max {
        return Err(ServiceError::text_size_limit_exceeded(format!(
            "Input text size exceeds limit. Max length of request text allowed is {max} bytes while in this request the text size is {} bytes",
            text.len()
        )));
    }
    Ok(())
}

/// The engine language of `code` when the operation reads it. The shared `LanguageCode` enum
/// lists twelve languages but each operation reads its own subset; the service answers a code
/// outside that subset with a ValidationException naming the subset (as it does for
/// DetectSyntax with `ja` and DetectPiiEntities with `fr`), not UnsupportedLanguageException.
pub fn language_in(code: LanguageCode, accepted: &[LanguageCode]) -> Result<Language> {
    let known = Language::from_code(code.as_str());
    known.filter(|_| accepted.contains(&code)).ok_or_else(|| {
        let set: Vec<&str> = accepted.iter().map(|c| c.as_str()).collect();
        validate::not_in_set("languageCode", code.as_str(), &set).into()
    })
}

/// Largest single document analysed on the request's own task, once the models are built
/// (a 1 KB text costs the engines at most a few hundred microseconds): handing it to the
/// blocking pool costs more than the analysis, and it halved the throughput of 1 KB
/// DetectPiiEntities requests (BENCHMARKS.md). Longer texts, and any text before the models
/// are built (the NAME/ADDRESS tagger trains for about a second), go to the blocking pool.
const INLINE_BYTES: usize = 2_000;

/// Runs `work` on the blocking pool: the engines are CPU-bound, and a 100 KB document must
/// not hold an async worker thread while it is read.
pub(super) async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| {
        tracing::error!(error = %e, "built-in analysis failed");
        ServiceError::internal("Unexpected Server Error. Please try again.").into()
    })
}

/// One document: checked against `max` bytes, then analysed.
pub async fn one<T: Send + 'static>(
    text: String,
    max: usize,
    analyse: impl FnOnce(&str) -> T + Send + 'static,
) -> Result<T> {
    within(&text, max)?;
    if text.len() <= INLINE_BYTES && comprehend_builtin::is_warm() {
        return Ok(analyse(&text));
    }
    off_thread(move || analyse(&text)).await
}

/// Why one document of a batch has no result: its `BatchItemError` code and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFailure {
    pub code: &'static str,
    pub message: String,
}

/// A batch's answer: results and errors, each in the order of the documents.
pub struct Answers<Item> {
    pub results: Vec<Item>,
    pub errors: Vec<BatchItemError>,
}

/// A BatchDetect* request: at most [`MAX_BATCH_DOCUMENTS`] documents (more is a whole-request
/// BatchSizeLimitExceededException); each document analysed alone, a document over
/// [`SMALL_TEXT_BYTES`] or one `analyse` fails answered in `ErrorList` under its index while
/// the others succeed (API reference, BatchDetectSentiment `ErrorList`). The code of an
/// oversized document, `TEXT_SIZE_LIMIT_EXCEEDED`, is this emulator's choice: the service
/// documents no value for it.
pub async fn batch<T, Item>(
    texts: Vec<String>,
    analyse: impl Fn(&str) -> Result<T, ItemFailure> + Send + 'static,
    item: impl Fn(i32, T) -> Item,
) -> Result<Answers<Item>>
where
    T: Send + 'static,
{
    if texts.len() > MAX_BATCH_DOCUMENTS {
        return Err(ServiceError::batch_size_limit_exceeded(format!(
            "The number of documents in the request ({}) exceeds the limit of {MAX_BATCH_DOCUMENTS}.",
            texts.len()
        ))
        .into());
    }
    let outcomes = off_thread(move || {
        texts
            .iter()
            .map(|text| read_item(text, &analyse))
            .collect::<Vec<_>>()
    })
    .await?;
    let mut answers = Answers {
        results: Vec::new(),
        errors: Vec::new(),
    };
    for (index, outcome) in (0..).zip(outcomes) {
        match outcome {
            Ok(answer) => answers.results.push(item(index, answer)),
            Err(failure) => answers.errors.push(BatchItemError {
                index: Some(index),
                error_code: Some(failure.code.to_owned()),
                error_message: Some(failure.message),
            }),
        }
    }
    Ok(answers)
}

fn read_item<T>(
    text: &str,
    analyse: &impl Fn(&str) -> Result<T, ItemFailure>,
) -> Result<T, ItemFailure> {
    within(text, SMALL_TEXT_BYTES).map_err(|e| ItemFailure {
        code: "TEXT_SIZE_LIMIT_EXCEEDED",
        message: e.message,
    })?;
    analyse(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_counted_in_utf8_bytes_and_the_limit_itself_passes() {
        assert!(within(&"a".repeat(5_000), SMALL_TEXT_BYTES).is_ok());
        let err = within(&"é".repeat(2_501), SMALL_TEXT_BYTES).unwrap_err();
        assert_eq!(err.code.name(), "TextSizeLimitExceededException");
        assert!(
            err.message.ends_with(
                "allowed is 5000 bytes while in this request the text size is 5002 bytes"
            ),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_language_outside_the_operation_is_a_validation_error_naming_its_set() {
        let only = [LanguageCode::En, LanguageCode::Es];
        assert_eq!(language_in(LanguageCode::Es, &only).unwrap(), Language::Es);
        let err: ServiceError = language_in(LanguageCode::Fr, &only).unwrap_err().into();
        assert_eq!(err.code.name(), "ValidationException");
        assert_eq!(
            err.message,
            "1 validation error detected: Value 'fr' at 'languageCode' failed to satisfy constraint: Member must satisfy enum value set: [en, es]"
        );
    }

    #[tokio::test]
    async fn a_batch_answers_every_document_under_its_index() {
        let texts = vec![
            "ok".to_owned(),
            "x".repeat(5_001),
            "fail".to_owned(),
            "ok".to_owned(),
        ];
        let analyse = |t: &str| match t {
            "fail" => Err(ItemFailure {
                code: "InternalServerException",
                message: "no".into(),
            }),
            _ => Ok(t.len()),
        };
        let answers = batch(texts, analyse, |i, n| (i, n)).await.unwrap();
        assert_eq!(answers.results, vec![(0, 2), (3, 2)]);
        let errors: Vec<_> = answers
            .errors
            .iter()
            .map(|e| (e.index, e.error_code.clone()))
            .collect();
        assert_eq!(
            errors,
            vec![
                (Some(1), Some("TEXT_SIZE_LIMIT_EXCEEDED".into())),
                (Some(2), Some("InternalServerException".into()))
            ]
        );
    }

    #[tokio::test]
    async fn more_than_25_documents_is_a_whole_request_error() {
        let err = batch(
            vec!["a".to_owned(); 26],
            |t: &str| Ok(t.len()),
            |i, n| (i, n),
        )
        .await
        .err()
        .unwrap();
        let err: ServiceError = err.into();
        assert_eq!(err.code.name(), "BatchSizeLimitExceededException");
    }
}
