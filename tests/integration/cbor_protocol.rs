//! The wire of Smithy RPC v2 CBOR
//! (<https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html>): raw HTTP
//! requests with bodies built here, for what clients see for good and bad requests,
//! and for what must keep reaching S3 and `/health` on the same listener.

use minicbor::Encoder;
use minicbor::data::Type;
use reqwest::header::HeaderMap;
use serde_json::{Map, Value, json};

use crate::harness::{Env, ROLE};

/// The path of an operation, under the service's shape name.
fn path(operation: &str) -> String {
    format!("/service/Comprehend_20171127/operation/{operation}")
}

const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/comprehend/aws4_request, SignedHeaders=host, Signature=0";

/// A response, its CBOR body read into a tree (`Null` when it is not CBOR).
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn error_type(&self) -> &str {
        self.body["__type"].as_str().unwrap_or("")
    }

    fn message(&self) -> &str {
        self.body["Message"].as_str().unwrap_or("")
    }
}

/// A request with only these headers (and `Authorization`), without a body yet.
fn bare(
    env: &Env,
    method: reqwest::Method,
    path: &str,
    headers: &[(&str, &str)],
) -> reqwest::RequestBuilder {
    let mut request = reqwest::Client::new()
        .request(method, format!("{}{path}", env.url))
        .header("authorization", AUTHORIZATION);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request
}

const PROTOCOL: (&str, &str) = ("smithy-protocol", "rpc-v2-cbor");
const CBOR_BODY: (&str, &str) = ("content-type", "application/cbor");

/// A request as the RPC v2 CBOR clients send it, without a body yet.
fn request(env: &Env, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    bare(
        env,
        method,
        path,
        &[PROTOCOL, ("accept", "application/cbor")],
    )
}

/// A POST of `body` to `path` (`Content-Type: application/cbor` unless it is empty).
fn post(env: &Env, path: &str, body: Vec<u8>) -> reqwest::RequestBuilder {
    let request = request(env, reqwest::Method::POST, path);
    if body.is_empty() {
        return request;
    }
    request.header(CBOR_BODY.0, CBOR_BODY.1).body(body)
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.expect("body");
    let mut decoder = minicbor::Decoder::new(&bytes);
    let body = read(&mut decoder).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}

/// Calls an operation with a body written from a JSON tree.
async fn call(env: &Env, operation: &str, body: &Value) -> Answer {
    send(post(env, &path(operation), write(body))).await
}

/// The same call over AWS JSON 1.1: (status, body).
async fn call_json(env: &Env, operation: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/", env.url))
        .header("authorization", AUTHORIZATION)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", format!("Comprehend_20171127.{operation}"))
        .body(body.to_string())
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&body).expect("JSON body"))
}

/// A JSON tree as CBOR, the way clients write structures: text keys, definite lengths.
fn write(value: &Value) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    write_into(&mut e, value);
    e.into_writer()
}

fn write_into(e: &mut Encoder<Vec<u8>>, value: &Value) {
    match value {
        Value::Null => e.null().map(drop),
        Value::Bool(b) => e.bool(*b).map(drop),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => e.u64(u).map(drop),
            (None, Some(i)) => e.i64(i).map(drop),
            (None, None) => e.f64(n.as_f64().unwrap()).map(drop),
        },
        Value::String(s) => e.str(s).map(drop),
        Value::Array(items) => {
            e.array(items.len() as u64).unwrap();
            items.iter().for_each(|item| write_into(e, item));
            Ok(())
        }
        Value::Object(members) => {
            e.map(members.len() as u64).unwrap();
            for (key, member) in members {
                e.str(key).unwrap();
                write_into(e, member);
            }
            Ok(())
        }
    }
    .expect("writing into a Vec");
}

/// A CBOR answer as a JSON tree (tags dropped), or `None` when it is not CBOR.
fn read(d: &mut minicbor::Decoder<'_>) -> Option<Value> {
    Some(match d.datatype().ok()? {
        Type::Map => {
            let len = d.map().ok()??;
            let mut members = Map::new();
            for _ in 0..len {
                let key = d.str().ok()?.to_owned();
                members.insert(key, read(d)?);
            }
            Value::Object(members)
        }
        Type::Array => {
            let len = d.array().ok()??;
            Value::Array((0..len).map(|_| read(d)).collect::<Option<_>>()?)
        }
        Type::String => json!(d.str().ok()?),
        Type::Bool => json!(d.bool().ok()?),
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => json!(d.u64().ok()?),
        Type::I8 | Type::I16 | Type::I32 | Type::I64 => json!(d.i64().ok()?),
        Type::F32 => json!(d.f32().ok()?),
        Type::F64 => json!(d.f64().ok()?),
        Type::Tag => {
            d.tag().ok()?;
            read(d)?
        }
        _ => return None,
    })
}

/// A CreateDocumentClassifier input the server accepts (its data need not exist yet).
fn create_classifier_input(name: &str) -> Value {
    json!({
        "DocumentClassifierName": name,
        "DataAccessRoleArn": ROLE,
        "InputDataConfig": {"S3Uri": "s3://cbor-bucket/data.csv"},
        "LanguageCode": "en",
    })
}

/// The classifiers a List over CBOR returns.
async fn classifiers(env: &Env) -> Vec<Value> {
    let answer = call(env, "ListDocumentClassifiers", &json!({})).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let list = &answer.body["DocumentClassifierPropertiesList"];
    list.as_array().expect("a list").clone()
}

#[tokio::test]
async fn success_answers_carry_the_protocol_headers() {
    let env = Env::start().await;
    let answer = call(&env, "ListDocumentClassifiers", &json!({})).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.headers["smithy-protocol"], "rpc-v2-cbor");
    assert_eq!(answer.headers["content-type"], "application/cbor");
    assert_eq!(
        answer.headers["x-amzn-requestid"].to_str().unwrap().len(),
        36
    );
    assert!(!answer.headers.contains_key("x-amzn-errortype"));
    assert_eq!(answer.body, json!({"DocumentClassifierPropertiesList": []}));
    let created = call(
        &env,
        "CreateDocumentClassifier",
        &create_classifier_input("c1"),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let arn = created.body["DocumentClassifierArn"].as_str().unwrap();
    assert_eq!(arn, env.arn("document-classifier/c1"));
    assert_eq!(classifiers(&env).await.len(), 1);
}

/// An empty body, an empty map and an empty indefinite-length map are all the empty
/// input of an operation with no required members.
#[tokio::test]
async fn empty_bodies_are_empty_inputs() {
    let env = Env::start().await;
    for body in [vec![], vec![0xa0], vec![0xbf, 0xff]] {
        let answer = send(post(&env, &path("ListDocumentClassifiers"), body.clone())).await;
        assert_eq!(answer.status, 200, "{body:02x?}: {}", answer.body);
        assert_eq!(answer.body, json!({"DocumentClassifierPropertiesList": []}));
    }
}

/// Errors are the model's statuses, with `__type` the absolute shape id and the same
/// `Message` as over AWS JSON 1.1.
#[tokio::test]
async fn errors_carry_absolute_types_messages_and_model_statuses() {
    let env = Env::start().await;
    let missing = json!({"DocumentClassifierArn": env.arn("document-classifier/missing")});
    let job = json!({"JobId": "0123456789abcdef0123456789abcdef"});
    for (operation, input, status, shape) in [
        (
            "DescribeDocumentClassifier",
            &missing,
            404,
            "ResourceNotFoundException",
        ),
        (
            "DescribeDocumentClassificationJob",
            &job,
            404,
            "JobNotFoundException",
        ),
    ] {
        let answer = call(&env, operation, input).await;
        assert_eq!(answer.status, status, "{operation}: {}", answer.body);
        assert_eq!(
            answer.error_type(),
            format!("com.amazonaws.comprehend#{shape}")
        );
        assert!(!answer.headers.contains_key("x-amzn-errortype"));
        assert_eq!(answer.headers["smithy-protocol"], "rpc-v2-cbor");
        let (json_status, json) = call_json(&env, operation, input).await;
        assert_eq!(
            (json_status, json["__type"].as_str()),
            (status, Some(shape))
        );
        assert_eq!(answer.message(), json["Message"], "{operation}");
        assert!(!answer.message().is_empty());
    }
}

#[tokio::test]
async fn validation_messages_are_the_same_as_over_json() {
    let env = Env::start().await;
    let mut input = create_classifier_input("has_underscore");
    input["LanguageCode"] = json!("xx");
    let answer = call(&env, "CreateDocumentClassifier", &input).await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.error_type(),
        "com.amazon.coral.validate#ValidationException"
    );
    let (status, json) = call_json(&env, "CreateDocumentClassifier", &input).await;
    assert_eq!(
        (status, json["__type"].as_str()),
        (400, Some("ValidationException"))
    );
    assert_eq!(answer.message(), json["Message"]);
    assert!(
        answer
            .message()
            .starts_with("2 validation errors detected: ")
    );
    assert!(classifiers(&env).await.is_empty());
}

/// "Server-side implementations MUST reject such requests for security reasons."
#[tokio::test]
async fn target_headers_are_rejected() {
    let env = Env::start().await;
    let body = write(&create_classifier_input("targeted"));
    for header in ["x-amz-target", "x-amzn-target"] {
        let request = post(&env, &path("CreateDocumentClassifier"), body.clone())
            .header(header, "Comprehend_20171127.CreateDocumentClassifier");
        let answer = send(request).await;
        assert_eq!(answer.status, 404, "{header}");
        let unknown = "com.amazon.coral.service#UnknownOperationException";
        assert_eq!(answer.error_type(), unknown);
        assert!(
            answer.message().contains("X-Amz-Target"),
            "{}",
            answer.message()
        );
    }
    assert!(classifiers(&env).await.is_empty(), "nothing was created");
}

/// The service segment may be the shape's absolute id (`#` written `.`), after any
/// prefix; the operation segment is only ever the operation's name.
#[tokio::test]
async fn services_may_be_named_by_absolute_id_operations_may_not() {
    let env = Env::start().await;
    let absolute = "/service/com.amazonaws.comprehend.Comprehend_20171127/operation";
    for path in [
        format!("{absolute}/ListDocumentClassifiers"),
        format!("/v1{}", path("ListDocumentClassifiers")),
    ] {
        let answer = send(post(&env, &path, vec![0xa0])).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    }
    let namespaced = path("com.amazonaws.comprehend.ListDocumentClassifiers");
    let answer = send(post(&env, &namespaced, vec![0xa0])).await;
    assert_eq!(answer.status, 404);
    let unknown = "com.amazon.coral.service#UnknownOperationException";
    assert_eq!(answer.error_type(), unknown);
}

/// An operation Comprehend has but comprehend-local does not emulate, or one it does
/// not have, is a 404 over CBOR with JSON's message (which answers them 400).
#[tokio::test]
async fn unknown_operations_are_404_with_the_json_messages() {
    let env = Env::start().await;
    for operation in ["ImportModel", "StopDocumentClassificationJob"] {
        let answer = call(&env, operation, &json!({})).await;
        assert_eq!(answer.status, 404, "{operation}");
        let unknown = "com.amazon.coral.service#UnknownOperationException";
        assert_eq!(answer.error_type(), unknown);
        let (status, json) = call_json(&env, operation, &json!({})).await;
        assert_eq!(status, 400);
        assert_eq!(answer.message(), json["Message"], "{operation}");
    }
}

#[tokio::test]
async fn the_smithy_protocol_header_must_be_rpc_v2_cbor() {
    let env = Env::start().await;
    let list = path("ListDocumentClassifiers");
    let wrong = ("smithy-protocol", "rpc-v2-json");
    let post = reqwest::Method::POST;
    let without = bare(&env, post.clone(), &list, &[CBOR_BODY]);
    let other = bare(&env, post.clone(), &list, &[CBOR_BODY, wrong]);
    let twice = bare(&env, post, &list, &[CBOR_BODY, PROTOCOL, wrong]);
    for request in [without, other, twice] {
        let answer = send(request.body(vec![0xa0])).await;
        assert_eq!(answer.status, 404);
        assert_eq!(answer.headers["smithy-protocol"], "rpc-v2-cbor");
        assert!(
            answer.message().contains("Smithy-Protocol"),
            "{}",
            answer.message()
        );
    }
}

#[tokio::test]
async fn other_methods_are_405() {
    let env = Env::start().await;
    let get = request(&env, reqwest::Method::GET, &path("ListDocumentClassifiers"));
    let answer = send(get).await;
    assert_eq!(answer.status, 405);
    assert_eq!(answer.headers["allow"], "POST");
    let not_allowed = "com.amazon.coral.service#MethodNotAllowedException";
    assert_eq!(answer.error_type(), not_allowed);
}

/// Bodies are `application/cbor` (415 otherwise); an `Accept` that rules it out is a
/// 406; one that allows it, or none, is served.
#[tokio::test]
async fn media_types_are_checked_after_the_operation() {
    let env = Env::start().await;
    let list = path("ListDocumentClassifiers");
    let post = |headers: &[(&str, &str)], path: &str| {
        bare(&env, reqwest::Method::POST, path, headers).body(vec![0xa0])
    };
    let json = ("content-type", "application/json");
    for headers in [
        vec![PROTOCOL, json],
        vec![PROTOCOL],
        vec![PROTOCOL, CBOR_BODY, json],
    ] {
        let answer = send(post(&headers, &list)).await;
        assert_eq!(answer.status, 415, "{headers:?}");
        let unsupported = "com.amazon.coral.service#UnsupportedMediaTypeException";
        assert_eq!(answer.error_type(), unsupported);
    }
    let accept_json = [PROTOCOL, CBOR_BODY, ("accept", "application/json")];
    let answer = send(post(&accept_json, &list)).await;
    assert_eq!(answer.status, 406);
    assert_eq!(
        answer.error_type(),
        "com.amazon.coral.service#NotAcceptableException"
    );
    let accept_any = [PROTOCOL, CBOR_BODY, ("accept", "*/*")];
    assert_eq!(send(post(&accept_any, &list)).await.status, 200);
    let answer = send(post(&[PROTOCOL, json], &path("ImportModel"))).await;
    assert_eq!(answer.status, 404, "the operation is checked first");
}

#[tokio::test]
async fn oversized_bodies_are_413_in_cbor() {
    let env = Env::start_with(|c| c.max_body_bytes = 1024).await;
    let big = json!({"FlywheelArn": "x".repeat(4096)});
    let answer = call(&env, "DescribeFlywheel", &big).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.headers["content-type"], "application/cbor");
    let too_large = "com.amazon.coral.service#RequestEntityTooLargeException";
    assert_eq!(answer.error_type(), too_large);
    assert!(
        classifiers(&env).await.is_empty(),
        "the server still serves"
    );
}

/// Malformed bodies are 400 `SerializationException`s, and the server keeps serving.
#[tokio::test]
async fn malformed_bodies_are_serialization_exceptions() {
    let env = Env::start().await;
    let deep: Vec<u8> = std::iter::repeat_n(0x81, 100_000).collect();
    let wrong_type = write(&json!({"MaxResults": "ten"}));
    let bodies: [&[u8]; 10] = [
        &[0x18],                         // a head whose argument is missing
        &[0xbf],                         // an indefinite map with no break
        &[0xa1, 0x64, 0x54, 0x65],       // a key cut short
        &[0xa1, 0x6b, b'E', 0x78, 0xff], // a text declaring more bytes than sent
        &[0xa0, 0x00],                   // trailing bytes
        &[0xa1, 0x62, 0xc3, 0x28, 0x00], // a key that is not UTF-8
        &[0xa1, 0x01, 0x02],             // a key that is not text
        &[0x1c],                         // reserved additional information
        &deep,                           // nesting past any limit
        &wrong_type,                     // text where the model has an integer
    ];
    for body in bodies {
        let shown = format!("{:02x?}", &body[..body.len().min(8)]);
        let answer = send(post(&env, &path("ListDocumentClassifiers"), body.to_vec())).await;
        assert_eq!(answer.status, 400, "{shown}: {}", answer.body);
        let serialization = "com.amazon.coral.service#SerializationException";
        assert_eq!(answer.error_type(), serialization, "{shown}");
    }
    assert!(
        classifiers(&env).await.is_empty(),
        "the server still serves"
    );
}

/// A path-style S3 request on a bucket named `service` whose key looks like an RPC v2
/// path is S3's: only a POST with no query string (or a `Smithy-Protocol` header) is
/// claimed, and S3 POSTs to keys always have a query.
#[tokio::test]
async fn s3_requests_on_rpc_like_paths_reach_s3() {
    let env = Env::start().await;
    env.s3
        .create_bucket()
        .bucket("service")
        .send()
        .await
        .unwrap();
    let key = "Comprehend_20171127/operation/ListDocumentClassifiers";
    env.put("service", key, "via the SDK").await;
    assert_eq!(env.get("service", key).await, b"via the SDK");
    let url = format!("{}/service/{key}", env.url);
    let client = reqwest::Client::new();
    let put = client.put(&url).body("raw PUT").send().await.unwrap();
    assert_eq!(put.status(), 200);
    let got = client.get(&url).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.text().await.unwrap(), "raw PUT");
    let uploads = client.post(format!("{url}?uploads")).send().await.unwrap();
    assert_eq!(uploads.status(), 200);
    assert!(uploads.text().await.unwrap().contains("<UploadId>"));
}

#[tokio::test]
async fn health_still_answers() {
    let env = Env::start().await;
    let response = reqwest::get(format!("{}/health", env.url)).await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(body["status"], "ready");
}
