//! DetectSentiment and BatchDetectSentiment: every language of the shared `LanguageCode`
//! enumeration (Developer Guide, "Supported languages"), 5 KB per document.

use comprehend_builtin::sentiment::{self, Analysis, Sentiment};
use comprehend_protocol::*;

use super::{SMALL_TEXT_BYTES, batch, language_in, one};
use crate::error::Result;
use crate::state::Shared;

/// DetectSentiment.
pub async fn detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: DetectSentimentRequest,
) -> Result<DetectSentimentResponse> {
    let language = language_in(input.language_code, LanguageCode::ALL)?;
    let analysis = one(input.text, SMALL_TEXT_BYTES, move |text| {
        sentiment::analyse(text, language)
    })
    .await?;
    Ok(DetectSentimentResponse {
        sentiment: Some(wire_sentiment(analysis.sentiment)),
        sentiment_score: Some(wire_score(&analysis)),
    })
}

/// BatchDetectSentiment.
pub async fn batch_detect(
    _state: &Shared,
    _ctx: &RequestContext,
    input: BatchDetectSentimentRequest,
) -> Result<BatchDetectSentimentResponse> {
    let language = language_in(input.language_code, LanguageCode::ALL)?;
    let analyse = move |text: &str| Ok(sentiment::analyse(text, language));
    let answers = batch(input.text_list, analyse, |index, analysis| {
        BatchDetectSentimentItemResult {
            index: Some(index),
            sentiment: Some(wire_sentiment(analysis.sentiment)),
            sentiment_score: Some(wire_score(&analysis)),
        }
    })
    .await?;
    Ok(BatchDetectSentimentResponse {
        result_list: answers.results,
        error_list: answers.errors,
    })
}

fn wire_sentiment(sentiment: Sentiment) -> SentimentType {
    match sentiment {
        Sentiment::Positive => SentimentType::Positive,
        Sentiment::Negative => SentimentType::Negative,
        Sentiment::Neutral => SentimentType::Neutral,
        Sentiment::Mixed => SentimentType::Mixed,
    }
}

fn wire_score(analysis: &Analysis) -> SentimentScore {
    let score = analysis.score;
    SentimentScore {
        positive: Some(score.positive),
        negative: Some(score.negative),
        neutral: Some(score.neutral),
        mixed: Some(score.mixed),
    }
}
