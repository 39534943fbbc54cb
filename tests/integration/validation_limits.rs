//! Hostile request bodies get short answers: a ValidationException for millions of
//! violations lists a few of them and counts the rest, long values are echoed as a
//! prefix, and JSON nested past serde_json's recursion limit is a
//! SerializationException rather than a stack overflow.

use std::time::Duration;

use serde_json::Value;

use crate::harness::Env;

/// Sends a raw AWS JSON 1.1 request; returns status, `x-amzn-errortype` and body.
async fn post(env: &Env, operation: &str, body: String) -> (u16, String, Vec<u8>) {
    let response = reqwest::Client::builder()
        // A bound on a hang, not a performance target: the answer takes well under a
        // second in release builds.
        .timeout(Duration::from_secs(120))
        .build()
        .expect("client")
        .post(format!("{}/", env.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", format!("Comprehend_20171127.{operation}"))
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/comprehend/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let error_type = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.bytes().await.expect("body").to_vec();
    (status, error_type, body)
}

fn message(body: &[u8]) -> String {
    let value: Value = serde_json::from_slice(body).expect("a JSON error envelope");
    value["Message"].as_str().unwrap_or_default().to_owned()
}

/// ~9 MB: UntagResource with three million empty tag keys, each breaking TagKey's
/// `min` of 1 (the API model's TagKey shape). This once answered hundreds of MB.
#[tokio::test]
async fn millions_of_violations_answer_a_few_kb() {
    let env = Env::start().await;
    let keys = 3_000_000;
    let mut body = String::with_capacity(keys * 3 + 128);
    body.push_str(&format!(
        "{{\"ResourceArn\":\"{}\",\"TagKeys\":[",
        env.arn("flywheel/f")
    ));
    for i in 0..keys {
        body.push_str(if i == 0 { "\"\"" } else { ",\"\"" });
    }
    body.push_str("]}");
    assert!(body.len() > 9_000_000);

    let (status, error_type, answer) = post(&env, "UntagResource", body).await;
    assert_eq!((status, error_type.as_str()), (400, "ValidationException"));
    assert!(answer.len() < 8 * 1024, "{} bytes", answer.len());
    let message = message(&answer);
    assert!(
        message.starts_with(
            "3000000 validation errors detected: Value '' at 'tagKeys.1.member' failed to \
             satisfy constraint: Member must have length greater than or equal to 1; "
        ),
        "{message}"
    );
    assert!(message.ends_with("; ... and 2999990 more"), "{message}");
}

/// A 5 MB ARN is echoed as its first 64 characters.
#[tokio::test]
async fn long_values_are_echoed_as_a_prefix() {
    let env = Env::start().await;
    let arn = format!("{}{}", env.arn("flywheel/"), "a".repeat(5_000_000));
    let (status, error_type, answer) = post(
        &env,
        "DescribeFlywheel",
        serde_json::json!({ "FlywheelArn": arn }).to_string(),
    )
    .await;
    assert_eq!((status, error_type.as_str()), (400, "ValidationException"));
    assert!(answer.len() < 1024, "{} bytes", answer.len());
    let message = message(&answer);
    let shown: String = arn.chars().take(64).collect();
    assert_eq!(
        message,
        format!(
            "1 validation error detected: Value '{shown}...' at 'flywheelArn' failed to \
             satisfy constraint: Member must have length less than or equal to 256"
        )
    );
}

/// 100k nested lists or structures: serde_json stops at 128 levels with an error.
#[tokio::test]
async fn deeply_nested_json_is_a_serialization_exception() {
    let env = Env::start().await;
    for body in [
        "[".repeat(100_000),
        "{\"Filter\":".repeat(100_000),
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    ] {
        let (status, error_type, answer) = post(&env, "ListFlywheels", body).await;
        assert_eq!(
            (status, error_type.as_str()),
            (400, "SerializationException")
        );
        assert!(answer.len() < 1024, "{} bytes", answer.len());
        assert!(
            message(&answer).starts_with("Malformed JSON request body: recursion limit exceeded"),
            "{}",
            message(&answer)
        );
    }
}
