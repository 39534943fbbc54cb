//! Annotations CSV (Amazon Comprehend Developer Guide, "Annotations"): a header row
//! `File, Line, Begin Offset, End Offset, Type` (no `Line` for one document per file), fields
//! trimmed, offsets in code points with the end exclusive; and attaching annotations to their
//! documents.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use crate::error::{FormatError, FormatErrorKind};
use crate::formats::index::AnnotationIndex;
use crate::{AnnotatedDocument, Document, InputFormat, Span};

/// One row of an annotations CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// The document object the row refers to.
    pub file: String,
    /// Its zero-based line; `None` for one document per file.
    pub line: Option<u64>,
    /// First code point.
    pub begin: usize,
    /// One past the last code point.
    pub end: usize,
    /// The entity type.
    pub entity_type: String,
    /// 1-based line of the row in the annotations CSV.
    pub csv_line: u64,
}

/// Annotated documents, and the annotations dropped because their type is not one of the
/// recognizer's entity types (the service ignores such types).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attached {
    /// Every document, in input order, with its mentions.
    pub documents: Vec<AnnotatedDocument>,
    /// Dropped annotations by entity type.
    pub ignored: BTreeMap<String, usize>,
}

const HEADER_PER_LINE: &str = "File, Line, Begin Offset, End Offset, Type";
const HEADER_PER_FILE: &str = "File, Begin Offset, End Offset, Type";

struct Columns {
    file: usize,
    line: Option<usize>,
    begin: usize,
    end: usize,
    entity_type: usize,
}

/// Reads the annotations CSV named `file`. Errors name the object and the 1-based CSV line:
/// invalid UTF-8 or CSV, a missing header or column, a non-numeric offset or line, an empty
/// file or type, an end offset before the begin offset.
pub fn read_annotations(
    file: &str,
    r: impl Read,
    format: InputFormat,
) -> Result<Vec<Annotation>, FormatError> {
    let mut out = Vec::new();
    for_each_annotation(file, r, format, &mut |a| {
        out.push(a);
        Ok(())
    })?;
    Ok(out)
}

/// [`read_annotations`] one row at a time, in file order.
pub(crate) fn for_each_annotation(
    file: &str,
    r: impl Read,
    format: InputFormat,
    f: &mut dyn FnMut(Annotation) -> Result<(), FormatError>,
) -> Result<(), FormatError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(r);
    let columns = header_columns(file, &mut reader, format)?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(file, &e)),
        }
        let csv_line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(str::is_empty) {
            continue;
        }
        f(parse_row(file, &record, &columns, csv_line)?)?;
    }
    Ok(())
}

fn csv_error(file: &str, e: &csv::Error) -> FormatError {
    let line = e.position().map_or(1, csv::Position::line);
    let kind = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => FormatErrorKind::InvalidUtf8,
        _ => FormatErrorKind::Csv(e.to_string()),
    };
    FormatError::at(file, line, kind)
}

fn header_columns<R: Read>(
    file: &str,
    reader: &mut csv::Reader<R>,
    format: InputFormat,
) -> Result<Columns, FormatError> {
    let expected = match format {
        InputFormat::OneDocPerLine => HEADER_PER_LINE,
        InputFormat::OneDocPerFile => HEADER_PER_FILE,
    };
    let headers = reader.headers().map_err(|e| csv_error(file, &e))?.clone();
    let find = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let missing = || FormatError::whole(file, FormatErrorKind::MissingHeader { expected });
    let line = find("Line");
    if format == InputFormat::OneDocPerLine && line.is_none() {
        return Err(missing());
    }
    Ok(Columns {
        file: find("File").ok_or_else(missing)?,
        line: line.filter(|_| format == InputFormat::OneDocPerLine),
        begin: find("Begin Offset").ok_or_else(missing)?,
        end: find("End Offset").ok_or_else(missing)?,
        entity_type: find("Type").ok_or_else(missing)?,
    })
}

fn parse_row(
    file: &str,
    record: &csv::StringRecord,
    columns: &Columns,
    csv_line: u64,
) -> Result<Annotation, FormatError> {
    let field = |i: usize, column: &'static str| -> Result<&str, FormatError> {
        match record.get(i) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(FormatError::at(
                file,
                csv_line,
                FormatErrorKind::EmptyField { column },
            )),
        }
    };
    let number = |i: usize, column: &'static str| -> Result<u64, FormatError> {
        let value = field(i, column)?;
        value.parse::<u64>().map_err(|_| {
            FormatError::at(
                file,
                csv_line,
                FormatErrorKind::NotANumber {
                    column,
                    value: value.to_owned(),
                },
            )
        })
    };
    let line = match columns.line {
        Some(i) => Some(number(i, "Line")?),
        None => None,
    };
    let begin = number(columns.begin, "Begin Offset")? as usize;
    let end = number(columns.end, "End Offset")? as usize;
    if end < begin {
        return Err(FormatError::at(
            file,
            csv_line,
            FormatErrorKind::EndBeforeBegin { begin, end },
        ));
    }
    Ok(Annotation {
        file: field(columns.file, "File")?.to_owned(),
        line,
        begin,
        end,
        entity_type: field(columns.entity_type, "Type")?.to_owned(),
        csv_line,
    })
}

/// Attaches annotations to their documents (matched by file name and line). Annotations of
/// types not in `entity_types` are dropped and counted; empty ones (begin = end) and exact
/// duplicates are dropped. Errors name the document's object and 1-based line: an annotation
/// for a document that does not exist, one ending past its document, or two that overlap.
/// This is an [`AnnotationIndex`] fed all annotations, then every document in order; when the
/// input has several errors, those of the documents (in document order) come first.
pub fn attach_annotations(
    docs: Vec<Document>,
    annotations: Vec<Annotation>,
    entity_types: &[String],
) -> Result<Attached, FormatError> {
    let mut index = AnnotationIndex::new(entity_types);
    annotations.into_iter().for_each(|a| index.add(a));
    let documents = docs
        .into_iter()
        .map(|d| index.attach(d))
        .collect::<Result<Vec<_>, _>>()?;
    let ignored = index.finish()?;
    Ok(Attached { documents, ignored })
}

/// Sorts a document's spans, drops exact duplicates, and rejects overlaps.
pub(crate) fn sort_and_check(doc: &Document, spans: &mut Vec<Span>) -> Result<(), FormatError> {
    spans.sort();
    spans.dedup();
    for pair in spans.windows(2) {
        if pair[1].begin < pair[0].end {
            let show = |s: &Span| format!("{}-{} {}", s.begin, s.end, s.entity_type);
            return Err(doc_error(
                doc,
                FormatErrorKind::Overlapping {
                    first: show(&pair[0]),
                    second: show(&pair[1]),
                },
            ));
        }
    }
    Ok(())
}

pub(crate) fn doc_error(doc: &Document, kind: FormatErrorKind) -> FormatError {
    FormatError {
        object: doc.file.clone(),
        line: Some(doc.line.map_or(1, |l| l + 1)),
        kind,
    }
}

/// Writes an annotations CSV for ONE_DOC_PER_LINE documents, in the format
/// [`read_annotations`] reads: the header row, then one row per mention.
pub struct AnnotationWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> AnnotationWriter<W> {
    /// Starts the file with its header row.
    pub fn new(out: W) -> std::io::Result<Self> {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        csv.write_record(["File", "Line", "Begin Offset", "End Offset", "Type"])?;
        Ok(AnnotationWriter { csv })
    }

    /// One row: `span` of the document on zero-based `line` of `file`.
    pub fn write(&mut self, file: &str, line: u64, span: &Span) -> std::io::Result<()> {
        let (line, begin, end) = (
            line.to_string(),
            span.begin.to_string(),
            span.end.to_string(),
        );
        self.csv
            .write_record([file, &line, &begin, &end, &span.entity_type])?;
        Ok(())
    }

    /// Flushes the rows and returns the writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.csv
            .into_inner()
            .map_err(|e| std::io::Error::other(e.error().to_string()))
    }
}
