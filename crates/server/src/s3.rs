//! The built-in S3 endpoint: s3s serving `comprehend_s3store` on the same listener,
//! path-style.
//!
//! Around s3s, this module:
//! - refuses keys with `.`/`..` or empty path segments, NUL or backslashes (also when
//!   percent-encoded, also in `x-amz-copy-source`). Keys are not file names any more (the
//!   store names content files by id), so this no longer guards the disk; S3 itself would
//!   accept such keys, but the server's own `s3://` reads (object_store paths) cannot
//!   name them, and `InputDataConfig` URIs with them are refused, so both faces agree;
//! - does not check signatures: clients use dummy credentials (as with moto or
//!   LocalStack), and SigV4 can only be verified by a server that knows the client's
//!   secret. The `Authorization` header is therefore removed so s3s serves the request
//!   anonymously, after its credential scope's region is handed to the store (CreateBucket
//!   answers depend on it); `aws-chunked` bodies (whose framing s3s only strips while
//!   verifying a signature) are decoded here as they stream in, by a bounded parser;
//! - gives every error body a Message, Resource and RequestId, and every answer an
//!   `x-amz-request-id`.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use comprehend_s3store::{S3Api, S3Store, SigningRegion, chunked};
use futures::TryStreamExt;
use http::{HeaderValue, Request, StatusCode};
use s3s::service::{S3Service, S3ServiceBuilder};

/// The S3 side of the server.
#[derive(Clone)]
pub struct BuiltinS3 {
    service: S3Service,
}

impl BuiltinS3 {
    /// Serves `store` over the S3 protocol.
    pub fn new(store: Arc<S3Store>) -> BuiltinS3 {
        let mut builder = S3ServiceBuilder::new(S3Api::new(store));
        builder.set_validation(LocalBucketNames);
        let service = builder.build();
        BuiltinS3 { service }
    }

    /// Serves one S3 request.
    pub async fn call(&self, req: Request<Body>) -> Response {
        let resource = req.uri().path().to_owned();
        let request_id = uuid::Uuid::new_v4().simple().to_string();
        let head = req.method() == http::Method::HEAD;
        let expects_continue = expects_continue(req.headers());
        let empty = declared_empty(req.headers());
        let response = self.serve(req, &resource, &request_id).await;
        let mut response = finish(response, &resource, &request_id, head).await;
        if expects_continue && (empty || !response.status().is_success()) {
            close_after(&mut response);
        }
        response
    }

    async fn serve(&self, req: Request<Body>, resource: &str, request_id: &str) -> Response {
        if let Err(message) = check_path(req.uri().path()).and_then(|_| {
            match req
                .headers()
                .get("x-amz-copy-source")
                .and_then(|v| v.to_str().ok())
            {
                Some(source) => check_path(&format!("/{}", source.trim_start_matches('/'))),
                None => Ok(()),
            }
        }) {
            return s3_error(
                StatusCode::BAD_REQUEST,
                "InvalidArgument",
                &message,
                resource,
                request_id,
            );
        }
        let (mut parts, body) = req.into_parts();
        if let Some(region) = signing_region(&parts.headers) {
            parts.extensions.insert(SigningRegion(region));
        }
        parts.headers.remove(http::header::AUTHORIZATION);
        parts.headers.remove("x-amz-security-token");
        let framing = FramingError::default();
        let body = if is_chunked(&parts.headers) {
            match dechunked(&mut parts, body, framing.clone()) {
                Ok(body) => body,
                Err((code, message)) => {
                    return s3_error(
                        StatusCode::BAD_REQUEST,
                        code,
                        &message,
                        resource,
                        request_id,
                    );
                }
            }
        } else {
            s3s::Body::http_body_unsync(body)
        };
        let served = self.service.call(Request::from_parts(parts, body)).await;
        let malformed = framing.lock().ok().and_then(|slot| slot.clone());
        match served {
            Ok(response) if !response.status().is_server_error() => response.map(Body::new),
            _ if malformed.is_some() => s3_error(
                StatusCode::BAD_REQUEST,
                "IncompleteBody",
                &malformed.unwrap_or_default(),
                resource,
                request_id,
            ),
            Ok(response) => response.map(Body::new),
            Err(err) => s3_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                &format!("{err:?}"),
                resource,
                request_id,
            ),
        }
    }
}

/// The region of a SigV4 `Authorization` header's credential scope
/// (`Credential=<key>/<date>/<region>/s3/aws4_request`).
fn signing_region(headers: &http::HeaderMap) -> Option<String> {
    let auth = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let credential = auth.split("Credential=").nth(1)?.split([',', ' ']).next()?;
    let region = credential.split('/').nth(2)?;
    (!region.is_empty()).then(|| region.to_owned())
}

fn expects_continue(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::EXPECT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"))
}

fn declared_empty(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "0")
}

/// Ends the connection after `response`.
///
/// hyper sends `100 Continue` only when a handler starts reading the body, so a request
/// with `Expect: 100-continue` and an empty body (`aws s3 sync` of an empty file), or one
/// answered with an error before its body was read, gets its final answer at once. S3
/// itself always sends the interim answer, and botocore relies on it: after a final
/// answer in place of `100 Continue` it keeps that status line for the connection's next
/// expect-continue request, misreads that response and waits for its read timeout (a
/// PUT "hangs" for 60 s). A fresh connection starts clean.
fn close_after(response: &mut Response) {
    response
        .headers_mut()
        .insert(http::header::CONNECTION, HeaderValue::from_static("close"));
}

fn is_chunked(headers: &http::HeaderMap) -> bool {
    headers
        .get("x-amz-content-sha256")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("STREAMING-"))
        || headers
            .get(http::header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|e| e.trim() == "aws-chunked"))
}

/// Bucket names as a local folder allows them: 1 to 63 of `a-z 0-9 . -`, starting with a
/// letter or digit. AWS also requires 3 characters, but `aws s3 mb s3://b` is a common
/// first step in local setups (Comprehend's own S3Uri pattern still wants 3).
struct LocalBucketNames;

impl s3s::validation::NameValidation for LocalBucketNames {
    fn validate_bucket_name(&self, name: &str) -> bool {
        (1..=63).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && name.as_bytes()[0].is_ascii_alphanumeric()
    }
}

/// Refuses request paths whose bucket or key segments could escape the data directory.
fn check_path(raw: &str) -> Result<(), String> {
    let decoded = percent_decode(raw)
        .ok_or_else(|| "The request path is not valid percent-encoded UTF-8".to_owned())?;
    let path = decoded.split('?').next().unwrap_or_default();
    let mut segments = path.trim_start_matches('/').split('/');
    let bucket = segments.next().unwrap_or_default();
    let key: Vec<&str> = segments.collect();
    let bad = |s: &str| s == "." || s == ".." || s.contains(['\\', '\0']);
    if bad(bucket) || bucket.starts_with('.') {
        return Err(format!("Invalid bucket name '{bucket}'"));
    }
    // A trailing '/' (folder markers, `aws s3 cp x s3://b/dir/`) is fine; empty segments
    // inside a key would be read as an absolute path below the bucket.
    let inner = key.len().saturating_sub(1);
    if key.iter().any(|s| bad(s)) || key[..inner].iter().any(|s| s.is_empty()) {
        return Err(format!(
            "Object keys with '.', '..' or empty path segments are not supported: '{path}'"
        ));
    }
    Ok(())
}

fn percent_decode(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = input.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The decoded length an aws-chunked body declares (S3 requires the header).
fn decoded_length(headers: &http::HeaderMap) -> Option<u64> {
    headers
        .get("x-amz-decoded-content-length")?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Where a malformed aws-chunked body records why, for the answer: s3s reports a body
/// that fails while it reads it as its own InternalError, which [`BuiltinS3::serve`]
/// turns back into the client's 400 `IncompleteBody`.
type FramingError = Arc<Mutex<Option<String>>>;

/// The request body with its aws-chunked framing removed as it arrives
/// (`comprehend_s3store::chunked`: bounded; malformed framing fails the read and is
/// recorded in `framing`).
fn dechunked(
    parts: &mut http::request::Parts,
    body: Body,
    framing: FramingError,
) -> Result<s3s::Body, (&'static str, String)> {
    let declared = decoded_length(&parts.headers).ok_or((
        "MissingContentLength",
        "aws-chunked bodies need x-amz-decoded-content-length".to_owned(),
    ))?;
    let stream = chunked::decode(body.into_data_stream(), declared)
        .map_err(|e| ("IncompleteBody", e.to_string()))?
        .inspect_err(move |e| {
            if let Ok(mut slot) = framing.lock() {
                slot.get_or_insert_with(|| e.to_string());
            }
        });
    strip_chunked_headers(&mut parts.headers, declared);
    Ok(s3s::Body::http_body_unsync(Body::from_stream(stream)))
}

fn strip_chunked_headers(headers: &mut http::HeaderMap, decoded_len: u64) {
    headers.insert(
        "x-amz-content-sha256",
        HeaderValue::from_static("UNSIGNED-PAYLOAD"),
    );
    headers.remove("x-amz-decoded-content-length");
    headers.remove("x-amz-trailer");
    headers.remove(http::header::TRANSFER_ENCODING);
    headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(decoded_len));
    let remaining: Vec<String> = headers
        .get(http::header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|e| *e != "aws-chunked" && !e.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    headers.remove(http::header::CONTENT_ENCODING);
    if !remaining.is_empty()
        && let Ok(value) = HeaderValue::from_str(&remaining.join(","))
    {
        headers.insert(http::header::CONTENT_ENCODING, value);
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn s3_error(
    status: StatusCode,
    code: &str,
    message: &str,
    resource: &str,
    request_id: &str,
) -> Response {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{}</Message><Resource>{}</Resource><RequestId>{request_id}</RequestId></Error>",
        escape(message),
        escape(resource)
    );
    (
        status,
        [(http::header::CONTENT_TYPE, "application/xml")],
        body,
    )
        .into_response()
}

/// Error bodies s3s writes are small; larger ones are passed through untouched.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Adds `x-amz-request-id`, and to an error body whatever it lacks of Message, Resource
/// and RequestId (s3s writes Code, and Message only when one was set).
async fn finish(response: Response, resource: &str, request_id: &str, head: bool) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Ok(id) = HeaderValue::from_str(request_id) {
        parts.headers.insert("x-amz-request-id", id);
    }
    if parts.status.as_u16() < 400 || head {
        return Response::from_parts(parts, body);
    }
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let text = String::from_utf8_lossy(&bytes);
    let Some(end) = text.rfind("</Error>") else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut extra = String::new();
    if !text.contains("<Message>") {
        let code = text
            .split("<Code>")
            .nth(1)
            .and_then(|rest| rest.split("</Code>").next())
            .unwrap_or("InternalError");
        extra.push_str(&format!(
            "<Message>{}</Message>",
            escape(&default_message(code))
        ));
    }
    if !text.contains("<Resource>") {
        extra.push_str(&format!("<Resource>{}</Resource>", escape(resource)));
    }
    if !text.contains("<RequestId>") {
        extra.push_str(&format!("<RequestId>{request_id}</RequestId>"));
    }
    let body = format!("{}{extra}{}", &text[..end], &text[end..]);
    parts.headers.remove(http::header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// S3's wording for errors s3s raises itself without a message.
fn default_message(code: &str) -> String {
    match code {
        "NoSuchBucket" => "The specified bucket does not exist".into(),
        "NoSuchKey" => "The specified key does not exist.".into(),
        "NotImplemented" => {
            "A header you provided implies functionality that is not implemented".into()
        }
        "InvalidBucketName" => "The specified bucket is not valid.".into(),
        "MethodNotAllowed" => "The specified method is not allowed against this resource.".into(),
        "MalformedXML" => "The XML you provided was not well-formed or did not validate against our published schema".into(),
        "InvalidRange" => "The requested range is not satisfiable".into(),
        "InvalidArgument" => "Invalid Argument".into(),
        other => format!("The request failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_escape_are_refused() {
        for ok in [
            "/",
            "/bucket",
            "/bucket/",
            "/bucket/a/b.csv",
            "/bucket/dir/",
            "/bucket/a%20b.csv",
            "/bucket/a?list-type=2",
        ] {
            assert!(check_path(ok).is_ok(), "{ok}");
        }
        for bad in [
            "/bucket/../x",
            "/bucket/a/../../etc/passwd",
            "/bucket/%2e%2e/x",
            "/bucket/%2E%2E%2Fx",
            "/..",
            "/.bucket/x",
            "/bucket//etc/passwd",
            "/bucket/a%00b",
            "/bucket/a%5c..%5cb",
            "/bucket/%zz",
        ] {
            assert!(check_path(bad).is_err(), "{bad}");
        }
    }
}
