//! The one error type of the wire: what every layer's error becomes at the edge, and
//! how it is written as an AWS JSON 1.1 error envelope: a JSON object whose `__type`
//! names the error shape and whose `Message` carries the text, as Smithy's
//! `aws.protocols#awsJson1_1` protocol specification describes error responses.

use serde_json::{Map, Value, json};

use crate::generated::{InvalidRequestDetailReason, InvalidRequestReason, ModeledError};

/// The most bytes of a `Message` an error envelope carries; longer messages are cut on a
/// character boundary and end with `...`. Messages are written to stay far below this
/// (a `ValidationException` lists a bounded number of violations); it is the backstop
/// that keeps any error answer a few KB, whatever a message happens to echo.
pub const MAX_MESSAGE_BYTES: usize = 4096;

/// An error's `__type`: a shape the model declares, or one of the protocol-level
/// errors every AWS JSON service answers without modelling them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A modeled error shape (status from the model).
    Modeled(ModeledError),
    /// The request names no operation this server emulates (400 over AWS JSON 1.1, 404
    /// over RPC v2 CBOR, as that protocol's routing failures are).
    UnknownOperation,
    /// The body is not JSON, or a member has the wrong JSON type (400).
    Serialization,
    /// A member breaks a constraint of the model: required, length, range, pattern, enum (400).
    Validation,
    /// The request body is larger than the configured limit (413).
    RequestEntityTooLarge,
    /// An RPC v2 CBOR request whose method is not POST (405). The Smithy specification
    /// names no error for it; the name follows smithy-rs's server, which answers 405.
    MethodNotAllowed,
    /// An RPC v2 CBOR body whose Content-Type is not `application/cbor` (415), as
    /// smithy-rs's `UnsupportedMediaTypeException`.
    UnsupportedMediaType,
    /// An RPC v2 CBOR request whose `Accept` rules out `application/cbor` (406), as
    /// smithy-rs's `NotAcceptableException`.
    NotAcceptable,
}

impl ErrorCode {
    /// The `__type` name.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCode::Modeled(e) => e.name(),
            ErrorCode::UnknownOperation => "UnknownOperationException",
            ErrorCode::Serialization => "SerializationException",
            ErrorCode::Validation => "ValidationException",
            ErrorCode::RequestEntityTooLarge => "RequestEntityTooLargeException",
            ErrorCode::MethodNotAllowed => "MethodNotAllowedException",
            ErrorCode::UnsupportedMediaType => "UnsupportedMediaTypeException",
            ErrorCode::NotAcceptable => "NotAcceptableException",
        }
    }

    /// The absolute shape id, the `__type` of Smithy RPC v2 CBOR errors. Protocol-level
    /// errors are in the namespaces AWS's Coral front end gives them in `__type`
    /// (`com.amazon.coral.validate#ValidationException`, as AWS JSON services answer).
    pub fn shape_id(self) -> &'static str {
        match self {
            ErrorCode::Modeled(e) => e.shape_id(),
            ErrorCode::UnknownOperation => "com.amazon.coral.service#UnknownOperationException",
            ErrorCode::Serialization => "com.amazon.coral.service#SerializationException",
            ErrorCode::Validation => "com.amazon.coral.validate#ValidationException",
            ErrorCode::RequestEntityTooLarge => {
                "com.amazon.coral.service#RequestEntityTooLargeException"
            }
            ErrorCode::MethodNotAllowed => "com.amazon.coral.service#MethodNotAllowedException",
            ErrorCode::UnsupportedMediaType => {
                "com.amazon.coral.service#UnsupportedMediaTypeException"
            }
            ErrorCode::NotAcceptable => "com.amazon.coral.service#NotAcceptableException",
        }
    }

    /// The HTTP status.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::Modeled(e) => e.status(),
            ErrorCode::UnknownOperation | ErrorCode::Serialization | ErrorCode::Validation => 400,
            ErrorCode::RequestEntityTooLarge => 413,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::NotAcceptable => 406,
        }
    }
}

/// An error as the client will see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceError {
    /// `__type` and status.
    pub code: ErrorCode,
    /// `Message`.
    pub message: String,
    /// `Reason` (InvalidRequestException only).
    pub reason: Option<InvalidRequestReason>,
    /// `Detail.Reason` (InvalidRequestException only).
    pub detail_reason: Option<InvalidRequestDetailReason>,
}

macro_rules! modeled_constructors {
    ($($fn_name:ident => $variant:ident),* $(,)?) => {
        $(
            #[doc = concat!("A `", stringify!($variant), "` with this message.")]
            pub fn $fn_name(message: impl Into<String>) -> Self {
                Self::new(ErrorCode::Modeled(ModeledError::$variant), message)
            }
        )*
    };
}

impl ServiceError {
    /// An error with a code and message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ServiceError {
            code,
            message: message.into(),
            reason: None,
            detail_reason: None,
        }
    }

    modeled_constructors! {
        invalid_request => InvalidRequestException,
        invalid_filter => InvalidFilterException,
        resource_not_found => ResourceNotFoundException,
        resource_in_use => ResourceInUseException,
        resource_unavailable => ResourceUnavailableException,
        resource_limit_exceeded => ResourceLimitExceededException,
        job_not_found => JobNotFoundException,
        too_many_tags => TooManyTagsException,
        too_many_tag_keys => TooManyTagKeysException,
        too_many_requests => TooManyRequestsException,
        text_size_limit_exceeded => TextSizeLimitExceededException,
        batch_size_limit_exceeded => BatchSizeLimitExceededException,
        unsupported_language => UnsupportedLanguageException,
        internal => InternalServerException,
    }

    /// An `InvalidRequestException` about the document itself (`Reason: INVALID_DOCUMENT`).
    pub fn invalid_document(
        detail: InvalidRequestDetailReason,
        message: impl Into<String>,
    ) -> Self {
        ServiceError {
            reason: Some(InvalidRequestReason::InvalidDocument),
            detail_reason: Some(detail),
            ..Self::invalid_request(message)
        }
    }

    /// A `SerializationException`.
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Serialization, message)
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.code.status()
    }

    /// The JSON body: `{"__type": ..., "Message": ...}` plus modeled extras.
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("__type".into(), json!(self.code.name()));
        body.insert(
            "Message".into(),
            json!(clip(&self.message, MAX_MESSAGE_BYTES)),
        );
        if let Some(reason) = self.reason {
            body.insert("Reason".into(), json!(reason.as_str()));
        }
        if let Some(detail) = self.detail_reason {
            body.insert("Detail".into(), json!({ "Reason": detail.as_str() }));
        }
        Value::Object(body)
    }
}

/// `text` when it is at most `max_bytes` long, otherwise its longest prefix within
/// `max_bytes` that ends on a character boundary, followed by `...`.
pub fn clip(text: &str, max_bytes: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max_bytes {
        return text.into();
    }
    let end = (0..=max_bytes)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    format!("{}...", &text[..end]).into()
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.name(), self.message)
    }
}

impl std::error::Error for ServiceError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whatever a handler's message echoes, the envelope carries at most
    /// [`MAX_MESSAGE_BYTES`] of it, cut on a character boundary.
    #[test]
    fn long_messages_are_clipped_in_the_envelope() {
        let body = ServiceError::internal("é".repeat(10_000)).body();
        let message = body["Message"].as_str().unwrap();
        assert!(message.len() <= MAX_MESSAGE_BYTES + 3, "{}", message.len());
        assert!(message.starts_with("éé") && message.ends_with("é..."));
        let short = ServiceError::internal("short").body();
        assert_eq!(short["Message"], "short");
    }

    #[test]
    fn clip_keeps_short_text_and_cuts_on_a_char_boundary() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc...");
        assert_eq!(clip("aé", 2), "a...");
        assert_eq!(clip("éé", 0), "...");
    }
}
