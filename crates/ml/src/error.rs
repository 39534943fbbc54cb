//! The crate's errors: [`FormatError`] for one bad input object, [`MlError`] for everything else.
//!
//! Messages are written for the person who uploaded the data: the server copies them into the
//! resource's `Message` (prefixed with the object name), so they say what is wrong and where.

use crate::Mode;

/// A problem in one input object (CSV or augmented manifest). Line numbers are 1-based and count
/// physical lines, so an editor's "go to line" lands on the record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The object holds no documents at all (or only blank lines).
    #[error("the file is empty: expected one document per line")]
    EmptyFile,
    /// A line is not valid UTF-8.
    #[error("line {line}: the text is not valid UTF-8; save the file as UTF-8")]
    InvalidUtf8 {
        /// 1-based line number.
        line: u64,
    },
    /// A CSV record has no text column, or the text is empty.
    #[error(
        "line {line}: missing the document text; each line must be `label,text` (quote text that contains commas)"
    )]
    MissingText {
        /// 1-based line number.
        line: u64,
    },
    /// The first line is a header row (`label,text` or the like), which COMPREHEND_CSV
    /// files must not have.
    #[error(
        "line {line}: the first line looks like a header row ({label:?},{text:?}); COMPREHEND_CSV files have no header: remove it"
    )]
    HeaderRow {
        /// 1-based line number.
        line: u64,
        /// The first column.
        label: String,
        /// The second column.
        text: String,
    },
    /// The label column is empty, or (multi-label) one of the delimited labels is.
    #[error("line {line}: empty label; every document needs a label in the first column")]
    EmptyLabel {
        /// 1-based line number.
        line: u64,
    },
    /// A label contains a control character (Comprehend's label pattern is `^\P{C}*$`).
    #[error("line {line}: the label contains a control character, which labels may not contain")]
    InvalidLabel {
        /// 1-based line number.
        line: u64,
    },
    /// The CSV could not be parsed at all (the csv crate's message).
    #[error("line {line}: invalid CSV: {message}")]
    Csv {
        /// 1-based line number.
        line: u64,
        /// What the CSV parser reported.
        message: String,
    },
    /// The label delimiter is not one Comprehend accepts.
    #[error(
        "invalid label delimiter {0:?}: LabelDelimiter must be one of ` ~!@#$%^*-_+=|\\:;<TAB>>?/`"
    )]
    InvalidDelimiter(char),
    /// A manifest line is not a JSON object.
    #[error("line {line}: not a JSON object: {message}")]
    Json {
        /// 1-based line number.
        line: u64,
        /// What the JSON parser reported.
        message: String,
    },
    /// A manifest line has no usable `source` text.
    #[error("line {line}: missing the `source` attribute holding the document text{hint}")]
    MissingSource {
        /// 1-based line number.
        line: u64,
        /// Extra explanation (for example that `source-ref` is not supported).
        hint: &'static str,
    },
    /// A manifest line lacks the label attribute, its `-metadata`, or the class name/map in it.
    #[error("line {line}: {what}")]
    ManifestLabel {
        /// 1-based line number.
        line: u64,
        /// What is missing or malformed, naming the attribute.
        what: String,
    },
}

/// Every error of this crate.
#[derive(Debug, thiserror::Error)]
pub enum MlError {
    /// An input object is malformed.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// No training documents at all.
    #[error("the training data holds no documents")]
    NoDocuments,
    /// A multi-class document does not have exactly one label (only possible when documents are
    /// built by hand: the readers always give one).
    #[error("document {index} has {count} labels; a MULTI_CLASS document has exactly one")]
    LabelCount {
        /// 0-based index of the document in the slice.
        index: usize,
        /// How many labels it has.
        count: usize,
    },
    /// Some labels have fewer training documents than the minimum.
    #[error("{}", too_few_message(.labels, *.min))]
    TooFewDocumentsForLabel {
        /// The offending labels with their document counts, in label order.
        labels: Vec<(String, usize)>,
        /// The minimum per label.
        min: usize,
    },
    /// Fewer documents in total than the mode requires.
    #[error("the training data has {count} documents; at least {min} are required in {mode} mode")]
    TooFewDocuments {
        /// Documents found.
        count: usize,
        /// The minimum.
        min: usize,
        /// The mode whose minimum applies.
        mode: Mode,
    },
    /// A multi-class classifier needs two labels to choose between.
    #[error("the training data has only {count} distinct label(s); at least 2 are required")]
    TooFewLabels {
        /// Distinct labels found.
        count: usize,
    },
    /// More distinct labels than the mode allows.
    #[error(
        "the training data has {count} distinct labels; at most {max} are allowed in {mode} mode"
    )]
    TooManyLabels {
        /// Distinct labels found.
        count: usize,
        /// The limit.
        max: usize,
        /// The mode whose limit applies.
        mode: Mode,
    },
    /// A label name is longer than allowed.
    #[error("the label starting {start:?} is {chars} characters long; at most {max} are allowed")]
    LabelTooLong {
        /// The first 40 characters of the label.
        start: String,
        /// Its length in characters.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// No term occurs in at least `min_df` training documents, so there are no features.
    #[error(
        "no word occurs in at least {min_df} training documents: the documents have no usable text"
    )]
    EmptyVocabulary {
        /// The minimum document frequency in force.
        min_df: usize,
    },
    /// A training parameter is out of range.
    #[error("invalid training parameter: {0}")]
    InvalidParams(String),
    /// Training was cancelled through the cancellation flag.
    #[error("training was cancelled")]
    Cancelled,
    /// The optimizer failed before producing any usable weights.
    #[error("the optimizer failed: {0}")]
    Optimizer(String),
    /// Model bytes written by an unknown format version.
    #[error("unsupported model format version {found} (this build reads version {supported})")]
    UnsupportedModelVersion {
        /// Version found in the header.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },
    /// Model bytes that are not a model, truncated, or damaged.
    #[error("corrupt model file: {0}")]
    CorruptModel(String),
    /// An error reported through linfa's traits.
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
}

fn too_few_message(labels: &[(String, usize)], min: usize) -> String {
    const SHOWN: usize = 5;
    let list: Vec<String> = labels
        .iter()
        .take(SHOWN)
        .map(|(l, n)| format!("{l:?} has {n}"))
        .collect();
    let more = if labels.len() > SHOWN {
        format!(" and {} more labels", labels.len() - SHOWN)
    } else {
        String::new()
    };
    format!(
        "each label needs at least {min} training documents: {}{more}",
        list.join(", ")
    )
}
