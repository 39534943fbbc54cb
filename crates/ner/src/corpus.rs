//! Document sets read one document at a time ([`Corpus`]), the byte storage training spills
//! to ([`Scratch`]), and a corpus kept in such storage instead of memory ([`SpilledCorpus`]).
//!
//! Training reads its corpora several times (checks, split, gazetteer, encoding, evaluation),
//! so a corpus is a re-readable sequence rather than an iterator; it never has to be in memory
//! as a whole.

use std::io;

use crate::{AnnotatedDocument, NerError};

/// A document set read more than once, one document at a time, in a fixed order.
pub trait Corpus: Sync {
    /// Number of documents.
    fn len(&self) -> usize;

    /// Whether there are no documents.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` with each document in order; stops at f's first error.
    fn for_each(
        &self,
        f: &mut dyn FnMut(&AnnotatedDocument) -> Result<(), NerError>,
    ) -> Result<(), NerError>;
}

impl Corpus for [AnnotatedDocument] {
    fn len(&self) -> usize {
        <[AnnotatedDocument]>::len(self)
    }

    fn for_each(
        &self,
        f: &mut dyn FnMut(&AnnotatedDocument) -> Result<(), NerError>,
    ) -> Result<(), NerError> {
        self.iter().try_for_each(f)
    }
}

impl Corpus for Vec<AnnotatedDocument> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn for_each(
        &self,
        f: &mut dyn FnMut(&AnnotatedDocument) -> Result<(), NerError>,
    ) -> Result<(), NerError> {
        self.as_slice().for_each(f)
    }
}

/// Append-only byte storage that can be read at any offset from several threads.
pub trait Scratch: Send + Sync {
    /// Appends `bytes` at the end.
    fn append(&mut self, bytes: &[u8]) -> io::Result<()>;

    /// Bytes appended so far.
    fn len(&self) -> u64;

    /// Whether nothing was appended.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fills `buf` exactly with the bytes at `offset`; an error when they are not all there.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()>;
}

impl Scratch for Vec<u8> {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.extend_from_slice(bytes);
        Ok(())
    }

    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let start = usize::try_from(offset).map_err(|_| past_end())?;
        let src = start
            .checked_add(buf.len())
            .and_then(|end| self.get(start..end))
            .ok_or_else(past_end)?;
        buf.copy_from_slice(src);
        Ok(())
    }
}

/// A file used as scratch space (typically `tempfile::tempfile()`): appends go to the end of
/// what this handle wrote, which it counts itself, so the file must start empty.
impl Scratch for std::fs::File {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        use std::io::{Seek, SeekFrom, Write};
        // Positioned writes would need the length we do not keep here; seeking to the end is
        // one syscall and keeps the handle usable by `read_at` meanwhile (reads are positioned).
        self.seek(SeekFrom::End(0))?;
        self.write_all(bytes)
    }

    fn len(&self) -> u64 {
        self.metadata().map_or(0, |m| m.len())
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(self, buf, offset)
    }
}

impl Scratch for Box<dyn Scratch> {
    fn append(&mut self, bytes: &[u8]) -> io::Result<()> {
        (**self).append(bytes)
    }

    fn len(&self) -> u64 {
        (**self).len()
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        (**self).read_at(offset, buf)
    }
}

fn past_end() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "read past the end of scratch")
}

/// Size of the window [`ScratchReader`] reads through.
const CHUNK: usize = 64 * 1024;

/// Sequential reading of length-prefixed frames from a [`Scratch`] through a bounded buffer.
pub(crate) struct ScratchReader<'a> {
    scratch: &'a dyn Scratch,
    /// Scratch offset of `buf[0]`.
    base: u64,
    buf: Vec<u8>,
    pos: usize,
    end: u64,
}

impl<'a> ScratchReader<'a> {
    /// Reads `scratch` from `start` to `end`.
    pub(crate) fn new(scratch: &'a dyn Scratch, start: u64, end: u64) -> Self {
        ScratchReader {
            scratch,
            base: start,
            buf: Vec::new(),
            pos: 0,
            end,
        }
    }

    /// The next `n` bytes, or `None` at the end.
    pub(crate) fn take(&mut self, n: usize) -> io::Result<Option<&[u8]>> {
        if self.pos + n > self.buf.len() {
            let at = self.base + self.pos as u64;
            if at >= self.end {
                return Ok(None);
            }
            let want = (n.max(CHUNK) as u64).min(self.end - at);
            if (want as usize) < n {
                return Err(past_end());
            }
            self.buf.resize(want as usize, 0);
            self.scratch.read_at(at, &mut self.buf)?;
            self.base = at;
            self.pos = 0;
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(Some(out))
    }

    /// The next frame written by [`write_frame`], or `None` at the end.
    pub(crate) fn frame(&mut self) -> io::Result<Option<&[u8]>> {
        let Some(len) = self.take(4)? else {
            return Ok(None);
        };
        let len = u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize;
        match self.take(len)? {
            Some(bytes) => Ok(Some(bytes)),
            None => Err(past_end()),
        }
    }
}

/// Appends `bytes` to `scratch` with a 4-byte length prefix.
pub(crate) fn write_frame(scratch: &mut dyn Scratch, bytes: &[u8]) -> io::Result<()> {
    let len = u32::try_from(bytes.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "frame over 4 GiB"))?;
    let mut framed = Vec::with_capacity(4 + bytes.len());
    framed.extend_from_slice(&len.to_le_bytes());
    framed.extend_from_slice(bytes);
    scratch.append(&framed)
}

/// Documents kept in a [`Scratch`] (postcard, length-prefixed), not in memory: memory use is
/// one read buffer whatever the number of documents.
pub struct SpilledCorpus<S: Scratch> {
    scratch: S,
    len: usize,
}

impl<S: Scratch> SpilledCorpus<S> {
    /// An empty corpus writing to `scratch` (which must be empty).
    pub fn new(scratch: S) -> Self {
        SpilledCorpus { scratch, len: 0 }
    }

    /// Appends `doc`.
    pub fn push(&mut self, doc: &AnnotatedDocument) -> io::Result<()> {
        let bytes = postcard::to_stdvec(doc)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
        write_frame(&mut self.scratch, &bytes)?;
        self.len += 1;
        Ok(())
    }
}

impl<S: Scratch> Corpus for SpilledCorpus<S> {
    fn len(&self) -> usize {
        self.len
    }

    fn for_each(
        &self,
        f: &mut dyn FnMut(&AnnotatedDocument) -> Result<(), NerError>,
    ) -> Result<(), NerError> {
        let mut reader = ScratchReader::new(&self.scratch, 0, self.scratch.len());
        while let Some(bytes) = reader.frame().map_err(NerError::Scratch)? {
            let doc: AnnotatedDocument = postcard::from_bytes(bytes).map_err(|e| {
                NerError::Scratch(io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
            })?;
            f(&doc)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, Span};

    fn doc(i: usize, text: &str) -> AnnotatedDocument {
        AnnotatedDocument {
            document: Document {
                file: format!("fïle-{i}.txt"),
                line: i.is_multiple_of(2).then_some(i as u64),
                text: text.to_owned(),
            },
            spans: vec![Span {
                begin: 0,
                end: 2,
                entity_type: "PÉR".into(),
            }],
        }
    }

    fn round_trip<S: Scratch>(scratch: S) {
        // Long documents make frames straddle the reader's 64 KiB windows.
        let docs: Vec<AnnotatedDocument> = (0..300)
            .map(|i| doc(i, &"Zoë 東京 🙂 ".repeat(i * 7 + 1)))
            .collect();
        let mut spilled = SpilledCorpus::new(scratch);
        for d in &docs {
            spilled.push(d).unwrap();
        }
        assert_eq!(Corpus::len(&spilled), docs.len());
        let mut back = Vec::new();
        for _ in 0..2 {
            back.clear();
            spilled
                .for_each(&mut |d| {
                    back.push(d.clone());
                    Ok(())
                })
                .unwrap();
            assert_eq!(back, docs);
        }
    }

    #[test]
    fn spilled_corpus_round_trips_in_memory_and_in_a_file() {
        round_trip(Vec::new());
        round_trip(tempfile::tempfile().unwrap());
    }

    #[test]
    fn for_each_stops_at_the_first_error() {
        let docs = vec![doc(0, "a"), doc(1, "b"), doc(2, "c")];
        let mut seen = 0;
        let r = docs.for_each(&mut |_| {
            seen += 1;
            if seen == 2 {
                Err(NerError::Stopped)
            } else {
                Ok(())
            }
        });
        assert!(matches!(r, Err(NerError::Stopped)));
        assert_eq!(seen, 2);
    }

    #[test]
    fn reading_past_the_end_is_an_error_not_a_panic() {
        let v: Vec<u8> = vec![1, 2, 3];
        let mut buf = [0u8; 2];
        assert!(v.read_at(2, &mut buf).is_err());
        assert!(v.read_at(u64::MAX, &mut buf).is_err());
        let mut r = ScratchReader::new(&v, 0, 3);
        assert!(r.frame().is_err());
    }
}
