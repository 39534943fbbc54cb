//! The join of annotations to their documents in compact memory, so that documents can be
//! read one at a time: every annotation row is kept as a 32-byte record (file names interned),
//! sorted once by document, and marked when a document takes it.

use std::collections::{BTreeMap, HashMap};
use std::io::BufRead;

use crate::error::{FormatError, FormatErrorKind};
use crate::formats::annotations::{Annotation, doc_error, for_each_annotation, sort_and_check};
use crate::{AnnotatedDocument, Document, InputFormat, Span};

/// `line` of a one-document-per-file document or annotation.
const NO_LINE: u64 = u64::MAX;

/// `kind` of a row whose type is not one of the entity types.
const IGNORED: u16 = u16::MAX;

/// One annotation row. Offsets past `u32::MAX` are stored as `u32::MAX` (no document is that
/// long, so they are past the end either way).
#[derive(Debug, Clone, Copy)]
struct Record {
    line: u64,
    file: u32,
    begin: u32,
    end: u32,
    /// Position among all rows added, for reporting the first unmatched row.
    seq: u32,
    /// 1-based line of the row in its annotations CSV.
    csv_line: u32,
    /// Index of the entity type, or `IGNORED`.
    kind: u16,
    consumed: bool,
}

/// Annotations waiting for their documents: add them all ([`read_annotations_into`] or
/// [`AnnotationIndex::add`]), then [`AnnotationIndex::attach`] each document, then
/// [`AnnotationIndex::finish`]. About 32 bytes per annotation plus each distinct file name.
#[derive(Debug)]
pub struct AnnotationIndex {
    types: Vec<String>,
    files: HashMap<String, u32>,
    names: Vec<String>,
    records: Vec<Record>,
    sorted: bool,
    ignored: BTreeMap<String, usize>,
    /// The annotations objects read, each with the `seq` of its first row: an unmatched
    /// row's error names the object it came from.
    sources: Vec<(u32, String)>,
}

/// Reads the annotations CSV named `file` into `index`, one row at a time, with the checks and
/// errors of [`crate::read_annotations`]. Rows of types not among the index's entity types
/// are counted (and must still name a document).
pub fn read_annotations_into(
    file: &str,
    r: impl BufRead,
    format: InputFormat,
    index: &mut AnnotationIndex,
) -> Result<(), FormatError> {
    let first = u32::try_from(index.records.len()).unwrap_or(u32::MAX);
    index.sources.push((first, file.to_owned()));
    for_each_annotation(file, r, format, &mut |a| {
        index.add(a);
        Ok(())
    })
}

impl AnnotationIndex {
    /// An empty index for a recognizer of `entity_types`.
    pub fn new(entity_types: &[String]) -> Self {
        AnnotationIndex {
            types: entity_types.to_vec(),
            files: HashMap::new(),
            names: Vec::new(),
            records: Vec::new(),
            sorted: true,
            ignored: BTreeMap::new(),
            sources: Vec::new(),
        }
    }

    /// Number of annotations added.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no annotation was added.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Adds one annotation row.
    pub fn add(&mut self, a: Annotation) {
        let kind = match self.types.iter().position(|t| *t == a.entity_type) {
            Some(k) => k as u16,
            None => {
                *self.ignored.entry(a.entity_type).or_insert(0) += 1;
                IGNORED
            }
        };
        let file = match self.files.get(&a.file) {
            Some(&id) => id,
            None => {
                let id = self.names.len() as u32;
                self.names.push(a.file.clone());
                self.files.insert(a.file, id);
                id
            }
        };
        let small = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        self.records.push(Record {
            line: a.line.unwrap_or(NO_LINE),
            file,
            begin: small(a.begin),
            end: small(a.end),
            seq: small(self.records.len()),
            csv_line: u32::try_from(a.csv_line).unwrap_or(u32::MAX),
            kind,
            consumed: false,
        });
        self.sorted = false;
    }

    /// `document` with its annotations of the entity types: sorted, exact duplicates and empty
    /// ones dropped. Errors name the document's object and 1-based line: an annotation ending
    /// past the document (the first in CSV order), or two that overlap.
    pub fn attach(&mut self, document: Document) -> Result<AnnotatedDocument, FormatError> {
        if !self.sorted {
            // Stable: a document's rows stay in CSV order, so errors name the same row.
            self.records.sort_by_key(|r| (r.file, r.line));
            self.sorted = true;
        }
        let mut spans = Vec::new();
        if let Some(&file) = self.files.get(&document.file) {
            let key = (file, document.line.unwrap_or(NO_LINE));
            let lo = self.records.partition_point(|r| (r.file, r.line) < key);
            let n = self.records[lo..].partition_point(|r| (r.file, r.line) == key);
            let mut length = None;
            for r in &mut self.records[lo..lo + n] {
                r.consumed = true;
                if r.kind == IGNORED {
                    continue;
                }
                let length = *length.get_or_insert_with(|| document.text.chars().count());
                let (begin, end) = (r.begin as usize, r.end as usize);
                if end > length {
                    let kind = FormatErrorKind::OffsetPastEnd { end, length };
                    return Err(doc_error(&document, kind));
                }
                if end > begin {
                    let entity_type = self.types[r.kind as usize].clone();
                    spans.push(Span {
                        begin,
                        end,
                        entity_type,
                    });
                }
            }
        }
        sort_and_check(&document, &mut spans)?;
        Ok(AnnotatedDocument { document, spans })
    }

    /// Ends the join: an error for the first annotation (in the order added) that no document
    /// took, naming the document it refers to and the row's object and line (when the rows
    /// came through [`read_annotations_into`]; otherwise the document's own name and line);
    /// without one, the ignored annotations by type.
    pub fn finish(self) -> Result<BTreeMap<String, usize>, FormatError> {
        let unmatched = self
            .records
            .iter()
            .filter(|r| !r.consumed)
            .min_by_key(|r| r.seq);
        let Some(r) = unmatched else {
            return Ok(self.ignored);
        };
        let file = self.names[r.file as usize].clone();
        let line = (r.line != NO_LINE).then_some(r.line);
        let source = self.sources.partition_point(|(first, _)| *first <= r.seq);
        let (object, row) = match source.checked_sub(1) {
            Some(i) => (self.sources[i].1.clone(), Some(u64::from(r.csv_line))),
            None => (file.clone(), line.map(|l| l + 1)),
        };
        Err(FormatError {
            object,
            line: row,
            kind: FormatErrorKind::UnknownDocument { file, line },
        })
    }
}

#[cfg(test)]
mod tests;
