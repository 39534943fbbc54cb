//! Model-driven request validation, written once for every operation.
//!
//! botocore's client-side validation (`botocore.validate.ParamValidator`) checks only
//! required members, JSON types and `min`, and the other SDKs check less, so the server
//! must enforce `max`, `pattern` and `enum` itself, as the constraints of the API model
//! (`model/comprehend-2017-11-27.json`) say. This module walks a request body against
//! the vendored model, through nested structures and lists, and reports:
//! - a `SerializationException` when a member has the wrong JSON type;
//! - a `ValidationException` in the message style of AWS's Coral services
//!   (`1 validation error detected: Value '...' at 'inputDataConfig.s3Uri' failed to
//!   satisfy constraint: Member must ...`).
//!
//! Coral lists every violation; anyone can send a 10 MB list of empty strings, so this
//! module bounds the answer instead: it counts every violation but lists at most
//! [`MAX_LISTED`] of them (and stops earlier once they fill [`MAX_LISTED_BYTES`]),
//! notes how many more there are (`...; ... and 999990 more`), echoes at most
//! [`MAX_ECHOED_CHARS`] characters of an offending value, and matches a pattern only
//! against a value of bounded length, with a backtrack limit. Past the cap a violation
//! costs a counter increment, so validating is linear in the size of the request.
//!
//! Handlers therefore only check business rules.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::OnceLock;

use serde_json::Value;

use crate::error::{ErrorCode, ServiceError};

const MODEL_JSON: &str = include_str!("../model/comprehend-2017-11-27.json");

/// The most violations a `ValidationException` message lists; the rest are counted.
pub const MAX_LISTED: usize = 10;
/// No further violation is listed once the listed ones fill this many bytes (an enum
/// violation quotes the whole value set, which can be 1 KB on its own).
pub const MAX_LISTED_BYTES: usize = 2048;
/// The most characters of an offending value a message echoes; longer values are cut
/// on a character boundary and marked with `...`.
pub const MAX_ECHOED_CHARS: usize = 64;
/// The deepest nesting the walk follows. serde_json's parser already refuses JSON nested
/// deeper than 128, so this only guards bodies built another way; it keeps the
/// recursion of [`Model::validate`] bounded whatever the caller passes.
const MAX_DEPTH: usize = 128;
/// The longest value matched against a pattern when it is over the member's `max`
/// (every pattern in the model comes with a `max`, at most 20000); a longer value is
/// reported for its length only. A value within `max` is always matched.
const MAX_PATTERN_INPUT_CHARS: i64 = 4096;
/// Backtracks fancy_regex's VM may take per match (its default is 1,000,000). Only
/// patterns with look-around run on the VM; the rest are delegated to the `regex` crate,
/// which matches in linear time. With the length bound above, this is the second guard.
const BACKTRACK_LIMIT: usize = 100_000;

/// A shape of the model, reduced to what validation and the binary protocol's reader
/// and writer need.
#[derive(Debug)]
pub(crate) enum Shape {
    Structure {
        members: Vec<Member>,
    },
    List {
        member: String,
        /// `member`'s index in the model, resolved once when the model is read.
        member_id: Option<ShapeId>,
        min: Option<i64>,
        max: Option<i64>,
        sensitive: bool,
    },
    String(StringRules),
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    /// A 32-bit `float` (a binary protocol writes it in 32 bits; JSON cannot tell).
    Float,
    /// A 64-bit `double`.
    Double,
    Timestamp,
    Blob {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
}

/// A member of a structure shape.
#[derive(Debug)]
pub(crate) struct Member {
    /// The name on the wire (`DocumentClassifierName`).
    pub(crate) name: String,
    /// The name in messages (`documentClassifierName`), computed once here rather
    /// than per request.
    pub(crate) message_name: String,
    /// The member's target shape.
    pub(crate) shape: String,
    /// `shape`'s index in the model, resolved once when the model is read.
    pub(crate) target: Option<ShapeId>,
    required: bool,
}

/// A string shape's constraints.
#[derive(Debug)]
pub(crate) struct StringRules {
    min: Option<i64>,
    max: Option<i64>,
    pattern: Option<(String, fancy_regex::Regex)>,
    values: Option<Vec<String>>,
    sensitive: bool,
}

/// The model's shapes by name.
#[derive(Debug)]
pub struct Model {
    /// Every shape; members and list items point into it by [`ShapeId`].
    shapes: Vec<Shape>,
    /// Shapes by name. Looked up by names from the model itself (never from a request),
    /// so a fast unkeyed hash serves better than SipHash's DoS resistance.
    ids: ShapeIds,
    operations: Vec<String>,
}

impl Model {
    /// The vendored model, parsed once.
    pub fn get() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::parse(MODEL_JSON).expect("the vendored model is valid"))
    }

    /// Parses a botocore-style JSON model (the vendored one, or a test model).
    pub(crate) fn parse(text: &str) -> Result<Model, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let shapes = root["shapes"].as_object().ok_or("model has no shapes")?;
        let ids: ShapeIds = shapes
            .keys()
            .enumerate()
            .map(|(i, name)| (name.clone(), ShapeId(i)))
            .collect();
        let shapes = shapes
            .iter()
            .map(|(name, shape)| parse_shape(name, shape, &ids))
            .collect::<Result<_, _>>()?;
        let operations = root["operations"]
            .as_object()
            .map(|ops| ops.keys().cloned().collect())
            .unwrap_or_default();
        Ok(Model {
            shapes,
            ids,
            operations,
        })
    }

    /// The shape of this name.
    pub(crate) fn shape(&self, name: &str) -> Option<&Shape> {
        self.ids.get(name).map(|&id| self.shape_at(id))
    }

    /// The shape a member or list item points to, without a lookup by name.
    pub(crate) fn shape_at(&self, id: ShapeId) -> &Shape {
        &self.shapes[id.0]
    }

    /// Whether the model declares an operation of this name (emulated or not).
    pub fn has_operation(&self, name: &str) -> bool {
        self.operations.iter().any(|op| op == name)
    }

    /// Checks `body` against the input shape `shape`.
    ///
    /// Takes time linear in the size of `body`, and the `ValidationException` message
    /// stays within a few KB however many violations the body holds (see the module
    /// documentation for the bounds).
    pub fn validate(&self, shape: &str, body: &Value) -> Result<(), ServiceError> {
        let mut violations = Violations::default();
        self.walk(shape, body, None, 0, &mut violations)?;
        violations.into_result()
    }

    /// Checks one value against one shape. Recursion follows the value's nesting
    /// (structures and lists), which serde_json's parser bounds at 128 levels and
    /// [`MAX_DEPTH`] bounds for a value built any other way.
    fn walk(
        &self,
        shape_name: &str,
        value: &Value,
        path: Option<&Path<'_>>,
        depth: usize,
        out: &mut Violations,
    ) -> Result<(), ServiceError> {
        let Some(shape) = self.shape(shape_name) else {
            return Err(ServiceError::internal(format!(
                "model has no shape {shape_name}"
            )));
        };
        if depth > MAX_DEPTH {
            return Err(ServiceError::serialization(format!(
                "The request body is nested more than {MAX_DEPTH} levels deep"
            )));
        }
        let checked = match (shape, value) {
            (Shape::Structure { members }, Value::Object(map)) => {
                return self.walk_structure(members, map, path, depth, out);
            }
            (Shape::List { .. }, Value::Array(items)) => {
                return self.walk_list(shape, items, path, depth, out);
            }
            _ => check_scalar(shape, value, path, out),
        };
        checked.map_err(|expected| {
            let at = match path {
                None => "the request body".to_owned(),
                Some(path) => format!("'{path}'"),
            };
            ServiceError::serialization(format!(
                "Expected {expected} at {at} but found {}",
                json_kind(value)
            ))
        })
    }

    /// Each member of a structure: required ones must be present and not null.
    fn walk_structure(
        &self,
        members: &[Member],
        map: &serde_json::Map<String, Value>,
        path: Option<&Path<'_>>,
        depth: usize,
        out: &mut Violations,
    ) -> Result<(), ServiceError> {
        for member in members {
            let child = Path::child(path, Step::Member(&member.message_name));
            match map.get(&member.name) {
                None | Some(Value::Null) => {
                    if member.required {
                        out.add(Echo::Null, &child, format_args!("Member must not be null"));
                    }
                }
                Some(v) => self.walk(&member.shape, v, Some(&child), depth + 1, out)?,
            }
        }
        Ok(())
    }

    /// A list's own length rules, then each item against the member shape.
    fn walk_list(
        &self,
        shape: &Shape,
        items: &[Value],
        path: Option<&Path<'_>>,
        depth: usize,
        out: &mut Violations,
    ) -> Result<(), ServiceError> {
        let Shape::List {
            member,
            min,
            max,
            sensitive,
            ..
        } = shape
        else {
            return Ok(());
        };
        if let Some(path) = path {
            let hidden = *sensitive || self.is_sensitive(member);
            let echo = if hidden {
                Echo::Hidden
            } else {
                Echo::List(items)
            };
            check_length(items.len() as i64, *min, *max, echo, path, out);
        }
        for (i, item) in items.iter().enumerate() {
            let child = Path::child(path, Step::Item(i));
            if item.is_null() {
                out.add(Echo::Null, &child, format_args!("Member must not be null"));
            } else {
                self.walk(member, item, Some(&child), depth + 1, out)?;
            }
        }
        Ok(())
    }

    /// Whether a shape's values must not be echoed (the model's `sensitive` trait).
    fn is_sensitive(&self, shape_name: &str) -> bool {
        match self.shape(shape_name) {
            Some(Shape::String(rules)) => rules.sensitive,
            Some(Shape::List { sensitive, .. }) => *sensitive,
            _ => false,
        }
    }
}

/// Checks a value against a shape that is not a structure or list holding it; `Err`
/// names the JSON type the shape wants when the value has another. A scalar at the top
/// level (no `path`) can only be a wrong type: input shapes are structures.
fn check_scalar(
    shape: &Shape,
    value: &Value,
    path: Option<&Path<'_>>,
    out: &mut Violations,
) -> Result<(), &'static str> {
    let ok = match (shape, value) {
        (Shape::String(rules), Value::String(s)) => {
            if let Some(path) = path {
                check_string(rules, s, path, out);
            }
            true
        }
        (Shape::Integer { min, max }, Value::Number(n)) => match (n.as_i64(), path) {
            (Some(n), Some(path)) => {
                check_integer(n, *min, *max, path, out);
                true
            }
            (n, _) => n.is_some(),
        },
        (Shape::Blob { min, max }, Value::String(s)) => {
            // The decoded length is what the constraint is about; base64 is 4/3 of it.
            let decoded = (s.trim_end_matches('=').len() * 3 / 4) as i64;
            if let Some(path) = path {
                check_length(decoded, *min, *max, Echo::Blob, path, out);
            }
            true
        }
        (Shape::Float | Shape::Double | Shape::Timestamp, Value::Number(_)) => true,
        (Shape::Boolean, Value::Bool(_)) => true,
        _ => false,
    };
    if ok {
        return Ok(());
    }
    Err(match shape {
        Shape::Structure { .. } => "a structure",
        Shape::List { .. } => "a list",
        Shape::String(_) => "a string",
        Shape::Integer { .. } => "an integer",
        Shape::Float | Shape::Double => "a number",
        Shape::Timestamp => "a timestamp (epoch seconds)",
        Shape::Blob { .. } => "a base64-encoded blob",
        Shape::Boolean => "a boolean",
    })
}

/// Enum, length and pattern rules of a string member.
fn check_string(rules: &StringRules, s: &str, path: &Path<'_>, out: &mut Violations) {
    let echo = if rules.sensitive {
        Echo::Hidden
    } else {
        Echo::Text(s)
    };
    if let Some(values) = &rules.values
        && !values.iter().any(|v| v == s)
    {
        out.add(
            echo,
            path,
            format_args!("Member must satisfy enum value set: [{}]", Joined(values)),
        );
    }
    let len = s.chars().count() as i64;
    if let Some(min) = rules.min.filter(|m| len < *m) {
        out.add(
            echo,
            path,
            format_args!("Member must have length greater than or equal to {min}"),
        );
    }
    if let Some(max) = rules.max.filter(|m| len > *m) {
        out.add(
            echo,
            path,
            format_args!("Member must have length less than or equal to {max}"),
        );
    }
    // Coral checks every constraint, so a value over `max` is still matched, but only
    // up to a bounded length: the work a pattern does grows with the value, and a
    // longer value is reported (for its length) anyway.
    let matchable = match rules.max {
        Some(max) => len <= max.max(MAX_PATTERN_INPUT_CHARS),
        None => true,
    };
    if let Some((source, regex)) = &rules.pattern
        && matchable
        // A match that exceeds the backtrack limit counts as a mismatch.
        && !regex.is_match(s).unwrap_or(false)
    {
        out.add(
            echo,
            path,
            format_args!("Member must satisfy regular expression pattern: {source}"),
        );
    }
}

fn check_integer(
    n: i64,
    min: Option<i64>,
    max: Option<i64>,
    path: &Path<'_>,
    out: &mut Violations,
) {
    if let Some(m) = min.filter(|m| n < *m) {
        out.add(
            Echo::Integer(n),
            path,
            format_args!("Member must have value greater than or equal to {m}"),
        );
    }
    if let Some(m) = max.filter(|m| n > *m) {
        out.add(
            Echo::Integer(n),
            path,
            format_args!("Member must have value less than or equal to {m}"),
        );
    }
}

fn check_length(
    len: i64,
    min: Option<i64>,
    max: Option<i64>,
    echo: Echo<'_>,
    path: &Path<'_>,
    out: &mut Violations,
) {
    if let Some(m) = min.filter(|m| len < *m) {
        out.add(
            echo,
            path,
            format_args!("Member must have length greater than or equal to {m}"),
        );
    }
    if let Some(m) = max.filter(|m| len > *m) {
        out.add(
            echo,
            path,
            format_args!("Member must have length less than or equal to {m}"),
        );
    }
}

/// Where a value is, as a chain of steps from the request body on the caller's stack:
/// walking a list of a million items builds no string until a violation is listed.
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

/// One step of a [`Path`].
#[derive(Clone, Copy)]
pub(crate) enum Step<'a> {
    /// A structure member, named as Coral names it (`inputDataConfig`).
    Member(&'a str),
    /// A list item, 0-based here and 1-based in messages (`tags.1.member`).
    Item(usize),
}

impl<'a> Path<'a> {
    /// The path one step below `parent` (the body itself when `None`).
    pub(crate) fn child(parent: Option<&'a Path<'a>>, step: Step<'a>) -> Path<'a> {
        Path { parent, step }
    }
}

impl std::fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Recursion as deep as the walk that built the path.
        if let Some(parent) = self.parent {
            write!(f, "{parent}.")?;
        }
        match self.step {
            Step::Member(name) => f.write_str(name),
            Step::Item(i) => write!(f, "{}.member", i + 1),
        }
    }
}

/// What a violation shows of the offending value.
#[derive(Clone, Copy)]
enum Echo<'v> {
    /// `Value null at ...`: a required member is missing.
    Null,
    /// `Value at ...`: the member is `sensitive` in the model.
    Hidden,
    /// A string, cut to [`MAX_ECHOED_CHARS`].
    Text(&'v str),
    /// A list, rendered Java-style (`[a, b]`) and cut to [`MAX_ECHOED_CHARS`].
    List(&'v [Value]),
    Integer(i64),
    /// Blobs are never echoed.
    Blob,
}

/// The violations of one request: all counted, the first few phrased.
#[derive(Default)]
struct Violations {
    count: usize,
    listed: Vec<String>,
    listed_bytes: usize,
}

impl Violations {
    /// Counts a violation and phrases it while the message has room; past the cap it
    /// costs an increment (`constraint` is formatted lazily, so nothing is allocated).
    fn add(&mut self, echo: Echo<'_>, path: &Path<'_>, constraint: std::fmt::Arguments<'_>) {
        self.count += 1;
        if self.listed.len() >= MAX_LISTED || self.listed_bytes >= MAX_LISTED_BYTES {
            return;
        }
        let mut line = String::from("Value");
        match echo {
            Echo::Null => line.push_str(" null"),
            Echo::Hidden => {}
            Echo::Text(s) => {
                line.push_str(" '");
                let mut w = Bounded::new(&mut line);
                if w.write_str(s).is_err() {
                    line.push_str("...");
                }
                line.push('\'');
            }
            Echo::List(items) => {
                line.push_str(" '");
                let mut w = Bounded::new(&mut line);
                if write_list(&mut w, items).is_err() {
                    line.push_str("...");
                }
                line.push('\'');
            }
            Echo::Integer(n) => {
                let _ = write!(line, " '{n}'");
            }
            Echo::Blob => line.push_str(" '***'"),
        }
        let _ = write!(
            line,
            " at '{path}' failed to satisfy constraint: {constraint}"
        );
        self.listed_bytes += line.len();
        self.listed.push(line);
    }

    /// `N validation error(s) detected: v1; v2; ...; v10; ... and M more`.
    fn into_result(self) -> Result<(), ServiceError> {
        let n = self.count;
        if n == 0 {
            return Ok(());
        }
        let mut message = format!(
            "{n} validation error{} detected: {}",
            if n == 1 { "" } else { "s" },
            self.listed.join("; ")
        );
        let rest = n - self.listed.len();
        if rest > 0 {
            let _ = write!(message, "; ... and {rest} more");
        }
        Err(ServiceError::new(ErrorCode::Validation, message))
    }
}

/// Java-style rendering of a list for messages: `[a, b]` (strings unquoted).
fn write_list(w: &mut Bounded<'_>, items: &[Value]) -> std::fmt::Result {
    w.write_char('[')?;
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            w.write_str(", ")?;
        }
        match item {
            Value::String(s) => w.write_str(s)?,
            // serde_json's `Display` stops serializing at the writer's first error, so
            // a large nested item costs no more than the characters shown.
            other => write!(w, "{other}")?,
        }
    }
    w.write_char(']')
}

/// A writer that takes at most [`MAX_ECHOED_CHARS`] characters, then fails: the caller
/// learns the value was cut, and a value's formatting stops there.
struct Bounded<'a> {
    out: &'a mut String,
    left: usize,
}

impl<'a> Bounded<'a> {
    fn new(out: &'a mut String) -> Self {
        Bounded {
            out,
            left: MAX_ECHOED_CHARS,
        }
    }
}

impl std::fmt::Write for Bounded<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        for c in s.chars() {
            if self.left == 0 {
                return Err(std::fmt::Error);
            }
            self.out.push(c);
            self.left -= 1;
        }
        Ok(())
    }
}

/// An enum's value set for messages (`en, es, fr`), formatted only when listed.
struct Joined<'a, S>(&'a [S]);

impl<S: AsRef<str>> std::fmt::Display for Joined<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(v.as_ref())?;
        }
        Ok(())
    }
}

/// Where a shape is in [`Model`]: what members and list items resolve their targets to
/// when the model is read, so walking a tree beside the model needs no lookups by name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ShapeId(usize);

type ShapeIds = HashMap<String, ShapeId, foldhash::fast::FixedState>;

fn parse_shape(name: &str, shape: &Value, ids: &ShapeIds) -> Result<Shape, String> {
    let int = |key: &str| shape.get(key).and_then(Value::as_f64).map(|v| v as i64);
    let sensitive = shape
        .get("sensitive")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(match shape["type"].as_str().unwrap_or_default() {
        "structure" => Shape::Structure {
            members: parse_members(shape, ids),
        },
        "list" => Shape::List {
            member: shape["member"]["shape"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            member_id: shape["member"]["shape"]
                .as_str()
                .and_then(|target| ids.get(target).copied()),
            min: int("min"),
            max: int("max"),
            sensitive,
        },
        "string" => Shape::String(StringRules {
            min: int("min"),
            max: int("max"),
            pattern: match shape.get("pattern").and_then(Value::as_str) {
                // Smithy patterns are not implicitly anchored: a value must
                // contain a match, and the model writes `^...$` where it wants more.
                Some(p) => Some((
                    p.to_owned(),
                    fancy_regex::RegexBuilder::new(p)
                        .backtrack_limit(BACKTRACK_LIMIT)
                        .build()
                        .map_err(|e| format!("pattern of {name}: {e}"))?,
                )),
                None => None,
            },
            values: shape.get("enum").and_then(Value::as_array).map(|values| {
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            }),
            sensitive,
        }),
        "integer" | "long" => Shape::Integer {
            min: int("min"),
            max: int("max"),
        },
        "float" => Shape::Float,
        "double" => Shape::Double,
        "timestamp" => Shape::Timestamp,
        "blob" => Shape::Blob {
            min: int("min"),
            max: int("max"),
        },
        "boolean" => Shape::Boolean,
        other => return Err(format!("shape {name} has unknown type {other}")),
    })
}

fn parse_members(shape: &Value, ids: &ShapeIds) -> Vec<Member> {
    let required: Vec<&str> = shape
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(members) = shape["members"].as_object() else {
        return Vec::new();
    };
    members
        .iter()
        .map(|(name, target)| Member {
            name: name.clone(),
            message_name: camel(name),
            shape: target["shape"].as_str().unwrap_or_default().to_owned(),
            target: target["shape"]
                .as_str()
                .and_then(|target| ids.get(target).copied()),
            required: required.contains(&name.as_str()),
        })
        .collect()
}

/// `DocumentClassifierName` → `documentClassifierName`, as Coral names members in messages.
fn camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a structure",
    }
}

/// Validates a request body for an operation's input shape against the vendored model.
pub fn validate(input_shape: &str, body: &Value) -> Result<(), ServiceError> {
    Model::get().validate(input_shape, body)
}

/// The ValidationException of one top-level member an operation needs although the model
/// marks it optional (a member other forms of the request go without), phrased as the
/// model-driven checks phrase a missing required member.
pub fn missing_member(member: &str) -> ServiceError {
    one_violation(Echo::Null, member, format_args!("Member must not be null"))
}

/// The ValidationException of a top-level member whose value is outside the values this
/// operation accepts (narrower than the model's enum: each built-in analysis reads its own
/// languages), phrased as the model-driven enum check phrases it.
pub fn not_in_set(member: &str, value: &str, values: &[&str]) -> ServiceError {
    let constraint = format_args!("Member must satisfy enum value set: [{}]", Joined(values));
    one_violation(Echo::Text(value), member, constraint)
}

fn one_violation(
    echo: Echo<'_>,
    member: &str,
    constraint: std::fmt::Arguments<'_>,
) -> ServiceError {
    let mut violations = Violations::default();
    violations.add(echo, &Path::child(None, Step::Member(member)), constraint);
    match violations.into_result() {
        Err(err) => err,
        Ok(()) => unreachable!("one violation was added"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use serde_json::json;

    use super::*;

    fn message(shape: &str, body: Value) -> (ErrorCode, String) {
        let err = validate(shape, &body).unwrap_err();
        (err.code, err.message)
    }

    #[test]
    fn every_pattern_in_the_model_compiles() {
        let model = Model::get();
        assert!(model.shapes.len() > 400);
    }

    #[test]
    fn a_valid_request_passes() {
        let body = json!({
            "DocumentClassifierName": "news",
            "DataAccessRoleArn": "arn:aws:iam::111122223333:role/Comprehend",
            "InputDataConfig": {"S3Uri": "s3://bucket/train.csv"},
            "LanguageCode": "en",
            "Tags": [{"Key": "team", "Value": "ml"}],
        });
        validate("CreateDocumentClassifierRequest", &body).unwrap();
    }

    #[test]
    fn enum_violations_use_coral_style_messages() {
        let (code, msg) = message(
            "CreateDocumentClassifierRequest",
            json!({
                "DocumentClassifierName": "news",
                "DataAccessRoleArn": "arn:aws:iam::111122223333:role/Comprehend",
                "InputDataConfig": {"S3Uri": "s3://bucket/train.csv"},
                "LanguageCode": "xx",
            }),
        );
        assert_eq!(code, ErrorCode::Validation);
        assert_eq!(
            msg,
            "1 validation error detected: Value 'xx' at 'languageCode' failed to satisfy constraint: \
             Member must satisfy enum value set: [en, es, fr, de, it, pt, ar, hi, ja, ko, zh, zh-TW]"
        );
    }

    #[test]
    fn nested_members_and_list_items_are_checked() {
        let (code, msg) = message(
            "CreateDocumentClassifierRequest",
            json!({
                "DocumentClassifierName": "bad_name",
                "DataAccessRoleArn": "arn:aws:iam::111122223333:role/Comprehend",
                "InputDataConfig": {"S3Uri": "http://bucket/train.csv", "LabelDelimiter": ",,"},
                "LanguageCode": "en",
                "Tags": [{"Key": ""}],
            }),
        );
        assert_eq!(code, ErrorCode::Validation);
        assert!(msg.starts_with("5 validation errors detected: "), "{msg}");
        assert!(msg.contains("at 'documentClassifierName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$"), "{msg}");
        assert!(
            msg.contains("Value 'http://bucket/train.csv' at 'inputDataConfig.s3Uri'"),
            "{msg}"
        );
        assert!(msg.contains("Value ',,' at 'inputDataConfig.labelDelimiter' failed to satisfy constraint: Member must have length less than or equal to 1"), "{msg}");
        assert!(msg.contains("Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{msg}");
    }

    #[test]
    fn missing_required_members_are_not_null_violations() {
        let (code, msg) = message("DescribeFlywheelRequest", json!({}));
        assert_eq!(code, ErrorCode::Validation);
        assert_eq!(
            msg,
            "1 validation error detected: Value null at 'flywheelArn' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn ranges_and_lengths() {
        let (_, msg) = message(
            "ListFlywheelsRequest",
            json!({"MaxResults": 501, "NextToken": ""}),
        );
        assert!(msg.contains("Value '501' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 500"), "{msg}");
        assert!(msg.contains("Value '' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1"), "{msg}");
        let long_arn = format!(
            "arn:aws:comprehend:us-east-1:123456789012:flywheel/{}",
            "a".repeat(300)
        );
        let (_, msg) = message(
            "DescribeFlywheelRequest",
            json!({ "FlywheelArn": long_arn }),
        );
        assert!(
            msg.contains("Member must have length less than or equal to 256"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_json_types_are_serialization_errors() {
        let (code, msg) = message("ListFlywheelsRequest", json!({"MaxResults": "ten"}));
        assert_eq!(code, ErrorCode::Serialization);
        assert_eq!(
            msg,
            "Expected an integer at 'maxResults' but found a string"
        );
        let (code, _) = message("ListFlywheelsRequest", json!({"MaxResults": 1.5}));
        assert_eq!(code, ErrorCode::Serialization);
        let (code, _) = message(
            "ListFlywheelsRequest",
            json!({"Filter": {"CreationTimeAfter": "yesterday"}}),
        );
        assert_eq!(code, ErrorCode::Serialization);
        let (code, msg) = message("ListFlywheelsRequest", json!([1, 2]));
        assert_eq!(code, ErrorCode::Serialization);
        assert_eq!(
            msg,
            "Expected a structure at the request body but found a list"
        );
    }

    #[test]
    fn sensitive_values_are_not_echoed() {
        let (_, msg) = message(
            "ClassifyDocumentRequest",
            json!({"Text": "", "EndpointArn": "arn:aws:comprehend:us-east-1:123456789012:document-classifier-endpoint/e"}),
        );
        assert_eq!(
            msg,
            "1 validation error detected: Value at 'text' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
    }

    fn body_bytes(shape: &str, body: &Value) -> (String, usize) {
        let err = validate(shape, body).unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation);
        let bytes = serde_json::to_vec(&err.body()).unwrap().len();
        (err.message, bytes)
    }

    /// The request that once answered hundreds of MB: every item of TagKeys breaks
    /// TagKey's `min` of 1. All are counted, ten are listed.
    #[test]
    fn a_million_violations_answer_a_short_message() {
        let keys = vec![Value::String(String::new()); 1_000_000];
        let body = json!({
            "ResourceArn": "arn:aws:comprehend:us-east-1:123456789012:flywheel/f",
            "TagKeys": keys,
        });
        let (msg, bytes) = body_bytes("UntagResourceRequest", &body);
        assert!(
            msg.starts_with(
                "1000000 validation errors detected: Value '' at 'tagKeys.1.member' failed to \
                 satisfy constraint: Member must have length greater than or equal to 1; \
                 Value '' at 'tagKeys.2.member' failed"
            ),
            "{msg}"
        );
        assert!(msg.contains("at 'tagKeys.10.member'"), "{msg}");
        assert!(!msg.contains("at 'tagKeys.11.member'"), "{msg}");
        assert!(msg.ends_with("; ... and 999990 more"), "{msg}");
        assert_eq!(
            msg.matches("failed to satisfy constraint").count(),
            MAX_LISTED
        );
        assert!(bytes < 4096, "{bytes} bytes");
    }

    /// Ten violations are listed in full, with no note.
    #[test]
    fn up_to_ten_violations_are_all_listed() {
        let body = json!({
            "ResourceArn": "arn:aws:comprehend:us-east-1:123456789012:flywheel/f",
            "TagKeys": vec![""; 10],
        });
        let (msg, _) = body_bytes("UntagResourceRequest", &body);
        assert!(msg.starts_with("10 validation errors detected: "), "{msg}");
        assert_eq!(msg.matches("failed to satisfy constraint").count(), 10);
        assert!(!msg.contains("more"), "{msg}");
    }

    /// An enum violation quotes the whole value set (PiiEntityType has 37 values), so
    /// the byte budget stops the listing before ten.
    #[test]
    fn long_violations_are_listed_within_the_byte_budget() {
        let (msg, bytes) = body_bytes("RedactionConfig", &json!({"PiiEntityTypes": vec!["x"; 20]}));
        assert!(msg.starts_with("20 validation errors detected: Value 'x' at 'piiEntityTypes.1.member' failed to satisfy constraint: Member must satisfy enum value set: [BANK_ACCOUNT_NUMBER, "), "{msg}");
        let listed = msg.matches("failed to satisfy constraint").count();
        assert!((1..MAX_LISTED).contains(&listed), "{msg}");
        assert!(
            msg.ends_with(&format!("; ... and {} more", 20 - listed)),
            "{msg}"
        );
        assert!(bytes < 4096, "{bytes} bytes");
    }

    /// A 100 KB value is echoed as its first 64 characters, and is not matched against
    /// its pattern (it is reported for its length); a shorter one over `max` still is.
    #[test]
    fn long_values_are_echoed_as_a_prefix() {
        let request = |name: String| {
            json!({
                "DocumentClassifierName": name,
                "DataAccessRoleArn": "arn:aws:iam::111122223333:role/Comprehend",
                "InputDataConfig": {"S3Uri": "s3://bucket/train.csv"},
                "LanguageCode": "en",
            })
        };
        let (msg, bytes) = body_bytes(
            "CreateDocumentClassifierRequest",
            &request("_".repeat(100_000)),
        );
        assert_eq!(
            msg,
            format!(
                "1 validation error detected: Value '{}...' at 'documentClassifierName' failed \
                 to satisfy constraint: Member must have length less than or equal to 63",
                "_".repeat(MAX_ECHOED_CHARS)
            )
        );
        assert!(bytes < 512, "{bytes} bytes");
        let (msg, _) = body_bytes("CreateDocumentClassifierRequest", &request("_".repeat(100)));
        assert!(msg.starts_with("2 validation errors detected: "), "{msg}");
        assert!(
            msg.contains("Member must satisfy regular expression pattern"),
            "{msg}"
        );

        // Within `max` (20000) and breaking the pattern (no Latin-1 character at all);
        // multi-byte characters are cut on a character boundary.
        let policy = "€".repeat(20_000);
        let (msg, bytes) = body_bytes(
            "PutResourcePolicyRequest",
            &json!({
                "ResourceArn": "arn:aws:comprehend:us-east-1:123456789012:document-classifier/c",
                "ResourcePolicy": policy,
            }),
        );
        assert_eq!(
            msg,
            format!(
                "1 validation error detected: Value '{}...' at 'resourcePolicy' failed to \
                 satisfy constraint: Member must satisfy regular expression pattern: \
                 [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
                "€".repeat(MAX_ECHOED_CHARS)
            )
        );
        assert!(bytes < 1024, "{bytes} bytes");
    }

    #[test]
    fn long_lists_are_echoed_as_a_prefix() {
        let (msg, bytes) = body_bytes(
            "ClassifyDocumentRequest",
            &json!({
                "EndpointArn": "arn:aws:comprehend:us-east-1:123456789012:document-classifier-endpoint/e",
                "DocumentReaderConfig": {
                    "DocumentReadAction": "TEXTRACT_ANALYZE_DOCUMENT",
                    "FeatureTypes": vec!["TABLES"; 100_000],
                },
            }),
        );
        // The list as Java prints it, cut after 64 characters.
        let shown = format!("[{}TABLES,", "TABLES, ".repeat(7));
        assert_eq!(shown.len(), MAX_ECHOED_CHARS);
        assert_eq!(
            msg,
            format!(
                "1 validation error detected: Value '{shown}...' at \
                 'documentReaderConfig.featureTypes' failed to satisfy constraint: Member must \
                 have length less than or equal to 2"
            )
        );
        assert!(bytes < 512, "{bytes} bytes");
    }

    /// A body where every member breaks its rules as loudly as it can: strings of
    /// control characters (six bytes each once escaped in JSON), long lists, huge
    /// integers, missing required members in list items.
    pub(crate) fn hostile(model: &Model, shape: &str, depth: usize) -> Value {
        match model.shape(shape).expect("a shape of the model") {
            Shape::Structure { members } => Value::Object(
                members
                    .iter()
                    .map(|m| (m.name.clone(), hostile(model, &m.shape, depth + 1)))
                    .collect(),
            ),
            Shape::List { member, .. } => {
                let n = if depth < 3 { 300 } else { 3 };
                Value::Array(vec![hostile(model, member, depth + 1); n])
            }
            Shape::String(_) => Value::String("\u{1}".repeat(5000)),
            Shape::Integer { .. } => json!(i64::MIN),
            Shape::Float | Shape::Double | Shape::Timestamp => json!(1),
            Shape::Blob { .. } => json!("A".repeat(10_000)),
            Shape::Boolean => json!(true),
        }
    }

    /// The checks an operation makes beyond the model speak as the model's checks do.
    #[test]
    fn operation_checks_are_phrased_as_the_models() {
        assert_eq!(
            missing_member("languageCode").message,
            "1 validation error detected: Value null at 'languageCode' failed to satisfy constraint: Member must not be null"
        );
        let err = not_in_set("languageCode", "ja", &["en", "es"]);
        assert_eq!(err.code, ErrorCode::Validation);
        assert_eq!(
            err.message,
            "1 validation error detected: Value 'ja' at 'languageCode' failed to satisfy constraint: Member must satisfy enum value set: [en, es]"
        );
    }

    /// Whatever an operation's request breaks, the error body stays a few KB.
    #[test]
    fn every_operation_answers_hostile_bodies_briefly() {
        let model = Model::get();
        for op in crate::Operation::ALL {
            let body = hostile(model, op.input_shape(), 0);
            // A built-in analysis's hostile body (5,000 control characters in `Text` or in
            // each of `TextList`'s 300 items, with no maximum in the model) breaks no rule:
            // sizes are the operation's own checks.
            let Err(err) = validate(op.input_shape(), &body) else {
                let name = op.name();
                assert!(
                    name.contains("Detect") || name.starts_with("Contains"),
                    "{op:?}"
                );
                continue;
            };
            let bytes = serde_json::to_vec(&err.body()).unwrap().len();
            assert!(bytes < 6 * 1024, "{op:?}: {bytes} bytes: {}", err.message);
        }
    }

    /// A structure in a list is rendered as JSON, and only as far as it is shown.
    #[test]
    fn large_list_items_are_cut_while_rendering() {
        let mut line = String::new();
        let items = [json!({"Key": "k".repeat(1_000_000)})];
        assert!(write_list(&mut Bounded::new(&mut line), &items).is_err());
        assert_eq!(line.chars().count(), MAX_ECHOED_CHARS);
        assert!(line.starts_with("[{\"Key\":\"kkk"), "{line}");
        let mut line = String::new();
        write_list(&mut Bounded::new(&mut line), &[json!("a"), json!(1)]).unwrap();
        assert_eq!(line, "[a, 1]");
    }

    #[test]
    fn sensitive_lists_are_not_echoed() {
        let (msg, _) = body_bytes(
            "BatchDetectSentimentRequest",
            &json!({"TextList": [], "LanguageCode": "en"}),
        );
        assert_eq!(
            msg,
            "1 validation error detected: Value at 'textList' failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
    }

    /// serde_json's parser stops at 128 levels; a value built another way stops here.
    #[test]
    fn the_walk_stops_at_the_depth_limit() {
        let mut violations = Violations::default();
        let err = Model::get()
            .walk("TagKey", &json!(""), None, MAX_DEPTH + 1, &mut violations)
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Serialization);
    }
}
