//! The [`ComprehendApi`] implementation: one line per operation, handing the typed
//! input to the resource service that owns it. Deletes go through
//! [`crate::disk::freeing`], so that a full disk can still be cleared through them.

use std::sync::Arc;

use comprehend_protocol::*;

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

impl ComprehendApi for Api {
    async fn create_document_classifier(
        &self,
        ctx: &RequestContext,
        input: CreateDocumentClassifierRequest,
    ) -> Result<CreateDocumentClassifierResponse, ServiceError> {
        Ok(classifiers::create(&self.state, ctx, input).await?)
    }

    async fn describe_document_classifier(
        &self,
        ctx: &RequestContext,
        input: DescribeDocumentClassifierRequest,
    ) -> Result<DescribeDocumentClassifierResponse, ServiceError> {
        Ok(classifiers::describe(&self.state, ctx, input).await?)
    }

    async fn list_document_classifiers(
        &self,
        ctx: &RequestContext,
        input: ListDocumentClassifiersRequest,
    ) -> Result<ListDocumentClassifiersResponse, ServiceError> {
        Ok(classifiers::list(&self.state, ctx, input).await?)
    }

    async fn list_document_classifier_summaries(
        &self,
        ctx: &RequestContext,
        input: ListDocumentClassifierSummariesRequest,
    ) -> Result<ListDocumentClassifierSummariesResponse, ServiceError> {
        Ok(classifiers::summaries(&self.state, ctx, input).await?)
    }

    async fn delete_document_classifier(
        &self,
        ctx: &RequestContext,
        input: DeleteDocumentClassifierRequest,
    ) -> Result<DeleteDocumentClassifierResponse, ServiceError> {
        let delete = || classifiers::delete(&self.state, ctx, input.clone());
        Ok(crate::disk::freeing(&self.state, delete).await?)
    }

    async fn stop_training_document_classifier(
        &self,
        ctx: &RequestContext,
        input: StopTrainingDocumentClassifierRequest,
    ) -> Result<StopTrainingDocumentClassifierResponse, ServiceError> {
        Ok(classifiers::stop(&self.state, ctx, input).await?)
    }

    async fn create_flywheel(
        &self,
        ctx: &RequestContext,
        input: CreateFlywheelRequest,
    ) -> Result<CreateFlywheelResponse, ServiceError> {
        Ok(flywheels::create(&self.state, ctx, input).await?)
    }

    async fn describe_flywheel(
        &self,
        ctx: &RequestContext,
        input: DescribeFlywheelRequest,
    ) -> Result<DescribeFlywheelResponse, ServiceError> {
        Ok(flywheels::describe(&self.state, ctx, input).await?)
    }

    async fn list_flywheels(
        &self,
        ctx: &RequestContext,
        input: ListFlywheelsRequest,
    ) -> Result<ListFlywheelsResponse, ServiceError> {
        Ok(flywheels::list(&self.state, ctx, input).await?)
    }

    async fn update_flywheel(
        &self,
        ctx: &RequestContext,
        input: UpdateFlywheelRequest,
    ) -> Result<UpdateFlywheelResponse, ServiceError> {
        Ok(flywheels::update(&self.state, ctx, input).await?)
    }

    async fn delete_flywheel(
        &self,
        ctx: &RequestContext,
        input: DeleteFlywheelRequest,
    ) -> Result<DeleteFlywheelResponse, ServiceError> {
        let delete = || flywheels::delete(&self.state, ctx, input.clone());
        Ok(crate::disk::freeing(&self.state, delete).await?)
    }

    async fn start_flywheel_iteration(
        &self,
        ctx: &RequestContext,
        input: StartFlywheelIterationRequest,
    ) -> Result<StartFlywheelIterationResponse, ServiceError> {
        Ok(iterations::start(&self.state, ctx, input).await?)
    }

    async fn describe_flywheel_iteration(
        &self,
        ctx: &RequestContext,
        input: DescribeFlywheelIterationRequest,
    ) -> Result<DescribeFlywheelIterationResponse, ServiceError> {
        Ok(iterations::describe(&self.state, ctx, input).await?)
    }

    async fn list_flywheel_iteration_history(
        &self,
        ctx: &RequestContext,
        input: ListFlywheelIterationHistoryRequest,
    ) -> Result<ListFlywheelIterationHistoryResponse, ServiceError> {
        Ok(iterations::list(&self.state, ctx, input).await?)
    }

    async fn create_dataset(
        &self,
        ctx: &RequestContext,
        input: CreateDatasetRequest,
    ) -> Result<CreateDatasetResponse, ServiceError> {
        Ok(datasets::create(&self.state, ctx, input).await?)
    }

    async fn describe_dataset(
        &self,
        ctx: &RequestContext,
        input: DescribeDatasetRequest,
    ) -> Result<DescribeDatasetResponse, ServiceError> {
        Ok(datasets::describe(&self.state, ctx, input).await?)
    }

    async fn list_datasets(
        &self,
        ctx: &RequestContext,
        input: ListDatasetsRequest,
    ) -> Result<ListDatasetsResponse, ServiceError> {
        Ok(datasets::list(&self.state, ctx, input).await?)
    }

    async fn create_endpoint(
        &self,
        ctx: &RequestContext,
        input: CreateEndpointRequest,
    ) -> Result<CreateEndpointResponse, ServiceError> {
        Ok(endpoints::create(&self.state, ctx, input).await?)
    }

    async fn describe_endpoint(
        &self,
        ctx: &RequestContext,
        input: DescribeEndpointRequest,
    ) -> Result<DescribeEndpointResponse, ServiceError> {
        Ok(endpoints::describe(&self.state, ctx, input).await?)
    }

    async fn list_endpoints(
        &self,
        ctx: &RequestContext,
        input: ListEndpointsRequest,
    ) -> Result<ListEndpointsResponse, ServiceError> {
        Ok(endpoints::list(&self.state, ctx, input).await?)
    }

    async fn update_endpoint(
        &self,
        ctx: &RequestContext,
        input: UpdateEndpointRequest,
    ) -> Result<UpdateEndpointResponse, ServiceError> {
        Ok(endpoints::update(&self.state, ctx, input).await?)
    }

    async fn delete_endpoint(
        &self,
        ctx: &RequestContext,
        input: DeleteEndpointRequest,
    ) -> Result<DeleteEndpointResponse, ServiceError> {
        let delete = || endpoints::delete(&self.state, ctx, input.clone());
        Ok(crate::disk::freeing(&self.state, delete).await?)
    }

    async fn classify_document(
        &self,
        ctx: &RequestContext,
        input: ClassifyDocumentRequest,
    ) -> Result<ClassifyDocumentResponse, ServiceError> {
        Ok(inference::classify(&self.state, ctx, input).await?)
    }

    async fn start_document_classification_job(
        &self,
        ctx: &RequestContext,
        input: StartDocumentClassificationJobRequest,
    ) -> Result<StartDocumentClassificationJobResponse, ServiceError> {
        Ok(classification_jobs::start(&self.state, ctx, input).await?)
    }

    async fn describe_document_classification_job(
        &self,
        ctx: &RequestContext,
        input: DescribeDocumentClassificationJobRequest,
    ) -> Result<DescribeDocumentClassificationJobResponse, ServiceError> {
        Ok(classification_jobs::describe(&self.state, ctx, input).await?)
    }

    async fn list_document_classification_jobs(
        &self,
        ctx: &RequestContext,
        input: ListDocumentClassificationJobsRequest,
    ) -> Result<ListDocumentClassificationJobsResponse, ServiceError> {
        Ok(classification_jobs::list(&self.state, ctx, input).await?)
    }

    async fn detect_entities(
        &self,
        ctx: &RequestContext,
        input: DetectEntitiesRequest,
    ) -> Result<DetectEntitiesResponse, ServiceError> {
        Ok(entity_inference::detect(&self.state, ctx, input).await?)
    }

    async fn start_entities_detection_job(
        &self,
        ctx: &RequestContext,
        input: StartEntitiesDetectionJobRequest,
    ) -> Result<StartEntitiesDetectionJobResponse, ServiceError> {
        Ok(entities_jobs::start(&self.state, ctx, input).await?)
    }

    async fn describe_entities_detection_job(
        &self,
        ctx: &RequestContext,
        input: DescribeEntitiesDetectionJobRequest,
    ) -> Result<DescribeEntitiesDetectionJobResponse, ServiceError> {
        Ok(entities_jobs::describe(&self.state, ctx, input).await?)
    }

    async fn list_entities_detection_jobs(
        &self,
        ctx: &RequestContext,
        input: ListEntitiesDetectionJobsRequest,
    ) -> Result<ListEntitiesDetectionJobsResponse, ServiceError> {
        Ok(entities_jobs::list(&self.state, ctx, input).await?)
    }

    async fn stop_entities_detection_job(
        &self,
        ctx: &RequestContext,
        input: StopEntitiesDetectionJobRequest,
    ) -> Result<StopEntitiesDetectionJobResponse, ServiceError> {
        Ok(entities_jobs::stop(&self.state, ctx, input).await?)
    }

    async fn tag_resource(
        &self,
        ctx: &RequestContext,
        input: TagResourceRequest,
    ) -> Result<TagResourceResponse, ServiceError> {
        Ok(tags::tag(&self.state, ctx, input).await?)
    }

    async fn untag_resource(
        &self,
        ctx: &RequestContext,
        input: UntagResourceRequest,
    ) -> Result<UntagResourceResponse, ServiceError> {
        Ok(tags::untag(&self.state, ctx, input).await?)
    }

    async fn list_tags_for_resource(
        &self,
        ctx: &RequestContext,
        input: ListTagsForResourceRequest,
    ) -> Result<ListTagsForResourceResponse, ServiceError> {
        Ok(tags::list(&self.state, ctx, input).await?)
    }

    // --- Custom entity recognizers ---------------------------------------------------

    async fn create_entity_recognizer(
        &self,
        ctx: &RequestContext,
        input: CreateEntityRecognizerRequest,
    ) -> Result<CreateEntityRecognizerResponse, ServiceError> {
        Ok(entity_recognizers::create(&self.state, ctx, input).await?)
    }

    async fn describe_entity_recognizer(
        &self,
        ctx: &RequestContext,
        input: DescribeEntityRecognizerRequest,
    ) -> Result<DescribeEntityRecognizerResponse, ServiceError> {
        Ok(entity_recognizers::describe(&self.state, ctx, input).await?)
    }

    async fn list_entity_recognizers(
        &self,
        ctx: &RequestContext,
        input: ListEntityRecognizersRequest,
    ) -> Result<ListEntityRecognizersResponse, ServiceError> {
        Ok(entity_recognizers::list(&self.state, ctx, input).await?)
    }

    async fn list_entity_recognizer_summaries(
        &self,
        ctx: &RequestContext,
        input: ListEntityRecognizerSummariesRequest,
    ) -> Result<ListEntityRecognizerSummariesResponse, ServiceError> {
        Ok(entity_recognizers::summaries(&self.state, ctx, input).await?)
    }

    async fn stop_training_entity_recognizer(
        &self,
        ctx: &RequestContext,
        input: StopTrainingEntityRecognizerRequest,
    ) -> Result<StopTrainingEntityRecognizerResponse, ServiceError> {
        Ok(entity_recognizers::stop(&self.state, ctx, input).await?)
    }

    async fn delete_entity_recognizer(
        &self,
        ctx: &RequestContext,
        input: DeleteEntityRecognizerRequest,
    ) -> Result<DeleteEntityRecognizerResponse, ServiceError> {
        let delete = || entity_recognizers::delete(&self.state, ctx, input.clone());
        Ok(crate::disk::freeing(&self.state, delete).await?)
    }
}
