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
    /// Smithy RPC v2 CBOR: `POST /service/{service}/operation/{operation}`,
    /// `Smithy-Protocol: rpc-v2-cbor`, `application/cbor` bodies.
    RpcV2Cbor,
}

impl Protocol {
    /// The protocol's name, for the request log.
    pub fn name(self) -> &'static str {
        match self {
            Protocol::AwsJson11 => "awsJson1_1",
            Protocol::RpcV2Cbor => "rpcv2Cbor",
        }
    }
}

/// A request this server takes as Comprehend's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// It speaks a protocol Comprehend serves.
    Speaks(Protocol),
    /// It looks like an AWS JSON request (`X-Amz-Target`, or an `application/x-amz-json`
    /// body) but its Content-Type is not AWS JSON 1.1's, so no protocol can read it.
    /// It is answered without being served (see [`crate::unknown_protocol`]).
    UnknownProtocol,
}

/// The one media type of AWS JSON 1.1 bodies (the Smithy awsJson1_1 specification:
/// "the Content-Type header MUST be `application/x-amz-json-1.1`").
const JSON_11_MEDIA_TYPE: &str = "application/x-amz-json-1.1";

/// Whether a request is Comprehend's, and in which protocol.
///
/// RPC v2 CBOR comes first: a request with a `Smithy-Protocol` header, or a POST to
/// `…/service/Comprehend_20171127/operation/{Operation}` with no query string (the
/// specification's "Identification for claiming"), even one that also carries
/// `X-Amz-Target`, which that protocol must then reject. Such POSTs cannot be S3's: an
/// S3 POST to an object key always has a query (`?uploads`, `?uploadId=…`, `?delete`),
/// and S3's form POST goes to the bucket itself.
///
/// Otherwise an AWS JSON request carries `X-Amz-Target` or an `application/x-amz-json-*`
/// Content-Type; it is AWS JSON 1.1 only when its media type is exactly
/// `application/x-amz-json-1.1` (parameters such as `charset` allowed, case-insensitive
/// as RFC 9110 §8.3.1 says).
pub fn claim(method: &http::Method, uri: &http::Uri, headers: &http::HeaderMap) -> Option<Claim> {
    if headers.contains_key(crate::cbor::PROTOCOL_HEADER)
        || (method == http::Method::POST
            && uri.query().is_none()
            && crate::cbor::operation_segment(uri.path()).is_some())
    {
        return Some(Claim::Speaks(Protocol::RpcV2Cbor));
    }
    let content_type = headers
        .get(http::header::CONTENT_TYPE)
        .map(|v| media_type(v.as_bytes()));
    let json_body = content_type
        .as_deref()
        .is_some_and(|t| t.starts_with("application/x-amz-json"));
    if !headers.contains_key("x-amz-target") && !json_body {
        return None;
    }
    Some(match content_type.as_deref() {
        Some(JSON_11_MEDIA_TYPE) => Claim::Speaks(Protocol::AwsJson11),
        _ => Claim::UnknownProtocol,
    })
}

/// The media type of a Content-Type value: before any `;`, trimmed, lower-cased.
/// A value that is not ASCII names no media type this server reads.
pub(crate) fn media_type(value: &[u8]) -> String {
    let end = value.iter().position(|&b| b == b';').unwrap_or(value.len());
    match std::str::from_utf8(&value[..end]) {
        Ok(t) => t.trim().to_ascii_lowercase(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CBOR: Option<Claim> = Some(Claim::Speaks(Protocol::RpcV2Cbor));
    const PATH: &str = "/service/Comprehend_20171127/operation/ListFlywheels";

    fn claim_at(method: &str, uri: &str, headers: &[(&str, &str)]) -> Option<Claim> {
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        claim(&method.parse().unwrap(), &uri.parse().unwrap(), &map)
    }

    #[test]
    fn rpc_v2_is_claimed_by_its_header_or_its_post_path() {
        let protocol = ("smithy-protocol", "rpc-v2-cbor");
        assert_eq!(claim_at("GET", "/anything?x=1", &[protocol]), CBOR);
        assert_eq!(claim_at("POST", PATH, &[]), CBOR);
        assert_eq!(claim_at("POST", &format!("/v1{PATH}"), &[]), CBOR);
        let target = ("x-amz-target", "Comprehend_20171127.ListFlywheels");
        let json = ("content-type", "application/x-amz-json-1.1");
        assert_eq!(claim_at("POST", PATH, &[target, json]), CBOR);
        assert_eq!(
            claim_at("POST", "/", &[target, json]),
            Some(Claim::Speaks(Protocol::AwsJson11))
        );
    }

    /// S3 path-style requests on a bucket named `service` keep reaching S3.
    #[test]
    fn s3_requests_on_the_same_path_are_not_claimed() {
        for (method, uri) in [
            ("PUT", PATH),
            ("GET", PATH),
            ("POST", &format!("{PATH}?uploads")),
            ("POST", &format!("{PATH}?uploadId=1")),
            ("POST", "/service/Comprehend_20171127/operation/"),
            ("POST", "/service"),
        ] {
            assert_eq!(claim_at(method, uri, &[]), None, "{method} {uri}");
        }
    }

    fn claim_with(target: bool, content_type: Option<&str>) -> Option<Claim> {
        let mut headers = http::HeaderMap::new();
        if target {
            headers.insert(
                "x-amz-target",
                "Comprehend_20171127.ListFlywheels".parse().unwrap(),
            );
        }
        if let Some(t) = content_type {
            headers.insert(http::header::CONTENT_TYPE, t.parse().unwrap());
        }
        claim(&http::Method::POST, &"/".parse().unwrap(), &headers)
    }

    #[test]
    fn json_11_media_types_with_parameters_are_json() {
        let json = Some(Claim::Speaks(Protocol::AwsJson11));
        for t in [
            "application/x-amz-json-1.1",
            "application/x-amz-json-1.1; charset=utf-8",
            " Application/X-Amz-Json-1.1 ;charset=UTF-8",
        ] {
            assert_eq!(claim_with(true, Some(t)), json, "{t}");
            assert_eq!(claim_with(false, Some(t)), json, "{t}");
        }
    }

    #[test]
    fn other_content_types_are_an_unknown_protocol() {
        for t in [
            Some("application/json"),
            Some("application/x-amz-json-1.0"),
            Some("application/x-amz-json-1.10"),
            Some("text/plain"),
            Some("application/cbor"),
            None,
        ] {
            assert_eq!(claim_with(true, t), Some(Claim::UnknownProtocol), "{t:?}");
        }
        assert_eq!(
            claim_with(false, Some("application/x-amz-json-1.0")),
            Some(Claim::UnknownProtocol)
        );
    }

    #[test]
    fn everything_else_is_not_comprehend() {
        assert_eq!(claim_with(false, None), None);
        assert_eq!(claim_with(false, Some("application/xml")), None);
        assert_eq!(claim_with(false, Some("application/json")), None);
    }
}
