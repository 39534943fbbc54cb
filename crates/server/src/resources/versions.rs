//! Model versions of either kind as the other resources use them, in the transaction
//! of the write that depends on them: a version of the caller read for a change, a
//! usable (trained) version for an endpoint, a job or a flywheel, the rule that a
//! flywheel's active version can't be deleted, and the iterations a StopTraining stops.
//! The modules of the resources that use versions (endpoints, jobs, flywheels) import
//! this one, not the version modules, so none of them import each other in a circle.

use comprehend_protocol::*;
use comprehend_store::Tx;
use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::entity_recognizers::RecognizerRecord;
use comprehend_store::iterations::{IterationChanges, IterationRecord};

use super::owned_arn;
use crate::domain::{ModelKind, USABLE};
use crate::error::{Result, not_found};

/// A classifier version of the caller.
pub(super) async fn classifier(
    tx: &mut Tx,
    ctx: &RequestContext,
    arn: &str,
) -> Result<ClassifierRecord> {
    owned_arn(ctx, arn)?;
    tx.classifier(arn).await?.ok_or_else(|| not_found(arn))
}

/// A recognizer version of the caller.
pub(super) async fn recognizer(
    tx: &mut Tx,
    ctx: &RequestContext,
    arn: &str,
) -> Result<RecognizerRecord> {
    owned_arn(ctx, arn)?;
    tx.recognizer(arn).await?.ok_or_else(|| not_found(arn))
}

/// A usable (TRAINED or TRAINED_WITH_WARNING) classifier version of the caller.
pub(super) async fn usable_classifier(
    tx: &mut Tx,
    ctx: &RequestContext,
    arn: &str,
) -> Result<ClassifierRecord> {
    let record = classifier(tx, ctx, arn).await?;
    check_usable(arn, record.status)?;
    Ok(record)
}

/// A usable recognizer version of the caller. Any other status is
/// InvalidRequestException, as for classifier versions (the API reference does not say
/// which of its errors a not-yet-trained model gets).
pub(super) async fn usable_recognizer(
    tx: &mut Tx,
    ctx: &RequestContext,
    arn: &str,
) -> Result<RecognizerRecord> {
    let record = recognizer(tx, ctx, arn).await?;
    check_usable(arn, record.status)?;
    Ok(record)
}

fn check_usable(arn: &str, status: ModelStatus) -> Result<()> {
    if USABLE.contains(&status) {
        return Ok(());
    }
    Err(ServiceError::invalid_request(format!(
        "The model {arn} is {status}; only a TRAINED model can be used."
    ))
    .into())
}

/// A flywheel's active version can't be deleted: ResourceInUseException naming the flywheel.
pub(super) async fn refuse_active_model(
    tx: &mut Tx,
    model_arn: &str,
    kind: ModelKind,
) -> Result<()> {
    match tx.flywheels_with_active_model(model_arn).await?.first() {
        Some(flywheel) => Err(ServiceError::resource_in_use(format!(
            "The {} {model_arn} is the active model of the flywheel {}.",
            kind.noun(),
            flywheel.arn
        ))
        .into()),
        None => Ok(()),
    }
}

/// The running iterations of the flywheel that owns a model version (none for a version
/// no flywheel trained): a StopTraining of the version stops them too, so they are read
/// in the stop's transaction.
pub(super) async fn running_iterations(
    tx: &mut Tx,
    flywheel_arn: Option<&str>,
    account: &str,
    region: &str,
) -> Result<Vec<IterationRecord>> {
    let Some(flywheel_arn) = flywheel_arn else {
        return Ok(Vec::new());
    };
    let running = tx.running_iterations(account, region).await?;
    Ok(running
        .into_iter()
        .filter(|i| i.flywheel_arn == flywheel_arn)
        .collect())
}

/// Moves `iterations` to STOP_REQUESTED inside a StopTraining transaction.
pub(super) async fn stop_iterations(tx: &mut Tx, iterations: &[IterationRecord]) -> Result<()> {
    for iteration in iterations {
        tx.transition_iteration(
            &iteration.key(),
            FlywheelIterationStatus::StopRequested,
            IterationChanges::default(),
        )
        .await?;
    }
    Ok(())
}
