//! Routing an RPC v2 CBOR request: the operation its path names, and the checks the
//! specification puts on its method, headers and media types
//! (<https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html>, "Requests").
//!
//! The specification names no status for a request it calls malformed; these follow
//! smithy-rs's server (`aws-smithy-http-server`, `protocol/rpc_v2_cbor`): a routing
//! failure is 404 `UnknownOperationException`, a method other than POST 405, a wrong
//! Content-Type 415, an Accept without `application/cbor` 406.

use crate::error::{ErrorCode, ServiceError};
use crate::generated::Operation;

/// The `Smithy-Protocol` header every request and response carries.
pub const PROTOCOL_HEADER: &str = "smithy-protocol";
/// Its one value for this protocol.
pub const PROTOCOL_ID: &str = "rpc-v2-cbor";
/// The media type of request and response bodies.
pub const CONTENT_TYPE: &str = "application/cbor";

/// The service segment of the path: the service shape's name, or its absolute id with
/// `#` written `.` (servers SHOULD accept both, per the specification).
const SERVICE_NAMES: [&str; 2] = [
    "Comprehend_20171127",
    "com.amazonaws.comprehend.Comprehend_20171127",
];

/// The operation segment of a path `{prefix}/service/{service}/operation/{operation}`
/// whose service is Comprehend. Only the last four segments route, so any prefix is
/// allowed, as the specification says.
pub(crate) fn operation_segment(path: &str) -> Option<&str> {
    let mut segments = path.rsplit('/');
    let operation = segments.next()?;
    let literal = segments.next()?;
    let service = segments.next()?;
    let service_literal = segments.next()?;
    let routes = literal == "operation"
        && service_literal == "service"
        && SERVICE_NAMES.contains(&service)
        && !operation.is_empty();
    routes.then_some(operation)
}

/// The operation a claimed request names, after the checks that come before reading
/// its body, in this order: the method, the forbidden target headers, the
/// `Smithy-Protocol` header, the path and the operation.
pub(crate) fn operation(parts: &http::request::Parts) -> Result<Operation, ServiceError> {
    let unknown = |message: &str| ServiceError::new(ErrorCode::UnknownOperation, message);
    if parts.method != http::Method::POST {
        return Err(ServiceError::new(
            ErrorCode::MethodNotAllowed,
            format!("rpcv2Cbor requests are POSTs, not {}", parts.method),
        ));
    }
    // "Server-side implementations MUST reject such requests for security reasons":
    // a front end routing on X-Amz-Target must not see a different operation than we do.
    if ["x-amz-target", "x-amzn-target"]
        .iter()
        .any(|h| parts.headers.contains_key(*h))
    {
        return Err(unknown(
            "rpcv2Cbor requests must not carry X-Amz-Target or X-Amzn-Target",
        ));
    }
    if !every_value(&parts.headers, PROTOCOL_HEADER, |v| {
        v == PROTOCOL_ID.as_bytes()
    }) {
        return Err(unknown(
            "rpcv2Cbor requests carry Smithy-Protocol: rpc-v2-cbor",
        ));
    }
    let Some(name) = operation_segment(parts.uri.path()) else {
        return Err(unknown(&format!(
            "No Comprehend operation at {}: rpcv2Cbor paths end /service/Comprehend_20171127/operation/{{Operation}}",
            crate::error::clip(parts.uri.path(), 256)
        )));
    };
    Operation::from_name(name).ok_or_else(|| crate::unknown_operation(name))
}

/// The checks on media types, once the operation is known: a body is
/// `application/cbor` (an empty body may have no Content-Type, as clients send none
/// for operations without input), and an `Accept`, when sent, allows `application/cbor`
/// (clients MUST send it, servers must tolerate its absence). Quality values are not
/// weighed: a range that names `application/cbor` allows it, whatever its `q`.
pub(crate) fn check_media(headers: &http::HeaderMap, body: &[u8]) -> Result<(), ServiceError> {
    let cbor_body = if headers.contains_key(http::header::CONTENT_TYPE) {
        every_value(headers, http::header::CONTENT_TYPE.as_str(), |v| {
            crate::claim::media_type(v) == CONTENT_TYPE
        })
    } else {
        body.is_empty()
    };
    if !cbor_body {
        return Err(ServiceError::new(
            ErrorCode::UnsupportedMediaType,
            "rpcv2Cbor request bodies are application/cbor",
        ));
    }
    let accepts = headers
        .get_all(http::header::ACCEPT)
        .iter()
        .flat_map(|value| value.as_bytes().split(|&b| b == b','))
        .map(crate::claim::media_type)
        .collect::<Vec<_>>();
    let cbor_accepted = accepts.is_empty()
        || accepts
            .iter()
            .any(|range| matches!(range.as_str(), CONTENT_TYPE | "application/*" | "*/*"));
    if !cbor_accepted {
        return Err(ServiceError::new(
            ErrorCode::NotAcceptable,
            "rpcv2Cbor answers are application/cbor, which the Accept header rules out",
        ));
    }
    Ok(())
}

/// Whether a header is present and every one of its values passes `test`: a request
/// that repeats a header with another value must not pass on the first one alone.
fn every_value(headers: &http::HeaderMap, name: &str, test: impl Fn(&[u8]) -> bool) -> bool {
    let mut values = headers.get_all(name).iter().peekable();
    values.peek().is_some() && values.all(|v| test(v.as_bytes()))
}

/// The status of an error over this protocol: the model's, except that a request naming
/// no operation is 404, as smithy-rs's router answers every routing failure (and as
/// AWS's common errors list `UnknownOperationException`), where AWS JSON 1.1 answers 400.
pub(crate) fn status(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::UnknownOperation => 404,
        ErrorCode::Modeled(_)
        | ErrorCode::Serialization
        | ErrorCode::Validation
        | ErrorCode::RequestEntityTooLarge
        | ErrorCode::MethodNotAllowed
        | ErrorCode::UnsupportedMediaType
        | ErrorCode::NotAcceptable => code.status(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(method: &str, uri: &str, headers: &[(&str, &str)]) -> http::request::Parts {
        let mut request = http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    const CBOR: (&str, &str) = (PROTOCOL_HEADER, PROTOCOL_ID);

    #[test]
    fn paths_route_on_their_last_four_segments() {
        for (path, expected) in [
            (
                "/service/Comprehend_20171127/operation/ListFlywheels",
                Some("ListFlywheels"),
            ),
            ("/v1/service/Comprehend_20171127/operation/X", Some("X")),
            (
                "/service/com.amazonaws.comprehend.Comprehend_20171127/operation/X",
                Some("X"),
            ),
            ("/service/Comprehend_20171127/operation/", None),
            ("/service/DynamoDB_20120810/operation/ListTables", None),
            ("/service/comprehend/operation/X", None),
            ("Comprehend_20171127/operation/X", None),
            ("/", None),
        ] {
            assert_eq!(operation_segment(path), expected, "{path}");
        }
    }

    #[test]
    fn checks_come_in_order() {
        let path = "/service/Comprehend_20171127/operation/ListFlywheels";
        let code = |p: http::request::Parts| operation(&p).unwrap_err().code;
        let target = ("x-amz-target", "Comprehend_20171127.ListFlywheels");
        assert_eq!(
            code(parts("GET", path, &[CBOR, target])),
            ErrorCode::MethodNotAllowed
        );
        assert_eq!(
            code(parts("POST", path, &[CBOR, target])),
            ErrorCode::UnknownOperation
        );
        let amzn = ("x-amzn-target", "x");
        assert_eq!(
            code(parts("POST", path, &[CBOR, amzn])),
            ErrorCode::UnknownOperation
        );
        assert_eq!(code(parts("POST", path, &[])), ErrorCode::UnknownOperation);
        let wrong = (PROTOCOL_HEADER, "rpc-v2-json");
        assert_eq!(
            code(parts("POST", path, &[wrong])),
            ErrorCode::UnknownOperation
        );
        assert_eq!(
            code(parts("POST", "/", &[CBOR])),
            ErrorCode::UnknownOperation
        );
        let twice = parts("POST", path, &[CBOR, wrong]);
        assert_eq!(code(twice), ErrorCode::UnknownOperation);
        let op = operation(&parts("POST", path, &[CBOR])).unwrap();
        assert_eq!(op, Operation::ListFlywheels);
    }

    #[test]
    fn operations_are_named_as_over_json() {
        let over_cbor = |name: &str| {
            let path = format!("/service/Comprehend_20171127/operation/{name}");
            operation(&parts("POST", &path, &[CBOR]))
                .unwrap_err()
                .message
        };
        let over_json = |name: &str| {
            crate::json::operation_from_target(Some(&format!("Comprehend_20171127.{name}")))
                .unwrap_err()
                .message
        };
        for name in ["ImportModel", "NoSuchOperation"] {
            assert_eq!(over_cbor(name), over_json(name));
        }
        let absolute = over_cbor("com.amazonaws.comprehend.ListFlywheels");
        assert!(absolute.starts_with("Unknown operation"), "{absolute}");
    }

    #[test]
    fn media_types() {
        let check = |headers: &[(&str, &str)], body: &[u8]| {
            let p = parts("POST", "/", headers);
            check_media(&p.headers, body).err().map(|e| e.code)
        };
        let cbor = ("content-type", "application/cbor");
        assert_eq!(check(&[], b""), None);
        assert_eq!(check(&[cbor], b"\xa0"), None);
        assert_eq!(
            check(&[("content-type", "Application/CBOR; x=1")], b"\xa0"),
            None
        );
        assert_eq!(check(&[], b"\xa0"), Some(ErrorCode::UnsupportedMediaType));
        let json = ("content-type", "application/json");
        assert_eq!(check(&[json], b""), Some(ErrorCode::UnsupportedMediaType));
        let both = check(&[cbor, json], b"\xa0");
        assert_eq!(both, Some(ErrorCode::UnsupportedMediaType));
        for accept in [
            "application/cbor",
            "*/*",
            "application/*",
            "text/html, application/cbor;q=0.9",
        ] {
            assert_eq!(
                check(&[cbor, ("accept", accept)], b"\xa0"),
                None,
                "{accept}"
            );
        }
        let json_only = ("accept", "application/json");
        assert_eq!(
            check(&[cbor, json_only], b"\xa0"),
            Some(ErrorCode::NotAcceptable)
        );
    }
}
