//! comprehend-ml: the text classification engine of comprehend-local — Amazon Comprehend's
//! custom document classifier, trained for real on the local machine.
//!
//! Pure: no async, no files, no network. Input arrives through `std::io::Read`; models leave
//! and return as bytes. CPU work runs on rayon's thread pool (both cores).
//!
//! # Pipeline
//! 1. **Formats** — [`read_comprehend_csv`] (`label,text` CSV, multi-label labels joined by a
//!    delimiter) and [`read_augmented_manifest`] (Ground Truth JSON Lines) give [`Document`]s;
//!    a bad record is a [`FormatError`] naming the 1-based line and what to fix.
//! 2. **Limits** — [`validate_training_set`] checks [`TrainingLimits`] (documents per label,
//!    label count and length), separately callable for dataset ingestion.
//! 3. **Features** — [`tokenize`] reproduces scikit-learn's default token pattern; [`tfidf`]
//!    builds a vocabulary with a minimum document frequency (columns by falling document
//!    frequency), sublinear TF, smooth IDF fixed at fit time, and L2-normalised rows in a
//!    `sprs` CSR matrix ([`sparse`]). One document transformed alone equals its row in a batch.
//! 4. **Models** — [`logistic`]: softmax (multi-class) or one-vs-rest sigmoid (multi-label)
//!    logistic regression with scikit-learn's L2 objective, behind linfa's `Fit` /
//!    `PredictInplace` / `Records`, minimised by a diagonally preconditioned L-BFGS with
//!    in-place parallel vector algebra and a hand-written sparse, two-thread gradient.
//! 5. **Training** — [`train`] validates, holds out a stratified 10 % test split (at most
//!    10,000 documents, seeded, see [`split`]) unless test data is given, fits, and evaluates,
//!    reporting [`Progress`] and honouring a cancellation flag.
//! 6. **Evaluation** — [`metrics`]: Comprehend's eight metrics and `confusion_matrix.json`,
//!    checked against scikit-learn in the tests.
//! 7. **Model** — [`Model`] predicts ranked label scores for one text or a parallel batch,
//!    evaluates new labelled data, and saves to / loads from a versioned, checksummed binary
//!    format ([`Model::to_bytes`], [`Model::from_bytes`]).
//!
//! # Threads and determinism
//! Training runs on rayon's global pool; the gradient is split into a fixed number of row
//! ranges and every floating-point reduction adds fixed blocks in a fixed order, so the same
//! data, parameters and seed give the same model bytes whatever the thread count.
//!
//! # Example
//! ```
//! use std::sync::atomic::AtomicBool;
//! use comprehend_ml::{read_comprehend_csv, train, Mode, TrainParams};
//!
//! let mut csv = String::new();
//! for i in 0..30 {
//!     csv.push_str(&format!("SPORT,the match ended with a late goal {i}\n"));
//!     csv.push_str(&format!("FOOD,the soup needs more salt and pepper {i}\n"));
//! }
//! let docs = read_comprehend_csv(csv.as_bytes(), Mode::MultiClass, '|').unwrap();
//! let trained = train(docs, None, &TrainParams::new(Mode::MultiClass), &mut |_| {},
//!                     &AtomicBool::new(false)).unwrap();
//! assert_eq!(trained.model.predict("what a goal")[0].0, "SPORT");
//! assert_eq!(trained.evaluation.metrics.accuracy, 1.0);
//! let bytes = trained.model.to_bytes();
//! let again = comprehend_ml::Model::from_bytes(&bytes).unwrap();
//! assert_eq!(again.labels(), trained.model.labels());
//! ```

mod comprehend_csv;
mod document;
mod error;
mod lbfgs;
mod limits;
pub mod logistic;
mod manifest;
pub mod metrics;
mod model;
mod objective;
pub mod sparse;
pub mod split;
pub mod tfidf;
pub mod tokenize;
mod train;

pub use comprehend_csv::{
    ALLOWED_LABEL_DELIMITERS, CsvDocuments, DEFAULT_LABEL_DELIMITER, append_comprehend_csv,
    read_comprehend_csv,
};
pub use document::{Document, Mode};
pub use error::{FormatError, MlError};
pub use limits::{LabelStats, TrainingLimits, validate_training_set};
pub use manifest::{append_augmented_manifest, read_augmented_manifest};
pub use metrics::{ConfusionMatrix, Evaluation, Metrics};
pub use model::{MODEL_FORMAT_VERSION, MULTI_LABEL_THRESHOLD, Model};
pub use train::{Phase, Progress, TrainParams, Trained, TrainingStats, holdout_split, train};
