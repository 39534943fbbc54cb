//! The data types every stage shares: documents, spans, and the training limits.
//!
//! Offsets are Unicode code points (Rust `char`s), zero-based, end exclusive, as Amazon
//! Comprehend counts them.

use serde::{Deserialize, Serialize};

/// How documents are laid out in an input object (`InputFormat` of the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InputFormat {
    /// Every line is one document (`ONE_DOC_PER_LINE`, the default).
    OneDocPerLine,
    /// The whole object is one document (`ONE_DOC_PER_FILE`).
    OneDocPerFile,
}

impl InputFormat {
    /// The API's name (`ONE_DOC_PER_LINE`, `ONE_DOC_PER_FILE`).
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::OneDocPerLine => "ONE_DOC_PER_LINE",
            InputFormat::OneDocPerFile => "ONE_DOC_PER_FILE",
        }
    }

    /// The format with the API's name `name`.
    pub fn from_api(name: &str) -> Option<InputFormat> {
        match name {
            "ONE_DOC_PER_LINE" => Some(InputFormat::OneDocPerLine),
            "ONE_DOC_PER_FILE" => Some(InputFormat::OneDocPerFile),
            _ => None,
        }
    }
}

/// One input document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The object (file name) it came from.
    pub file: String,
    /// Zero-based line in that object; `None` for one document per file.
    pub line: Option<u64>,
    /// The text.
    pub text: String,
}

/// A mention: `begin..end` in code points, end exclusive, with its entity type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First code point.
    pub begin: usize,
    /// One past the last code point.
    pub end: usize,
    /// The entity type.
    pub entity_type: String,
}

/// A document with its gold mentions, sorted by offset and non-overlapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnotatedDocument {
    /// The document.
    pub document: Document,
    /// Its mentions.
    pub spans: Vec<Span>,
}

/// Limits on training data (Amazon Comprehend Developer Guide, "Guidelines and quotas",
/// custom entity recognition for plain-text documents). [`Limits::default`] gives the
/// documented values; tests and local use may relax them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest training document in UTF-8 bytes (5,000).
    pub max_document_bytes: usize,
    /// Fewest training documents (3).
    pub min_documents: usize,
    /// Fewest training mentions per entity type (25).
    pub min_mentions_per_type: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 5_000,
            min_documents: 3,
            min_mentions_per_type: 25,
        }
    }
}

/// Most entity types one recognizer may have.
pub const MAX_ENTITY_TYPES: usize = 25;
