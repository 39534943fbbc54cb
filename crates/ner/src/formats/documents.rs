//! Training and test documents: one per line or one per file, UTF-8, each at most
//! [`Limits::max_document_bytes`] (Amazon Comprehend Developer Guide, "Preparing entity
//! recognizer training data" and "Guidelines and quotas").

use std::io::Read;

use crate::error::{FormatError, FormatErrorKind};
use crate::{Document, InputFormat, Limits};

/// Reads the documents of one object named `file`.
///
/// One document per line: every line is a document whose `line` is its zero-based line number
/// (a trailing `\r` is dropped); blank lines hold no document but keep the numbering, so
/// annotations can address the lines after them. One document per file: the whole object,
/// `line` `None`. Errors name the object and the 1-based line: invalid UTF-8, or a document
/// over the size limit.
pub fn read_documents(
    file: &str,
    mut r: impl Read,
    format: InputFormat,
    limits: &Limits,
) -> Result<Vec<Document>, FormatError> {
    let mut bytes = Vec::new();
    r.read_to_end(&mut bytes)
        .map_err(|e| FormatError::whole(file, FormatErrorKind::Csv(e.to_string())))?;
    match format {
        InputFormat::OneDocPerFile => {
            let text = checked_text(file, 1, &bytes, limits)?;
            Ok(vec![Document {
                file: file.to_owned(),
                line: None,
                text: text.to_owned(),
            }])
        }
        InputFormat::OneDocPerLine => {
            let mut docs = Vec::new();
            for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
                let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                let text = checked_text(file, i as u64 + 1, raw, limits)?;
                if text.trim().is_empty() {
                    continue;
                }
                docs.push(Document {
                    file: file.to_owned(),
                    line: Some(i as u64),
                    text: text.to_owned(),
                });
            }
            Ok(docs)
        }
    }
}

fn checked_text<'a>(
    file: &str,
    line: u64,
    raw: &'a [u8],
    limits: &Limits,
) -> Result<&'a str, FormatError> {
    let text = std::str::from_utf8(raw)
        .map_err(|_| FormatError::at(file, line, FormatErrorKind::InvalidUtf8))?;
    if text.len() > limits.max_document_bytes {
        return Err(FormatError::at(
            file,
            line,
            FormatErrorKind::DocumentTooLarge {
                limit: limits.max_document_bytes,
            },
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_numbers_and_drop_cr() {
        let docs = read_documents(
            "d.txt",
            "first\r\n\nthird\n".as_bytes(),
            InputFormat::OneDocPerLine,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].line, docs[0].text.as_str()), (Some(0), "first"));
        assert_eq!((docs[1].line, docs[1].text.as_str()), (Some(2), "third"));
    }

    #[test]
    fn invalid_utf8_names_file_and_line() {
        let err = read_documents(
            "d.txt",
            &b"ok\nbad \xff\n"[..],
            InputFormat::OneDocPerLine,
            &Limits::default(),
        )
        .unwrap_err();
        assert_eq!((err.object.as_str(), err.line), ("d.txt", Some(2)));
        assert_eq!(err.kind, FormatErrorKind::InvalidUtf8);
    }

    #[test]
    fn oversized_document_uses_the_service_wording() {
        let text = "x".repeat(5_001);
        let err = read_documents(
            "big.txt",
            text.as_bytes(),
            InputFormat::OneDocPerFile,
            &Limits::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "A document exceeds the maximum size in the file big.txt on line 1. Each document can be up to 5000 bytes."
        );
    }
}
