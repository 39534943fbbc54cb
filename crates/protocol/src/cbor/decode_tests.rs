//! The decoder against the Smithy RPC v2 CBOR protocol tests' server-side request
//! vectors (`smithy-protocol-tests/model/rpcv2Cbor`, bodies verbatim, on a small model
//! with the tests' shapes) and against malformed and hostile bodies.

use std::sync::OnceLock;

use base64::Engine as _;
use serde_json::{Value, json};

use super::decode::decode;
use crate::error::{ErrorCode, ServiceError};
use crate::validate::Model;

pub(super) fn test_model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        Model::parse(include_str!("../../tests/fixtures/rpcv2cbor-model.json")).unwrap()
    })
}

fn vector(body: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}

/// Reads an upstream vector with the test model.
fn upstream(shape: &str, body: &str) -> Value {
    decode(test_model(), shape, &vector(body)).unwrap()
}

/// Reads a body as a Comprehend operation's input and validates it, as a request is served.
pub(super) fn served(shape: &str, body: &[u8]) -> Result<Value, ServiceError> {
    let value = decode(Model::get(), shape, body)?;
    crate::validate::validate(shape, &value)?;
    Ok(value)
}

/// The `SerializationException` message a body gets.
pub(super) fn refused(shape: &str, body: &[u8]) -> String {
    let err = served(shape, body).expect_err("refused");
    assert_eq!(err.code, ErrorCode::Serialization, "{}", err.message);
    err.message
}

fn b64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[test]
fn simple_scalar_properties() {
    let expected = json!({
        "byteValue": 5, "doubleValue": 1.889, "falseBooleanValue": false,
        "floatValue": 7.625, "integerValue": 256, "longValue": 9873, "shortValue": 9898,
        "stringValue": "simple", "trueBooleanValue": true, "blobValue": b64("foo"),
    });
    // RpcV2CborSimpleScalarProperties
    let body = "v2lieXRlVmFsdWUFa2RvdWJsZVZhbHVl+z/+OVgQYk3TcWZhbHNlQm9vbGVhblZhbHVl9GpmbG9hdFZhbHVl+kD0AABsaW50ZWdlclZhbHVlGQEAaWxvbmdWYWx1ZRkmkWpzaG9ydFZhbHVlGSaqa3N0cmluZ1ZhbHVlZnNpbXBsZXB0cnVlQm9vbGVhblZhbHVl9WlibG9iVmFsdWVDZm9v/w==";
    assert_eq!(upstream("SimpleScalarStructure", body), expected);
    // RpcV2CborSimpleScalarPropertiesUsingIndefiniteLength (chunked keys and values)
    let body = "qmlieXRlVmFsdWUFf2Zkb3VibGVlVmFsdWX/+z/+OVgQYk3Tf2VmYWxzZWdCb29sZWFuZVZhbHVl//RqZmxvYXRWYWx1ZfpA9AAAbGludGVnZXJWYWx1ZRkBAGlsb25nVmFsdWUZJpFqc2hvcnRWYWx1ZRkmqn9mc3RyaW5nZVZhbHVl/2ZzaW1wbGVwdHJ1ZUJvb2xlYW5WYWx1ZfVpYmxvYlZhbHVlQ2Zvbw==";
    assert_eq!(upstream("SimpleScalarStructure", body), expected);
    // RpcV2CborExtraFieldsInTheBodyShouldBeSkippedByServers
    let body = "v2lieXRlVmFsdWUFa2RvdWJsZVZhbHVl+z/+OVgQYk3TcWZhbHNlQm9vbGVhblZhbHVl9GpmbG9hdFZhbHVl+kD0AABrZXh0cmFPYmplY3S/c2luZGVmaW5pdGVMZW5ndGhNYXC/a3dpdGhBbkFycmF5nwECA///cWRlZmluaXRlTGVuZ3RoTWFwo3J3aXRoQURlZmluaXRlQXJyYXmDAQIDeB1hbmRTb21lSW5kZWZpbml0ZUxlbmd0aFN0cmluZ3gfdGhhdCBoYXMsIGJlZW4gY2h1bmtlZCBvbiBjb21tYWxub3JtYWxTdHJpbmdjZm9vanNob3J0VmFsdWUZJw9uc29tZU90aGVyRmllbGR2dGhpcyBzaG91bGQgYmUgc2tpcHBlZP9saW50ZWdlclZhbHVlGQEAaWxvbmdWYWx1ZRkmkWpzaG9ydFZhbHVlGSaqa3N0cmluZ1ZhbHVlZnNpbXBsZXB0cnVlQm9vbGVhblZhbHVl9WlibG9iVmFsdWVDZm9v/w==";
    assert_eq!(upstream("SimpleScalarStructure", body), expected);
}

#[test]
fn nulls_chunked_strings_and_upcasting() {
    // RpcV2CborServerDoesntDeSerializeNullStructureValues: null is an absent member.
    let value = upstream("SimpleScalarStructure", "v2tzdHJpbmdWYWx1Zfb/");
    assert_eq!(value, json!({"stringValue": null}));
    crate::validate::validate("ListFlywheelsRequest", &json!({"NextToken": null})).unwrap();
    // RpcV2CborIndefiniteLengthStringsCanBeDeserialized
    let body =
        "oWtzdHJpbmdWYWx1ZX94HUFuIGV4YW1wbGUgaW5kZWZpbml0ZSBzdHJpbmcscSBjaHVua2VkIG9uIGNvbW1h/w==";
    assert_eq!(
        upstream("SimpleScalarStructure", body),
        json!({"stringValue": "An example indefinite string, chunked on comma"})
    );
    // RpcV2CborIndefiniteLengthByteStringsCanBeDeserialized
    let body = "oWlibG9iVmFsdWVfWCJBbiBleGFtcGxlIGluZGVmaW5pdGUtYnl0ZSBzdHJpbmcsUSBjaHVua2VkIG9uIGNvbW1h/w==";
    assert_eq!(
        upstream("SimpleScalarStructure", body),
        json!({"blobValue": b64("An example indefinite-byte string, chunked on comma")})
    );
    // RpcV2CborSupportsUpcastingData (an f16 1.5, one-byte integers)
    let body = "v2tkb3VibGVWYWx1Zfk+AGpmbG9hdFZhbHVl+UegbGludGVnZXJWYWx1ZRg4aWxvbmdWYWx1ZRkBAGpzaG9ydFZhbHVlCv8=";
    assert_eq!(
        upstream("SimpleScalarStructure", body),
        json!({"doubleValue": 1.5, "floatValue": 7.625, "integerValue": 56, "longValue": 256, "shortValue": 10})
    );
}

#[test]
fn lists() {
    // RpcV2CborLists (definite lengths, then the client vector with indefinite ones)
    let expected = json!({
        "stringList": ["foo", "bar"], "stringSet": ["foo", "bar"], "integerList": [1, 2],
        "booleanList": [true, false], "timestampList": [1398796238, 1398796238],
        "enumList": ["Foo", "0"], "intEnumList": [1, 2],
        "nestedStringList": [["foo", "bar"], ["baz", "qux"]],
        "structureList": [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}],
        "blobList": [b64("foo"), b64("bar")],
    });
    let body = "v2pzdHJpbmdMaXN0gmNmb29jYmFyaXN0cmluZ1NldIJjZm9vY2JhcmtpbnRlZ2VyTGlzdIIBAmtib29sZWFuTGlzdIL19G10aW1lc3RhbXBMaXN0gsH7QdTX+/OAAADB+0HU1/vzgAAAaGVudW1MaXN0gmNGb29hMGtpbnRFbnVtTGlzdIIBAnBuZXN0ZWRTdHJpbmdMaXN0goJjZm9vY2JhcoJjYmF6Y3F1eG1zdHJ1Y3R1cmVMaXN0gqJhYWExYWJhMqJhYWEzYWJhNGhibG9iTGlzdIJDZm9vQ2Jhcv8=";
    let value = upstream("RpcV2CborListInputOutput", body);
    assert_eq!(normalized(value), expected);
    let body = "v2pzdHJpbmdMaXN0n2Nmb29jYmFy/2lzdHJpbmdTZXSfY2Zvb2NiYXL/a2ludGVnZXJMaXN0nwEC/2tib29sZWFuTGlzdJ/19P9tdGltZXN0YW1wTGlzdJ/B+0HU1/vzgAAAwftB1Nf784AAAP9oZW51bUxpc3SfY0Zvb2Ew/2tpbnRFbnVtTGlzdJ8BAv9wbmVzdGVkU3RyaW5nTGlzdJ+fY2Zvb2NiYXL/n2NiYXpjcXV4//9tc3RydWN0dXJlTGlzdJ+/YWFhMWFiYTL/v2FhYTNhYmE0//9oYmxvYkxpc3SfQ2Zvb0NiYXL//w==";
    assert_eq!(
        normalized(upstream("RpcV2CborListInputOutput", body)),
        expected
    );
    // RpcV2CborListsEmpty, RpcV2CborListsEmptyUsingDefiniteLength
    for body in ["v2pzdHJpbmdMaXN0n///", "oWpzdHJpbmdMaXN0gA=="] {
        assert_eq!(
            upstream("RpcV2CborListInputOutput", body),
            json!({"stringList": []})
        );
    }
    // RpcV2CborIndefiniteStringInside{Indefinite,Definite}List
    let strings = json!({"stringList": [
        "An example indefinite string, which will be chunked, on each comma",
        "Another example indefinite string with only one chunk",
        "This is a plain string",
    ]});
    for body in [
        "v2pzdHJpbmdMaXN0n394HUFuIGV4YW1wbGUgaW5kZWZpbml0ZSBzdHJpbmcsdyB3aGljaCB3aWxsIGJlIGNodW5rZWQsbiBvbiBlYWNoIGNvbW1h/394NUFub3RoZXIgZXhhbXBsZSBpbmRlZmluaXRlIHN0cmluZyB3aXRoIG9ubHkgb25lIGNodW5r/3ZUaGlzIGlzIGEgcGxhaW4gc3RyaW5n//8=",
        "oWpzdHJpbmdMaXN0g394HUFuIGV4YW1wbGUgaW5kZWZpbml0ZSBzdHJpbmcsdyB3aGljaCB3aWxsIGJlIGNodW5rZWQsbiBvbiBlYWNoIGNvbW1h/394NUFub3RoZXIgZXhhbXBsZSBpbmRlZmluaXRlIHN0cmluZyB3aXRoIG9ubHkgb25lIGNodW5r/3ZUaGlzIGlzIGEgcGxhaW4gc3RyaW5n",
    ] {
        assert_eq!(upstream("RpcV2CborListInputOutput", body), strings);
    }
}

/// Whole-second f64 timestamps compared as integers.
fn normalized(mut value: Value) -> Value {
    if let Some(list) = value.get_mut("timestampList").and_then(Value::as_array_mut) {
        for t in list {
            *t = json!(t.as_f64().unwrap() as i64);
        }
    }
    value
}

#[test]
fn empty_inputs_and_recursive_shapes() {
    // NoInputServerAllowsEmptyCbor, NoInputServerAllowsEmptyBody, empty_input(_no_body)
    for body in [&b""[..], &[0xa0], &[0xbf, 0xff]] {
        assert_eq!(served("ListFlywheelsRequest", body).unwrap(), json!({}));
    }
    // RpcV2CborRecursiveShapes
    let body = "v2ZuZXN0ZWS/Y2Zvb2RGb28xZm5lc3RlZL9jYmFyZEJhcjFvcmVjdXJzaXZlTWVtYmVyv2Nmb29kRm9vMmZuZXN0ZWS/Y2JhcmRCYXIy//////8=";
    assert_eq!(
        upstream("RecursiveShapesInputOutput", body),
        json!({"nested": {"foo": "Foo1", "nested": {"bar": "Bar1", "recursiveMember": {"foo": "Foo2", "nested": {"bar": "Bar2"}}}}})
    );
}

/// Writes a tree as a CBOR client would, typed by the model: blobs as byte strings,
/// timestamps under tag 1. Test-only, so the reader is checked against other code.
fn client_cbor(model: &Model, shape: &str, value: &Value, out: &mut Vec<u8>) {
    use crate::validate::Shape;
    let mut e = minicbor::Encoder::new(Vec::new());
    match (model.shape(shape).unwrap(), value) {
        (Shape::Structure { members }, Value::Object(map)) => {
            e.map(map.len() as u64).unwrap();
            out.extend(e.into_writer());
            for m in members.iter().filter(|m| map.contains_key(&m.name)) {
                let mut key = minicbor::Encoder::new(Vec::new());
                key.str(&m.name).unwrap();
                out.extend(key.into_writer());
                client_cbor(model, &m.shape, &map[&m.name], out);
            }
            return;
        }
        (Shape::List { member, .. }, Value::Array(items)) => {
            e.array(items.len() as u64).unwrap();
            out.extend(e.into_writer());
            for item in items {
                client_cbor(model, member, item, out);
            }
            return;
        }
        (Shape::Blob { .. }, Value::String(s)) => {
            e.bytes(&base64::engine::general_purpose::STANDARD.decode(s).unwrap())
                .unwrap();
        }
        (Shape::Timestamp, Value::Number(n)) => {
            e.tag(minicbor::data::Tag::new(1))
                .unwrap()
                .i64(n.as_i64().unwrap())
                .unwrap();
        }
        (_, Value::String(s)) => drop(e.str(s).unwrap()),
        (_, Value::Bool(b)) => drop(e.bool(*b).unwrap()),
        (_, Value::Number(n)) => drop(e.i64(n.as_i64().unwrap()).unwrap()),
        (shape, value) => panic!("{shape:?} {value}"),
    }
    out.extend(e.into_writer());
}

/// For every operation, the hostile body of the validation tests, sent as CBOR, reads
/// as the same tree and is refused with the same message as its JSON.
#[test]
fn validation_messages_are_the_same_over_json_and_cbor() {
    let model = Model::get();
    for op in crate::Operation::ALL {
        let json = crate::validate::tests::hostile(model, op.input_shape(), 0);
        let mut cbor = Vec::new();
        client_cbor(model, op.input_shape(), &json, &mut cbor);
        let read = decode(model, op.input_shape(), &cbor).unwrap();
        assert_eq!(read, json, "{op:?}");
        // Most hostile bodies break a rule; one of a text-only operation (no maximum on
        // `Text`) is valid, and must then be valid over both.
        let over_json = crate::validate::validate(op.input_shape(), &json).map(|()| json);
        let over_cbor = served(op.input_shape(), &cbor);
        assert_eq!(over_cbor, over_json, "{op:?}");
    }
}
