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
