//! The phases of reading data and training a model, logged as they start and end with their
//! durations — the progress a version shows while it trains, and where its time goes.
//!
//! Lines carry `phase` and `seconds`; inside a job they also carry the job's span (id, kind,
//! target), so `grep 'job{id=7'` shows one training from the S3 read to the output archive.

use std::fmt;
use std::time::Instant;

/// A step of a training job (or of any job that reads labelled documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Fetching an object's bytes from S3.
    ReadFromS3,
    /// Parsing them into documents.
    Parse,
    /// Checking the training set against the limits.
    Validate,
    /// Holding out the test documents.
    Split,
    /// Document frequencies: the vocabulary and IDF.
    Vocabulary,
    /// The training TF-IDF matrix.
    Matrix,
    /// The optimizer.
    Fit,
    /// Scoring the test documents.
    Evaluation,
    /// Encoding and writing the model file.
    ModelSave,
    /// Building and uploading `output.tar.gz`.
    OutputArchive,
}

impl Phase {
    /// The name in log lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::ReadFromS3 => "read from S3",
            Phase::Parse => "parse",
            Phase::Validate => "validate",
            Phase::Split => "split",
            Phase::Vocabulary => "vocabulary",
            Phase::Matrix => "matrix",
            Phase::Fit => "fit",
            Phase::Evaluation => "evaluation",
            Phase::ModelSave => "model save",
            Phase::OutputArchive => "output archive",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<comprehend_ml::Phase> for Phase {
    fn from(phase: comprehend_ml::Phase) -> Self {
        match phase {
            comprehend_ml::Phase::Validating => Phase::Validate,
            comprehend_ml::Phase::Splitting => Phase::Split,
            comprehend_ml::Phase::Vocabulary => Phase::Vocabulary,
            comprehend_ml::Phase::Matrix => Phase::Matrix,
            comprehend_ml::Phase::Fitting => Phase::Fit,
            comprehend_ml::Phase::Evaluating => Phase::Evaluation,
        }
    }
}

/// A phase under way: logged when started, and when [`Timer::done`] ends it.
#[derive(Debug)]
pub struct Timer {
    phase: Phase,
    started: Instant,
}

impl Timer {
    /// Starts `phase` and logs it.
    pub fn start(phase: Phase) -> Self {
        tracing::info!(phase = %phase, "phase started");
        Timer {
            phase,
            started: Instant::now(),
        }
    }

    /// The phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Seconds since the start, rounded to milliseconds for log lines.
    pub fn seconds(&self) -> f64 {
        (self.started.elapsed().as_secs_f64() * 1e3).round() / 1e3
    }

    /// Ends the phase, logging its duration.
    pub fn done(self) {
        tracing::info!(phase = %self.phase, seconds = self.seconds(), "phase done");
    }
}
