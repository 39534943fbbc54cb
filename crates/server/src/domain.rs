//! Rules about resources that both the request handlers and the jobs need: which model
//! versions can serve, where a flywheel's versions get their name, labels and mode, and
//! the ids derived from a resource's identity.

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::{DocumentClassifierMode, LanguageCode, ModelStatus};
use comprehend_store::flywheels::FlywheelRecord;

/// Languages custom classifiers train in (Amazon Comprehend Developer Guide, "Languages
/// supported in Amazon Comprehend": custom classification); the model's other language
/// codes are answered with UnsupportedLanguageException.
pub const TRAINING_LANGUAGES: &[LanguageCode] = &[
    LanguageCode::En,
    LanguageCode::Es,
    LanguageCode::Fr,
    LanguageCode::De,
    LanguageCode::It,
    LanguageCode::Pt,
];

/// What kind of model a model ARN names: it decides an endpoint's ARN type
/// (`document-classifier-endpoint/…` or `entity-recognizer-endpoint/…`, API reference,
/// CreateEndpoint), which inference operation reaches it and which cache serves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Served {
    /// A document classifier version (ClassifyDocument).
    Classifier,
    /// An entity recognizer version (DetectEntities).
    Recognizer,
}

impl Served {
    /// The kind of model `model_arn` names, if it names a model.
    pub fn of(model_arn: &str) -> Option<Served> {
        match Arn::parse(model_arn).ok()?.resource {
            Resource::DocumentClassifier { .. } => Some(Served::Classifier),
            Resource::EntityRecognizer { .. } => Some(Served::Recognizer),
            _ => None,
        }
    }
}

/// Statuses in which a version can serve inference.
pub const USABLE: &[ModelStatus] = &[ModelStatus::Trained, ModelStatus::TrainedWithWarning];

/// The classifier name a flywheel's versions share: its active model's, or the flywheel's.
pub fn model_name(flywheel: &FlywheelRecord) -> String {
    flywheel
        .active_model_arn
        .as_deref()
        .and_then(|arn| Arn::parse(arn).ok())
        .and_then(|arn| match arn.resource {
            Resource::DocumentClassifier { name, .. } => Some(name),
            _ => None,
        })
        .unwrap_or_else(|| flywheel.name.clone())
}

/// A flywheel's fixed label set, once known.
pub fn labels(flywheel: &FlywheelRecord) -> Option<&[String]> {
    flywheel
        .task_config
        .document_classification_config
        .as_ref()
        .and_then(|c| c.labels.as_deref())
}

/// A flywheel's classification mode.
pub fn mode(flywheel: &FlywheelRecord) -> DocumentClassifierMode {
    flywheel
        .task_config
        .document_classification_config
        .as_ref()
        .map(|c| c.mode)
        .unwrap_or(DocumentClassifierMode::MultiClass)
}

/// A stable 32-hex-character id derived from a resource's identity (output folder names
/// must not change when a job is retried after a restart).
pub fn stable_id(seed: &str) -> String {
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, seed.as_bytes())
        .simple()
        .to_string()
}

/// Metrics as the service reports them: four decimals.
pub fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}
