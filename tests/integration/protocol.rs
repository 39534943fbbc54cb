//! The wire: what AWS JSON 1.1 clients see for good and bad requests.

use serde_json::{Value, json};

use crate::harness::Env;

async fn post(
    env: &Env,
    target: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{}/", env.url))
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "authorization",
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/comprehend/aws4_request, SignedHeaders=host, Signature=0",
        )
        .body(body);
    if let Some(target) = target {
        request = request.header("x-amz-target", target);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body");
    (
        status,
        headers,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn health_answers_once_ready() {
    let env = Env::start().await;
    let body: Value = serde_json::from_slice(
        &reqwest::get(format!("{}/health", env.url))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn success_has_request_id_and_omits_unset_members() {
    let env = Env::start().await;
    let (status, headers, body) = post(&env, Some("Comprehend_20171127.ListFlywheels"), "{}").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "application/x-amz-json-1.1");
    assert_eq!(headers["x-amzn-requestid"].to_str().unwrap().len(), 36);
    assert_eq!(body, json!({"FlywheelSummaryList": []}));
}

#[tokio::test]
async fn malformed_json_is_a_serialization_exception() {
    let env = Env::start().await;
    let (status, headers, body) = post(
        &env,
        Some("Comprehend_20171127.ListFlywheels"),
        "{\"MaxResults\": ",
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "SerializationException");
    assert_eq!(headers["x-amzn-errortype"], "SerializationException");
    assert!(
        body["Message"]
            .as_str()
            .unwrap()
            .starts_with("Malformed JSON")
    );
}

#[tokio::test]
async fn wrong_member_types_are_serialization_exceptions() {
    let env = Env::start().await;
    for (target, body) in [
        ("ListFlywheels", json!({"MaxResults": "ten"})),
        ("DescribeFlywheel", json!({"FlywheelArn": 7})),
        (
            "ListDocumentClassifiers",
            json!({"Filter": {"SubmitTimeAfter": "yesterday"}}),
        ),
        (
            "TagResource",
            json!({"ResourceArn": "arn:aws:comprehend:us-east-1:000000000000:flywheel/x", "Tags": {"Key": "a"}}),
        ),
    ] {
        let (status, _, body) = post(
            &env,
            Some(&format!("Comprehend_20171127.{target}")),
            body.to_string(),
        )
        .await;
        assert_eq!(
            (status, body["__type"].as_str()),
            (400, Some("SerializationException")),
            "{target}: {body}"
        );
    }
}

#[tokio::test]
async fn unknown_targets_are_unknown_operations() {
    let env = Env::start().await;
    for target in [
        Some("Comprehend_20171127.StopDocumentClassificationJob"),
        Some("Comprehend_20171127.ImportModel"),
        Some("DynamoDB_20120810.ListTables"),
        None,
    ] {
        let (status, headers, body) = post(&env, target, "{}").await;
        assert_eq!(status, 400, "{target:?}");
        assert_eq!(body["__type"], "UnknownOperationException");
        assert_eq!(headers["x-amzn-errortype"], "UnknownOperationException");
    }
}

/// Sends a CreateDocumentClassifier with an `X-Amz-Target` and the given Content-Type
/// (none when `None`).
async fn create_classifier_as(
    env: &Env,
    content_type: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let body = json!({
        "DocumentClassifierName": "strict",
        "DataAccessRoleArn": crate::harness::ROLE,
        "InputDataConfig": {"S3Uri": "s3://strict-bucket/data.csv"},
        "LanguageCode": "en",
    });
    let mut request = reqwest::Client::new()
        .post(format!("{}/", env.url))
        .header(
            "x-amz-target",
            "Comprehend_20171127.CreateDocumentClassifier",
        )
        .body(body.to_string());
    if let Some(t) = content_type {
        request = request.header("content-type", t);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("body"))
}

/// AWS JSON 1.1 bodies are `application/x-amz-json-1.1` (Smithy's awsJson1_1
/// specification); a request in another media type is in no protocol the service
/// speaks, and AWS answers those 404 `<UnknownOperationException/>` without serving them.
#[tokio::test]
async fn json_requests_in_another_content_type_are_not_served() {
    let env = Env::start().await;
    for content_type in [
        Some("application/json"),
        Some("application/x-amz-json-1.0"),
        Some("text/plain"),
        Some("application/cbor"),
        None,
    ] {
        let (status, headers, body) = create_classifier_as(&env, content_type).await;
        assert_eq!(status, 404, "{content_type:?}");
        assert_eq!(body, "<UnknownOperationException/>", "{content_type:?}");
        assert_eq!(headers["x-amzn-errortype"], "UnknownOperationException");
        assert_eq!(headers["x-amzn-requestid"].to_str().unwrap().len(), 36);
    }
    let (status, _, body) = post(
        &env,
        Some("Comprehend_20171127.ListDocumentClassifiers"),
        "{}",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["DocumentClassifierPropertiesList"],
        json!([]),
        "no refused request created anything"
    );
    let (status, _, body) =
        create_classifier_as(&env, Some("application/x-amz-json-1.1; charset=utf-8")).await;
    assert_eq!(status, 200, "a charset parameter is allowed: {body}");
    let (_, _, body) = post(
        &env,
        Some("Comprehend_20171127.ListDocumentClassifiers"),
        "{}",
    )
    .await;
    assert_eq!(
        body["DocumentClassifierPropertiesList"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn constraint_violations_are_validation_exceptions_in_aws_style() {
    let env = Env::start().await;
    let body = json!({
        "DocumentClassifierName": "has_underscore",
        "DataAccessRoleArn": crate::harness::ROLE,
        "InputDataConfig": {"S3Uri": "s3://bucket/data.csv"},
        "LanguageCode": "xx",
    });
    let (status, _, body) = post(
        &env,
        Some("Comprehend_20171127.CreateDocumentClassifier"),
        body.to_string(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["__type"], "ValidationException");
    let message = body["Message"].as_str().unwrap();
    assert!(
        message.starts_with("2 validation errors detected: "),
        "{message}"
    );
    assert!(message.contains("Value 'has_underscore' at 'documentClassifierName' failed to satisfy constraint: Member must satisfy regular expression pattern"));
    assert!(message.contains("Value 'xx' at 'languageCode' failed to satisfy constraint: Member must satisfy enum value set: [en, es, fr, de, it, pt, ar, hi, ja, ko, zh, zh-TW]"));
}

#[tokio::test]
async fn oversized_bodies_are_refused_not_crashed() {
    let env = Env::start_with(|c| c.max_body_bytes = 1024).await;
    let big = json!({"FlywheelArn": "x".repeat(4096)}).to_string();
    let (status, headers, body) =
        post(&env, Some("Comprehend_20171127.DescribeFlywheel"), big).await;
    assert_eq!(status, 413);
    assert_eq!(body["__type"], "RequestEntityTooLargeException");
    assert!(headers.contains_key("x-amzn-requestid"));
    let (status, _, _) = post(&env, Some("Comprehend_20171127.ListFlywheels"), "{}").await;
    assert_eq!(status, 200, "the server still serves after refusing a body");
}

#[tokio::test]
async fn the_rust_sdk_parses_errors_with_their_modeled_status() {
    let env = Env::start().await;
    let err = env
        .comprehend
        .describe_flywheel()
        .flywheel_arn(env.arn("flywheel/missing"))
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_resource_not_found_exception()),
        "{err:?}"
    );
    assert_eq!(crate::harness::status(&err), 404);
    let err = env
        .comprehend
        .describe_document_classification_job()
        .job_id("0123456789abcdef0123456789abcdef")
        .send()
        .await
        .unwrap_err();
    assert!(
        err.as_service_error()
            .is_some_and(|e| e.is_job_not_found_exception()),
        "{err:?}"
    );
}

#[tokio::test]
async fn every_list_answers_empty_and_every_describe_not_found_from_day_one() {
    let env = Env::start().await;
    assert_every_list_is_empty(&env).await;
    assert_every_describe_is_not_found(&env).await;
}

/// The List operations of a fresh server answer empty lists.
async fn assert_every_list_is_empty(env: &Env) {
    let c = &env.comprehend;
    assert!(
        c.list_document_classifiers()
            .send()
            .await
            .unwrap()
            .document_classifier_properties_list()
            .is_empty()
    );
    assert!(
        c.list_document_classifier_summaries()
            .send()
            .await
            .unwrap()
            .document_classifier_summaries_list()
            .is_empty()
    );
    assert!(
        c.list_flywheels()
            .send()
            .await
            .unwrap()
            .flywheel_summary_list()
            .is_empty()
    );
    assert!(
        c.list_datasets()
            .send()
            .await
            .unwrap()
            .dataset_properties_list()
            .is_empty()
    );
    assert!(
        c.list_endpoints()
            .send()
            .await
            .unwrap()
            .endpoint_properties_list()
            .is_empty()
    );
    assert!(
        c.list_document_classification_jobs()
            .send()
            .await
            .unwrap()
            .document_classification_job_properties_list()
            .is_empty()
    );
}

/// Every Describe operation (and the iteration history) of a fresh server answers
/// ResourceNotFoundException.
async fn assert_every_describe_is_not_found(env: &Env) {
    let c = &env.comprehend;
    let not_found = |code: String| assert_eq!(code, "ResourceNotFoundException");
    not_found(crate::harness::code(
        &c.describe_document_classifier()
            .document_classifier_arn(env.arn("document-classifier/x"))
            .send()
            .await
            .unwrap_err(),
    ));
    not_found(crate::harness::code(
        &c.describe_flywheel()
            .flywheel_arn(env.arn("flywheel/x"))
            .send()
            .await
            .unwrap_err(),
    ));
    not_found(crate::harness::code(
        &c.describe_dataset()
            .dataset_arn(env.arn("flywheel/x/dataset/d"))
            .send()
            .await
            .unwrap_err(),
    ));
    not_found(crate::harness::code(
        &c.describe_endpoint()
            .endpoint_arn(env.arn("document-classifier-endpoint/e"))
            .send()
            .await
            .unwrap_err(),
    ));
    not_found(crate::harness::code(
        &c.describe_flywheel_iteration()
            .flywheel_arn(env.arn("flywheel/x"))
            .flywheel_iteration_id("20230101T000000Z")
            .send()
            .await
            .unwrap_err(),
    ));
    not_found(crate::harness::code(
        &c.list_flywheel_iteration_history()
            .flywheel_arn(env.arn("flywheel/x"))
            .send()
            .await
            .unwrap_err(),
    ));
}

#[tokio::test]
async fn list_operations_check_page_sizes_and_tokens() {
    let env = Env::start().await;
    let err = env
        .comprehend
        .list_flywheels()
        .max_results(501)
        .send()
        .await
        .unwrap_err();
    assert_eq!(crate::harness::code(&err), "ValidationException");
    let err = env
        .comprehend
        .list_flywheels()
        .next_token("not-a-token")
        .send()
        .await
        .unwrap_err();
    assert_eq!(crate::harness::code(&err), "InvalidRequestException");
    let err = env
        .comprehend
        .list_document_classifiers()
        .filter(
            aws_sdk_comprehend::types::DocumentClassifierFilter::builder()
                .status(aws_sdk_comprehend::types::ModelStatus::Trained)
                .document_classifier_name("x")
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(crate::harness::code(&err), "InvalidFilterException");
}
