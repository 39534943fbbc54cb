//! SageMaker Ground Truth augmented manifests for named-entity recognition (Amazon Comprehend
//! Developer Guide, "Augmented manifest file format"): one JSON object per line with the text
//! in `source` and the mentions in `<attribute>.annotations.entities[]` as
//! `{startOffset, endOffset, label}`.

use std::io::{BufRead, BufReader, Read};

use serde_json::Value;

use crate::error::{FormatError, FormatErrorKind};
use crate::formats::annotations::sort_and_check;
use crate::formats::documents::read_bounded;
use crate::{AnnotatedDocument, Document, Limits, Span};

/// Reads the manifest named `file`. Each non-blank line is one document (`line` = its zero-based
/// line). Mentions are gathered from every attribute of `attribute_names` the line has (at least
/// one must be present; `-metadata` attributes are never read). Errors name the object and the
/// 1-based line: invalid UTF-8 or JSON, a missing `source` or attribute, a document over the size
/// limit, an end offset before the begin, an offset past the text, overlapping mentions. This
/// is [`for_each_manifest_document`] collected.
pub fn read_manifest(
    file: &str,
    r: impl Read,
    attribute_names: &[String],
    limits: &Limits,
) -> Result<Vec<AnnotatedDocument>, FormatError> {
    let mut out = Vec::new();
    for_each_manifest_document(file, BufReader::new(r), attribute_names, limits, &mut |d| {
        out.push(d);
        Ok(())
    })?;
    Ok(out)
}

/// [`read_manifest`] one document at a time: calls `f` with each document in order and stops
/// at the first error, its own or `f`'s. A line is buffered up to 16 times
/// [`Limits::max_document_bytes`] plus 1 MiB (room for JSON escapes and the annotations);
/// a longer line is reported as a document over the size limit without being read further.
pub fn for_each_manifest_document(
    file: &str,
    mut r: impl BufRead,
    attribute_names: &[String],
    limits: &Limits,
    f: &mut dyn FnMut(AnnotatedDocument) -> Result<(), FormatError>,
) -> Result<(), FormatError> {
    let cap = limits
        .max_document_bytes
        .saturating_mul(16)
        .saturating_add(1 << 20);
    let mut raw = Vec::new();
    for index in 0u64.. {
        let at = |kind| FormatError::at(file, index + 1, kind);
        let read = read_bounded(&mut r, &mut raw, cap, Some(b'\n'))
            .map_err(|e| at(FormatErrorKind::Csv(e.to_string())))?;
        let Some(over) = read else {
            break;
        };
        if over {
            let limit = limits.max_document_bytes;
            return Err(at(FormatErrorKind::DocumentTooLarge { limit }));
        }
        let line = std::str::from_utf8(&raw).map_err(|_| at(FormatErrorKind::InvalidUtf8))?;
        if line.trim().is_empty() {
            continue;
        }
        f(parse_line(file, index, line, attribute_names, limits)?)?;
    }
    Ok(())
}

fn parse_line(
    file: &str,
    index: u64,
    line: &str,
    attribute_names: &[String],
    limits: &Limits,
) -> Result<AnnotatedDocument, FormatError> {
    let at = |kind| FormatError::at(file, index + 1, kind);
    let value: Value =
        serde_json::from_str(line).map_err(|e| at(FormatErrorKind::InvalidJson(e.to_string())))?;
    let Value::Object(object) = value else {
        return Err(at(FormatErrorKind::InvalidJson("not a JSON object".into())));
    };
    let Some(Value::String(text)) = object.get("source") else {
        return Err(at(FormatErrorKind::Manifest(
            "the `source` attribute with the document text is missing".into(),
        )));
    };
    if text.len() > limits.max_document_bytes {
        return Err(at(FormatErrorKind::DocumentTooLarge {
            limit: limits.max_document_bytes,
        }));
    }
    let present: Vec<&Value> = attribute_names
        .iter()
        .filter_map(|name| object.get(name))
        .collect();
    if present.is_empty() {
        return Err(at(FormatErrorKind::Manifest(format!(
            "none of the attributes {attribute_names:?} is present"
        ))));
    }
    let length = text.chars().count();
    let mut spans = Vec::new();
    for attribute in present {
        spans_of(attribute, length, &mut spans).map_err(at)?;
    }
    let document = Document {
        file: file.to_owned(),
        line: Some(index),
        text: text.clone(),
    };
    sort_and_check(&document, &mut spans)?;
    Ok(AnnotatedDocument { document, spans })
}

fn spans_of(attribute: &Value, length: usize, out: &mut Vec<Span>) -> Result<(), FormatErrorKind> {
    let bad = |what: &str| FormatErrorKind::Manifest(what.to_owned());
    let entities = attribute
        .get("annotations")
        .and_then(|a| a.get("entities"))
        .and_then(Value::as_array)
        .ok_or_else(|| bad("the attribute has no `annotations.entities` list"))?;
    for entity in entities {
        let offset = |name: &str| {
            entity
                .get(name)
                .and_then(Value::as_u64)
                .map(|v| v as usize)
                .ok_or_else(|| bad(&format!("an entity has no non-negative integer `{name}`")))
        };
        let (begin, end) = (offset("startOffset")?, offset("endOffset")?);
        let label = entity
            .get("label")
            .and_then(Value::as_str)
            .filter(|l| !l.is_empty())
            .ok_or_else(|| bad("an entity has no `label`"))?;
        if end < begin {
            return Err(FormatErrorKind::EndBeforeBegin { begin, end });
        }
        if end > length {
            return Err(FormatErrorKind::OffsetPastEnd { end, length });
        }
        if end > begin {
            out.push(Span {
                begin,
                end,
                entity_type: label.to_owned(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_past_the_buffer_cap_is_too_large_not_buffered() {
        let ok = r#"{"source": "Ann", "ner": {"annotations": {"entities": []}}}"#;
        let huge = format!("{ok}\n{{\"source\": \"{}\"}}\n", "x".repeat(2 << 20));
        let names = vec!["ner".to_string()];
        let limits = Limits::default();
        let mut seen = 0;
        let err = for_each_manifest_document("m", huge.as_bytes(), &names, &limits, &mut |_| {
            seen += 1;
            Ok(())
        })
        .unwrap_err();
        assert_eq!((seen, err.line), (1, Some(2)));
        assert_eq!(err.kind, FormatErrorKind::DocumentTooLarge { limit: 5000 });
    }
}
