//! Reading an entities detection job's input documents as a stream: numbered lines (or
//! whole objects) with the per-document checks of custom entity recognition — at most
//! 1 MB a document, UTF-8 — reported as values rather than failing the job. No
//! document is held beyond that bound, whatever the size of a line.

use bytes::BytesMut;

/// Largest document a custom entity recognition job reads, in bytes (Amazon Comprehend
/// Developer Guide, "Guidelines and quotas", custom entity recognition, asynchronous:
/// "Document size (UTF-8 characters)": 1 MB).
pub const MAX_DOCUMENT_BYTES: usize = 1024 * 1024;

/// One input document, or why it can't be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// The text.
    Text(String),
    /// Larger than [`MAX_DOCUMENT_BYTES`].
    TooLarge,
    /// Not UTF-8.
    NotUtf8,
}

impl Document {
    /// The checks on a whole document's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Document {
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Document::TooLarge;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Document::Text(text.to_owned()),
            Err(_) => Document::NotUtf8,
        }
    }
}

/// Splits a byte stream into numbered documents at LF, CRLF or CR. Blank lines are
/// counted but are no documents (as in classification jobs); a line past the size limit
/// stops being buffered and comes out as [`Document::TooLarge`].
#[derive(Debug, Default)]
pub struct Lines {
    pending: BytesMut,
    oversized: bool,
    next_line: u64,
    after_cr: bool,
}

impl Lines {
    /// The documents completed by `chunk`.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<(u64, Document)> {
        let mut out = Vec::new();
        for &byte in chunk {
            match byte {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    self.after_cr = byte == b'\r';
                    self.emit(&mut out);
                }
                _ => {
                    self.after_cr = false;
                    if self.pending.len() < MAX_DOCUMENT_BYTES {
                        self.pending.extend_from_slice(&[byte]);
                    } else {
                        self.oversized = true;
                    }
                }
            }
        }
        out
    }

    /// The last document, if the stream did not end with a line end.
    pub fn finish(mut self) -> Vec<(u64, Document)> {
        let mut out = Vec::new();
        if !self.pending.is_empty() || self.oversized {
            self.emit(&mut out);
        }
        out
    }

    fn emit(&mut self, out: &mut Vec<(u64, Document)>) {
        let line = self.next_line;
        self.next_line += 1;
        let bytes = self.pending.split();
        if std::mem::take(&mut self.oversized) {
            out.push((line, Document::TooLarge));
            return;
        }
        let document = Document::from_bytes(&bytes);
        if !matches!(&document, Document::Text(t) if t.trim().is_empty()) {
            out.push((line, document));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_lines_across_chunks_with_checks() {
        let mut lines = Lines::default();
        let mut got = lines.push(b"caf\xc3");
        got.extend(lines.push(b"\xa9\r\n\nbad \xff\rlast"));
        got.extend(lines.finish());
        assert_eq!(
            got,
            [
                (0, Document::Text("café".into())),
                (2, Document::NotUtf8),
                (3, Document::Text("last".into())),
            ]
        );
    }

    #[test]
    fn an_oversized_line_is_reported_not_buffered() {
        let mut lines = Lines::default();
        let big = vec![b'a'; MAX_DOCUMENT_BYTES + 10];
        let mut got = lines.push(&big);
        assert!(lines.pending.len() <= MAX_DOCUMENT_BYTES);
        got.extend(lines.push(b"\nok\n"));
        assert_eq!(
            got,
            [(0, Document::TooLarge), (1, Document::Text("ok".into()))]
        );
    }
}
