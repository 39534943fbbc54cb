//! Built-in analysis in real time (DetectPiiEntities, ContainsPiiEntities, DetectSentiment,
//! DetectDominantLanguage, DetectToxicContent and the batch forms) through
//! aws-sdk-comprehend, boto3, the AWS CLI and raw JSON checked against the API model.

use std::process::Command;

use aws_sdk_comprehend::types::{LanguageCode, PiiEntityType, SentimentType, TextSegment};
use serde_json::{Value, json};

use crate::harness::{Env, Wire, code, fixture_path, message, tool};

const PARAGRAPH: &str = "😀 Hi, I'm Maria Lopez. Card 4111 1111 1111 1111, mail maria.lopez@example.com, phone (206) 555-0142.";

/// `text`'s code points `begin..end`.
fn cut(text: &str, begin: i32, end: i32) -> String {
    text.chars()
        .skip(begin as usize)
        .take((end - begin) as usize)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pii_spans_are_exact_in_code_points_and_contains_agrees() {
    let env = Env::start().await;
    let found = env
        .comprehend
        .detect_pii_entities()
        .text(PARAGRAPH)
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let spans: Vec<(String, String)> = found
        .entities()
        .iter()
        .map(|e| {
            let (b, end) = (e.begin_offset().unwrap(), e.end_offset().unwrap());
            (
                e.r#type().unwrap().as_str().to_owned(),
                cut(PARAGRAPH, b, end),
            )
        })
        .collect();
    let expected = [
        ("NAME", "Maria Lopez"),
        ("CREDIT_DEBIT_NUMBER", "4111 1111 1111 1111"),
        ("EMAIL", "maria.lopez@example.com"),
        ("PHONE", "(206) 555-0142"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(t, s)| (t.to_string(), s.to_string()))
        .collect();
    assert_eq!(spans, expected);
    let labels = env
        .comprehend
        .contains_pii_entities()
        .text(PARAGRAPH)
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let mut names: Vec<&str> = labels
        .labels()
        .iter()
        .map(|l| l.name().unwrap().as_str())
        .collect();
    names.sort();
    let mut types: Vec<&str> = expected.iter().map(|(t, _)| t.as_str()).collect();
    types.sort();
    assert_eq!(names, types);

    // A Luhn-invalid number is not a card; a Spanish text is read as Spanish.
    let invalid = env
        .comprehend
        .detect_pii_entities()
        .text("Mi tarjeta es 4111 1111 1111 1112.")
        .language_code(LanguageCode::Es)
        .send()
        .await
        .unwrap();
    assert!(
        !invalid
            .entities()
            .iter()
            .any(|e| e.r#type() == Some(&PiiEntityType::CreditDebitNumber)),
        "{invalid:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sentiment_follows_the_text_and_batches_answer_each_document() {
    let env = Env::start().await;
    let read = |text: &'static str| {
        let client = env.comprehend.clone();
        async move {
            client
                .detect_sentiment()
                .text(text)
                .language_code(LanguageCode::En)
                .send()
                .await
                .unwrap()
        }
    };
    let good = read("I love this phone, the camera is wonderful!").await;
    let bad = read("The delivery was late and the box was broken. Awful.").await;
    assert_eq!(good.sentiment(), Some(&SentimentType::Positive));
    assert_eq!(bad.sentiment(), Some(&SentimentType::Negative));
    let s = good.sentiment_score().unwrap();
    let sum =
        s.positive().unwrap() + s.negative().unwrap() + s.neutral().unwrap() + s.mixed().unwrap();
    assert!((sum - 1.0).abs() < 1e-4, "{s:?}");

    let mut docs = vec!["Great product, works perfectly.".to_owned(); 25];
    docs[3] = "Terrible, it broke after one day.".to_owned();
    docs[7] = "x".repeat(5_001);
    let batch = env
        .comprehend
        .batch_detect_sentiment()
        .set_text_list(Some(docs))
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let indices: Vec<i32> = batch
        .result_list()
        .iter()
        .map(|r| r.index().unwrap())
        .collect();
    assert_eq!(indices, (0..25).filter(|i| *i != 7).collect::<Vec<_>>());
    assert_eq!(
        batch.result_list()[3].sentiment(),
        Some(&SentimentType::Negative)
    );
    assert_eq!(batch.error_list().len(), 1);
    assert_eq!(batch.error_list()[0].index(), Some(7));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dominant_language_reads_the_script_and_the_words() {
    let env = Env::start().await;
    for (text, expected) in [
        (
            "Bonjour, je voudrais réserver une table pour deux personnes ce soir.",
            "fr",
        ),
        (
            "Ich möchte heute Abend einen Tisch für zwei Personen reservieren.",
            "de",
        ),
        ("我们今天下午去图书馆学习中文。", "zh"),
        ("我們今天下午去圖書館學習中文。", "zh-TW"),
    ] {
        let answer = env
            .comprehend
            .detect_dominant_language()
            .text(text)
            .send()
            .await
            .unwrap();
        let languages = answer.languages();
        assert_eq!(
            languages[0].language_code(),
            Some(expected),
            "{text}: {languages:?}"
        );
        let scores: Vec<f32> = languages.iter().map(|l| l.score().unwrap()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn toxicity_scores_an_insult_above_a_thank_you() {
    let env = Env::start().await;
    let segments = [
        "You are a worthless idiot and everyone hates you.",
        "Thank you so much for your help!",
    ];
    let answer = env
        .comprehend
        .detect_toxic_content()
        .set_text_segments(Some(
            segments
                .iter()
                .map(|t| TextSegment::builder().text(*t).build().unwrap())
                .collect(),
        ))
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let results = answer.result_list();
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.labels().len() == 7));
    assert!(
        results[0].toxicity().unwrap() > results[1].toxicity().unwrap() + 0.3,
        "{results:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_and_languages_get_the_services_errors() {
    let env = Env::start().await;
    let c = &env.comprehend;
    let err = c
        .detect_pii_entities()
        .text("Bonjour")
        .language_code(LanguageCode::Fr)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ValidationException");
    assert_eq!(
        message(&err),
        "1 validation error detected: Value 'fr' at 'languageCode' failed to satisfy constraint: Member must satisfy enum value set: [en, es]"
    );
    let segment = TextSegment::builder().text("hola").build().unwrap();
    let err = c
        .detect_toxic_content()
        .text_segments(segment)
        .language_code(LanguageCode::Es)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ValidationException");

    // Sizes are UTF-8 bytes: 2,501 two-byte characters are 5,002 bytes.
    let err = c
        .detect_sentiment()
        .text("é".repeat(2_501))
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TextSizeLimitExceededException");
    assert!(
        message(&err)
            .ends_with("allowed is 5000 bytes while in this request the text size is 5002 bytes"),
        "{}",
        message(&err)
    );
    c.detect_sentiment()
        .text("a".repeat(5_000))
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let err = c
        .detect_dominant_language()
        .text("a".repeat(100_001))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TextSizeLimitExceededException");
    let err = c
        .contains_pii_entities()
        .text("a ".repeat(50_001))
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TextSizeLimitExceededException");
    let many: Vec<TextSegment> = (0..11)
        .map(|_| TextSegment::builder().text("hi").build().unwrap())
        .collect();
    let err = c
        .detect_toxic_content()
        .set_text_segments(Some(many))
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TextSizeLimitExceededException");
    let err = c
        .batch_detect_dominant_language()
        .set_text_list(Some(vec!["hello".into(); 26]))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "BatchSizeLimitExceededException");
}

async fn post(env: &Env, operation: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/", env.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", format!("Comprehend_20171127.{operation}"))
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/comprehend/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body.to_string())
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// Every answer is a valid instance of the operation's output shape in the API model, and
/// batches always carry both lists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_validate_against_the_api_model() {
    let env = Env::start().await;
    let cases = [
        (
            "DetectPiiEntities",
            json!({"Text": PARAGRAPH, "LanguageCode": "en"}),
        ),
        (
            "ContainsPiiEntities",
            json!({"Text": PARAGRAPH, "LanguageCode": "en"}),
        ),
        (
            "DetectSentiment",
            json!({"Text": "Nice!", "LanguageCode": "en"}),
        ),
        (
            "BatchDetectSentiment",
            json!({"TextList": ["Nice!", "Bad."], "LanguageCode": "en"}),
        ),
        (
            "DetectDominantLanguage",
            json!({"Text": "Hola, ¿cómo estás?"}),
        ),
        (
            "BatchDetectDominantLanguage",
            json!({"TextList": ["Hola", "$$$$$$"]}),
        ),
        (
            "DetectToxicContent",
            json!({"TextSegments": [{"Text": "hello"}], "LanguageCode": "en"}),
        ),
    ];
    for (operation, request) in cases {
        let (status, body) = post(&env, operation, request).await;
        assert_eq!(status, 200, "{operation}: {body}");
        comprehend_protocol::validate::validate(&format!("{operation}Response"), &body)
            .unwrap_or_else(|e| panic!("{operation}: {e} in {body}"));
        if operation.starts_with("Batch") {
            assert!(
                body["ResultList"].is_array() && body["ErrorList"].is_array(),
                "{body}"
            );
        }
    }
    // An empty text breaks the model's `min` before any analysis.
    let (status, body) = post(
        &env,
        "DetectSentiment",
        json!({"Text": "", "LanguageCode": "en"}),
    )
    .await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ValidationException")),
        "{body}"
    );
}

/// The same answers over Smithy RPC v2 CBOR.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn built_in_analysis_over_cbor() {
    let env = Env::start_over(Wire::Cbor, |_| {}).await;
    let answer = env
        .comprehend
        .batch_detect_dominant_language()
        .text_list("Good morning, how are you today?")
        .text_list("$$$$$$")
        .send()
        .await
        .unwrap();
    assert_eq!(
        answer.result_list()[0].languages()[0].language_code(),
        Some("en")
    );
    assert_eq!(answer.error_list()[0].index(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_calls_every_built_in_operation() {
    let env = Env::start().await;
    let out = Command::new(tool("python3"))
        .arg(fixture_path("builtin/boto3_builtin.py"))
        .arg(&env.url)
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("boto3 BUILTIN OK"),
        "boto3 script failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `aws comprehend ARGS…` against `env`, its JSON answer.
fn aws(env: &Env, args: &[&str]) -> Value {
    let args: Vec<&str> = std::iter::once("comprehend")
        .chain(args.iter().copied())
        .collect();
    serde_json::from_str(&crate::cli::ok(crate::cli::aws(env, &args))).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_reads_pii_and_sentiment() {
    let env = Env::start().await;
    let pii = aws(
        &env,
        &[
            "detect-pii-entities",
            "--language-code",
            "en",
            "--text",
            "Write to bob.smith@example.org today.",
        ],
    );
    assert_eq!(pii["Entities"][0]["Type"], "EMAIL", "{pii}");
    assert_eq!(
        (
            pii["Entities"][0]["BeginOffset"].as_i64(),
            pii["Entities"][0]["EndOffset"].as_i64()
        ),
        (Some(9), Some(30)),
        "{pii}"
    );
    let contains = aws(
        &env,
        &[
            "contains-pii-entities",
            "--language-code",
            "en",
            "--text",
            "Write to bob.smith@example.org today.",
        ],
    );
    assert_eq!(contains["Labels"][0]["Name"], "EMAIL", "{contains}");
    let sentiment = aws(
        &env,
        &[
            "detect-sentiment",
            "--language-code",
            "en",
            "--text",
            "What a fantastic, delightful day!",
        ],
    );
    assert_eq!(sentiment["Sentiment"], "POSITIVE", "{sentiment}");
    let batch = aws(
        &env,
        &[
            "batch-detect-sentiment",
            "--language-code",
            "en",
            "--text-list",
            "I hate waiting.",
            "I love it.",
        ],
    );
    assert_eq!(batch["ResultList"][0]["Sentiment"], "NEGATIVE", "{batch}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_reads_languages_and_toxicity() {
    let env = Env::start().await;
    let language = aws(
        &env,
        &[
            "detect-dominant-language",
            "--text",
            "Questo è un ristorante molto buono e accogliente.",
        ],
    );
    assert_eq!(language["Languages"][0]["LanguageCode"], "it", "{language}");
    let languages = aws(
        &env,
        &[
            "batch-detect-dominant-language",
            "--text-list",
            "Obrigado pela ajuda, meu amigo.",
            "Gracias por la ayuda, amigo mío.",
        ],
    );
    assert_eq!(
        languages["ResultList"][1]["Languages"][0]["LanguageCode"], "es",
        "{languages}"
    );
    let syntax = aws(
        &env,
        &[
            "detect-syntax",
            "--language-code",
            "en",
            "--text",
            "I love Seattle.",
        ],
    );
    assert_eq!(
        syntax["SyntaxTokens"][2]["PartOfSpeech"]["Tag"], "PROPN",
        "{syntax}"
    );
    let entities = aws(
        &env,
        &[
            "detect-entities",
            "--language-code",
            "en",
            "--text",
            "Jane Smith moved to Seattle.",
        ],
    );
    assert_eq!(entities["Entities"][0]["Type"], "PERSON", "{entities}");
    let phrases = aws(
        &env,
        &[
            "detect-key-phrases",
            "--language-code",
            "en",
            "--text",
            "Pay the minimum payment today.",
        ],
    );
    assert_eq!(
        phrases["KeyPhrases"][0]["Text"], "the minimum payment",
        "{phrases}"
    );
    let toxic = aws(
        &env,
        &[
            "detect-toxic-content",
            "--language-code",
            "en",
            "--text-segments",
            "Text=Shut up you stupid moron",
            "Text=Have a nice day",
        ],
    );
    assert!(
        toxic["ResultList"][0]["Toxicity"].as_f64() > toxic["ResultList"][1]["Toxicity"].as_f64(),
        "{toxic}"
    );
}

/// A server started on its defaults builds the models in the background and says when they
/// are ready on `/health`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_says_when_the_models_are_built() {
    let env = Env::start_with(|config| config.warm_builtin = true).await;
    let url = format!("{}/health", env.url);
    let body = crate::harness::wait_for("built-in models", 120, || {
        let url = url.clone();
        async move {
            let body = reqwest::get(&url).await.ok()?.bytes().await.ok()?;
            let body: Value = serde_json::from_slice(&body).ok()?;
            (body["builtinModels"] == "ready").then_some(body)
        }
    })
    .await;
    assert_eq!(
        body["builtinModelsVersion"],
        comprehend_builtin::MODELS_VERSION
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syntax_tags_tokens_with_ids_offsets_and_text() {
    let env = Env::start().await;
    let answer = env
        .comprehend
        .detect_syntax()
        .text("😀 I love Seattle.")
        .language_code(aws_sdk_comprehend::types::SyntaxLanguageCode::En)
        .send()
        .await
        .unwrap();
    let tokens: Vec<(i32, &str, i32, i32, &str)> = answer
        .syntax_tokens()
        .iter()
        .map(|t| {
            let tag = t
                .part_of_speech()
                .and_then(|p| p.tag())
                .map_or("", |t| t.as_str());
            (
                t.token_id().unwrap(),
                t.text().unwrap(),
                t.begin_offset().unwrap(),
                t.end_offset().unwrap(),
                tag,
            )
        })
        .collect();
    // The emoji is a symbol token of its own; offsets count it as one code point.
    let words: Vec<_> = tokens.iter().filter(|t| t.1 != "😀").collect();
    let expected = [
        ("I", 2, 3, "PRON"),
        ("love", 4, 8, "VERB"),
        ("Seattle", 9, 16, "PROPN"),
        (".", 16, 17, "PUNCT"),
    ];
    assert_eq!(words.len(), 4, "{tokens:?}");
    for (got, want) in words.iter().zip(expected) {
        assert_eq!((got.1, got.2, got.3, got.4), want, "{tokens:?}");
    }
    let ids: Vec<i32> = tokens.iter().map(|t| t.0).collect();
    assert_eq!(ids, (1..=tokens.len() as i32).collect::<Vec<_>>());

    let batch = env
        .comprehend
        .batch_detect_syntax()
        .text_list("Ella canta muy bien.")
        .text_list("x".repeat(5_001))
        .language_code(aws_sdk_comprehend::types::SyntaxLanguageCode::Es)
        .send()
        .await
        .unwrap();
    assert_eq!(batch.result_list().len(), 1);
    assert_eq!(batch.error_list()[0].index(), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entities_without_an_endpoint_are_the_built_in_types() {
    let env = Env::start().await;
    let text = "Jane Smith flew from Seattle to Paris on Monday, March 3, 2025 and paid $1,200.";
    let answer = env
        .comprehend
        .detect_entities()
        .text(text)
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let found: Vec<(&str, &str)> = answer
        .entities()
        .iter()
        .map(|e| (e.r#type().unwrap().as_str(), e.text().unwrap()))
        .collect();
    for want in [
        ("PERSON", "Jane Smith"),
        ("LOCATION", "Seattle"),
        ("LOCATION", "Paris"),
        ("QUANTITY", "$1,200"),
    ] {
        assert!(found.contains(&want), "{want:?} in {found:?}");
    }
    assert!(
        found
            .iter()
            .any(|(t, s)| *t == "DATE" && s.contains("March 3, 2025")),
        "{found:?}"
    );
    for e in answer.entities() {
        let (b, end) = (e.begin_offset().unwrap(), e.end_offset().unwrap());
        assert_eq!(cut(text, b, end), e.text().unwrap());
    }
    let err = env
        .comprehend
        .detect_entities()
        .text("Jane")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ValidationException");
    let batch = env
        .comprehend
        .batch_detect_entities()
        .text_list("Angela Merkel visited Madrid.")
        .text_list("")
        .language_code(LanguageCode::En)
        .send()
        .await;
    // An empty document breaks the model's `min` for the whole request.
    assert_eq!(code(&batch.unwrap_err()), "ValidationException");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_phrases_are_noun_phrases_in_text_order() {
    let env = Env::start().await;
    let text = "😀 I'd like to check my bank account balance and pay the minimum payment.";
    let answer = env
        .comprehend
        .detect_key_phrases()
        .text(text)
        .language_code(LanguageCode::En)
        .send()
        .await
        .unwrap();
    let phrases: Vec<&str> = answer
        .key_phrases()
        .iter()
        .map(|p| p.text().unwrap())
        .collect();
    for want in ["my bank account balance", "the minimum payment"] {
        assert!(phrases.contains(&want), "{want} in {phrases:?}");
    }
    let mut last_end = 0;
    for p in answer.key_phrases() {
        let (b, e) = (p.begin_offset().unwrap(), p.end_offset().unwrap());
        assert_eq!(cut(text, b, e), p.text().unwrap());
        assert!(b >= last_end, "in order, no overlap: {phrases:?}");
        last_end = e;
    }
    let batch = env
        .comprehend
        .batch_detect_key_phrases()
        .text_list("El perro negro come la comida.")
        .text_list("x".repeat(5_001))
        .language_code(LanguageCode::Es)
        .send()
        .await
        .unwrap();
    assert!(!batch.result_list()[0].key_phrases().is_empty());
    assert_eq!(batch.error_list()[0].index(), Some(1));
}
