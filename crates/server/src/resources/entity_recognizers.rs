//! Custom entity recognizers: CreateEntityRecognizer, Describe, List, ListSummaries,
//! StopTraining and Delete, written once for both kinds by `version_operations!`; here
//! are this kind's wire types, request rules, defaults and own properties. Training and
//! deletion run later, in [`crate::jobs`].
//!
//! Lifecycle (`comprehend_store::lifecycle`, shared with classifiers): SUBMITTED →
//! TRAINING → TRAINED (TRAINED_WITH_WARNING when the data has entity types the request
//! does not list — they are ignored) or IN_ERROR with a message; StopTraining moves
//! SUBMITTED or TRAINING to STOP_REQUESTED and the job to STOPPED (or TRAINED if it
//! finished first); Delete moves a finished version to DELETING and a job removes it.

use comprehend_protocol::*;
use comprehend_store::entity_recognizers::RecognizerRecord;

use super::recognizer_input::check_input;
use super::versions::version_operations;
use crate::error::Result;

version_operations!(RecognizerRecord {
    // There is no OutputDataConfig unless a flywheel trained it (CreateEntityRecognizer
    // has no output location).
    properties(record, request) -> EntityRecognizerProperties {
        recognizer_metadata,
        output_data_config: record.flywheel_stats_prefix.map(|prefix| {
            EntityRecognizerOutputDataConfig { flywheel_stats_s3_prefix: Some(prefix) }
        }),
    }
    recognizer_name, entity_recognizer_arn, entity_recognizer_properties, entity_recognizer_properties_list, entity_recognizer_summaries_list,
    CreateEntityRecognizerRequest => CreateEntityRecognizerResponse, DescribeEntityRecognizerRequest => DescribeEntityRecognizerResponse,
    ListEntityRecognizersRequest => ListEntityRecognizersResponse, ListEntityRecognizerSummariesRequest => ListEntityRecognizerSummariesResponse, EntityRecognizerSummary,
    StopTrainingEntityRecognizerRequest => StopTrainingEntityRecognizerResponse, DeleteEntityRecognizerRequest => DeleteEntityRecognizerResponse
});

/// What Describe echoes: the defaults the service shows (DataFormat COMPREHEND_CSV,
/// Documents.InputFormat ONE_DOC_PER_LINE — the AWS CLI's describe-entity-recognizer
/// example shows both for a request that sent neither).
fn fill_defaults(input: &mut CreateEntityRecognizerRequest) {
    let config = &mut input.input_data_config;
    let format = *config
        .data_format
        .get_or_insert(EntityRecognizerDataFormat::ComprehendCsv);
    if format == EntityRecognizerDataFormat::ComprehendCsv
        && let Some(documents) = &mut config.documents
    {
        documents
            .input_format
            .get_or_insert(InputFormat::OneDocPerLine);
    }
}

/// Business rules of a CreateEntityRecognizer request beyond the model's constraints.
fn check_request(input: &CreateEntityRecognizerRequest) -> Result<()> {
    check_input(&input.input_data_config)
}
