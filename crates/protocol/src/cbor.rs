//! Smithy RPC v2 CBOR, as a server speaks it
//! (<https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2-cbor.html>): request
//! bodies read into the protocol-neutral tree against the input shape
//! ([`parse_body`]), and answers written from it against the output shape
//! ([`encode_output`], [`encode_error`]); which requests route where, and the checks on
//! them (`route`); answers with the protocol's headers ([`respond`]).

mod decode;
mod encode;
mod route;
mod skip;

#[cfg(test)]
mod decode_tests;
#[cfg(test)]
mod encode_tests;
#[cfg(test)]
mod malformed_tests;

use std::borrow::Cow;

use serde_json::Value;

use crate::Handled;
use crate::claim::Protocol;
use crate::error::{self, ServiceError};
use crate::generated::Operation;
use crate::validate::Model;

pub use route::{CONTENT_TYPE, PROTOCOL_HEADER, PROTOCOL_ID};

use http::header::{CONTENT_TYPE as CONTENT_TYPE_HEADER, HeaderName, HeaderValue};
pub(crate) use route::{check_media, operation, operation_segment};
pub(crate) use skip::MAX_DEPTH;

/// The most bytes of a CBOR reader's error a `SerializationException` quotes, as for
/// JSON's.
const MAX_CBOR_ERROR_BYTES: usize = 256;

/// Why a request body could not be read.
#[derive(Debug)]
pub(crate) enum DecodeError {
    /// Not well-formed CBOR: truncated, a bad head, invalid UTF-8 (minicbor's words).
    Syntax(minicbor::decode::Error),
    /// Well-formed items this protocol does not allow where they are.
    Malformed(Cow<'static, str>),
    /// An item of a kind the model's shape cannot hold, where the JSON type alone
    /// cannot say so (a text string where a blob is due).
    Mismatch {
        expected: &'static str,
        at: String,
        found: &'static str,
    },
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The model names a shape it does not define (a bug, not the client's fault).
    NoShape(String),
}

impl DecodeError {
    fn malformed(message: impl Into<Cow<'static, str>>) -> Self {
        DecodeError::Malformed(message.into())
    }
}

impl From<minicbor::decode::Error> for DecodeError {
    fn from(e: minicbor::decode::Error) -> Self {
        DecodeError::Syntax(e)
    }
}

impl From<DecodeError> for ServiceError {
    fn from(e: DecodeError) -> Self {
        let malformed = |m: &str| {
            ServiceError::serialization(format!(
                "Malformed CBOR request body: {}",
                error::clip(m, MAX_CBOR_ERROR_BYTES)
            ))
        };
        match e {
            DecodeError::Syntax(e) => malformed(&e.to_string()),
            DecodeError::Malformed(m) => malformed(&m),
            DecodeError::Mismatch {
                expected,
                at,
                found,
            } => ServiceError::serialization(format!(
                "Expected {expected} at {at} but found {found}"
            )),
            DecodeError::TooDeep => ServiceError::serialization(format!(
                "The request body is nested more than {MAX_DEPTH} levels deep"
            )),
            DecodeError::NoShape(shape) => {
                ServiceError::internal(format!("model has no shape {shape}"))
            }
        }
    }
}

/// Reads a request body as a value of the input shape `input_shape`: an empty body is
/// an empty structure; anything malformed is a `SerializationException`.
pub fn parse_body(input_shape: &str, body: &[u8]) -> Result<Value, ServiceError> {
    Ok(decode::decode(Model::get(), input_shape, body)?)
}

/// Writes an operation's output, `output_shape` its shape in the model.
pub fn encode_output(output_shape: &str, output: &Value) -> Result<Vec<u8>, ServiceError> {
    encode::encode_output(Model::get(), output_shape, output)
        .map_err(|e| ServiceError::internal(format!("cannot encode response: {e}")))
}

/// Writes an error body: `__type` (the absolute shape id), `Message` and the modeled
/// extras.
pub fn encode_error(error: &ServiceError) -> Vec<u8> {
    // Writing strings into a Vec does not fail; should it, an empty structure is still
    // a body the client can read, and the status still says what failed.
    encode::encode_error(error).unwrap_or_else(|_| vec![0xa0])
}

/// Builds the HTTP response for an operation's result: 200 with the output, or the
/// error body with its status. Every response carries `Smithy-Protocol: rpc-v2-cbor`,
/// `Content-Type: application/cbor` and `x-amzn-RequestId`; `X-Amzn-ErrorType` is not
/// sent, since the specification says servers SHOULD NOT (`__type` names the error).
pub fn respond(
    result: Result<Value, ServiceError>,
    operation: Option<Operation>,
    request_id: String,
) -> Handled {
    let written = match (result, operation) {
        (Ok(output), Some(op)) => encode_output(op.output_shape(), &output),
        (Ok(_), None) => Err(ServiceError::internal("an output without an operation")),
        (Err(e), _) => Err(e),
    };
    let (status, bytes, error) = match written {
        Ok(bytes) => (200, bytes, None),
        Err(e) => (route::status(e.code), encode_error(&e), Some(e.code)),
    };
    let mut builder = http::Response::builder()
        .status(status)
        // Static names and values: nothing to parse or check per response.
        .header(
            HeaderName::from_static(PROTOCOL_HEADER),
            HeaderValue::from_static(PROTOCOL_ID),
        )
        .header(CONTENT_TYPE_HEADER, HeaderValue::from_static(CONTENT_TYPE))
        .header("x-amzn-requestid", &request_id);
    if error == Some(error::ErrorCode::MethodNotAllowed) {
        // RFC 9110 §15.5.6: a 405 response MUST carry Allow.
        builder = builder.header("allow", "POST");
    }
    Handled {
        response: builder.body(bytes).unwrap_or_default(),
        protocol: Some(Protocol::RpcV2Cbor),
        operation,
        error: error.map(error::ErrorCode::name),
        request_id,
    }
}
