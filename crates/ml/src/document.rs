//! The data every other module shares: the classifier [`Mode`] and a labelled [`Document`].

use serde::{Deserialize, Serialize};

/// Comprehend's classifier mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    /// One label per document; scores are a softmax (they sum to 1).
    MultiClass,
    /// Any number of labels per document; one independent sigmoid score per label.
    MultiLabel,
}

impl Mode {
    /// The AWS spelling (`MULTI_CLASS` / `MULTI_LABEL`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::MultiClass => "MULTI_CLASS",
            Mode::MultiLabel => "MULTI_LABEL",
        }
    }
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One labelled document. In [`Mode::MultiClass`] `labels` has exactly one entry; in
/// [`Mode::MultiLabel`] one or more distinct entries, in the order they were read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The document text.
    pub text: String,
    /// Its labels.
    pub labels: Vec<String>,
}

impl Document {
    /// A single-label document.
    pub fn new(label: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            text: text.into(),
            labels: vec![label.into()],
        }
    }
}

impl AsRef<str> for Document {
    fn as_ref(&self) -> &str {
        &self.text
    }
}
