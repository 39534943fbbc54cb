//! The crate's errors: [`FormatError`] for one bad input record, [`NerError`] for everything
//! training and model loading can fail with.
//!
//! Messages are written for the person who uploaded the data: the server copies them into the
//! recognizer's `Message`. Where Amazon Comprehend's own wording is known (the Ground Truth
//! conversion scripts in `aws-samples/amazon-comprehend-examples` print the service's
//! validation messages) it is reused. Line numbers in messages are 1-based physical lines of the
//! named file, so an editor's "go to line" lands on the record.

use std::fmt;

/// A bad input record: which object (file name), which line, and what is wrong.
/// `Display` is a message a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The object (file name) the record is in.
    pub object: String,
    /// 1-based line of the record in that object, when the problem has one.
    pub line: Option<u64>,
    /// What is wrong.
    pub kind: FormatErrorKind,
}

/// What is wrong with a record; see [`FormatError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatErrorKind {
    /// The bytes are not UTF-8.
    InvalidUtf8,
    /// A document is larger than [`crate::Limits::max_document_bytes`].
    DocumentTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A CSV header is missing or lacks a required column.
    MissingHeader {
        /// The header the file must start with.
        expected: &'static str,
    },
    /// A CSV record could not be parsed (too few fields, bad quoting).
    Csv(String),
    /// A field that must be a non-negative integer is not.
    NotANumber {
        /// The column name.
        column: &'static str,
        /// The value found.
        value: String,
    },
    /// A required field is empty.
    EmptyField {
        /// The column name.
        column: &'static str,
    },
    /// End offset before begin offset.
    EndBeforeBegin {
        /// Begin offset.
        begin: usize,
        /// End offset.
        end: usize,
    },
    /// An annotation ends past the end of its document.
    OffsetPastEnd {
        /// End offset of the annotation.
        end: usize,
        /// Length of the document in characters.
        length: usize,
    },
    /// Two annotations of one document overlap.
    Overlapping {
        /// The first, as `begin-end TYPE`.
        first: String,
        /// The second.
        second: String,
    },
    /// An annotation names a file or line with no document.
    UnknownDocument {
        /// The file named by the annotation.
        file: String,
        /// The zero-based line named by the annotation.
        line: Option<u64>,
    },
    /// A manifest line is not a JSON object.
    InvalidJson(String),
    /// A manifest line lacks a usable attribute.
    Manifest(String),
    /// An entity list entry is longer than the service allows.
    EntryTooLong {
        /// The limit in characters.
        limit: usize,
    },
    /// An entity list has more entries than the service allows.
    TooManyEntries {
        /// The limit.
        limit: usize,
    },
}

impl FormatError {
    /// An error in `object` at 1-based `line`.
    pub(crate) fn at(object: &str, line: u64, kind: FormatErrorKind) -> Self {
        FormatError {
            object: object.to_owned(),
            line: Some(line),
            kind,
        }
    }

    /// An error in `object` as a whole.
    pub(crate) fn whole(object: &str, kind: FormatErrorKind) -> Self {
        FormatError {
            object: object.to_owned(),
            line: None,
            kind,
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = &self.object;
        let line = self.line.unwrap_or(1);
        match &self.kind {
            FormatErrorKind::InvalidUtf8 => write!(
                f,
                "The file {file} is not in UTF-8 format (line {line}). Save the file as UTF-8 and try again."
            ),
            FormatErrorKind::DocumentTooLarge { limit } => write!(
                f,
                "A document exceeds the maximum size in the file {file} on line {line}. Each document can be up to {limit} bytes."
            ),
            FormatErrorKind::MissingHeader { expected } => write!(
                f,
                "The file {file} must start with the header row `{expected}`. Add the header and try again."
            ),
            FormatErrorKind::Csv(msg) => write!(
                f,
                "The file {file} is not a valid CSV file: line {line}: {msg}. Correct the file and try again."
            ),
            FormatErrorKind::NotANumber { column, value } => write!(
                f,
                "The file {file} has an invalid {column} {value:?} on line {line}. Offsets and line numbers must be non-negative integers."
            ),
            FormatErrorKind::EmptyField { column } => write!(
                f,
                "The file {file} has an empty {column} on line {line}. Every row needs a value in this column."
            ),
            FormatErrorKind::EndBeforeBegin { begin, end } => write!(
                f,
                "An incorrect annotation is located in the file {file} on line {line}. The offset begins at position {begin} and ends at position {end}. End Offset cannot be less than Begin Offset."
            ),
            FormatErrorKind::OffsetPastEnd { end, length } => write!(
                f,
                "An offset exceeds the maximum length in the file {file} on line {line}. The annotation ends at position {end} but the document has {length} characters."
            ),
            FormatErrorKind::Overlapping { first, second } => write!(
                f,
                "Overlapping annotations are located in the file {file} on line {line}. Annotations must not overlap. The annotations are: {first} and {second}."
            ),
            FormatErrorKind::UnknownDocument {
                file: doc,
                line: doc_line,
            } => {
                let at = doc_line.map_or(String::new(), |l| format!(" at Line {l}"));
                write!(
                    f,
                    "The annotation on line {line} of the file {file} refers to the document {doc}{at}, which is not in the training documents."
                )
            }
            FormatErrorKind::InvalidJson(_) => write!(
                f,
                "An augmented manifest file in your request is an invalid JSON lines file. Amazon Comprehend is unable to parse line {line} in the file {file}. Correct the file and try again."
            ),
            FormatErrorKind::EntryTooLong { limit } => write!(
                f,
                "The entity list {file} has an entry longer than {limit} characters on line {line}. Shorten or remove the entry and try again."
            ),
            FormatErrorKind::TooManyEntries { limit } => write!(
                f,
                "The entity list {file} has more than {limit} entries (line {line}). Remove entries and try again."
            ),
            FormatErrorKind::Manifest(what) => write!(
                f,
                "The augmented manifest file {file} has an invalid line {line}: {what}. Correct the file and try again."
            ),
        }
    }
}

impl std::error::Error for FormatError {}

/// Everything training and model loading can fail with. `Display` is the recognizer's
/// `IN_ERROR` message.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    /// An input record is malformed.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// No entity types, more than the maximum, or an invalid type name.
    #[error("{0}")]
    EntityTypes(String),
    /// Fewer training documents than [`crate::Limits::min_documents`].
    #[error(
        "The training data contains {count} documents. Provide at least {min} annotated documents and try again."
    )]
    TooFewDocuments {
        /// Documents found.
        count: usize,
        /// The minimum.
        min: usize,
    },
    /// An entity type has fewer training mentions than [`crate::Limits::min_mentions_per_type`].
    #[error(
        "The training input data contains too few documents that mention one of the entities: the entity type {entity_type} has {count} annotations; each entity type needs at least {min}."
    )]
    TooFewMentions {
        /// The first type below the minimum (in entity type order).
        entity_type: String,
        /// Its mentions.
        count: usize,
        /// The minimum.
        min: usize,
    },
    /// Test data was given but holds no mention of a listed entity type.
    #[error(
        "The test data contains no annotation for the entity type {entity_type}. Test data must contain at least one annotation for every entity type."
    )]
    TestMissingType {
        /// The type without test mentions.
        entity_type: String,
    },
    /// A training parameter is out of range.
    #[error("invalid training parameter: {0}")]
    InvalidParams(String),
    /// Training was stopped through the cancellation flag.
    #[error("training was stopped")]
    Stopped,
    /// The optimizer failed.
    #[error("the optimizer failed: {0}")]
    Optimizer(String),
    /// Training could not write or read back its scratch space (a disk full, a temporary
    /// directory removed).
    #[error(
        "Training could not use its scratch space: {0}. Make sure the temporary directory has free space and try again."
    )]
    Scratch(#[source] std::io::Error),
    /// Model bytes that are not a recognizer, of an unknown version, truncated or damaged.
    #[error("invalid entity recognizer model: {0}")]
    BadModel(String),
}
