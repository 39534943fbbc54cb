//! Which requests are Comprehend's, and in which wire protocol they speak.
//!
//! One listener serves Comprehend beside the built-in S3, so every request is first
//! classified here: the server routes what this module claims to [`crate::handle`] and
//! everything else to S3.

/// A wire protocol Comprehend is spoken in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// AWS JSON 1.1: `POST /`, `X-Amz-Target`, `application/x-amz-json-1.1` bodies.
    AwsJson11,
}

impl Protocol {
    /// The protocol's name, for the request log.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::AwsJson11 => "awsJson1_1",
        }
    }
}

/// Whether a request is Comprehend's, and in which protocol: an AWS JSON request
/// carries `X-Amz-Target` or an `application/x-amz-json-*` Content-Type.
pub fn claim(
    _method: &http::Method,
    _uri: &http::Uri,
    headers: &http::HeaderMap,
) -> Option<Protocol> {
    let json_body = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-amz-json"));
    (headers.contains_key("x-amz-target") || json_body).then_some(Protocol::AwsJson11)
}
