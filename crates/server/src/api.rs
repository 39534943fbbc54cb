//! The [`ComprehendApi`] implementation: one line per operation, handing the typed
//! input to the resource service that owns it (written by [`operations!`]). Deletes go through
//! [`crate::disk::freeing`], so that a full disk can still be cleared through them.

use std::sync::Arc;

use comprehend_protocol::*;

use crate::resources::builtin::{
    entities, key_phrases, language, pii, sentiment, syntax, toxicity,
};
use crate::resources::{
    classification_jobs, classifiers, datasets, endpoints, entities_jobs, entity_inference,
    entity_recognizers, flywheels, inference, iterations, tags,
};
use crate::state::{Shared, State};

/// The Comprehend API over the server's state.
#[derive(Debug, Clone)]
pub struct Api {
    state: Shared,
}

impl Api {
    /// An API over `state`.
    pub fn new(state: Shared) -> Api {
        Api { state }
    }

    /// The shared state.
    pub fn state(&self) -> &Arc<State> {
        &self.state
    }
}

/// Writes the [`ComprehendApi`] methods, one line each: `op(Input) -> Output = handler`.
/// Those under `freeing` are deletes: they go through [`crate::disk::freeing`].
macro_rules! operations {
    (
        { $($op:ident($input:ty) -> $output:ty = $handler:path;)* }
        freeing: { $($free_op:ident($free_input:ty) -> $free_output:ty = $free_handler:path;)* }
    ) => {
        impl ComprehendApi for Api {
            $(
            async fn $op(&self, ctx: &RequestContext, input: $input) -> Result<$output, ServiceError> {
                Ok($handler(&self.state, ctx, input).await?)
            }
            )*
            $(
            async fn $free_op(&self, ctx: &RequestContext, input: $free_input) -> Result<$free_output, ServiceError> {
                let delete = || $free_handler(&self.state, ctx, input.clone());
                Ok(crate::disk::freeing(&self.state, delete).await?)
            }
            )*
        }
    };
}

operations! {
    {
        create_document_classifier(CreateDocumentClassifierRequest) -> CreateDocumentClassifierResponse = classifiers::create;
        describe_document_classifier(DescribeDocumentClassifierRequest) -> DescribeDocumentClassifierResponse = classifiers::describe;
        list_document_classifiers(ListDocumentClassifiersRequest) -> ListDocumentClassifiersResponse = classifiers::list;
        list_document_classifier_summaries(ListDocumentClassifierSummariesRequest) -> ListDocumentClassifierSummariesResponse = classifiers::summaries;
        stop_training_document_classifier(StopTrainingDocumentClassifierRequest) -> StopTrainingDocumentClassifierResponse = classifiers::stop;
        create_flywheel(CreateFlywheelRequest) -> CreateFlywheelResponse = flywheels::create;
        describe_flywheel(DescribeFlywheelRequest) -> DescribeFlywheelResponse = flywheels::describe;
        list_flywheels(ListFlywheelsRequest) -> ListFlywheelsResponse = flywheels::list;
        update_flywheel(UpdateFlywheelRequest) -> UpdateFlywheelResponse = flywheels::update;
        start_flywheel_iteration(StartFlywheelIterationRequest) -> StartFlywheelIterationResponse = iterations::start;
        describe_flywheel_iteration(DescribeFlywheelIterationRequest) -> DescribeFlywheelIterationResponse = iterations::describe;
        list_flywheel_iteration_history(ListFlywheelIterationHistoryRequest) -> ListFlywheelIterationHistoryResponse = iterations::list;
        create_dataset(CreateDatasetRequest) -> CreateDatasetResponse = datasets::create;
        describe_dataset(DescribeDatasetRequest) -> DescribeDatasetResponse = datasets::describe;
        list_datasets(ListDatasetsRequest) -> ListDatasetsResponse = datasets::list;
        create_endpoint(CreateEndpointRequest) -> CreateEndpointResponse = endpoints::create;
        describe_endpoint(DescribeEndpointRequest) -> DescribeEndpointResponse = endpoints::describe;
        list_endpoints(ListEndpointsRequest) -> ListEndpointsResponse = endpoints::list;
        update_endpoint(UpdateEndpointRequest) -> UpdateEndpointResponse = endpoints::update;
        classify_document(ClassifyDocumentRequest) -> ClassifyDocumentResponse = inference::classify;
        start_document_classification_job(StartDocumentClassificationJobRequest) -> StartDocumentClassificationJobResponse = classification_jobs::start;
        describe_document_classification_job(DescribeDocumentClassificationJobRequest) -> DescribeDocumentClassificationJobResponse = classification_jobs::describe;
        list_document_classification_jobs(ListDocumentClassificationJobsRequest) -> ListDocumentClassificationJobsResponse = classification_jobs::list;
        detect_entities(DetectEntitiesRequest) -> DetectEntitiesResponse = entity_inference::detect;
        start_entities_detection_job(StartEntitiesDetectionJobRequest) -> StartEntitiesDetectionJobResponse = entities_jobs::start;
        describe_entities_detection_job(DescribeEntitiesDetectionJobRequest) -> DescribeEntitiesDetectionJobResponse = entities_jobs::describe;
        list_entities_detection_jobs(ListEntitiesDetectionJobsRequest) -> ListEntitiesDetectionJobsResponse = entities_jobs::list;
        stop_entities_detection_job(StopEntitiesDetectionJobRequest) -> StopEntitiesDetectionJobResponse = entities_jobs::stop;
        detect_dominant_language(DetectDominantLanguageRequest) -> DetectDominantLanguageResponse = language::detect;
        batch_detect_dominant_language(BatchDetectDominantLanguageRequest) -> BatchDetectDominantLanguageResponse = language::batch_detect;
        detect_sentiment(DetectSentimentRequest) -> DetectSentimentResponse = sentiment::detect;
        batch_detect_sentiment(BatchDetectSentimentRequest) -> BatchDetectSentimentResponse = sentiment::batch_detect;
        detect_pii_entities(DetectPiiEntitiesRequest) -> DetectPiiEntitiesResponse = pii::detect;
        contains_pii_entities(ContainsPiiEntitiesRequest) -> ContainsPiiEntitiesResponse = pii::contains;
        detect_toxic_content(DetectToxicContentRequest) -> DetectToxicContentResponse = toxicity::detect;
        detect_syntax(DetectSyntaxRequest) -> DetectSyntaxResponse = syntax::detect;
        batch_detect_syntax(BatchDetectSyntaxRequest) -> BatchDetectSyntaxResponse = syntax::batch_detect;
        batch_detect_entities(BatchDetectEntitiesRequest) -> BatchDetectEntitiesResponse = entities::batch_detect;
        detect_key_phrases(DetectKeyPhrasesRequest) -> DetectKeyPhrasesResponse = key_phrases::detect;
        batch_detect_key_phrases(BatchDetectKeyPhrasesRequest) -> BatchDetectKeyPhrasesResponse = key_phrases::batch_detect;
        tag_resource(TagResourceRequest) -> TagResourceResponse = tags::tag;
        untag_resource(UntagResourceRequest) -> UntagResourceResponse = tags::untag;
        list_tags_for_resource(ListTagsForResourceRequest) -> ListTagsForResourceResponse = tags::list;
        create_entity_recognizer(CreateEntityRecognizerRequest) -> CreateEntityRecognizerResponse = entity_recognizers::create;
        describe_entity_recognizer(DescribeEntityRecognizerRequest) -> DescribeEntityRecognizerResponse = entity_recognizers::describe;
        list_entity_recognizers(ListEntityRecognizersRequest) -> ListEntityRecognizersResponse = entity_recognizers::list;
        list_entity_recognizer_summaries(ListEntityRecognizerSummariesRequest) -> ListEntityRecognizerSummariesResponse = entity_recognizers::summaries;
        stop_training_entity_recognizer(StopTrainingEntityRecognizerRequest) -> StopTrainingEntityRecognizerResponse = entity_recognizers::stop;
    }
    freeing: {
        delete_document_classifier(DeleteDocumentClassifierRequest) -> DeleteDocumentClassifierResponse = classifiers::delete;
        delete_flywheel(DeleteFlywheelRequest) -> DeleteFlywheelResponse = flywheels::delete;
        delete_endpoint(DeleteEndpointRequest) -> DeleteEndpointResponse = endpoints::delete;
        delete_entity_recognizer(DeleteEntityRecognizerRequest) -> DeleteEntityRecognizerResponse = entity_recognizers::delete;
    }
}
