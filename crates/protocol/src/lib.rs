//! Amazon Comprehend's wire protocols, as a server speaks them.
//!
//! Everything about the wire lives here and nowhere else: which requests are
//! Comprehend's and in which protocol ([`claim()`]), which operations exist
//! ([`Operation`], generated from the vendored botocore model), their typed inputs and
//! outputs ([`generated`]), model-driven validation ([`validate`]), the error envelope
//! ([`ServiceError`]), ARNs ([`arn`]) and the account/region of a request ([`auth`]).
//! Each protocol's specifics (how the operation is named, how bodies and errors are
//! written) sit in a module of its own: [`json`] for AWS JSON 1.1, [`cbor`] for Smithy
//! RPC v2 CBOR.
//!
//! [`handle`] is the whole request path: operation → context → body → validation →
//! [`ComprehendApi`] handler → answer (or error envelope), in the protocol the request
//! was claimed in. It knows `http` types but no web framework, and nothing about
//! storage or training.
//!
//! API boundary: the server implements [`ComprehendApi`]; handlers receive validated,
//! typed input and return typed output or a [`ServiceError`], and never see the
//! protocol.

pub mod arn;
pub mod auth;
pub mod cbor;
pub mod claim;
pub mod error;
pub mod generated;
pub mod json;
pub mod types;
pub mod validate;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use claim::{Claim, Protocol, claim};
pub use error::{ErrorCode, ServiceError};
pub use generated::*;
pub use json::{CONTENT_TYPE, TARGET_PREFIX, operation_from_target, parse_body};
pub use types::{Blob, RequestContext, Timestamp};

/// The most bytes of a serde error a `SerializationException` message quotes.
/// serde_json's syntax errors are short, but its type errors quote the offending value
/// (`invalid type: string "...", expected ...`), which can be as long as the body.
const MAX_JSON_ERROR_BYTES: usize = 256;

/// Decodes a validated body tree into an operation's input type.
pub fn decode<T: DeserializeOwned>(body: Value) -> Result<T, ServiceError> {
    serde_json::from_value(body)
        .map_err(|e| ServiceError::serialization(error::clip(&e.to_string(), MAX_JSON_ERROR_BYTES)))
}

/// Encodes an operation's output; unset members are omitted by the generated types.
pub fn encode<T: Serialize>(output: &T) -> Result<Value, ServiceError> {
    serde_json::to_value(output)
        .map_err(|e| ServiceError::internal(format!("cannot encode response: {e}")))
}

/// The `UnknownOperationException` for an operation name no emulated operation has,
/// saying whether Amazon Comprehend has it at all.
pub(crate) fn unknown_operation(name: &str) -> ServiceError {
    let message = if validate::Model::get().has_operation(name) {
        format!(
            "Operation {name} is part of Amazon Comprehend but is not emulated by comprehend-local"
        )
    } else {
        format!("Unknown operation {name}")
    };
    ServiceError::new(ErrorCode::UnknownOperation, message)
}

/// What [`handle`] did, for the response and the request log.
#[derive(Debug)]
pub struct Handled {
    /// The response to send.
    pub response: http::Response<Vec<u8>>,
    /// The protocol the answer is written in.
    pub protocol: Option<Protocol>,
    /// The operation, when the request named one.
    pub operation: Option<Operation>,
    /// The `__type` of the error, when the request failed.
    pub error: Option<&'static str>,
    /// The request id sent in `x-amzn-RequestId`.
    pub request_id: String,
}

/// Serves one request [`claim()`] took as Comprehend's.
pub async fn handle<A: ComprehendApi>(
    api: &A,
    parts: &http::request::Parts,
    claim: Claim,
    body: &[u8],
) -> Handled {
    let Claim::Speaks(protocol) = claim else {
        return unknown_protocol();
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let scope = auth::scope_from_authorization(header("authorization"));
    let ctx = RequestContext {
        account_id: scope.account_id,
        region: scope.region,
        request_id: uuid::Uuid::new_v4().to_string(),
    };
    match operation(protocol, parts) {
        Ok(op) => {
            let result = serve(api, &ctx, protocol, &parts.headers, op, body).await;
            respond(protocol, result, Some(op), ctx.request_id)
        }
        Err(e) => respond(protocol, Err(e), None, ctx.request_id),
    }
}

/// Answers a claimed request with an error without serving it (a body over the limit,
/// a handler that panicked), in the request's protocol, naming its operation in the
/// log when the request names one.
pub fn refuse(claim: Claim, parts: &http::request::Parts, error: ServiceError) -> Handled {
    let Claim::Speaks(protocol) = claim else {
        return unknown_protocol();
    };
    let operation = operation(protocol, parts).ok();
    respond(
        protocol,
        Err(error),
        operation,
        uuid::Uuid::new_v4().to_string(),
    )
}

/// The answer to a request in no protocol Comprehend speaks (an `X-Amz-Target` with a
/// Content-Type other than `application/x-amz-json-1.1`). No protocol can carry a
/// modeled error to such a client, so it gets what AWS's front end answers a request
/// whose protocol it cannot determine: 404 with the body `<UnknownOperationException/>`
/// (the `UnknownOperationException` of <https://docs.aws.amazon.com/awsconsolehelpdocs/latest/gsg/common-errors.html>
/// is a 404). `x-amzn-ErrorType` names the error for clients that read only headers.
pub fn unknown_protocol() -> Handled {
    let request_id = uuid::Uuid::new_v4().to_string();
    let name = ErrorCode::UnknownOperation.name();
    let response = http::Response::builder()
        .status(404)
        .header("content-type", "application/xml")
        .header("x-amzn-requestid", &request_id)
        .header("x-amzn-errortype", name)
        .body(format!("<{name}/>").into_bytes())
        .unwrap_or_default();
    Handled {
        response,
        protocol: None,
        operation: None,
        error: Some(name),
        request_id,
    }
}

/// The operation a request names, the way its protocol names it.
fn operation(protocol: Protocol, parts: &http::request::Parts) -> Result<Operation, ServiceError> {
    match protocol {
        Protocol::AwsJson11 => json::operation(&parts.headers),
        Protocol::RpcV2Cbor => cbor::operation(parts),
    }
}

/// Reads a request body into the protocol-neutral tree validation and dispatch take.
/// RPC v2 CBOR checks its media types first, once the operation is known (so an
/// unknown operation is a 404 whatever the body).
fn parse(
    protocol: Protocol,
    headers: &http::HeaderMap,
    op: Operation,
    body: &[u8],
) -> Result<Value, ServiceError> {
    match protocol {
        Protocol::AwsJson11 => json::parse_body(body),
        Protocol::RpcV2Cbor => {
            cbor::check_media(headers, body)?;
            cbor::parse_body(op.input_shape(), body)
        }
    }
}

/// Writes an operation's result (or error) in the protocol of the request.
fn respond(
    protocol: Protocol,
    result: Result<Value, ServiceError>,
    operation: Option<Operation>,
    request_id: String,
) -> Handled {
    match protocol {
        Protocol::AwsJson11 => json::respond(result, operation, request_id),
        Protocol::RpcV2Cbor => cbor::respond(result, operation, request_id),
    }
}

async fn serve<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
    protocol: Protocol,
    headers: &http::HeaderMap,
    op: Operation,
    body: &[u8],
) -> Result<Value, ServiceError> {
    let value = parse(protocol, headers, op, body)?;
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
    fn every_operation_is_in_the_model() {
        let model = validate::Model::get();
        for op in Operation::ALL {
            assert!(model.has_operation(op.name()), "{op:?}");
            assert!(model.shape(op.input_shape()).is_some(), "{op:?}");
            assert!(model.shape(op.output_shape()).is_some(), "{op:?}");
        }
    }

    #[test]
    fn every_error_has_an_absolute_shape_id() {
        assert_eq!(
            ErrorCode::Modeled(ModeledError::ResourceNotFoundException).shape_id(),
            "com.amazonaws.comprehend#ResourceNotFoundException"
        );
        assert_eq!(
            ErrorCode::Validation.shape_id(),
            "com.amazon.coral.validate#ValidationException"
        );
        for code in [
            ErrorCode::UnknownOperation,
            ErrorCode::Serialization,
            ErrorCode::RequestEntityTooLarge,
            ErrorCode::MethodNotAllowed,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::NotAcceptable,
        ] {
            let (namespace, name) = code.shape_id().split_once('#').unwrap();
            assert_eq!((namespace, name), ("com.amazon.coral.service", code.name()));
        }
    }

    #[test]
    fn an_unknown_protocol_is_a_404_with_an_xml_body() {
        let handled = unknown_protocol();
        let response = handled.response;
        assert_eq!(response.status(), 404);
        assert_eq!(response.body(), b"<UnknownOperationException/>");
        assert_eq!(
            response.headers()["x-amzn-errortype"],
            "UnknownOperationException"
        );
        assert_eq!(
            response.headers()["x-amzn-requestid"],
            handled.request_id.as_str()
        );
        assert_eq!(handled.error, Some("UnknownOperationException"));
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
}
