//! Endpoints: create (from a model version or a flywheel), describe, list, update and
//! delete. Deployment and removal run later, in [`crate::jobs`]. One table serves
//! classifier endpoints (ClassifyDocument) and entity recognizer endpoints
//! (DetectEntities); the model an endpoint is created with decides its ARN's type.
//!
//! Lifecycle: CREATING → IN_SERVICE once the model is loaded (FAILED with a message if it
//! cannot be); UpdateEndpoint → UPDATING → IN_SERVICE, with Desired* differing from the
//! current fields only while updating; DeleteEndpoint → DELETING → gone. An endpoint made
//! from a flywheel follows the flywheel's active version when it is promoted.

use comprehend_protocol::arn::Arn;
use comprehend_protocol::*;
use comprehend_store::endpoints::{EndpointChanges, EndpointFilter, EndpointRecord};
use comprehend_store::{Creation, JobKind, Target, Tx};

use super::{
    Replay, flywheels, name_taken, one_member, owned_arn, replay, tags, time_window, ts, versions,
    with_response,
};
use crate::domain::ModelKind;
use crate::error::{Error, Result, not_found};
use crate::pagination::{next_token, page_request};
use crate::state::{Shared, State};

/// Inference units one endpoint may have (Amazon Comprehend Developer Guide, "Guidelines
/// and quotas": endpoints).
pub const MAX_UNITS_PER_ENDPOINT: i32 = 10;
/// Inference units per account and region.
pub const MAX_UNITS_PER_REGION: i64 = 100;
/// Endpoints per account and region.
pub const MAX_ENDPOINTS: usize = 10;

/// The kind of model an ARN names; anything else can't be served.
fn served(model_arn: &str) -> Result<ModelKind> {
    ModelKind::of(model_arn).ok_or_else(|| {
        ServiceError::invalid_request(format!(
            "'{model_arn}' names neither a document classifier nor an entity recognizer."
        ))
        .into()
    })
}

/// The ARN of an endpoint named `name` serving this kind of model.
fn endpoint_arn(served: ModelKind, ctx: &RequestContext, name: String) -> String {
    Arn::new(ctx, served.endpoint_resource(name)).to_string()
}

/// Checks a model version can be served: a classifier or recognizer version of the
/// caller, TRAINED or TRAINED_WITH_WARNING, in the transaction that starts serving it.
async fn usable(tx: &mut Tx, ctx: &RequestContext, arn: &str) -> Result<ModelKind> {
    let served = served(arn)?;
    match served {
        ModelKind::Classifier => {
            versions::usable_classifier(tx, ctx, arn).await?;
        }
        ModelKind::Recognizer => {
            versions::usable_recognizer(tx, ctx, arn).await?;
        }
    }
    Ok(served)
}

/// The model version a request names directly, or through a flywheel's active version.
async fn resolve_model(
    tx: &mut Tx,
    ctx: &RequestContext,
    model_arn: Option<&str>,
    flywheel_arn: Option<&str>,
) -> Result<(String, Option<String>, ModelKind)> {
    let invalid = |m: String| Err(Error::Service(ServiceError::invalid_request(m)));
    match (model_arn, flywheel_arn) {
        (Some(_), Some(_)) => invalid("Specify either ModelArn or FlywheelArn, not both.".into()),
        (None, None) => invalid("Specify the model to serve: ModelArn, or FlywheelArn to serve a flywheel's active version.".into()),
        (Some(arn), None) => {
            let served = usable(tx, ctx, arn).await?;
            Ok((arn.to_owned(), None, served))
        }
        (None, Some(flywheel_arn)) => {
            let flywheel = flywheels::owned_for_write(tx, ctx, flywheel_arn).await?;
            let Some(active) = flywheel.active_model_arn else {
                return invalid(format!("The flywheel {flywheel_arn} has no active model version yet."));
            };
            let served = usable(tx, ctx, &active).await?;
            Ok((active, Some(flywheel.arn), served))
        }
    }
}

async fn check_units(
    tx: &mut Tx,
    ctx: &RequestContext,
    units: i32,
    replacing: Option<&EndpointRecord>,
) -> Result<()> {
    if units > MAX_UNITS_PER_ENDPOINT {
        return Err(ServiceError::resource_limit_exceeded(format!(
            "An endpoint can have at most {MAX_UNITS_PER_ENDPOINT} inference units; {units} were requested."
        ))
        .into());
    }
    let endpoints = tx.endpoints_of(&ctx.account_id, &ctx.region).await?;
    let others: i64 = endpoints
        .iter()
        .filter(|e| replacing.is_none_or(|r| r.arn != e.arn))
        .map(|e| {
            e.desired_inference_units
                .max(e.current_inference_units.unwrap_or(0))
        })
        .sum();
    if others + i64::from(units) > MAX_UNITS_PER_REGION {
        return Err(ServiceError::resource_limit_exceeded(format!(
            "An account can have at most {MAX_UNITS_PER_REGION} inference units per region; {others} are in use."
        ))
        .into());
    }
    if replacing.is_none() && endpoints.len() >= MAX_ENDPOINTS {
        return Err(ServiceError::resource_limit_exceeded(format!(
            "An account can have at most {MAX_ENDPOINTS} endpoints per region."
        ))
        .into());
    }
    Ok(())
}

/// CreateEndpoint.
pub async fn create(
    state: &Shared,
    ctx: &RequestContext,
    mut input: CreateEndpointRequest,
) -> Result<CreateEndpointResponse> {
    let token = input.client_request_token.take();
    // The model's status, the quotas and the name are all read in the transaction that
    // inserts the endpoint: a DeleteDocumentClassifier at the same moment either commits
    // first (this finds the model DELETING) or sees the endpoint and refuses.
    let mut tx = state.store.begin().await?;
    let record = match replay(&mut tx, ctx, "CreateEndpoint", token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let (model_arn, flywheel_arn, served) = resolve_model(
        &mut tx,
        ctx,
        input.model_arn.as_deref(),
        input.flywheel_arn.as_deref(),
    )
    .await?;
    check_units(&mut tx, ctx, input.desired_inference_units, None).await?;
    let tags = tags::incoming(input.tags.take())?;
    let arn = endpoint_arn(served, ctx, input.endpoint_name.clone());
    let now = state.now_ms();
    let response = CreateEndpointResponse {
        endpoint_arn: Some(arn.clone()),
        model_arn: Some(model_arn.clone()),
    };
    let endpoint = EndpointRecord {
        seq: 0,
        arn,
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        name: input.endpoint_name.clone(),
        status: EndpointStatus::Creating,
        message: None,
        model_arn: Some(model_arn.clone()),
        desired_model_arn: Some(model_arn),
        desired_inference_units: i64::from(input.desired_inference_units),
        current_inference_units: None,
        data_access_role_arn: input.data_access_role_arn.clone(),
        desired_data_access_role_arn: input.data_access_role_arn.clone(),
        flywheel_arn,
        creation_time: now,
        last_modified_time: now,
    };
    let creation = Creation {
        tags,
        job: Some(JobKind::DeployEndpoint),
        idempotency: with_response(record, &response),
        now,
    };
    tx.insert_endpoint(&endpoint, &creation)
        .await
        .map_err(name_taken(format!(
            "An endpoint named '{}' already exists.",
            endpoint.name
        )))?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

/// An endpoint of the caller, read in the transaction of a write that depends on it.
async fn owned_for_write(tx: &mut Tx, ctx: &RequestContext, arn: &str) -> Result<EndpointRecord> {
    owned_arn(ctx, arn)?;
    tx.endpoint(arn).await?.ok_or_else(|| not_found(arn))
}

/// An endpoint of the caller.
pub async fn owned(state: &State, ctx: &RequestContext, arn: &str) -> Result<EndpointRecord> {
    owned_arn(ctx, arn)?;
    state
        .store
        .endpoint(arn)
        .await?
        .ok_or_else(|| not_found(arn))
}

fn properties(e: EndpointRecord) -> EndpointProperties {
    EndpointProperties {
        endpoint_arn: Some(e.arn),
        status: Some(e.status),
        message: e.message,
        model_arn: e.model_arn,
        desired_model_arn: e.desired_model_arn,
        desired_inference_units: Some(e.desired_inference_units as i32),
        current_inference_units: e.current_inference_units.map(|u| u as i32),
        creation_time: Some(ts(e.creation_time)),
        last_modified_time: Some(ts(e.last_modified_time)),
        data_access_role_arn: e.data_access_role_arn,
        desired_data_access_role_arn: e.desired_data_access_role_arn,
        flywheel_arn: e.flywheel_arn,
    }
}

/// DescribeEndpoint.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeEndpointRequest,
) -> Result<DescribeEndpointResponse> {
    let endpoint = owned(state, ctx, &input.endpoint_arn).await?;
    Ok(DescribeEndpointResponse {
        endpoint_properties: Some(properties(endpoint)),
    })
}

/// ListEndpoints.
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListEndpointsRequest,
) -> Result<ListEndpointsResponse> {
    const OP: &str = "ListEndpoints";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let filter = input.filter.unwrap_or_default();
    let members = [
        filter.model_arn.map(EndpointFilter::ModelArn),
        filter.status.map(EndpointFilter::Status),
    ];
    let window = time_window(
        filter.creation_time_after,
        filter.creation_time_before,
        EndpointFilter::CreatedAfter,
        EndpointFilter::CreatedBefore,
    );
    let conditions = one_member(members, window)?;
    let page = state
        .store
        .list_endpoints(&ctx.account_id, &ctx.region, &conditions, page)
        .await?;
    Ok(ListEndpointsResponse {
        next_token: next_token(OP, &page),
        endpoint_properties_list: Some(page.items.into_iter().map(properties).collect()),
    })
}

/// UpdateEndpoint: a new model (directly or through a flywheel), inference units, or
/// role. IN_SERVICE → UPDATING and the deployment job commit together; an endpoint that
/// is not IN_SERVICE (a retried update while UPDATING) is ResourceInUseException.
pub async fn update(
    state: &Shared,
    ctx: &RequestContext,
    input: UpdateEndpointRequest,
) -> Result<UpdateEndpointResponse> {
    let mut tx = state.store.begin().await?;
    let endpoint = owned_for_write(&mut tx, ctx, &input.endpoint_arn).await?;
    if endpoint.status != EndpointStatus::InService {
        return Err(not_in_service(&endpoint));
    }
    let mut changes = EndpointChanges {
        last_modified_time: Some(state.now_ms()),
        ..Default::default()
    };
    if input.desired_model_arn.is_some() || input.flywheel_arn.is_some() {
        let (model, flywheel, served) = resolve_model(
            &mut tx,
            ctx,
            input.desired_model_arn.as_deref(),
            input.flywheel_arn.as_deref(),
        )
        .await?;
        let serving = endpoint.model_arn.as_deref().and_then(ModelKind::of);
        if serving.is_some_and(|s| s != served) {
            return Err(ServiceError::invalid_request(format!(
                "The endpoint {} serves a {}; it can't serve {model}.",
                endpoint.arn,
                serving.map_or("document classifier", ModelKind::noun)
            ))
            .into());
        }
        changes.desired_model_arn = Some(model);
        changes.flywheel_arn = Some(flywheel);
    }
    if let Some(units) = input.desired_inference_units {
        check_units(&mut tx, ctx, units, Some(&endpoint)).await?;
        changes.desired_inference_units = Some(i64::from(units));
    }
    changes.desired_data_access_role_arn = input.desired_data_access_role_arn;
    let desired = changes
        .desired_model_arn
        .clone()
        .or(endpoint.model_arn.clone());
    if !tx
        .transition_endpoint(&endpoint.arn, EndpointStatus::Updating, changes)
        .await?
    {
        return Err(not_in_service(&endpoint));
    }
    // A deployment still running may already have put the endpoint IN_SERVICE: only a
    // queued one is sure to see this update.
    let target = Target::arn(&endpoint.arn);
    tx.ensure_queued_job(JobKind::DeployEndpoint, &target, state.now_ms())
        .await?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(UpdateEndpointResponse {
        desired_model_arn: desired,
    })
}

fn not_in_service(endpoint: &EndpointRecord) -> Error {
    ServiceError::resource_in_use(format!(
        "The endpoint {} is {}; it can be updated once it is IN_SERVICE.",
        endpoint.arn, endpoint.status
    ))
    .into()
}

/// DeleteEndpoint: → DELETING, with the removal job and a stop asked of its deployment,
/// in one transaction. Deleting a DELETING endpoint again answers as the first time did
/// and makes sure its removal job exists.
pub async fn delete(
    state: &Shared,
    ctx: &RequestContext,
    input: DeleteEndpointRequest,
) -> Result<DeleteEndpointResponse> {
    let mut tx = state.store.begin().await?;
    let endpoint = owned_for_write(&mut tx, ctx, &input.endpoint_arn).await?;
    let now = state.now_ms();
    let changes = EndpointChanges {
        last_modified_time: Some(now),
        ..Default::default()
    };
    let target = Target::arn(&endpoint.arn);
    let moved = tx
        .transition_endpoint(&endpoint.arn, EndpointStatus::Deleting, changes)
        .await?;
    if moved {
        tx.request_stop(&target, now).await?;
    }
    if moved || endpoint.status == EndpointStatus::Deleting {
        tx.ensure_job(JobKind::DeleteEndpoint, &target, now).await?;
    }
    tx.commit().await?;
    state.wakeup.notify();
    Ok(DeleteEndpointResponse {})
}
