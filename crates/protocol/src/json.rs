//! AWS JSON 1.1, as a server speaks it: the operation named by `X-Amz-Target`, a JSON
//! body, and JSON answers whose errors carry `__type` and `X-Amzn-ErrorType`, as
//! Smithy's `aws.protocols#awsJson1_1` specification describes
//! (<https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html>).

use serde_json::Value;

use crate::error::{self, ErrorCode, ServiceError};
use crate::generated::Operation;
use crate::{Handled, Protocol};

/// The `X-Amz-Target` prefix of every Comprehend operation.
pub const TARGET_PREFIX: &str = "Comprehend_20171127.";
/// The content type of requests and responses.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

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
            error::clip(&e, crate::MAX_JSON_ERROR_BYTES)
        ))
    })
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
    Operation::from_name(name).ok_or_else(|| crate::unknown_operation(name))
}

/// The operation of a request's headers.
pub(crate) fn operation(headers: &http::HeaderMap) -> Result<Operation, ServiceError> {
    operation_from_target(headers.get("x-amz-target").and_then(|v| v.to_str().ok()))
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
        .header(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(CONTENT_TYPE),
        )
        .header("x-amzn-requestid", &request_id);
    if let Some(name) = error {
        builder = builder.header("x-amzn-errortype", name);
    }
    let bytes = serde_json::to_vec(&payload).unwrap_or_else(|_| b"{}".to_vec());
    let response = builder.body(bytes).unwrap_or_default();
    Handled {
        response,
        protocol: Some(Protocol::AwsJson11),
        operation,
        error,
        request_id,
    }
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
        let e = operation_from_target(Some("Comprehend_20171127.ImportModel")).unwrap_err();
        assert!(e.message.contains("not emulated"));
        assert!(operation_from_target(None).is_err());
        assert!(operation_from_target(Some("DynamoDB_20120810.ListTables")).is_err());
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
