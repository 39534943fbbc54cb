//! Model-driven request validation, written once for every operation.
//!
//! botocore only checks required members, JSON types and `min` on the client side
//! (FACTS.md §1), so the server must enforce `max`, `pattern` and `enum` itself. This
//! module walks a request body against the vendored model, recursively through nested
//! structures and lists, and reports:
//! - a `SerializationException` when a member has the wrong JSON type;
//! - a `ValidationException` listing every constraint violation, in the message style
//!   of AWS's Coral services (`1 validation error detected: Value '...' at
//!   'inputDataConfig.s3Uri' failed to satisfy constraint: Member must ...`).
//!
//! Handlers therefore only check business rules.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::error::{ErrorCode, ServiceError};

const MODEL_JSON: &str = include_str!("../model/comprehend-2017-11-27.json");

/// A shape of the model, reduced to what validation needs.
#[derive(Debug)]
enum Shape {
    Structure {
        members: Vec<(String, String)>,
        required: Vec<String>,
    },
    List {
        member: String,
        min: Option<i64>,
        max: Option<i64>,
    },
    String(StringRules),
    Integer {
        min: Option<i64>,
        max: Option<i64>,
    },
    Number,
    Timestamp,
    Blob {
        min: Option<i64>,
        max: Option<i64>,
    },
    Boolean,
}

#[derive(Debug)]
struct StringRules {
    min: Option<i64>,
    max: Option<i64>,
    pattern: Option<(String, fancy_regex::Regex)>,
    values: Option<Vec<String>>,
    sensitive: bool,
}

/// The model's shapes by name.
#[derive(Debug)]
pub struct Model {
    shapes: HashMap<String, Shape>,
    operations: Vec<String>,
}

impl Model {
    /// The vendored model, parsed once.
    pub fn get() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::parse(MODEL_JSON).expect("the vendored model is valid"))
    }

    fn parse(text: &str) -> Result<Model, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let shapes = root["shapes"].as_object().ok_or("model has no shapes")?;
        let mut out = HashMap::new();
        for (name, shape) in shapes {
            let int = |key: &str| shape.get(key).and_then(Value::as_f64).map(|v| v as i64);
            let parsed = match shape["type"].as_str().unwrap_or_default() {
                "structure" => Shape::Structure {
                    members: shape["members"]
                        .as_object()
                        .map(|m| {
                            m.iter()
                                .map(|(k, v)| {
                                    (
                                        k.clone(),
                                        v["shape"].as_str().unwrap_or_default().to_owned(),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    required: shape
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| {
                            r.iter()
                                .filter_map(|v| v.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default(),
                },
                "list" => Shape::List {
                    member: shape["member"]["shape"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    min: int("min"),
                    max: int("max"),
                },
                "string" => Shape::String(StringRules {
                    min: int("min"),
                    max: int("max"),
                    pattern: match shape.get("pattern").and_then(Value::as_str) {
                        // Smithy patterns are not implicitly anchored: a value must
                        // contain a match, and the model writes `^...$` where it wants more.
                        Some(p) => Some((
                            p.to_owned(),
                            fancy_regex::Regex::new(p)
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
                    sensitive: shape
                        .get("sensitive")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                }),
                "integer" | "long" => Shape::Integer {
                    min: int("min"),
                    max: int("max"),
                },
                "double" | "float" => Shape::Number,
                "timestamp" => Shape::Timestamp,
                "blob" => Shape::Blob {
                    min: int("min"),
                    max: int("max"),
                },
                "boolean" => Shape::Boolean,
                other => return Err(format!("shape {name} has unknown type {other}")),
            };
            out.insert(name.clone(), parsed);
        }
        let operations = root["operations"]
            .as_object()
            .map(|ops| ops.keys().cloned().collect())
            .unwrap_or_default();
        Ok(Model {
            shapes: out,
            operations,
        })
    }

    /// Whether the model declares an operation of this name (emulated or not).
    pub fn has_operation(&self, name: &str) -> bool {
        self.operations.iter().any(|op| op == name)
    }

    /// Checks `body` against the input shape `shape`.
    pub fn validate(&self, shape: &str, body: &Value) -> Result<(), ServiceError> {
        let mut violations = Vec::new();
        self.walk(shape, body, "", &mut violations)?;
        match violations.len() {
            0 => Ok(()),
            n => Err(ServiceError::new(
                ErrorCode::Validation,
                format!(
                    "{n} validation error{} detected: {}",
                    if n == 1 { "" } else { "s" },
                    violations.join("; ")
                ),
            )),
        }
    }

    fn walk(
        &self,
        shape_name: &str,
        value: &Value,
        path: &str,
        out: &mut Vec<String>,
    ) -> Result<(), ServiceError> {
        let Some(shape) = self.shapes.get(shape_name) else {
            return Err(ServiceError::internal(format!(
                "model has no shape {shape_name}"
            )));
        };
        let wrong_type = |expected: &str| {
            let at = if path.is_empty() {
                "the request body".to_owned()
            } else {
                format!("'{path}'")
            };
            Err(ServiceError::serialization(format!(
                "Expected {expected} at {at} but found {}",
                json_kind(value)
            )))
        };
        match shape {
            Shape::Structure { members, required } => {
                let Value::Object(map) = value else {
                    return wrong_type("a structure");
                };
                for (member, member_shape) in members {
                    let child = join(path, &camel(member));
                    match map.get(member) {
                        None | Some(Value::Null) => {
                            if required.contains(member) {
                                out.push(format!(
                                    "Value null at '{child}' failed to satisfy constraint: Member must not be null"
                                ));
                            }
                        }
                        Some(v) => self.walk(member_shape, v, &child, out)?,
                    }
                }
            }
            Shape::List { member, min, max } => {
                let Value::Array(items) = value else {
                    return wrong_type("a list");
                };
                length_rules(items.len() as i64, *min, *max, &display(value), path, out);
                for (i, item) in items.iter().enumerate() {
                    let child = format!("{path}.{}.member", i + 1);
                    if item.is_null() {
                        out.push(format!(
                            "Value null at '{child}' failed to satisfy constraint: Member must not be null"
                        ));
                    } else {
                        self.walk(member, item, &child, out)?;
                    }
                }
            }
            Shape::String(rules) => {
                let Value::String(s) = value else {
                    return wrong_type("a string");
                };
                let shown = if rules.sensitive {
                    None
                } else {
                    Some(s.as_str())
                };
                let prefix = match shown {
                    Some(s) => format!("Value '{s}' at '{path}' failed to satisfy constraint: "),
                    None => format!("Value at '{path}' failed to satisfy constraint: "),
                };
                if let Some(values) = rules
                    .values
                    .as_ref()
                    .filter(|values| !values.iter().any(|v| v == s))
                {
                    out.push(format!(
                        "{prefix}Member must satisfy enum value set: [{}]",
                        values.join(", ")
                    ));
                }
                let len = s.chars().count() as i64;
                if let Some(min) = rules.min.filter(|m| len < *m) {
                    out.push(format!(
                        "{prefix}Member must have length greater than or equal to {min}"
                    ));
                }
                if let Some(max) = rules.max.filter(|m| len > *m) {
                    out.push(format!(
                        "{prefix}Member must have length less than or equal to {max}"
                    ));
                }
                if let Some((source, _)) = rules
                    .pattern
                    .as_ref()
                    .filter(|(_, regex)| !regex.is_match(s).unwrap_or(false))
                {
                    out.push(format!(
                        "{prefix}Member must satisfy regular expression pattern: {source}"
                    ));
                }
            }
            Shape::Integer { min, max } => {
                let Some(n) = value.as_i64() else {
                    return wrong_type("an integer");
                };
                if let Some(m) = min.filter(|m| n < *m) {
                    out.push(format!(
                        "Value '{n}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {m}"
                    ));
                }
                if let Some(m) = max.filter(|m| n > *m) {
                    out.push(format!(
                        "Value '{n}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {m}"
                    ));
                }
            }
            Shape::Number => {
                if !value.is_number() {
                    return wrong_type("a number");
                }
            }
            Shape::Timestamp => {
                if !value.is_number() {
                    return wrong_type("a timestamp (epoch seconds)");
                }
            }
            Shape::Blob { min, max } => {
                let Value::String(s) = value else {
                    return wrong_type("a base64-encoded blob");
                };
                // The decoded length is what the constraint is about; base64 is 4/3 of it.
                let decoded = (s.trim_end_matches('=').len() * 3 / 4) as i64;
                length_rules(decoded, *min, *max, "***", path, out);
            }
            Shape::Boolean => {
                if !value.is_boolean() {
                    return wrong_type("a boolean");
                }
            }
        }
        Ok(())
    }
}

fn length_rules(
    len: i64,
    min: Option<i64>,
    max: Option<i64>,
    shown: &str,
    path: &str,
    out: &mut Vec<String>,
) {
    if let Some(m) = min.filter(|m| len < *m) {
        out.push(format!(
            "Value '{shown}' at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {m}"
        ));
    }
    if let Some(m) = max.filter(|m| len > *m) {
        out.push(format!(
            "Value '{shown}' at '{path}' failed to satisfy constraint: Member must have length less than or equal to {m}"
        ));
    }
}

/// `DocumentClassifierName` → `documentClassifierName`, as Coral names members in messages.
fn camel(member: &str) -> String {
    let mut chars = member.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn join(path: &str, member: &str) -> String {
    if path.is_empty() {
        member.to_owned()
    } else {
        format!("{path}.{member}")
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

/// Java-style rendering of a list for messages: `[a, b]`.
fn display(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(display).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// Validates a request body for an operation's input shape against the vendored model.
pub fn validate(input_shape: &str, body: &Value) -> Result<(), ServiceError> {
    Model::get().validate(input_shape, body)
}

#[cfg(test)]
mod tests {
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
}
