//! Amazon Comprehend's AWS JSON 1.1 wire protocol, as a server speaks it.
//!
//! Everything about the wire lives here and nowhere else: which operations exist
//! ([`Operation`], generated from the vendored botocore model), their typed inputs and
//! outputs ([`generated`]), model-driven validation ([`validate`]), the error envelope
//! ([`ServiceError`]), ARNs ([`arn`]) and the account/region of a request ([`auth`]).
//!
//! [`handle`] is the whole request path: target → context → JSON → validation →
//! [`ComprehendApi`] handler → JSON (or error envelope). It knows `http` types but no
//! web framework, and nothing about storage or training.
//!
//! API boundary: the server implements [`ComprehendApi`]; handlers receive validated,
//! typed input and return typed output or a [`ServiceError`].

pub mod arn;
pub mod auth;
pub mod error;
pub mod generated;
pub mod types;
pub mod validate;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use error::{ErrorCode, ServiceError};
pub use generated::*;
pub use types::{Blob, RequestContext, Timestamp};

/// The `X-Amz-Target` prefix of every Comprehend operation.
pub const TARGET_PREFIX: &str = "Comprehend_20171127.";
/// The content type of requests and responses.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// The most bytes of a serde_json error a `SerializationException` message quotes.
/// serde_json's syntax errors are short, but its type errors quote the offending value
/// (`invalid type: string "...", expected ...`), which can be as long as the body.
const MAX_JSON_ERROR_BYTES: usize = 256;

/// Decodes a validated JSON body into an operation's input type.
pub fn decode<T: DeserializeOwned>(body: Value) -> Result<T, ServiceError> {
    serde_json::from_value(body)
        .map_err(|e| ServiceError::serialization(error::clip(&e.to_string(), MAX_JSON_ERROR_BYTES)))
}

/// Parses a request body; an empty body is an empty structure, as AWS JSON 1.1 servers
/// accept. serde_json refuses nesting deeper than 128 levels (its recursion limit)
/// with an error rather than a stack overflow, so a body of `[[[[...` is a
/// `SerializationException` like any other malformed JSON.
pub fn parse_body(body: &[u8]) -> Result<Value, ServiceError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_slice(body).map_err(|e| {
        let e = e.to_string();
        ServiceError::serialization(format!(
            "Malformed JSON request body: {}",
            error::clip(&e, MAX_JSON_ERROR_BYTES)
        ))
    })
}

/// Encodes an operation's output; unset members are omitted by the generated types.
pub fn encode<T: Serialize>(output: &T) -> Result<Value, ServiceError> {
    serde_json::to_value(output)
        .map_err(|e| ServiceError::internal(format!("cannot encode response: {e}")))
}

/// Finds the operation an `X-Amz-Target` header names.
pub fn operation_from_target(target: Option<&str>) -> Result<Operation, ServiceError> {
    let unknown = |m: String| ServiceError::new(ErrorCode::UnknownOperation, m);
    let Some(target) = target else {
        return Err(unknown("Missing X-Amz-Target header".into()));
    };
    let Some(name) = target.strip_prefix(TARGET_PREFIX) else {
        return Err(unknown(format!("Unknown operation target '{target}'")));
    };
    Operation::from_name(name).ok_or_else(|| {
        if validate::Model::get().has_operation(name) {
            unknown(format!("Operation {name} is part of Amazon Comprehend but is not emulated by comprehend-local"))
        } else {
            unknown(format!("Unknown operation {name}"))
        }
    })
}

/// What [`handle`] did, for the response and the request log.
#[derive(Debug)]
pub struct Handled {
    /// The response to send.
    pub response: http::Response<Vec<u8>>,
    /// The operation, when the target named one.
    pub operation: Option<Operation>,
    /// The `__type` of the error, when the request failed.
    pub error: Option<&'static str>,
    /// The request id sent in `x-amzn-RequestId`.
    pub request_id: String,
}

/// Serves one Comprehend request: `headers` and `body` of a `POST /`.
pub async fn handle<A: ComprehendApi>(api: &A, headers: &http::HeaderMap, body: &[u8]) -> Handled {
    let request_id = uuid::Uuid::new_v4().to_string();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let scope = auth::scope_from_authorization(header("authorization"));
    let ctx = RequestContext {
        account_id: scope.account_id,
        region: scope.region,
        request_id,
    };
    match operation_from_target(header("x-amz-target")) {
        Ok(op) => respond(serve(api, &ctx, op, body).await, Some(op), ctx.request_id),
        Err(e) => respond(Err(e), None, ctx.request_id),
    }
}

/// Builds the HTTP response for an operation's result: 200 with the JSON output, or the
/// error envelope with its status, `x-amzn-ErrorType` and `x-amzn-RequestId`.
pub fn respond(
    result: Result<Value, ServiceError>,
    operation: Option<Operation>,
    request_id: String,
) -> Handled {
    let (status, payload, error) = match result {
        Ok(value) => (200, value, None),
        Err(e) => (e.status(), e.body(), Some(e.code.name())),
    };
    let mut builder = http::Response::builder()
        .status(status)
        .header("content-type", CONTENT_TYPE)
        .header("x-amzn-requestid", &request_id);
    if let Some(name) = error {
        builder = builder.header("x-amzn-errortype", name);
    }
    let bytes = serde_json::to_vec(&payload).unwrap_or_else(|_| b"{}".to_vec());
    let response = builder.body(bytes).unwrap_or_default();
    Handled {
        response,
        operation,
        error,
        request_id,
    }
}

async fn serve<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
    op: Operation,
    body: &[u8],
) -> Result<Value, ServiceError> {
    let value = parse_body(body)?;
    validate::validate(op.input_shape(), &value)?;
    dispatch(api, ctx, op, value).await
}

/// The error for a request body over the configured limit.
pub fn body_too_large(limit: usize) -> ServiceError {
    ServiceError::new(
        ErrorCode::RequestEntityTooLarge,
        format!("Request body exceeds the maximum allowed size of {limit} bytes"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(
            operation_from_target(Some("Comprehend_20171127.ListFlywheels")).unwrap(),
            Operation::ListFlywheels
        );
        let e = operation_from_target(Some("Comprehend_20171127.StopDocumentClassificationJob"))
            .unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownOperation);
        assert_eq!(e.message, "Unknown operation StopDocumentClassificationJob");
        let e = operation_from_target(Some("Comprehend_20171127.DetectSentiment")).unwrap_err();
        assert!(e.message.contains("not emulated"));
        assert!(operation_from_target(None).is_err());
        assert!(operation_from_target(Some("DynamoDB_20120810.ListTables")).is_err());
    }

    #[test]
    fn every_operation_is_in_the_model() {
        for op in Operation::ALL {
            assert!(validate::Model::get().has_operation(op.name()), "{op:?}");
        }
    }

    #[test]
    fn error_envelopes() {
        let e = ServiceError::invalid_document(
            InvalidRequestDetailReason::UnsupportedDocType,
            "PDF is not supported",
        );
        assert_eq!(e.status(), 400);
        assert_eq!(
            e.body(),
            serde_json::json!({
                "__type": "InvalidRequestException",
                "Message": "PDF is not supported",
                "Reason": "INVALID_DOCUMENT",
                "Detail": {"Reason": "UNSUPPORTED_DOC_TYPE"}
            })
        );
        assert_eq!(ServiceError::resource_not_found("x").status(), 404);
        assert_eq!(ServiceError::too_many_requests("x").status(), 429);
        assert_eq!(ServiceError::internal("x").status(), 500);
    }

    /// serde_json's recursion limit (128) turns 100k nested lists into an error, not a
    /// stack overflow.
    #[test]
    fn deeply_nested_bodies_are_serialization_errors() {
        let err = parse_body("[".repeat(100_000).as_bytes()).unwrap_err();
        assert_eq!(err.code, ErrorCode::Serialization);
        assert!(
            err.message
                .starts_with("Malformed JSON request body: recursion limit exceeded"),
            "{}",
            err.message
        );
        let within = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse_body(within.as_bytes()).is_ok());
        assert_eq!(parse_body(b" \n").unwrap(), serde_json::json!({}));
    }

    /// serde_json's type errors quote the value; the message keeps a prefix of it.
    #[test]
    fn decode_errors_are_bounded() {
        let body = serde_json::json!({"MaxResults": "x".repeat(100_000)});
        let err = decode::<ListFlywheelsRequest>(body).unwrap_err();
        assert_eq!(err.code, ErrorCode::Serialization);
        assert!(
            err.message.starts_with("invalid type: string \"xxx"),
            "{}",
            err.message
        );
        assert!(
            err.message.len() <= MAX_JSON_ERROR_BYTES + 3,
            "{}",
            err.message
        );
    }

    /// The envelope read with aws-smithy-json's tokenizer, the JSON reader the Rust SDK
    /// parses responses with: `__type` and `Message` are top-level string members.
    #[test]
    fn envelopes_read_with_the_rust_sdk_json_tokenizer() {
        use aws_smithy_json::deserialize::{Token, json_token_iter};
        let body =
            serde_json::to_vec(&ServiceError::resource_in_use("busy \"now\"").body()).unwrap();
        let mut members = Vec::new();
        let mut key = None;
        for token in json_token_iter(&body) {
            match token.unwrap() {
                Token::ObjectKey { key: k, .. } => {
                    key = Some(k.to_unescaped().unwrap().into_owned())
                }
                Token::ValueString { value, .. } => members.push((
                    key.take().unwrap(),
                    value.to_unescaped().unwrap().into_owned(),
                )),
                _ => {}
            }
        }
        members.sort();
        assert_eq!(
            members,
            [
                ("Message".to_owned(), "busy \"now\"".to_owned()),
                ("__type".to_owned(), "ResourceInUseException".to_owned())
            ]
        );
    }
}
