//! Reading whole lists through the paginated List operations.

use std::future::Future;

use comprehend_protocol::{
    ComprehendApi, DatasetProperties, DocumentClassificationJobProperties,
    DocumentClassifierProperties, EndpointProperties, EntitiesDetectionJobProperties,
    EntityRecognizerProperties, FlywheelIterationProperties, FlywheelSummary, ListDatasetsRequest,
    ListDocumentClassificationJobsRequest, ListDocumentClassifiersRequest, ListEndpointsRequest,
    ListEntitiesDetectionJobsRequest, ListEntityRecognizersRequest,
    ListFlywheelIterationHistoryRequest, ListFlywheelsRequest, RequestContext, ServiceError,
};

/// The most items a page lists of one kind: enough for any local workload, and a bound
/// on the time and memory of a page.
pub(crate) const MAX_ITEMS: usize = 5_000;

/// The page size the console asks for (the model's maximum for every List operation
/// it calls).
const PAGE: i32 = 500;

/// Calls `page` with each `NextToken` until the list ends or [`MAX_ITEMS`] are read.
async fn all<T, F, Fut>(mut page: F) -> Result<Vec<T>, ServiceError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<(Option<Vec<T>>, Option<String>), ServiceError>>,
{
    let mut items = Vec::new();
    let mut token = None;
    loop {
        let (batch, next) = page(token).await?;
        items.extend(batch.unwrap_or_default());
        match next {
            Some(next) if items.len() < MAX_ITEMS => token = Some(next),
            _ => break,
        }
    }
    items.truncate(MAX_ITEMS);
    Ok(items)
}

/// Every flywheel of the scope.
pub(crate) async fn flywheels<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
) -> Result<Vec<FlywheelSummary>, ServiceError> {
    all(|next_token| async {
        let request = ListFlywheelsRequest {
            next_token,
            max_results: Some(PAGE),
            ..Default::default()
        };
        let out = api.list_flywheels(ctx, request).await?;
        Ok((out.flywheel_summary_list, out.next_token))
    })
    .await
}

/// Every classifier version of the scope.
pub(crate) async fn classifiers<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
) -> Result<Vec<DocumentClassifierProperties>, ServiceError> {
    all(|next_token| async {
        let request = ListDocumentClassifiersRequest {
            next_token,
            max_results: Some(PAGE),
            ..Default::default()
        };
        let out = api.list_document_classifiers(ctx, request).await?;
        Ok((out.document_classifier_properties_list, out.next_token))
    })
    .await
}

/// Every recognizer version of the scope.
pub(crate) async fn recognizers<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
) -> Result<Vec<EntityRecognizerProperties>, ServiceError> {
    all(|next_token| async {
        let request = ListEntityRecognizersRequest {
            next_token,
            max_results: Some(PAGE),
            ..Default::default()
        };
        let out = api.list_entity_recognizers(ctx, request).await?;
        Ok((out.entity_recognizer_properties_list, out.next_token))
    })
    .await
}

/// Every dataset of a flywheel.
pub(crate) async fn datasets<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
    flywheel: &str,
) -> Result<Vec<DatasetProperties>, ServiceError> {
    all(|next_token| async {
        let request = ListDatasetsRequest {
            flywheel_arn: Some(flywheel.to_owned()),
            next_token,
            max_results: Some(PAGE),
            ..Default::default()
        };
        let out = api.list_datasets(ctx, request).await?;
        Ok((out.dataset_properties_list, out.next_token))
    })
    .await
}

/// Every iteration of a flywheel, oldest first.
pub(crate) async fn iterations<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
    flywheel: &str,
) -> Result<Vec<FlywheelIterationProperties>, ServiceError> {
    let mut iterations = all(|next_token| async {
        let request = ListFlywheelIterationHistoryRequest {
            flywheel_arn: flywheel.to_owned(),
            next_token,
            max_results: Some(PAGE),
            ..Default::default()
        };
        let out = api.list_flywheel_iteration_history(ctx, request).await?;
        Ok((out.flywheel_iteration_properties_list, out.next_token))
    })
    .await?;
    iterations.sort_by_key(|i| i.creation_time.as_ref().map(|t| t.0));
    Ok(iterations)
}

/// Every endpoint of the scope.
pub(crate) async fn endpoints<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
) -> Result<Vec<EndpointProperties>, ServiceError> {
    all(|next_token| async {
        let request = ListEndpointsRequest {
            next_token,
            max_results: Some(PAGE),
            ..Default::default()
        };
        let out = api.list_endpoints(ctx, request).await?;
        Ok((out.endpoint_properties_list, out.next_token))
    })
    .await
}

/// Every document classification job of the scope.
pub(crate) async fn classification_jobs<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
) -> Result<Vec<DocumentClassificationJobProperties>, ServiceError> {
    all(|next_token| async {
        let request = ListDocumentClassificationJobsRequest {
            next_token,
            max_results: Some(PAGE),
            ..Default::default()
        };
        let out = api.list_document_classification_jobs(ctx, request).await?;
        Ok((
            out.document_classification_job_properties_list,
            out.next_token,
        ))
    })
    .await
}

/// Every entities detection job of the scope.
pub(crate) async fn entities_jobs<A: ComprehendApi>(
    api: &A,
    ctx: &RequestContext,
) -> Result<Vec<EntitiesDetectionJobProperties>, ServiceError> {
    all(|next_token| async {
        let request = ListEntitiesDetectionJobsRequest {
            next_token,
            max_results: Some(PAGE),
            ..Default::default()
        };
        let out = api.list_entities_detection_jobs(ctx, request).await?;
        Ok((out.entities_detection_job_properties_list, out.next_token))
    })
    .await
}
