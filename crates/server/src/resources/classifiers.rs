//! Document classifiers: CreateDocumentClassifier, Describe, List, ListSummaries,
//! StopTraining and Delete, written once for both kinds by `version_operations!`; here
//! are this kind's wire types, request rules, defaults and own properties. Training and
//! deletion run later, in [`crate::jobs`].
//!
//! Lifecycle (see `comprehend_store::lifecycle`): SUBMITTED → TRAINING → TRAINED
//! (TRAINED_WITH_WARNING when the test data has labels the training data lacks) or
//! IN_ERROR with a message; StopTraining moves SUBMITTED or TRAINING to STOP_REQUESTED
//! and the job to STOPPED (or TRAINED if it finished first); Delete moves a finished
//! version to DELETING and a job removes it.

use comprehend_protocol::*;
use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::objects::S3Uri;

use super::versions::version_operations;
use crate::error::Result;

version_operations!(ClassifierRecord {
    properties(record, request) -> DocumentClassifierProperties {
        classifier_metadata,
        mode: Some(record.mode),
        output_data_config: Some(output(
            request.output_data_config,
            record.output_s3_uri,
            record.flywheel_stats_prefix,
        )),
    }
    document_classifier_name, document_classifier_arn, document_classifier_properties, document_classifier_properties_list, document_classifier_summaries_list,
    CreateDocumentClassifierRequest => CreateDocumentClassifierResponse, DescribeDocumentClassifierRequest => DescribeDocumentClassifierResponse,
    ListDocumentClassifiersRequest => ListDocumentClassifiersResponse, ListDocumentClassifierSummariesRequest => ListDocumentClassifierSummariesResponse, DocumentClassifierSummary,
    StopTrainingDocumentClassifierRequest => StopTrainingDocumentClassifierResponse, DeleteDocumentClassifierRequest => DeleteDocumentClassifierResponse
});

/// What Describe echoes: the defaults the service shows.
fn fill_defaults(input: &mut CreateDocumentClassifierRequest) {
    input
        .input_data_config
        .data_format
        .get_or_insert(DocumentClassifierDataFormat::ComprehendCsv);
    input.mode.get_or_insert(DocumentClassifierMode::MultiClass);
}

/// Business rules of a CreateDocumentClassifier request beyond the model's constraints.
fn check_request(input: &CreateDocumentClassifierRequest) -> Result<()> {
    check_input(&input.input_data_config)?;
    if let Some(uri) = input
        .output_data_config
        .as_ref()
        .and_then(|o| o.s3_uri.as_deref())
    {
        S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    }
    Ok(())
}

/// Business rules of InputDataConfig beyond the model's constraints.
fn check_input(input: &DocumentClassifierInputDataConfig) -> Result<()> {
    let invalid = |m: &str| Err(ServiceError::invalid_request(m).into());
    if input.document_type == Some(DocumentClassifierDocumentTypeFormat::SemiStructuredDocument)
        || input.documents.is_some()
        || input.document_reader_config.is_some()
    {
        return invalid(
            "Native document (PDF, Word, image) classifiers are not supported by comprehend-local; train on plain text.",
        );
    }
    match input
        .data_format
        .unwrap_or(DocumentClassifierDataFormat::ComprehendCsv)
    {
        DocumentClassifierDataFormat::ComprehendCsv => {
            let Some(uri) = &input.s3_uri else {
                return invalid(
                    "InputDataConfig.S3Uri is required when DataFormat is COMPREHEND_CSV.",
                );
            };
            if input.augmented_manifests.is_some() {
                return invalid(
                    "InputDataConfig.AugmentedManifests can only be used when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            for uri in std::iter::once(uri).chain(input.test_s3_uri.as_ref()) {
                S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
            }
        }
        DocumentClassifierDataFormat::AugmentedManifest => {
            let manifests = input.augmented_manifests.as_deref().unwrap_or_default();
            if manifests.is_empty() {
                return invalid(
                    "InputDataConfig.AugmentedManifests is required when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            if manifests.len() > 5 {
                return invalid("At most 5 augmented manifest files can be used for training.");
            }
            if input.s3_uri.is_some() || input.test_s3_uri.is_some() {
                return invalid(
                    "InputDataConfig.S3Uri and TestS3Uri can't be used when DataFormat is AUGMENTED_MANIFEST.",
                );
            }
            for manifest in manifests {
                if manifest.attribute_names.is_empty() || manifest.attribute_names.len() > 5 {
                    return invalid("Each augmented manifest needs 1 to 5 AttributeNames.");
                }
                if manifest.document_type
                    == Some(AugmentedManifestsDocumentTypeFormat::SemiStructuredDocument)
                {
                    return invalid(
                        "Semi-structured augmented manifests are not supported by comprehend-local.",
                    );
                }
                S3Uri::parse(&manifest.s3_uri)
                    .map_err(|e| ServiceError::invalid_request(e.to_string()))?;
            }
        }
    }
    Ok(())
}

/// The OutputDataConfig Describe shows: the request's, with the training output's
/// location and the flywheel's statistics prefix.
fn output(
    requested: Option<DocumentClassifierOutputDataConfig>,
    written: Option<String>,
    stats: Option<String>,
) -> DocumentClassifierOutputDataConfig {
    let mut output = requested.unwrap_or_default();
    output.s3_uri = written.or(output.s3_uri);
    output.flywheel_stats_s3_prefix = stats.or(output.flywheel_stats_s3_prefix);
    output
}
