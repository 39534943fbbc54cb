//! Writing Smithy RPC v2 CBOR answers: an operation's output, walked beside its output
//! shape, and error bodies.
//!
//! What the shape decides, per the protocol specification
//! (<https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2-cbor.html>): a `float`
//! member is a 32-bit float (the Rust SDK reads `float` members only from f16/f32
//! items), a `double` a 64-bit one; a timestamp is tag 1 around epoch seconds; a blob
//! is a byte string; unset (null) members are omitted, never written as null. Maps
//! and arrays have definite lengths, since the tree knows them.

use std::convert::Infallible;

use base64::Engine as _;
use minicbor::Encoder;
use minicbor::data::Tag;
use serde_json::{Map, Number, Value};

use crate::error::{MAX_MESSAGE_BYTES, ServiceError, clip};
use crate::validate::{Member, Model, Shape};

/// A write into a `Vec` itself cannot fail, but minicbor's error type has other
/// variants, so writes are still `Result`s.
pub(crate) type EncodeError = minicbor::encode::Error<Infallible>;
type Written = Result<(), EncodeError>;

/// An operation's output, with `shape` its output shape.
pub(crate) fn encode_output(
    model: &Model,
    shape: &str,
    output: &Value,
) -> Result<Vec<u8>, EncodeError> {
    // Most answers are a few hundred bytes: starting there saves the first doublings.
    let mut e = Encoder::new(Vec::with_capacity(256));
    Writer { model }.value(&mut e, model.shape(shape), output)?;
    Ok(e.into_writer())
}

/// An error body: its members, with `__type` the error's absolute shape id, as the
/// specification's error serialization requires.
pub(crate) fn encode_error(error: &ServiceError) -> Result<Vec<u8>, EncodeError> {
    let mut e = Encoder::new(Vec::with_capacity(64));
    write_error(&mut e, error)?;
    Ok(e.into_writer())
}

fn write_error(e: &mut Encoder<Vec<u8>>, error: &ServiceError) -> Written {
    let members = 2 + u64::from(error.reason.is_some()) + u64::from(error.detail_reason.is_some());
    e.map(members)?;
    e.str("__type")?.str(error.code.shape_id())?;
    e.str("Message")?
        .str(&clip(&error.message, MAX_MESSAGE_BYTES))?;
    if let Some(reason) = error.reason {
        e.str("Reason")?.str(reason.as_str())?;
    }
    if let Some(detail) = error.detail_reason {
        e.str("Detail")?
            .map(1)?
            .str("Reason")?
            .str(detail.as_str())?;
    }
    Ok(())
}

struct Writer<'m> {
    model: &'m Model,
}

impl<'m> Writer<'m> {
    /// Writes `value`, typed by `shape` when the model has one for it.
    fn value(&self, e: &mut Encoder<Vec<u8>>, shape: Option<&'m Shape>, value: &Value) -> Written {
        match (shape, value) {
            (Some(Shape::Structure { members }), Value::Object(map)) => {
                self.structure(e, members, map)
            }
            (Some(Shape::List { member_id, .. }), Value::Array(items)) => {
                e.array(items.len() as u64)?;
                let member = member_id.map(|id| self.model.shape_at(id));
                items
                    .iter()
                    .try_for_each(|item| self.value(e, member, item))
            }
            (Some(Shape::Float), Value::Number(n)) => {
                // The model says 32 bits; the tree held the value as f64 only because
                // JSON numbers are.
                #[allow(clippy::cast_possible_truncation)]
                let f = n.as_f64().unwrap_or_default() as f32;
                e.f32(f).map(drop)
            }
            (Some(Shape::Timestamp), Value::Number(n)) => {
                e.tag(Tag::new(1))?;
                match n.as_i64() {
                    Some(seconds) => e.i64(seconds).map(drop),
                    None => e
                        .f64(readable_seconds(n.as_f64().unwrap_or_default()))
                        .map(drop),
                }
            }
            (Some(Shape::Blob { .. }), Value::String(s)) => {
                match base64::engine::general_purpose::STANDARD.decode(s) {
                    Ok(bytes) => e.bytes(&bytes).map(drop),
                    Err(_) => e.str(s).map(drop),
                }
            }
            (_, value) => untyped(e, value),
        }
    }

    /// The members that are set; null ones are left out. The tree holds only what the
    /// handler set, so it is walked and each key's member found in the shape, rather
    /// than every member of the shape looked up in the tree.
    fn structure(
        &self,
        e: &mut Encoder<Vec<u8>>,
        members: &'m [Member],
        map: &Map<String, Value>,
    ) -> Written {
        e.map(map.values().filter(|v| !v.is_null()).count() as u64)?;
        for (key, value) in map.iter().filter(|(_, v)| !v.is_null()) {
            e.str(key)?;
            let member = members.iter().find(|m| m.name == *key);
            let shape = member
                .and_then(|m| m.target)
                .map(|id| self.model.shape_at(id));
            self.value(e, shape, value)?;
        }
        Ok(())
    }
}

/// A value the model does not type further (strings, booleans, integers, doubles).
fn untyped(e: &mut Encoder<Vec<u8>>, value: &Value) -> Written {
    match value {
        Value::Null => e.null().map(drop),
        Value::Bool(b) => e.bool(*b).map(drop),
        Value::Number(n) => number(e, n),
        Value::String(s) => e.str(s).map(drop),
        Value::Array(items) => {
            e.array(items.len() as u64)?;
            items.iter().try_for_each(|item| untyped(e, item))
        }
        Value::Object(map) => {
            e.map(map.values().filter(|v| !v.is_null()).count() as u64)?;
            for (key, item) in map.iter().filter(|(_, v)| !v.is_null()) {
                e.str(key)?;
                untyped(e, item)?;
            }
            Ok(())
        }
    }
}

/// An integer as the smallest CBOR integer, anything else as a 64-bit float.
fn number(e: &mut Encoder<Vec<u8>>, n: &Number) -> Written {
    if let Some(i) = n.as_i64() {
        e.i64(i).map(drop)
    } else if let Some(u) = n.as_u64() {
        e.u64(u).map(drop)
    } else {
        e.f64(n.as_f64().unwrap_or_default()).map(drop)
    }
}

/// The smallest f64 at or above `seconds` that a reader truncating to milliseconds
/// reads back as the milliseconds `seconds` stands for.
///
/// Timestamps have millisecond precision here, and `1700000000.123` as an f64 is a hair
/// below .123: a client that truncates sub-second nanoseconds (the Rust SDK's
/// `DateTime::from_secs_f64`, then its CBOR reader's cut to milliseconds) would read
/// .122. The next f64 up (at most one ulp above) reads back exactly, and a rounding
/// reader is unaffected by a one-ulp change.
fn readable_seconds(seconds: f64) -> f64 {
    // Epoch milliseconds in f64 are exact integers for any date within ±285,000 years.
    #[allow(clippy::cast_possible_truncation)]
    let ms = (seconds * 1000.0).round() as i64;
    let mut x = seconds;
    for _ in 0..4 {
        if truncated_ms(x) >= ms {
            return x;
        }
        x = x.next_up();
    }
    seconds
}

/// The milliseconds a reader that truncates gets from `seconds`.
fn truncated_ms(seconds: f64) -> i64 {
    let whole = seconds.floor();
    #[allow(clippy::cast_possible_truncation)]
    let nanos = ((seconds - whole) * 1e9) as i64;
    #[allow(clippy::cast_possible_truncation)]
    let whole = whole as i64;
    whole * 1000 + nanos / 1_000_000
}
