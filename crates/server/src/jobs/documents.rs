//! Reading an analysis job's input documents as a stream: numbered lines (or whole
//! objects) with a family's per-document checks — its size limit, and whether bytes that
//! are not UTF-8 are replaced or reported — as values rather than failing the job. No
//! document is held beyond the size limit, whatever the size of a line.

use bytes::BytesMut;

/// How a family reads documents.
#[derive(Debug, Clone, Copy)]
pub struct Reading {
    /// Largest ONE_DOC_PER_LINE document, in bytes; a longer line is [`Document::TooLarge`].
    pub line_bytes: usize,
    /// Largest ONE_DOC_PER_FILE document, in bytes.
    pub file_bytes: usize,
    /// Whether bytes that are not UTF-8 are replaced (U+FFFD); otherwise the document is
    /// [`Document::NotUtf8`] and the rest of its object is not read.
    pub lossy: bool,
}

/// One input document, or why it can't be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// The text.
    Text(String),
    /// Larger than the family's limit.
    TooLarge,
    /// Not UTF-8 (only when the family does not read lossily).
    NotUtf8,
}

impl Reading {
    /// The checks on a whole object's bytes (ONE_DOC_PER_FILE).
    pub fn file(&self, bytes: &[u8]) -> Document {
        self.document(bytes, self.file_bytes)
    }

    fn document(&self, bytes: &[u8], limit: usize) -> Document {
        if bytes.len() > limit {
            return Document::TooLarge;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Document::Text(text.to_owned()),
            Err(_) if self.lossy => Document::Text(String::from_utf8_lossy(bytes).into_owned()),
            Err(_) => Document::NotUtf8,
        }
    }
}

/// Splits a byte stream into numbered documents at LF, CRLF or CR. Blank lines are
/// counted but are no documents; a line past the size limit stops being buffered and
/// comes out as [`Document::TooLarge`].
#[derive(Debug)]
pub struct Lines {
    reading: Reading,
    pending: BytesMut,
    oversized: bool,
    next_line: u64,
    after_cr: bool,
}

impl Lines {
    /// A splitter reading as `reading` says.
    pub fn new(reading: Reading) -> Lines {
        Lines {
            reading,
            pending: BytesMut::new(),
            oversized: false,
            next_line: 0,
            after_cr: false,
        }
    }

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
                    if self.pending.len() < self.reading.line_bytes {
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
        let document = self.reading.document(&bytes, self.reading.line_bytes);
        if !matches!(&document, Document::Text(t) if t.trim().is_empty()) {
            out.push((line, document));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: Reading = Reading {
        line_bytes: 1024 * 1024,
        file_bytes: 1024 * 1024,
        lossy: false,
    };

    #[test]
    fn numbered_lines_across_chunks_with_checks() {
        let mut lines = Lines::new(STRICT);
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
    fn lossy_reading_replaces_and_crlf_may_straddle_chunks() {
        let lossy = Reading {
            lossy: true,
            ..STRICT
        };
        let mut lines = Lines::new(lossy);
        let mut got = lines.push(b"a\xff\r");
        got.extend(lines.push(b"\nb"));
        got.extend(lines.finish());
        assert_eq!(
            got,
            [
                (0, Document::Text("a\u{fffd}".into())),
                (1, Document::Text("b".into()))
            ]
        );
    }

    #[test]
    fn an_oversized_line_is_reported_not_buffered() {
        let mut lines = Lines::new(STRICT);
        let big = vec![b'a'; STRICT.line_bytes + 10];
        let mut got = lines.push(&big);
        assert!(lines.pending.len() <= STRICT.line_bytes);
        got.extend(lines.push(b"\nok\n"));
        assert_eq!(
            got,
            [(0, Document::TooLarge), (1, Document::Text("ok".into()))]
        );
    }
}
