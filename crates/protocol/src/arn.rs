//! Comprehend ARNs as types: parsed once at the edge, rendered in one place.

use std::fmt;

use crate::types::RequestContext;

/// What an ARN names, after `arn:<partition>:comprehend:<region>:<account>:`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resource {
    /// `document-classifier/<name>[/version/<version>]`.
    DocumentClassifier {
        name: String,
        version: Option<String>,
    },
    /// `flywheel/<name>`.
    Flywheel { name: String },
    /// `flywheel/<flywheel>/dataset/<name>`.
    Dataset { flywheel: String, name: String },
    /// `document-classifier-endpoint/<name>`.
    ClassifierEndpoint { name: String },
    /// `document-classification-job/<id>`.
    ClassificationJob { id: String },
    /// `entity-recognizer-endpoint/<name>`: an endpoint serving an entity recognizer.
    RecognizerEndpoint { name: String },
    /// `entities-detection-job/<id>`.
    EntitiesDetectionJob { id: String },
    /// `entity-recognizer/<name>[/version/<version>]`.
    EntityRecognizer {
        name: String,
        version: Option<String>,
    },
    /// Any other Comprehend resource type (other jobs and endpoints): valid on the
    /// wire, never found here.
    Other { kind: String, path: String },
}

/// A parsed Comprehend ARN.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Arn {
    /// `aws`, `aws-cn`, ...
    pub partition: String,
    /// The region part.
    pub region: String,
    /// The 12-digit account (or `aws` for AWS-owned endpoints).
    pub account: String,
    /// The resource.
    pub resource: Resource,
}

/// Why a string is not a Comprehend ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a valid Comprehend ARN")]
pub struct ArnError(pub String);

impl Arn {
    /// An ARN in the caller's account and region.
    pub fn new(ctx: &RequestContext, resource: Resource) -> Self {
        Arn {
            partition: "aws".into(),
            region: ctx.region.clone(),
            account: ctx.account_id.clone(),
            resource,
        }
    }

    /// Parses an ARN whose form the model's pattern has already checked.
    pub fn parse(text: &str) -> Result<Arn, ArnError> {
        let err = || ArnError(text.to_owned());
        let mut parts = text.splitn(6, ':');
        let (
            Some("arn"),
            Some(partition),
            Some("comprehend"),
            Some(region),
            Some(account),
            Some(rest),
        ) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        )
        else {
            return Err(err());
        };
        if !partition.starts_with("aws") {
            return Err(err());
        }
        let segments: Vec<&str> = rest.split('/').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return Err(err());
        }
        let owned = |s: &str| s.to_owned();
        let resource = match segments.as_slice() {
            ["document-classifier", name] => Resource::DocumentClassifier {
                name: owned(name),
                version: None,
            },
            ["document-classifier", name, "version", version] => Resource::DocumentClassifier {
                name: owned(name),
                version: Some(owned(version)),
            },
            ["entity-recognizer", name] => Resource::EntityRecognizer {
                name: owned(name),
                version: None,
            },
            ["entity-recognizer", name, "version", version] => Resource::EntityRecognizer {
                name: owned(name),
                version: Some(owned(version)),
            },
            ["flywheel", name] => Resource::Flywheel { name: owned(name) },
            ["flywheel", flywheel, "dataset", name] => Resource::Dataset {
                flywheel: owned(flywheel),
                name: owned(name),
            },
            ["document-classifier-endpoint", name] => {
                Resource::ClassifierEndpoint { name: owned(name) }
            }
            ["document-classification-job", id] => Resource::ClassificationJob { id: owned(id) },
            ["entity-recognizer-endpoint", name] => {
                Resource::RecognizerEndpoint { name: owned(name) }
            }
            ["entities-detection-job", id] => Resource::EntitiesDetectionJob { id: owned(id) },
            [kind, path @ ..] if !path.is_empty() => Resource::Other {
                kind: owned(kind),
                path: path.join("/"),
            },
            _ => return Err(err()),
        };
        Ok(Arn {
            partition: partition.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            resource,
        })
    }

    /// Whether this ARN belongs to the caller's account and region (resources are isolated per pair).
    pub fn is_in(&self, ctx: &RequestContext) -> bool {
        self.account == ctx.account_id && self.region == ctx.region
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:comprehend:{}:{}:",
            self.partition, self.region, self.account
        )?;
        match &self.resource {
            Resource::DocumentClassifier {
                name,
                version: None,
            } => write!(f, "document-classifier/{name}"),
            Resource::DocumentClassifier {
                name,
                version: Some(v),
            } => {
                write!(f, "document-classifier/{name}/version/{v}")
            }
            Resource::EntityRecognizer {
                name,
                version: None,
            } => write!(f, "entity-recognizer/{name}"),
            Resource::EntityRecognizer {
                name,
                version: Some(v),
            } => write!(f, "entity-recognizer/{name}/version/{v}"),
            Resource::Flywheel { name } => write!(f, "flywheel/{name}"),
            Resource::Dataset { flywheel, name } => write!(f, "flywheel/{flywheel}/dataset/{name}"),
            Resource::ClassifierEndpoint { name } => {
                write!(f, "document-classifier-endpoint/{name}")
            }
            Resource::ClassificationJob { id } => write!(f, "document-classification-job/{id}"),
            Resource::RecognizerEndpoint { name } => write!(f, "entity-recognizer-endpoint/{name}"),
            Resource::EntitiesDetectionJob { id } => write!(f, "entities-detection-job/{id}"),
            Resource::Other { kind, path } => write!(f, "{kind}/{path}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "arn:aws:comprehend:us-east-1:123456789012:document-classifier/news",
            "arn:aws:comprehend:us-east-1:123456789012:document-classifier/news/version/v1",
            "arn:aws:comprehend:eu-west-1:123456789012:flywheel/fw",
            "arn:aws:comprehend:eu-west-1:123456789012:flywheel/fw/dataset/d1",
            "arn:aws:comprehend:eu-west-1:123456789012:document-classifier-endpoint/ep",
            "arn:aws:comprehend:eu-west-1:123456789012:document-classification-job/0123456789abcdef0123456789abcdef",
            "arn:aws:comprehend:eu-west-1:123456789012:entity-recognizer/er",
            "arn:aws:comprehend:eu-west-1:123456789012:entity-recognizer-endpoint/ep",
            "arn:aws:comprehend:eu-west-1:123456789012:entities-detection-job/0123456789abcdef0123456789abcdef",
            "arn:aws:comprehend:eu-west-1:123456789012:entity-recognizer/er/version/v-2",
        ] {
            assert_eq!(Arn::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_other_services_and_shapes() {
        for text in [
            "arn:aws:s3:::bucket",
            "arn:aws:comprehend:us-east-1:123456789012:flywheel",
            "arn:aws:comprehend:us-east-1:123456789012:flywheel//x",
            "not an arn",
        ] {
            assert!(Arn::parse(text).is_err(), "{text}");
        }
    }
}
