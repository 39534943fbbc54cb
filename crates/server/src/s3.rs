//! The built-in S3 endpoint: s3s + s3s-fs on the same listener, path-style.
//!
//! Two things happen before a request reaches s3s:
//! - keys that could leave the bucket's folder (`.`/`..` segments, empty segments, NUL,
//!   backslashes, also when percent-encoded, also in `x-amz-copy-source`) are refused;
//! - signatures are not checked: clients use dummy credentials (as with moto or
//!   LocalStack), and SigV4 can only be verified by a server that knows the client's
//!   secret. The `Authorization` header is therefore removed so s3s serves the request
//!   anonymously, and `aws-chunked` bodies (whose framing s3s only strips while
//!   verifying a signature) are decoded here.

use std::path::Path;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use bytes::{Buf, Bytes, BytesMut};
use futures::StreamExt;
use http::{HeaderValue, Request, StatusCode};
use s3s::service::{S3Service, S3ServiceBuilder};

/// The S3 side of the server.
#[derive(Clone)]
pub struct BuiltinS3 {
    service: S3Service,
}

impl BuiltinS3 {
    /// Serves buckets as folders under `root` (created if missing).
    pub fn new(root: &Path) -> std::io::Result<BuiltinS3> {
        std::fs::create_dir_all(root)?;
        let fs =
            s3s_fs::FileSystem::new(root).map_err(|e| std::io::Error::other(format!("{e:?}")))?;
        let mut builder = S3ServiceBuilder::new(fs);
        builder.set_validation(LocalBucketNames);
        let service = builder.build();
        Ok(BuiltinS3 { service })
    }

    /// Serves one S3 request.
    pub async fn call(&self, req: Request<Body>) -> Response {
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
            return s3_error(StatusCode::BAD_REQUEST, "InvalidArgument", &message);
        }
        let (mut parts, body) = req.into_parts();
        parts.headers.remove(http::header::AUTHORIZATION);
        parts.headers.remove("x-amz-security-token");
        let chunked = parts
            .headers
            .get("x-amz-content-sha256")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("STREAMING-"))
            || parts
                .headers
                .get(http::header::CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|e| e.trim() == "aws-chunked"));
        let body = if chunked {
            match decode_aws_chunked(body).await {
                Ok(bytes) => {
                    strip_chunked_headers(&mut parts.headers, bytes.len());
                    s3s::Body::from(bytes)
                }
                Err(message) => {
                    return s3_error(StatusCode::BAD_REQUEST, "IncompleteBody", &message);
                }
            }
        } else {
            s3s::Body::http_body_unsync(body)
        };
        match self.service.call(Request::from_parts(parts, body)).await {
            Ok(response) => response.map(Body::new),
            Err(err) => s3_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                &format!("{err:?}"),
            ),
        }
    }
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

/// Decodes an `aws-chunked` body (`<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n[trailers]\r\n`).
///
/// Written by hand because s3s only decodes while verifying chunk signatures, which
/// needs the client's secret. Bodies are gathered in memory: clients send aws-chunked
/// only for single PutObject/UploadPart requests, which S3 caps at 5 GiB and the CLI and
/// SDKs split into 8 MiB parts.
async fn decode_aws_chunked(body: Body) -> Result<Bytes, String> {
    let mut raw = BytesMut::new();
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream.next().await {
        raw.extend_from_slice(&chunk.map_err(|e| e.to_string())?);
    }
    let mut raw = raw.freeze();
    let mut out = BytesMut::new();
    loop {
        let line_end = find_crlf(&raw).ok_or("aws-chunked body ends inside a chunk header")?;
        let header = std::str::from_utf8(&raw[..line_end])
            .map_err(|_| "invalid aws-chunked chunk header")?;
        let size_hex = header.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| format!("invalid aws-chunked chunk size '{size_hex}'"))?;
        raw.advance(line_end + 2);
        if size == 0 {
            return Ok(out.freeze());
        }
        if raw.len() < size + 2 || &raw[size..size + 2] != b"\r\n" {
            return Err("aws-chunked body ends inside a chunk".into());
        }
        out.extend_from_slice(&raw[..size]);
        raw.advance(size + 2);
    }
}

fn find_crlf(bytes: &[u8]) -> Option<usize> {
    bytes.windows(2).position(|w| w == b"\r\n")
}

fn strip_chunked_headers(headers: &mut http::HeaderMap, decoded_len: usize) {
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

fn s3_error(status: StatusCode, code: &str, message: &str) -> Response {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{escaped}</Message></Error>"
    );
    (
        status,
        [(http::header::CONTENT_TYPE, "application/xml")],
        body,
    )
        .into_response()
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

    #[tokio::test]
    async fn decodes_signed_and_unsigned_chunks() {
        let signed = "5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0\r\n\r\n";
        assert_eq!(
            decode_aws_chunked(Body::from(signed)).await.unwrap(),
            Bytes::from_static(b"hello world")
        );
        let trailer = "3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
        assert_eq!(
            decode_aws_chunked(Body::from(trailer)).await.unwrap(),
            Bytes::from_static(b"abc")
        );
        assert!(decode_aws_chunked(Body::from("5\r\nabc")).await.is_err());
        assert!(decode_aws_chunked(Body::from("zz\r\n")).await.is_err());
    }
}
