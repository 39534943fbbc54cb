//! COMPREHEND_CSV: `label,text` records, no header, standard CSV quoting, LF or CRLF line ends
//! (Amazon Comprehend Developer Guide, "Classifier training file formats": a two-column
//! CSV file, UTF-8, without a header row).
//!
//! Two decisions where the guide is silent: a first line that is plainly a header
//! (`label,text`, `class,document`, …) is refused with a message saying so, rather than
//! read as a one-document label; and a record with more than two fields (an unquoted
//! comma in the text) is read with the text being the rest of the line, joined again.
//!
//! Parsing is the `csv` crate's; this module only turns records into [`Document`]s and says,
//! with the line number, what is wrong with a record.

use std::io::Read;

use crate::{Document, FormatError, Mode};

/// The label delimiters Comprehend accepts for `LabelDelimiter` (API reference,
/// DocumentClassifierInputDataConfig: "one of: ~ ! @ # $ % ^ * - _ + = \\ | : ; > ? / and space/tab").
pub const ALLOWED_LABEL_DELIMITERS: &str = " ~!@#$%^*-_+=|\\:;\t>?/";

/// The default multi-label delimiter.
pub const DEFAULT_LABEL_DELIMITER: char = '|';

/// Reads a whole COMPREHEND_CSV object.
///
/// In [`Mode::MultiLabel`] the first column is split on `delimiter` (which must be one of
/// [`ALLOWED_LABEL_DELIMITERS`]); in [`Mode::MultiClass`] the whole column is the label and
/// `delimiter` is ignored. An object with no record is [`FormatError::EmptyFile`]. To read an S3
/// prefix holding several objects, call [`append_comprehend_csv`] once per object.
pub fn read_comprehend_csv(
    reader: impl Read,
    mode: Mode,
    delimiter: char,
) -> Result<Vec<Document>, FormatError> {
    let mut docs = Vec::new();
    append_comprehend_csv(reader, mode, delimiter, &mut docs)?;
    Ok(docs)
}

/// Like [`read_comprehend_csv`] but appends to `docs` (several objects under one prefix) and
/// returns how many documents this object held. On error `docs` may hold part of the object.
pub fn append_comprehend_csv(
    reader: impl Read,
    mode: Mode,
    delimiter: char,
    docs: &mut Vec<Document>,
) -> Result<usize, FormatError> {
    let before = docs.len();
    for doc in CsvDocuments::new(reader, mode, delimiter)? {
        docs.push(doc?);
    }
    if docs.len() == before {
        return Err(FormatError::EmptyFile);
    }
    Ok(docs.len() - before)
}

/// A streaming reader of COMPREHEND_CSV documents, for inputs too large to hold at once.
///
/// It does not report [`FormatError::EmptyFile`] (an empty iteration says it).
pub struct CsvDocuments<R: Read> {
    reader: csv::Reader<R>,
    record: csv::ByteRecord,
    mode: Mode,
    delimiter: char,
    first: bool,
}

impl<R: Read> CsvDocuments<R> {
    /// Starts reading; fails only if `delimiter` is not allowed (checked in both modes, so a
    /// bad request setting is reported even for multi-class data).
    pub fn new(reader: R, mode: Mode, delimiter: char) -> Result<Self, FormatError> {
        if !ALLOWED_LABEL_DELIMITERS.contains(delimiter) {
            return Err(FormatError::InvalidDelimiter(delimiter));
        }
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            // Records with more than two fields are accepted (see `text`), so the reader
            // must not reject varying field counts itself.
            .flexible(true)
            .from_reader(reader);
        Ok(CsvDocuments {
            reader,
            record: csv::ByteRecord::new(),
            mode,
            delimiter,
            first: true,
        })
    }

    fn document(&self, line: u64) -> Result<Document, FormatError> {
        let mut label = field(&self.record, 0, line)?;
        if self.first {
            label = label.strip_prefix('\u{feff}').unwrap_or(label);
        }
        let text = match self.record.len() {
            0 | 1 => return Err(FormatError::MissingText { line }),
            2 => field(&self.record, 1, line)?.to_owned(),
            // An unquoted comma in the text splits it into more fields; like the scikit-learn
            // baseline we glue them back rather than reject data Comprehend users often have.
            n => {
                let parts: Result<Vec<&str>, _> =
                    (1..n).map(|i| field(&self.record, i, line)).collect();
                parts?.join(",")
            }
        };
        if text.trim().is_empty() {
            return Err(FormatError::MissingText { line });
        }
        if self.first && is_header(label, &text) {
            return Err(FormatError::HeaderRow {
                line,
                label: label.to_owned(),
                text,
            });
        }
        let labels = match self.mode {
            Mode::MultiClass => vec![check_label(label, line)?.to_owned()],
            Mode::MultiLabel => split_labels(label, self.delimiter, line)?,
        };
        Ok(Document { text, labels })
    }
}

impl<R: Read> Iterator for CsvDocuments<R> {
    type Item = Result<Document, FormatError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let more = match self.reader.read_byte_record(&mut self.record) {
                Ok(more) => more,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Some(Err(FormatError::Csv {
                        line,
                        message: e.to_string(),
                    }));
                }
            };
            if !more {
                return None;
            }
            let line = self.record.position().map_or(0, |p| p.line());
            // The csv crate skips empty lines but yields a lone field for a line of spaces.
            if self.record.len() == 1 && self.record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let doc = self.document(line);
            self.first = false;
            return Some(doc);
        }
    }
}

/// Whether a first record reads as column names rather than a document.
fn is_header(label: &str, text: &str) -> bool {
    const LABELS: &[&str] = &[
        "label",
        "labels",
        "class",
        "classes",
        "category",
        "categories",
    ];
    const TEXTS: &[&str] = &[
        "text",
        "document",
        "documents",
        "content",
        "sentence",
        "body",
    ];
    let is =
        |words: &[&str], value: &str| words.iter().any(|w| w.eq_ignore_ascii_case(value.trim()));
    is(LABELS, label) && is(TEXTS, text)
}

fn field(record: &csv::ByteRecord, i: usize, line: u64) -> Result<&str, FormatError> {
    std::str::from_utf8(&record[i]).map_err(|_| FormatError::InvalidUtf8 { line })
}

/// Rejects empty labels and labels with control characters; returns the label unchanged.
pub(crate) fn check_label(label: &str, line: u64) -> Result<&str, FormatError> {
    if label.trim().is_empty() {
        return Err(FormatError::EmptyLabel { line });
    }
    if label.chars().any(char::is_control) {
        return Err(FormatError::InvalidLabel { line });
    }
    Ok(label)
}

fn split_labels(field: &str, delimiter: char, line: u64) -> Result<Vec<String>, FormatError> {
    let mut labels: Vec<String> = Vec::new();
    for part in field.split(delimiter) {
        let part = check_label(part, line)?;
        if !labels.iter().any(|l| l == part) {
            labels.push(part.to_owned());
        }
    }
    Ok(labels)
}
