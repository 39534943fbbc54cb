//! The business rules of an entity recognizer's `InputDataConfig` beyond the model's
//! constraints (Amazon Comprehend API Reference, `EntityRecognizerInputDataConfig`;
//! Developer Guide, "Preparing entity recognizer training data").

use std::collections::BTreeSet;

use comprehend_protocol::*;
use comprehend_store::objects::S3Uri;

use crate::error::Result;

/// Most entity types a recognizer may have (`EntityTypes`: "a maximum of 25").
pub const MAX_ENTITY_TYPES: usize = 25;

/// Most augmented manifest files (Developer Guide, "Training custom entity recognizer
/// models": up to five) and attribute names per manifest (chained labelling jobs).
const MAX_MANIFESTS: usize = 5;
const MAX_ATTRIBUTE_NAMES: usize = 5;

fn invalid<T>(message: impl Into<String>) -> Result<T> {
    Err(ServiceError::invalid_request(message.into()).into())
}

fn uri(text: &str) -> Result<()> {
    S3Uri::parse(text).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    Ok(())
}

/// Checks the entity types and the members the data format needs.
pub fn check_input(input: &EntityRecognizerInputDataConfig) -> Result<()> {
    check_types("InputDataConfig.EntityTypes", &input.entity_types)?;
    match input
        .data_format
        .unwrap_or(EntityRecognizerDataFormat::ComprehendCsv)
    {
        EntityRecognizerDataFormat::ComprehendCsv => check_csv(input),
        EntityRecognizerDataFormat::AugmentedManifest => check_manifests(input),
    }
}

/// The entity types list (`field` names it in messages): 1–25 distinct types.
pub(super) fn check_types(field: &str, types: &[EntityTypesListItem]) -> Result<()> {
    if types.is_empty() || types.len() > MAX_ENTITY_TYPES {
        return invalid(format!(
            "{field} must list 1 to {MAX_ENTITY_TYPES} entity types; the request has {}.",
            types.len()
        ));
    }
    let mut seen = BTreeSet::new();
    for t in types {
        if !seen.insert(t.type_.as_str()) {
            return invalid(format!(
                "{field} lists the entity type '{}' more than once.",
                t.type_
            ));
        }
    }
    Ok(())
}

fn check_csv(input: &EntityRecognizerInputDataConfig) -> Result<()> {
    if input.augmented_manifests.is_some() {
        return invalid(
            "InputDataConfig.AugmentedManifests can only be used when DataFormat is AUGMENTED_MANIFEST.",
        );
    }
    let Some(documents) = &input.documents else {
        return invalid("InputDataConfig.Documents is required when DataFormat is COMPREHEND_CSV.");
    };
    uri(&documents.s3_uri)?;
    match (&input.annotations, &input.entity_list) {
        (None, None) => invalid(
            "InputDataConfig needs either Annotations or EntityList when DataFormat is COMPREHEND_CSV.",
        ),
        (Some(_), Some(_)) => {
            invalid("InputDataConfig can have Annotations or EntityList, not both.")
        }
        (Some(annotations), None) => {
            uri(&annotations.s3_uri)?;
            match (&documents.test_s3_uri, &annotations.test_s3_uri) {
                (Some(docs), Some(notes)) => {
                    uri(docs)?;
                    uri(notes)
                }
                (None, None) => Ok(()),
                _ => invalid(
                    "Test data needs both InputDataConfig.Documents.TestS3Uri and InputDataConfig.Annotations.TestS3Uri.",
                ),
            }
        }
        (None, Some(list)) => {
            uri(&list.s3_uri)?;
            // Test documents are annotated with the same list.
            documents.test_s3_uri.as_deref().map(uri).transpose()?;
            Ok(())
        }
    }
}

fn check_manifests(input: &EntityRecognizerInputDataConfig) -> Result<()> {
    if input.documents.is_some() || input.annotations.is_some() || input.entity_list.is_some() {
        return invalid(
            "InputDataConfig.Documents, Annotations and EntityList can't be used when DataFormat is AUGMENTED_MANIFEST.",
        );
    }
    let manifests = input.augmented_manifests.as_deref().unwrap_or_default();
    if manifests.is_empty() {
        return invalid(
            "InputDataConfig.AugmentedManifests is required when DataFormat is AUGMENTED_MANIFEST.",
        );
    }
    if manifests.len() > MAX_MANIFESTS {
        return invalid(format!(
            "At most {MAX_MANIFESTS} augmented manifest files can be used for training."
        ));
    }
    if !manifests
        .iter()
        .any(|m| m.split.unwrap_or(Split::Train) == Split::Train)
    {
        return invalid("At least one augmented manifest must have Split TRAIN.");
    }
    for manifest in manifests {
        if manifest.attribute_names.is_empty()
            || manifest.attribute_names.len() > MAX_ATTRIBUTE_NAMES
        {
            return invalid(format!(
                "Each augmented manifest needs 1 to {MAX_ATTRIBUTE_NAMES} AttributeNames."
            ));
        }
        if manifest.document_type
            == Some(AugmentedManifestsDocumentTypeFormat::SemiStructuredDocument)
            || manifest.annotation_data_s3_uri.is_some()
            || manifest.source_documents_s3_uri.is_some()
        {
            return invalid(
                "Semi-structured (PDF, Word) augmented manifests are not supported by comprehend-local; train on plain text.",
            );
        }
        uri(&manifest.s3_uri)?;
    }
    Ok(())
}
