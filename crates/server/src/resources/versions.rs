//! Model versions of either kind as the other resources use them, in the transaction
//! of the write that depends on them: a version of the caller read for a change, a
//! usable (trained) version for an endpoint, a job or a flywheel, the rule that a
//! flywheel's active version can't be deleted, and the iterations a StopTraining stops.
//! The modules of the resources that use versions (endpoints, jobs, flywheels) import
//! this one, not the version modules, so none of them import each other in a circle.

use comprehend_protocol::*;
use comprehend_store::classifiers::{ClassifierChanges, ClassifierRecord};
use comprehend_store::entity_recognizers::{RecognizerChanges, RecognizerRecord};
use comprehend_store::iterations::{IterationChanges, IterationRecord};
use comprehend_store::versions::VersionFilter;
use comprehend_store::{JobKind, Lifecycle, Order, RecognizerStatus, Target, Tx};

use super::{at_most_one_filter, owned_arn, submit_order, time_window};
use crate::domain::{ModelKind, USABLE};
use crate::error::{Result, not_found};
use crate::state::State;

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

/// What StopTraining and Delete need of a version of either kind.
struct Version {
    arn: String,
    status: ModelStatus,
    flywheel_arn: Option<String>,
    account: String,
    region: String,
}

/// The kind-specific facts of StopTraining and Delete: one row per kind.
struct KindFacts {
    /// How Delete's messages name a version ("The document classifier … is …").
    name: &'static str,
    /// … and in "only a classifier that has finished training".
    short: &'static str,
    /// The job that keeps a version in use.
    running_job: &'static str,
    /// The job that removes a DELETING version.
    delete_job: JobKind,
}

fn facts(kind: ModelKind) -> KindFacts {
    match kind {
        ModelKind::Classifier => KindFacts {
            name: "document classifier",
            short: "classifier",
            running_job: "a running classification job",
            delete_job: JobKind::DeleteClassifier,
        },
        ModelKind::Recognizer => KindFacts {
            name: "entity recognizer",
            short: "recognizer",
            running_job: "an entities detection job that has not ended",
            delete_job: JobKind::DeleteEntityRecognizer,
        },
    }
}

async fn version(tx: &mut Tx, ctx: &RequestContext, kind: ModelKind, arn: &str) -> Result<Version> {
    Ok(match kind {
        ModelKind::Classifier => {
            let r = classifier(tx, ctx, arn).await?;
            Version {
                arn: r.arn,
                status: r.status,
                flywheel_arn: r.flywheel_arn,
                account: r.account,
                region: r.region,
            }
        }
        ModelKind::Recognizer => {
            let r = recognizer(tx, ctx, arn).await?;
            Version {
                arn: r.arn,
                status: r.status,
                flywheel_arn: r.flywheel_arn,
                account: r.account,
                region: r.region,
            }
        }
    })
}

/// Moves a version to `to` if its kind's lifecycle allows it from where it is.
async fn transition(tx: &mut Tx, kind: ModelKind, arn: &str, to: ModelStatus) -> Result<bool> {
    Ok(match kind {
        ModelKind::Classifier => {
            tx.transition_classifier(arn, to, ClassifierChanges::default())
                .await?
        }
        ModelKind::Recognizer => {
            tx.transition_recognizer(arn, to, RecognizerChanges::default())
                .await?
        }
    })
}

fn deletable(kind: ModelKind, status: ModelStatus) -> bool {
    let deleting = ModelStatus::Deleting;
    status == deleting
        || match kind {
            ModelKind::Classifier => ModelStatus::allows(status, deleting),
            ModelKind::Recognizer => {
                RecognizerStatus::allows(RecognizerStatus(status), RecognizerStatus(deleting))
            }
        }
}

/// StopTraining of either kind: SUBMITTED or TRAINING → STOP_REQUESTED, with a stop asked
/// of the training job (and of the iteration that trains a flywheel's version) in the
/// same transaction; the job then stops within about one optimizer iteration. Stopping a
/// version that is not training does nothing.
pub(super) async fn stop(
    state: &State,
    ctx: &RequestContext,
    kind: ModelKind,
    arn: &str,
) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let v = version(&mut tx, ctx, kind, arn).await?;
    let running =
        running_iterations(&mut tx, v.flywheel_arn.as_deref(), &v.account, &v.region).await?;
    if transition(&mut tx, kind, &v.arn, ModelStatus::StopRequested).await? {
        tx.request_stop(&Target::arn(&v.arn), state.now_ms())
            .await?;
        stop_iterations(&mut tx, &running).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Delete of either kind: only finished versions that no endpoint serves, no job that
/// has not ended uses and no flywheel has active. Every rule is read in the deletion's
/// transaction: an endpoint or job created at the same moment either commits first (and
/// is seen) or waits for this one (and finds the version DELETING). The status and the
/// job that finishes the deletion commit together; a retried delete of a DELETING
/// version makes sure that job exists.
pub(super) async fn delete(
    state: &State,
    ctx: &RequestContext,
    kind: ModelKind,
    arn: &str,
) -> Result<()> {
    let facts = facts(kind);
    let mut tx = state.store.begin().await?;
    let v = version(&mut tx, ctx, kind, arn).await?;
    let in_use = |why: String| Err(ServiceError::resource_in_use(why).into());
    if !deletable(kind, v.status) {
        return in_use(format!(
            "The {} {} is {}; only a {} that has finished training (or was stopped) can be deleted.",
            facts.name, v.arn, v.status, facts.short
        ));
    }
    if let Some(endpoint) = tx.endpoints_using_model(&v.arn).await?.first() {
        return in_use(format!(
            "The {} {} is used by the endpoint {}.",
            facts.name, v.arn, endpoint.arn
        ));
    }
    if tx.model_in_use_by_job(&v.arn).await? {
        return in_use(format!(
            "The {} {} is used by {}.",
            facts.name, v.arn, facts.running_job
        ));
    }
    refuse_active_model(&mut tx, &v.arn, kind).await?;
    let moved = transition(&mut tx, kind, &v.arn, ModelStatus::Deleting).await?;
    if moved || v.status == ModelStatus::Deleting {
        tx.ensure_job(facts.delete_job, &Target::arn(&v.arn), state.now_ms())
            .await?;
    }
    tx.commit().await?;
    state.wakeup.notify();
    Ok(())
}

/// The conditions and order of a ListDocumentClassifiers or ListEntityRecognizers filter
/// (status, name, submitted before, submitted after): one member at a time, in creation
/// order (newest first with SubmitTimeAfter).
pub(super) fn list_filter(
    status: Option<ModelStatus>,
    name: Option<String>,
    before: Option<Timestamp>,
    after: Option<Timestamp>,
) -> Result<(Vec<VersionFilter>, Order)> {
    at_most_one_filter(&[
        status.is_some(),
        name.is_some(),
        before.is_some(),
        after.is_some(),
    ])?;
    let mut conditions = Vec::new();
    conditions.extend(status.map(VersionFilter::Status));
    conditions.extend(name.map(VersionFilter::Name));
    conditions.extend(time_window(
        after,
        before,
        VersionFilter::SubmittedAfter,
        VersionFilter::SubmittedBefore,
    ));
    Ok((conditions, submit_order(after)))
}
