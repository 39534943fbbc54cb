//! Reading a Smithy RPC v2 CBOR request body into the protocol-neutral tree that
//! validation and dispatch take, guided by the operation's input shape.
//!
//! The walk follows the model, not the input: it descends only where the input shape
//! has a structure or list (at most a few levels for Comprehend), and an item where the
//! model has nothing, or the wrong kind of container, is skipped by [`skip`] without
//! being built. A container where the model wants a scalar becomes an empty structure
//! or list, so validation reports it in the same words as for a JSON body.
//!
//! Conversions at the tree's boundary, as the protocol specification
//! (<https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2-cbor.html>) defines
//! the shapes: a blob is a byte string (held as base64 text, as in JSON); a timestamp is
//! tag 1 around epoch seconds; `null` and `undefined` mean an absent member; unknown
//! members are skipped; a repeated key keeps its last value, as serde_json does.

use base64::Engine as _;
use minicbor::Decoder;
use minicbor::data::{Tag, Type};
use serde_json::{Map, Number, Value};

use super::DecodeError;
use super::skip::{MAX_DEPTH, skip};
use crate::validate::{Member, Model, Path, Shape, Step};

/// Reads `body` as a value of the input shape `shape`. An empty body is an empty
/// structure, as the specification requires of servers.
pub(crate) fn decode(model: &Model, shape: &str, body: &[u8]) -> Result<Value, DecodeError> {
    if body.is_empty() {
        return Ok(Value::Object(Map::new()));
    }
    let mut reader = Reader {
        model,
        d: Decoder::new(body),
    };
    let value = reader.value(shape, None, 0)?;
    if reader.d.position() != body.len() {
        return Err(DecodeError::malformed("data after the body's item"));
    }
    Ok(value)
}

struct Reader<'m, 'b> {
    model: &'m Model,
    d: Decoder<'b>,
}

impl Reader<'_, '_> {
    /// Reads one item where the model has the shape `shape_name`.
    fn value(
        &mut self,
        shape_name: &str,
        path: Option<&Path<'_>>,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        if depth > MAX_DEPTH {
            return Err(DecodeError::TooDeep);
        }
        let shape = self
            .model
            .shape(shape_name)
            .ok_or_else(|| DecodeError::NoShape(shape_name.to_owned()))?;
        match (self.d.datatype()?, shape) {
            (Type::Null | Type::Undefined, _) => {
                self.d.skip()?;
                Ok(Value::Null)
            }
            (Type::Map | Type::MapIndef, Shape::Structure { members }) => {
                self.structure(members, path, depth)
            }
            (Type::Array | Type::ArrayIndef, Shape::List { member, .. }) => {
                self.list(member, path, depth)
            }
            (Type::Map | Type::MapIndef, _) => {
                skip(&mut self.d)?;
                Ok(Value::Object(Map::new()))
            }
            (Type::Array | Type::ArrayIndef, _) => {
                skip(&mut self.d)?;
                Ok(Value::Array(Vec::new()))
            }
            (Type::Tag, Shape::Timestamp) => self.timestamp(path),
            (Type::Bytes | Type::BytesIndef, Shape::Blob { .. }) => self.blob(),
            (found, Shape::Timestamp) => Err(mismatch("a timestamp (tag 1)", path, found)),
            (found, Shape::Blob { .. }) => Err(mismatch("a blob (a byte string)", path, found)),
            (found, _) => self.scalar(shape, found, path),
        }
    }

    /// A map read against a structure's members; unknown keys are skipped.
    fn structure(
        &mut self,
        members: &[Member],
        path: Option<&Path<'_>>,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        let mut out = Map::new();
        let mut left = self.d.map()?;
        while self.more(&mut left)? {
            let key = self.text()?;
            match members.iter().find(|m| m.name == key) {
                Some(member) => {
                    let child = Path::child(path, Step::Member(&member.message_name));
                    let value = self.value(&member.shape, Some(&child), depth + 1)?;
                    out.insert(member.name.clone(), value);
                }
                None => skip(&mut self.d)?,
            }
        }
        Ok(Value::Object(out))
    }

    /// An array read against a list's member shape. Null items stay, for validation
    /// to report (Comprehend's lists are dense).
    fn list(
        &mut self,
        member: &str,
        path: Option<&Path<'_>>,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        let mut left = self.d.array()?;
        // Every item takes at least a byte, so what is left of the body bounds a
        // declared length that could otherwise reserve any amount of memory.
        let room = self.d.input().len() - self.d.position();
        let capacity = left.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX).min(room));
        let mut items = Vec::with_capacity(capacity);
        while self.more(&mut left)? {
            let child = Path::child(path, Step::Item(items.len()));
            items.push(self.value(member, Some(&child), depth + 1)?);
        }
        Ok(Value::Array(items))
    }

    /// Whether a container has another item: a definite count not yet exhausted, or
    /// no break yet in an indefinite one (the break is consumed).
    fn more(&mut self, left: &mut Option<u64>) -> Result<bool, DecodeError> {
        match left {
            Some(0) => Ok(false),
            Some(n) => {
                *n -= 1;
                Ok(true)
            }
            None if self.d.datatype()? == Type::Break => {
                self.d.set_position(self.d.position() + 1);
                Ok(false)
            }
            None => Ok(true),
        }
    }

    /// A text string, definite or in chunks. A chunked string is as long as the
    /// chunks that make it, which the body holds.
    fn text(&mut self) -> Result<String, DecodeError> {
        if self.d.datatype()? == Type::String {
            return Ok(self.d.str()?.to_owned());
        }
        let mut text = String::new();
        for chunk in self.d.str_iter()? {
            text.push_str(chunk?);
        }
        Ok(text)
    }

    /// A byte string, definite or in chunks, as base64 text.
    fn blob(&mut self) -> Result<Value, DecodeError> {
        let mut bytes = Vec::new();
        for chunk in self.d.bytes_iter()? {
            bytes.extend_from_slice(chunk?);
        }
        Ok(Value::String(
            base64::engine::general_purpose::STANDARD.encode(bytes),
        ))
    }

    /// Tag 1 around epoch seconds, integral or floating-point.
    fn timestamp(&mut self, path: Option<&Path<'_>>) -> Result<Value, DecodeError> {
        let tag = self.d.tag()?;
        if tag != Tag::new(1) {
            return Err(mismatch("a timestamp (tag 1)", path, Type::Tag));
        }
        match self.d.datatype()? {
            found @ (Type::Null | Type::Undefined | Type::Bool | Type::Tag | Type::Simple) => {
                Err(mismatch("epoch seconds in a timestamp", path, found))
            }
            found => match self.scalar(&Shape::Timestamp, found, path)? {
                Value::Number(n) => Ok(Value::Number(n)),
                _ => Err(mismatch("epoch seconds in a timestamp", path, found)),
            },
        }
    }

    /// A scalar where the model has a string, number or boolean. Its kind is kept even
    /// when it is the wrong one, so validation words the mismatch as for JSON.
    fn scalar(
        &mut self,
        shape: &Shape,
        found: Type,
        path: Option<&Path<'_>>,
    ) -> Result<Value, DecodeError> {
        Ok(match found {
            Type::Bool => Value::Bool(self.d.bool()?),
            Type::String | Type::StringIndef => Value::String(self.text()?),
            Type::U8 | Type::U16 | Type::U32 | Type::U64 => match i64::try_from(self.d.u64()?) {
                Ok(n) => Value::from(n),
                Err(_) => return Err(mismatch("a 64-bit integer", path, found)),
            },
            Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => {
                match i64::try_from(i128::from(self.d.int()?)) {
                    Ok(n) => Value::from(n),
                    Err(_) => return Err(mismatch("a 64-bit integer", path, found)),
                }
            }
            Type::F16 | Type::F32 | Type::F64 => {
                let f = self.d.f64()?;
                match Number::from_f64(f) {
                    Some(n) => Value::Number(n),
                    None => return Err(mismatch("a finite number", path, found)),
                }
            }
            found => return Err(mismatch(expected(shape), path, found)),
        })
    }
}

/// What a scalar shape wants, in the words validation uses for JSON bodies.
fn expected(shape: &Shape) -> &'static str {
    match shape {
        Shape::String(_) => "a string",
        Shape::Integer { .. } => "an integer",
        Shape::Float | Shape::Double => "a number",
        Shape::Boolean => "a boolean",
        Shape::Structure { .. } => "a structure",
        Shape::List { .. } => "a list",
        Shape::Timestamp => "a timestamp (tag 1)",
        Shape::Blob { .. } => "a blob (a byte string)",
    }
}

/// A CBOR item of the wrong kind, where the JSON type alone cannot say so.
fn mismatch(expected: &'static str, path: Option<&Path<'_>>, found: Type) -> DecodeError {
    let at = match path {
        None => "the request body".to_owned(),
        Some(path) => format!("'{path}'"),
    };
    DecodeError::Mismatch {
        expected,
        at,
        found: kind(found),
    }
}

/// A CBOR type in messages.
fn kind(t: Type) -> &'static str {
    match t {
        Type::Bool => "a boolean",
        Type::Null | Type::Undefined => "null",
        Type::U8 | Type::U16 | Type::U32 | Type::U64 => "an unsigned integer",
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Int => "an integer",
        Type::F16 | Type::F32 | Type::F64 => "a floating-point number",
        Type::Simple | Type::Unknown(_) => "a simple value",
        Type::Bytes | Type::BytesIndef => "a byte string",
        Type::String | Type::StringIndef => "a string",
        Type::Array | Type::ArrayIndef => "a list",
        Type::Map | Type::MapIndef => "a structure",
        Type::Tag => "a tag",
        Type::Break => "a break",
    }
}
