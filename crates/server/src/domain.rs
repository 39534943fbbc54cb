//! Rules about resources that both the request handlers and the jobs need: which model
//! versions can serve, where a flywheel's versions get their name, labels and mode, and
//! the ids derived from a resource's identity.

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::{DocumentClassifierMode, LanguageCode, ModelStatus, ModelType};
use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::entity_recognizers::RecognizerRecord;
use comprehend_store::flywheels::FlywheelRecord;
use comprehend_store::versions::Version;

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

/// Document classification jobs, by the code their family is stored under: the `<TYPE>`
/// of their output folder (`<S3Uri><account>-<TYPE>-<JobId>/output/`, API reference,
/// OutputDataConfig.S3Uri).
pub const CLASSIFICATION_JOBS: &str = "CLN";
/// Entities detection jobs (custom recognizers), likewise.
pub const ENTITIES_JOBS: &str = "NER";

/// The two kinds of custom model: it decides a version's and an endpoint's ARN type
/// (`document-classifier…` or `entity-recognizer…`, API reference, CreateEndpoint), which
/// inference operation reaches it, which cache serves it, and what a flywheel of its
/// `ModelType` trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// A document classifier version (ClassifyDocument).
    Classifier,
    /// An entity recognizer version (DetectEntities).
    Recognizer,
}

impl ModelKind {
    /// The kind of model `model_arn` names, if it names a model.
    pub fn of(model_arn: &str) -> Option<ModelKind> {
        match Arn::parse(model_arn).ok()?.resource {
            Resource::DocumentClassifier { .. } => Some(ModelKind::Classifier),
            Resource::EntityRecognizer { .. } => Some(ModelKind::Recognizer),
            _ => None,
        }
    }

    /// The kind a flywheel of this `ModelType` trains.
    pub fn of_type(model_type: ModelType) -> ModelKind {
        match model_type {
            ModelType::DocumentClassifier => ModelKind::Classifier,
            ModelType::EntityRecognizer => ModelKind::Recognizer,
        }
    }

    /// The kind a flywheel trains.
    pub fn of_flywheel(flywheel: &FlywheelRecord) -> ModelKind {
        ModelKind::of_type(flywheel.model_type)
    }

    /// The flywheel `ModelType` of this kind.
    pub fn model_type(self) -> ModelType {
        match self {
            ModelKind::Classifier => ModelType::DocumentClassifier,
            ModelKind::Recognizer => ModelType::EntityRecognizer,
        }
    }

    /// The ARN resource of version `version` of the model `name`.
    pub fn version_resource(self, name: String, version: Option<String>) -> Resource {
        match self {
            ModelKind::Classifier => Resource::DocumentClassifier { name, version },
            ModelKind::Recognizer => Resource::EntityRecognizer { name, version },
        }
    }

    /// The ARN resource of an endpoint named `name` serving this kind.
    pub fn endpoint_resource(self, name: String) -> Resource {
        match self {
            ModelKind::Classifier => Resource::ClassifierEndpoint { name },
            ModelKind::Recognizer => Resource::RecognizerEndpoint { name },
        }
    }

    /// What users call this kind in messages.
    pub fn noun(self) -> &'static str {
        match self {
            ModelKind::Classifier => "document classifier",
            ModelKind::Recognizer => "custom entity recognizer",
        }
    }
}

/// A model-version record of one kind: the store's [`Version`] (its table and jobs) with
/// the [`ModelKind`] the server's per-kind facts hang on.
pub trait Kind: Version {
    /// The kind.
    const KIND: ModelKind;
}

impl Kind for ClassifierRecord {
    const KIND: ModelKind = ModelKind::Classifier;
}

impl Kind for RecognizerRecord {
    const KIND: ModelKind = ModelKind::Recognizer;
}

/// Statuses in which a version can serve inference.
pub const USABLE: &[ModelStatus] = &[ModelStatus::Trained, ModelStatus::TrainedWithWarning];

/// The model name a flywheel's versions share: its active model's, or the flywheel's.
pub fn model_name(flywheel: &FlywheelRecord) -> String {
    flywheel
        .active_model_arn
        .as_deref()
        .and_then(|arn| Arn::parse(arn).ok())
        .and_then(|arn| match arn.resource {
            Resource::DocumentClassifier { name, .. } | Resource::EntityRecognizer { name, .. } => {
                Some(name)
            }
            _ => None,
        })
        .unwrap_or_else(|| flywheel.name.clone())
}

/// The name of the version a flywheel iteration trains: `Comprehend-Generated-v1-` and 8
/// hex characters stable for the iteration (a resumed iteration finds its version again).
pub fn generated_version(flywheel_arn: &str, iteration_id: &str) -> String {
    let id = stable_id(&format!("{flywheel_arn}#{iteration_id}"));
    format!("Comprehend-Generated-v1-{}", &id[..8])
}

/// The entity types of a recognizer flywheel.
pub fn entity_types(flywheel: &FlywheelRecord) -> Option<Vec<String>> {
    let config = flywheel.task_config.entity_recognition_config.as_ref()?;
    Some(
        config
            .entity_types
            .iter()
            .map(|t| t.type_.clone())
            .collect(),
    )
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
