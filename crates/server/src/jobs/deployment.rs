//! The DeployEndpoint and DeleteEndpoint jobs: an endpoint goes into service once its
//! model is loaded (FAILED with a message if it cannot be), and is removed while DELETING.

use comprehend_protocol::EndpointStatus;
use comprehend_store::endpoints::{EndpointChanges, EndpointRecord};
use comprehend_store::{Job, Target};

use super::error::{JobError, resource_arn};
use crate::domain::{ModelKind, USABLE};
use crate::error::Error;
use crate::state::State;

/// DeployEndpoint: loads the desired model and puts the endpoint in service.
///
/// The endpoint goes IN_SERVICE on the model that was loaded only if that is still the
/// desired one, read in the transition's transaction: a flywheel promotion made while
/// the model loaded (its deployment job is this running one) sends the job round again
/// for the newly desired version.
pub async fn deploy(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let mut loaded = None;
    loop {
        let mut tx = state.store.begin().await?;
        let Some(endpoint) = tx.endpoint(arn).await? else {
            return Ok(());
        };
        if !matches!(
            endpoint.status,
            EndpointStatus::Creating | EndpointStatus::Updating
        ) {
            return Ok(());
        }
        let desired = desired_model(&endpoint);
        if loaded.as_ref() == Some(&desired) {
            let changes = in_service(state, &endpoint, desired);
            tx.transition_endpoint(&endpoint.arn, EndpointStatus::InService, changes)
                .await?;
            tx.commit().await?;
            return Ok(());
        }
        // Loading takes time: not inside the transaction.
        drop(tx);
        if let Err(message) = load(state, &desired).await? {
            fail_endpoint(state, &endpoint.arn, &message).await?;
            return Err(JobError::Failed(message));
        }
        loaded = Some(desired);
    }
}

/// The model an endpoint is moving to (or serves).
fn desired_model(endpoint: &EndpointRecord) -> String {
    endpoint
        .desired_model_arn
        .clone()
        .or(endpoint.model_arn.clone())
        .unwrap_or_default()
}

/// Loads a model version of either kind into its cache; `Ok(Err(message))` when it
/// cannot be served.
async fn load(state: &State, model_arn: &str) -> Result<Result<(), String>, Error> {
    let kind = ModelKind::of(model_arn);
    let found = match kind {
        Some(ModelKind::Classifier) => state
            .store
            .classifier(model_arn)
            .await?
            .map(|m| (m.status, m.model_key)),
        Some(ModelKind::Recognizer) => state
            .store
            .recognizer(model_arn)
            .await?
            .map(|m| (m.status, m.model_key)),
        None => None,
    };
    let (kind, key) = match (kind, found) {
        (Some(kind), Some((status, key))) if USABLE.contains(&status) => match key {
            Some(key) => (kind, key),
            None => {
                return Ok(Err(format!(
                    "The model {model_arn} has no trained model file."
                )));
            }
        },
        (_, Some((status, _))) => {
            return Ok(Err(format!(
                "The model {model_arn} is {status}; it can't be served."
            )));
        }
        (_, None) => return Ok(Err(format!("The model {model_arn} does not exist."))),
    };
    let loaded = match kind {
        ModelKind::Classifier => state.models.load(&key).await.map(|_| ()),
        ModelKind::Recognizer => state
            .recognizers
            .load(&state.models, &key)
            .await
            .map(|_| ()),
    };
    Ok(loaded.map_err(|e| e.to_string()))
}

/// The fields of an endpoint at rest on `model_arn`: Desired* equal the current ones.
fn in_service(state: &State, endpoint: &EndpointRecord, model_arn: String) -> EndpointChanges {
    EndpointChanges {
        message: Some(None),
        model_arn: Some(model_arn.clone()),
        desired_model_arn: Some(model_arn),
        current_inference_units: Some(endpoint.desired_inference_units),
        data_access_role_arn: endpoint.desired_data_access_role_arn.clone(),
        last_modified_time: Some(state.now_ms()),
        ..Default::default()
    }
}

/// DeleteEndpoint: removes the endpoint (only while DELETING).
pub async fn delete(state: &State, job: &Job) -> Result<(), JobError> {
    let Some(arn) = resource_arn(&job.target) else {
        return Ok(());
    };
    let mut tx = state.store.begin().await?;
    tx.delete_endpoint(arn).await?;
    tx.commit().await?;
    Ok(())
}

async fn fail_endpoint(state: &State, arn: &str, message: &str) -> Result<(), Error> {
    let changes = EndpointChanges {
        message: Some(Some(crate::disk::failure_message(state, message))),
        last_modified_time: Some(state.now_ms()),
        ..Default::default()
    };
    state
        .store
        .transition_endpoint(arn, EndpointStatus::Failed, changes)
        .await?;
    Ok(())
}

/// Marks an endpoint FAILED (its deployment or deletion failed, or was given up).
pub async fn fail(state: &State, target: &Target, message: &str) -> Result<(), Error> {
    match resource_arn(target) {
        Some(arn) => fail_endpoint(state, arn, message).await,
        None => Ok(()),
    }
}
