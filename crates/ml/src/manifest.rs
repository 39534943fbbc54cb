//! AUGMENTED_MANIFEST: SageMaker Ground Truth JSON Lines with the text in `source` and the label
//! in a user-named attribute whose `<attribute>-metadata` carries the label names.
//!
//! Multi-class lines: `"<attr>": 3, "<attr>-metadata": {"class-name": "SPORTS", ...}`.
//! Multi-label lines: `"<attr>": [0, 2], "<attr>-metadata": {"class-map": {"0": "A", "2": "C"}, ...}`.

use std::io::{BufRead, BufReader, Read};

use serde_json::{Map, Value};

use crate::comprehend_csv::check_label;
use crate::{Document, FormatError, Mode};

/// Reads a whole augmented manifest object; blank lines are skipped. An object with no
/// document is [`FormatError::EmptyFile`]. Use [`append_augmented_manifest`] for several objects.
pub fn read_augmented_manifest(
    reader: impl Read,
    attribute_name: &str,
    mode: Mode,
) -> Result<Vec<Document>, FormatError> {
    let mut docs = Vec::new();
    append_augmented_manifest(reader, attribute_name, mode, &mut docs)?;
    Ok(docs)
}

/// Like [`read_augmented_manifest`] but appends to `docs`; returns how many documents were read.
pub fn append_augmented_manifest(
    reader: impl Read,
    attribute_name: &str,
    mode: Mode,
    docs: &mut Vec<Document>,
) -> Result<usize, FormatError> {
    let mut reader = BufReader::new(reader);
    let mut buf = Vec::new();
    let mut line: u64 = 0;
    let before = docs.len();
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| FormatError::Json {
                line: line + 1,
                message: e.to_string(),
            })?;
        if n == 0 {
            break;
        }
        line += 1;
        let text = std::str::from_utf8(&buf).map_err(|_| FormatError::InvalidUtf8 { line })?;
        let text = if line == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        docs.push(parse_line(text, attribute_name, mode, line)?);
    }
    if docs.len() == before {
        return Err(FormatError::EmptyFile);
    }
    Ok(docs.len() - before)
}

fn parse_line(text: &str, attr: &str, mode: Mode, line: u64) -> Result<Document, FormatError> {
    let value: Value = serde_json::from_str(text).map_err(|e| FormatError::Json {
        line,
        message: e.to_string(),
    })?;
    let Value::Object(obj) = value else {
        return Err(FormatError::Json {
            line,
            message: "expected an object `{...}`".into(),
        });
    };
    let source = source_text(&obj, line)?;
    let label = LabelAttribute::find(&obj, attr, line)?;
    let labels = match mode {
        Mode::MultiClass => label.class_name()?,
        Mode::MultiLabel => label.class_names()?,
    };
    Ok(Document {
        text: source,
        labels,
    })
}

/// The document text of a line: its non-blank string `source`.
fn source_text(obj: &Map<String, Value>, line: u64) -> Result<String, FormatError> {
    match obj.get("source") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
        Some(Value::String(_)) => Err(FormatError::MissingText { line }),
        Some(_) => Err(FormatError::MissingSource {
            line,
            hint: " (it must be a string)",
        }),
        None if obj.contains_key("source-ref") => Err(FormatError::MissingSource {
            line,
            hint: " (`source-ref` pointing to S3 objects is not supported for plain-text classifiers)",
        }),
        None => Err(FormatError::MissingSource { line, hint: "" }),
    }
}

/// A line's label attribute `attr` (its `value`) and its `<attr>-metadata` object.
struct LabelAttribute<'a> {
    attr: &'a str,
    value: &'a Value,
    meta_name: String,
    meta: &'a Map<String, Value>,
    line: u64,
}

impl<'a> LabelAttribute<'a> {
    /// The attribute and its metadata object, both required.
    fn find(
        obj: &'a Map<String, Value>,
        attr: &'a str,
        line: u64,
    ) -> Result<LabelAttribute<'a>, FormatError> {
        let bad = |what: String| FormatError::ManifestLabel { line, what };
        let value = obj
            .get(attr)
            .ok_or_else(|| bad(format!("missing the label attribute `{attr}`")))?;
        let meta_name = format!("{attr}-metadata");
        let meta = obj
            .get(&meta_name)
            .and_then(Value::as_object)
            .ok_or_else(|| {
                bad(format!(
                    "missing the `{meta_name}` object with the label names"
                ))
            })?;
        Ok(LabelAttribute {
            attr,
            value,
            meta_name,
            meta,
            line,
        })
    }

    fn bad(&self, what: String) -> FormatError {
        FormatError::ManifestLabel {
            line: self.line,
            what,
        }
    }

    /// MULTI_CLASS: a class index, named by the metadata's `class-name`.
    fn class_name(&self) -> Result<Vec<String>, FormatError> {
        let (attr, meta_name) = (self.attr, &self.meta_name);
        if self.value.as_u64().is_none() {
            return Err(self.bad(format!(
                "`{attr}` must be a class index (a non-negative integer) for MULTI_CLASS"
            )));
        }
        let name = self
            .meta
            .get("class-name")
            .and_then(Value::as_str)
            .ok_or_else(|| self.bad(format!("`{meta_name}` has no string `class-name`")))?;
        Ok(vec![check_label(name, self.line)?.to_owned()])
    }

    /// MULTI_LABEL: a non-empty list of class indexes, each named in the metadata's
    /// `class-map`; repeated names count once.
    fn class_names(&self) -> Result<Vec<String>, FormatError> {
        let (attr, meta_name) = (self.attr, &self.meta_name);
        let indexes = self.value.as_array().ok_or_else(|| {
            self.bad(format!(
                "`{attr}` must be a list of class indexes for MULTI_LABEL"
            ))
        })?;
        if indexes.is_empty() {
            return Err(FormatError::EmptyLabel { line: self.line });
        }
        let map = self
            .meta
            .get("class-map")
            .and_then(Value::as_object)
            .ok_or_else(|| self.bad(format!("`{meta_name}` has no `class-map` object")))?;
        let mut labels: Vec<String> = Vec::with_capacity(indexes.len());
        for index in indexes {
            let key = index
                .as_u64()
                .ok_or_else(|| self.bad(format!("`{attr}` holds {index}, not a class index")))?
                .to_string();
            let name = map.get(&key).and_then(Value::as_str).ok_or_else(|| {
                self.bad(format!(
                    "class index {key} has no name in `{meta_name}.class-map`"
                ))
            })?;
            let name = check_label(name, self.line)?;
            if !labels.iter().any(|l| l == name) {
                labels.push(name.to_owned());
            }
        }
        Ok(labels)
    }
}
