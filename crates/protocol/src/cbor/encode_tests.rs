//! The writer, read back with the Rust SDK's own CBOR reader (`aws-smithy-cbor`), the
//! way a client reads our answers.

use aws_smithy_cbor::Decoder;
use aws_smithy_cbor::data::Type;
use serde_json::{Value, json};

use super::decode_tests::test_model;
use super::encode::{encode_error, encode_output};
use crate::error::ServiceError;
use crate::generated::{InvalidRequestDetailReason, Operation};
use crate::validate::{Model, Shape};

/// An output where every member is set: floats and timestamps chosen so that a wrong
/// width or a lost millisecond shows.
fn sample(model: &Model, shape: &str, depth: usize) -> Value {
    match model.shape(shape).unwrap() {
        Shape::Structure { members } if depth < 12 => Value::Object(
            members
                .iter()
                .map(|m| (m.name.clone(), sample(model, &m.shape, depth + 1)))
                .collect(),
        ),
        Shape::Structure { .. } => json!({}),
        Shape::List { member, .. } => json!([sample(model, member, depth + 1)]),
        Shape::String(_) => json!("s"),
        Shape::Integer { .. } => json!(7),
        Shape::Float => json!(0.1),
        Shape::Double => json!(0.1),
        Shape::Timestamp => json!(1_700_000_000.123),
        Shape::Blob { .. } => json!("YWI="),
        Shape::Boolean => json!(true),
    }
}

/// Reads a value with the SDK's reader, the reader method chosen by the model as the
/// SDK's generated code chooses it; any width or type the SDK refuses fails the test.
fn read_back(model: &Model, shape: &str, d: &mut Decoder<'_>) -> Value {
    match model.shape(shape).unwrap() {
        Shape::Structure { members } => {
            let n = d.map().unwrap().expect("a definite map");
            let mut out = serde_json::Map::new();
            for _ in 0..n {
                let key = d.str().unwrap().into_owned();
                let member = members.iter().find(|m| m.name == key).unwrap();
                out.insert(key, read_back(model, &member.shape, d));
            }
            Value::Object(out)
        }
        Shape::List { member, .. } => {
            let n = d.list().unwrap().expect("a definite array");
            Value::Array((0..n).map(|_| read_back(model, member, d)).collect())
        }
        Shape::String(_) => json!(d.str().unwrap()),
        Shape::Integer { .. } => json!(d.long().unwrap()),
        Shape::Float => json!(d.float().unwrap()),
        Shape::Double => json!(d.double().unwrap()),
        Shape::Timestamp => {
            let t = d.timestamp().unwrap();
            json!(t.secs() * 1000 + i64::from(t.subsec_nanos() / 1_000_000))
        }
        Shape::Blob { .. } => json!(d.blob().unwrap().into_inner()),
        Shape::Boolean => json!(d.boolean().unwrap()),
    }
}

/// Every operation's output, fully set, reads back through the SDK's reader: `float`
/// members as f32, timestamps to the millisecond, blobs as bytes.
#[test]
fn every_output_reads_with_the_sdk_reader() {
    let model = Model::get();
    for op in Operation::ALL {
        let shape = op.output_shape();
        let bytes = encode_output(model, shape, &sample(model, shape, 0)).unwrap();
        let mut d = Decoder::new(&bytes);
        let read = read_back(model, shape, &mut d);
        assert_eq!(d.position(), bytes.len(), "{op:?}");
        let text = read.to_string();
        assert!(
            !text.contains("1700000000122"),
            "{op:?}: a lost millisecond"
        );
    }
    let classified = json!({"Classes": [{"Name": "a", "Score": 0.1}]});
    let bytes = encode_output(model, "ClassifyDocumentResponse", &classified).unwrap();
    let read = read_back(model, "ClassifyDocumentResponse", &mut Decoder::new(&bytes));
    assert_eq!(read["Classes"][0]["Score"], json!(0.1f32));
}

/// Milliseconds read back exactly through the SDK's timestamp reader (which truncates
/// to milliseconds), including the protocol tests' `946845296.123`.
#[test]
fn timestamps_read_back_to_the_millisecond() {
    let mut millis: Vec<i64> = (0..100_000)
        .map(|i| 1_700_000_000_000 + i * 7_919)
        .collect();
    millis.push(946_845_296_123);
    let seconds: Vec<Value> = millis.iter().map(|&ms| json!(ms as f64 / 1000.0)).collect();
    let value = json!({"timestampList": seconds});
    let bytes = encode_output(test_model(), "RpcV2CborListInputOutput", &value).unwrap();
    let read = read_back(
        test_model(),
        "RpcV2CborListInputOutput",
        &mut Decoder::new(&bytes),
    );
    assert_eq!(read["timestampList"], json!(millis));
}

/// Unset members are left out, never written as null
/// (RpcV2CborServerDoesntSerializeNullStructureValues), and an empty output is an
/// empty map.
#[test]
fn unset_members_are_omitted() {
    let bytes = encode_output(
        test_model(),
        "SimpleScalarStructure",
        &json!({"stringValue": null}),
    )
    .unwrap();
    assert_eq!(bytes, [0xa0]);
    let bytes = encode_output(Model::get(), "ListFlywheelsResponse", &json!({})).unwrap();
    assert_eq!(bytes, [0xa0]);
    let value = json!({"FlywheelSummaryList": [], "NextToken": null});
    let bytes = encode_output(Model::get(), "ListFlywheelsResponse", &value).unwrap();
    let read = read_back(
        Model::get(),
        "ListFlywheelsResponse",
        &mut Decoder::new(&bytes),
    );
    assert_eq!(read, json!({"FlywheelSummaryList": []}));
}

fn encode_error_bytes(error: &ServiceError) -> Vec<u8> {
    encode_error(error).unwrap()
}

/// Reads an error body as a map of strings (nested maps flattened as `Detail.Reason`).
fn error_members(bytes: &[u8]) -> Vec<(String, String)> {
    let mut d = Decoder::new(bytes);
    let mut members = Vec::new();
    let n = d.map().unwrap().unwrap();
    for _ in 0..n {
        let key = d.str().unwrap().into_owned();
        if d.datatype().unwrap() == Type::Map {
            d.map().unwrap();
            let inner = d.str().unwrap().into_owned();
            members.push((format!("{key}.{inner}"), d.str().unwrap().into_owned()));
        } else {
            members.push((key, d.str().unwrap().into_owned()));
        }
    }
    assert_eq!(d.position(), bytes.len());
    members
}

/// Errors carry `__type` as an absolute shape id and the message
/// (RpcV2CborInvalidGreetingError, RpcV2CborComplexError in shape).
#[test]
fn errors_carry_absolute_shape_ids() {
    let members = error_members(&encode_error_bytes(&ServiceError::resource_not_found(
        "nope",
    )));
    assert_eq!(
        members,
        [
            (
                "__type".into(),
                "com.amazonaws.comprehend#ResourceNotFoundException".into()
            ),
            ("Message".into(), "nope".into()),
        ]
    );
    let invalid =
        ServiceError::invalid_document(InvalidRequestDetailReason::UnsupportedDocType, "PDF");
    let members = error_members(&encode_error_bytes(&invalid));
    assert_eq!(members[2], ("Reason".into(), "INVALID_DOCUMENT".into()));
    assert_eq!(
        members[3],
        ("Detail.Reason".into(), "UNSUPPORTED_DOC_TYPE".into())
    );
    let validation = ServiceError::new(crate::ErrorCode::Validation, "x".repeat(10_000));
    let members = error_members(&encode_error_bytes(&validation));
    assert_eq!(
        members[0].1,
        "com.amazon.coral.validate#ValidationException"
    );
    assert!(members[1].1.len() <= crate::error::MAX_MESSAGE_BYTES + 3);
}
