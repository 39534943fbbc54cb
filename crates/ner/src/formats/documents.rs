//! Training and test documents: one per line or one per file, UTF-8, each at most
//! [`Limits::max_document_bytes`] (Amazon Comprehend Developer Guide, "Preparing entity
//! recognizer training data" and "Guidelines and quotas").

use std::io::{self, BufRead, BufReader, Read};

use crate::error::{FormatError, FormatErrorKind};
use crate::{Document, InputFormat, Limits};

/// Reads the documents of one object named `file`.
///
/// One document per line: every line is a document whose `line` is its zero-based line number
/// (a trailing `\r` is dropped); blank lines hold no document but keep the numbering, so
/// annotations can address the lines after them. One document per file: the whole object,
/// `line` `None`. Errors name the object and the 1-based line: invalid UTF-8, or a document
/// over the size limit. This is [`for_each_document`] collected.
pub fn read_documents(
    file: &str,
    r: impl Read,
    format: InputFormat,
    limits: &Limits,
) -> Result<Vec<Document>, FormatError> {
    let mut docs = Vec::new();
    for_each_document(file, BufReader::new(r), format, limits, &mut |d| {
        docs.push(d);
        Ok(())
    })?;
    Ok(docs)
}

/// [`read_documents`] one document at a time: calls `f` with each document in order and stops
/// at the first error, its own or `f`'s. At most [`Limits::max_document_bytes`] (plus one) of a
/// line is ever buffered or even read, so a huge line costs no memory or time: it is a
/// document over the size limit (or invalid UTF-8, when that shows before the limit).
pub fn for_each_document(
    file: &str,
    mut r: impl BufRead,
    format: InputFormat,
    limits: &Limits,
    f: &mut dyn FnMut(Document) -> Result<(), FormatError>,
) -> Result<(), FormatError> {
    let io_error = |e: io::Error| FormatError::whole(file, FormatErrorKind::Csv(e.to_string()));
    // One byte over the limit tells "too large"; one more allows the `\r` a line may end with.
    let cap = limits.max_document_bytes.saturating_add(1);
    let mut raw = Vec::new();
    if format == InputFormat::OneDocPerFile {
        let over = read_bounded(&mut r, &mut raw, cap, None).map_err(io_error)?;
        let text = checked_text(file, 1, &raw, over.unwrap_or(false), limits)?;
        return f(Document {
            file: file.to_owned(),
            line: None,
            text: text.to_owned(),
        });
    }
    for i in 0u64.. {
        let Some(over) = read_bounded(&mut r, &mut raw, cap + 1, Some(b'\n')).map_err(io_error)?
        else {
            return Ok(());
        };
        let line = raw.strip_suffix(b"\r").unwrap_or(&raw);
        let text = checked_text(file, i + 1, line, over, limits)?;
        if !text.trim().is_empty() {
            f(Document {
                file: file.to_owned(),
                line: Some(i),
                text: text.to_owned(),
            })?;
        }
    }
    Ok(())
}

/// Reads up to `end` (excluded; the whole input when `None`) into `buf`, but at most `cap`
/// bytes: past that it stops where it is, since the record is then too large anyway. `None`
/// at the end of the input, else whether the record was cut.
pub(crate) fn read_bounded(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
    end: Option<u8>,
) -> io::Result<Option<bool>> {
    buf.clear();
    let (mut any, mut over) = (false, false);
    loop {
        let chunk = match r.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        any = true;
        let stop = end.and_then(|b| chunk.iter().position(|&c| c == b));
        let part = &chunk[..stop.unwrap_or(chunk.len())];
        let room = cap.saturating_sub(buf.len());
        if part.len() > room {
            buf.extend_from_slice(&part[..room]);
            r.consume(room);
            over = true;
            break;
        }
        buf.extend_from_slice(part);
        let used = stop.map_or(chunk.len(), |i| i + 1);
        r.consume(used);
        if stop.is_some() {
            break;
        }
    }
    Ok(any.then_some(over))
}

/// `raw` as text within the limit; `cut` says that `raw` is only the start of the document,
/// in which case only invalid UTF-8 before the cut is reported as such.
fn checked_text<'a>(
    file: &str,
    line: u64,
    raw: &'a [u8],
    cut: bool,
    limits: &Limits,
) -> Result<&'a str, FormatError> {
    let utf8_error = |e: std::str::Utf8Error| !cut || e.error_len().is_some();
    let text = match std::str::from_utf8(raw) {
        Ok(text) => text,
        Err(e) if utf8_error(e) => {
            return Err(FormatError::at(file, line, FormatErrorKind::InvalidUtf8));
        }
        Err(_) => "",
    };
    if cut || text.len() > limits.max_document_bytes {
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

    /// A reader that serves `line` then endless `x` bytes, counting what was read.
    struct Endless {
        served: usize,
        head: &'static [u8],
        buf: Vec<u8>,
    }

    impl Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let n = self.fill_buf()?.len().min(out.len());
            out[..n].copy_from_slice(&self.buf[..n]);
            self.consume(n);
            Ok(n)
        }
    }

    impl BufRead for Endless {
        fn fill_buf(&mut self) -> io::Result<&[u8]> {
            if self.served < self.head.len() {
                return Ok(&self.head[self.served..]);
            }
            // 400 MB of one line: far more than the reader may buffer or read.
            if self.served >= 400_000_000 {
                return Ok(&[]);
            }
            self.buf.resize(1 << 16, b'x');
            Ok(&self.buf)
        }

        fn consume(&mut self, n: usize) {
            self.served += n;
        }
    }

    #[test]
    fn a_huge_line_is_too_large_without_being_buffered() {
        let mut r = Endless {
            served: 0,
            head: b"fine\n\n",
            buf: Vec::new(),
        };
        let mut seen = Vec::new();
        let err = for_each_document(
            "d.txt",
            &mut r,
            InputFormat::OneDocPerLine,
            &Limits::default(),
            &mut |d| {
                seen.push(d.text);
                Ok(())
            },
        )
        .unwrap_err();
        assert_eq!(seen, ["fine"]);
        assert_eq!((err.object.as_str(), err.line), ("d.txt", Some(3)));
        assert_eq!(err.kind, FormatErrorKind::DocumentTooLarge { limit: 5000 });
        assert!(r.served < 100_000, "read {} bytes", r.served);
    }

    #[test]
    fn invalid_utf8_before_the_limit_still_shows_in_a_long_line() {
        let mut bytes = b"ok\nbad \xff ".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 10_000));
        let err = read_documents(
            "d.txt",
            &bytes[..],
            InputFormat::OneDocPerLine,
            &Limits::default(),
        )
        .unwrap_err();
        assert_eq!(
            (err.line, err.kind),
            (Some(2), FormatErrorKind::InvalidUtf8)
        );
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
