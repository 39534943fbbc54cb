//! Malformed and hostile CBOR bodies: each is a `SerializationException` (or a
//! validation answer), never a panic, in time linear in the body and with memory the
//! body bounds (the allocation bounds are measured in `tests/cbor_alloc.rs`).

use serde_json::json;

use super::decode::decode;
use super::decode_tests::{refused, served};
use crate::validate::Model;

/// A one-member map `{key: value}` with `value` already encoded.
pub(super) fn member(key: &str, value: &[u8]) -> Vec<u8> {
    let mut body = vec![0xa1];
    body.extend(text(key));
    body.extend_from_slice(value);
    body
}

/// A short definite text string.
fn text(s: &str) -> Vec<u8> {
    assert!(s.len() < 24);
    let mut out = vec![0x60 | s.len() as u8];
    out.extend_from_slice(s.as_bytes());
    out
}

/// A ClassifyDocument body as the Rust SDK writes it (an indefinite map).
fn classify_body() -> Vec<u8> {
    let mut body = vec![0xbf];
    body.extend(text("Text"));
    body.extend(text("hello there"));
    body.extend(text("EndpointArn"));
    let arn = "arn:aws:comprehend:us-east-1:000000000000:document-classifier-endpoint/e";
    body.extend([0x78, arn.len() as u8]);
    body.extend_from_slice(arn.as_bytes());
    body.extend(text("Bytes"));
    body.extend([0x42, b'a', b'b', 0xff]);
    body
}

const CLASSIFY: &str = "ClassifyDocumentRequest";
const LIST_CLASSIFIERS: &str = "ListDocumentClassifiersRequest";

#[test]
fn a_real_body_reads_and_every_cut_of_it_is_refused() {
    let body = classify_body();
    let value = decode(Model::get(), CLASSIFY, &body).unwrap();
    assert_eq!(value["Bytes"], "YWI=");
    assert_eq!(value["Text"], "hello there");
    for end in 1..body.len() {
        let message = refused(CLASSIFY, &body[..end]);
        assert!(
            message.starts_with("Malformed CBOR request body: "),
            "{end}: {message}"
        );
    }
}

#[test]
fn truncated_items_are_refused() {
    let long_arn = member("EndpointArn", &[0x78, 0xff]);
    for body in [&[0x18][..], &[0xbf], &[0xa1, 0x64, b'T', b'e'], &long_arn] {
        refused(CLASSIFY, body);
    }
}

#[test]
fn wrong_kinds_get_the_json_messages() {
    let cases: [(&str, Vec<u8>, &str); 6] = [
        (
            CLASSIFY,
            member("EndpointArn", &[0xa0]),
            "Expected a string at 'endpointArn' but found a structure",
        ),
        (
            CLASSIFY,
            member("EndpointArn", &[0x80]),
            "Expected a string at 'endpointArn' but found a list",
        ),
        (
            CLASSIFY,
            member("EndpointArn", &[0x07]),
            "Expected a string at 'endpointArn' but found a number",
        ),
        (
            LIST_CLASSIFIERS,
            member("MaxResults", &[0x61, b'x']),
            "Expected an integer at 'maxResults' but found a string",
        ),
        (
            LIST_CLASSIFIERS,
            member("MaxResults", &[0xf9, 0x3e, 0x00]),
            "Expected an integer at 'maxResults' but found a number",
        ),
        (
            CLASSIFY,
            vec![0x07],
            "Expected a structure at the request body but found a number",
        ),
    ];
    for (shape, body, expected) in cases {
        assert_eq!(refused(shape, &body), expected);
    }
    // The same bodies in JSON get the same words.
    let json = json!({"EndpointArn": {}});
    let err = crate::validate::validate(CLASSIFY, &json).unwrap_err();
    assert_eq!(
        err.message,
        "Expected a string at 'endpointArn' but found a structure"
    );
}

#[test]
fn items_json_cannot_hold_are_refused_by_kind() {
    let cases: [(&str, Vec<u8>, &str); 8] = [
        (
            CLASSIFY,
            member("Text", &[0x41, b'a']),
            "Expected a string at 'text' but found a byte string",
        ),
        (
            CLASSIFY,
            member("Bytes", &[0x64, b'Y', b'W', b'I', b'=']),
            "Expected a blob (a byte string) at 'bytes' but found a string",
        ),
        (
            CLASSIFY,
            member("EndpointArn", &[0xc1, 0x00]),
            "Expected a string at 'endpointArn' but found a tag",
        ),
        (
            LIST_CLASSIFIERS,
            member("MaxResults", &[0xc2, 0x41, 0x01]),
            "Expected an integer at 'maxResults' but found a tag",
        ),
        (
            LIST_CLASSIFIERS,
            member("MaxResults", &[0x1b, 0x80, 0, 0, 0, 0, 0, 0, 0]),
            "Expected a 64-bit integer at 'maxResults' but found an unsigned integer",
        ),
        (
            LIST_CLASSIFIERS,
            member("Filter", &member("SubmitTimeAfter", &[0x01])),
            "Expected a timestamp (tag 1) at 'filter.submitTimeAfter' but found an unsigned integer",
        ),
        (
            LIST_CLASSIFIERS,
            member("Filter", &member("SubmitTimeAfter", &[0xc0, 0x01])),
            "Expected a timestamp (tag 1) at 'filter.submitTimeAfter' but found a tag",
        ),
        (
            LIST_CLASSIFIERS,
            member("Filter", &member("SubmitTimeAfter", &[0xc1, 0x61, b'x'])),
            "Expected epoch seconds in a timestamp at 'filter.submitTimeAfter' but found a string",
        ),
    ];
    for (shape, body, expected) in cases {
        assert_eq!(refused(shape, &body), expected, "{body:02x?}");
    }
    let ok = member(
        "Filter",
        &member(
            "SubmitTimeAfter",
            &[0xc1, 0xfb, 0x41, 0xd4, 0xd7, 0xfb, 0xf3, 0x80, 0, 0],
        ),
    );
    assert_eq!(
        served(LIST_CLASSIFIERS, &ok).unwrap()["Filter"]["SubmitTimeAfter"],
        1398796238.0
    );
}

#[test]
fn reserved_and_misplaced_heads_are_refused() {
    for body in [
        member("EndpointArn", &[0xf0]), // an unassigned simple value
        member("EndpointArn", &[0x1c]), // reserved additional information
        member("Unknown", &[0xf0]),     // also when skipped
        member("Unknown", &[0x3e]),
        vec![0xff],                                     // a lone break
        vec![0xa1, 0x01, 0x02],                         // a key that is not text
        vec![0xa0, 0x00],                               // data after the body
        member("Text", &[0x62, 0xc3, 0x28]),            // invalid UTF-8
        member("Text", &[0x7f, 0x41, 0x00, 0xff]),      // a byte chunk in a text string
        member("Text", &[0x7f, 0x7f, 0xff, 0xff]),      // an indefinite chunk
        vec![0xbf, 0x64, b'T', b'e', b'x', b't', 0xff], // a key without a value
        member("Unknown", &[0xbf, 0x61, b'k', 0xff]),   // the same, skipped
        member("Unknown", &[0x82, 0x01, 0xff]),         // a break inside a definite array
    ] {
        let message = refused(CLASSIFY, &body);
        assert!(!message.is_empty(), "{body:02x?}");
    }
}

#[test]
fn chunked_strings_nulls_and_repeated_keys() {
    let chunked = member("Text", &[0x7f, 0x62, b'h', b'i', 0x60, 0x61, b'!', 0xff]);
    assert_eq!(
        decode(Model::get(), CLASSIFY, &chunked).unwrap()["Text"],
        "hi!"
    );
    let mut many = vec![0x7f];
    many.extend(std::iter::repeat_n(0x60, 1_000_000));
    many.push(0xff);
    assert_eq!(
        decode(Model::get(), CLASSIFY, &member("Text", &many)).unwrap()["Text"],
        ""
    );
    // undefined reads as null, which means absent
    let undefined = member("NextToken", &[0xf7]);
    assert_eq!(
        served(LIST_CLASSIFIERS, &undefined).unwrap(),
        json!({"NextToken": null})
    );
    // the last of repeated keys wins, as with serde_json
    let mut twice = vec![0xa2];
    twice.extend(text("MaxResults"));
    twice.push(0x01);
    twice.extend(text("MaxResults"));
    twice.push(0x02);
    assert_eq!(
        served(LIST_CLASSIFIERS, &twice).unwrap(),
        json!({"MaxResults": 2})
    );
}

/// Lengths no body can hold: text, bytes, arrays and maps of 2^64 - 1.
#[test]
fn huge_declared_lengths_are_refused() {
    let huge = |head: u8| {
        let mut item = vec![head];
        item.extend([0xff; 8]);
        item
    };
    for head in [0x7b, 0x5b, 0x9b, 0xbb] {
        let message = refused(CLASSIFY, &member("Unknown", &huge(head)));
        assert!(
            message.starts_with("Malformed CBOR request body"),
            "{message}"
        );
        refused(CLASSIFY, &member("Text", &huge(head)));
        refused(CLASSIFY, &member("Bytes", &huge(head)));
        refused("UntagResourceRequest", &member("TagKeys", &huge(head)));
        refused(CLASSIFY, &huge(head));
    }
}

/// Ten million nested arrays, indefinite arrays, mixed, and tags: refused past 128
/// levels, without recursion (the thread has a 128 KiB stack). A tag where a list item
/// is due is refused at once.
#[test]
fn deep_nesting_is_refused_without_recursion() {
    std::thread::Builder::new()
        .stack_size(128 * 1024)
        .spawn(|| {
            let n = 10_000_000;
            for nest in [
                vec![0x81; n],
                vec![0x9f; n],
                [0x82, 0x9f].repeat(n / 2),
                vec![0xc1; n],
            ] {
                for key in ["Unknown", "TagKeys"] {
                    let message = refused("UntagResourceRequest", &member(key, &nest));
                    let tag_item = key == "TagKeys" && nest[0] == 0xc1;
                    assert!(message.contains("128") || tag_item, "{key}: {message}");
                }
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
