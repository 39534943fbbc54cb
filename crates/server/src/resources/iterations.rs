//! Flywheel iterations: StartFlywheelIteration, DescribeFlywheelIteration and
//! ListFlywheelIterationHistory. The iteration itself runs later, in [`crate::jobs`].
//!
//! An iteration gathers the flywheel's COMPLETED datasets from the lake, trains a new
//! model version (`Comprehend-Generated-v1-<8 hex>`) on all TRAIN data, evaluates it and
//! the active version on the same test data (the TEST datasets, or a seeded 10 % held
//! out of TRAIN when there are none), and writes the evaluation into the lake.
//! Status TRAINING → EVALUATING → COMPLETED, or FAILED / STOPPED. When no dataset arrived
//! since the last trained version, it only evaluates the active version and says so.
//! Promotion is never automatic; only a flywheel without an active version adopts the
//! first version it trains (there is nothing to replace).

use comprehend_protocol::*;
use comprehend_store::iterations::{IterationFilter, IterationRecord};
use comprehend_store::{Creation, IterationKey, JobKind};

use super::{Replay, flywheels, opt_ts, replay, time_window, ts, with_response};
use crate::error::{Result, not_found};
use crate::lake::Lake;
use crate::pagination::{next_token, page_request};
use crate::state::Shared;

/// StartFlywheelIteration.
pub async fn start(
    state: &Shared,
    ctx: &RequestContext,
    mut input: StartFlywheelIterationRequest,
) -> Result<StartFlywheelIterationResponse> {
    let token = input.client_request_token.take();
    let mut tx = state.store.begin().await?;
    let record = match replay(
        &mut tx,
        ctx,
        "StartFlywheelIteration",
        token.as_deref(),
        &input,
    )
    .await?
    {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let flywheel = flywheels::owned_for_write(&mut tx, ctx, &input.flywheel_arn).await?;
    if flywheel.status != FlywheelStatus::Active {
        return Err(ServiceError::invalid_request(format!(
            "The flywheel {} is {}; iterations can only run on an ACTIVE flywheel.",
            flywheel.arn, flywheel.status
        ))
        .into());
    }
    let running = tx.running_iterations(&ctx.account_id, &ctx.region).await?;
    if let Some(it) = running.iter().find(|i| i.flywheel_arn == flywheel.arn) {
        return Err(ServiceError::resource_in_use(format!(
            "The flywheel iteration {} is still running; wait for it to finish.",
            it.iteration_id
        ))
        .into());
    }
    // The id is the start time to the second; a quick second start moves to the next second.
    let mut created = state.now();
    if let Some(latest) = flywheel.latest_iteration_id.as_deref().and_then(parse_id)
        && created.millis() < latest + 1000
    {
        created = Timestamp::from_millis(latest + 1000);
    }
    let iteration_id = created.compact();
    let lake = Lake::at(&flywheel.data_lake_s3_uri);
    let iteration = IterationRecord {
        seq: 0,
        flywheel_arn: flywheel.arn.clone(),
        iteration_id: iteration_id.clone(),
        status: FlywheelIterationStatus::Training,
        message: None,
        creation_time: created.millis(),
        end_time: None,
        evaluated_model_arn: None,
        evaluated_metrics: None,
        trained_model_arn: None,
        trained_metrics: None,
        evaluation_prefix: Some(lake.evaluation(&iteration_id)),
    };
    let response = StartFlywheelIterationResponse {
        flywheel_arn: Some(flywheel.arn.clone()),
        flywheel_iteration_id: Some(iteration_id),
    };
    let creation = Creation {
        tags: vec![],
        job: Some(JobKind::RunIteration),
        idempotency: with_response(record, &response),
        now: state.now_ms(),
    };
    tx.insert_iteration(&iteration, &creation).await?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

fn parse_id(id: &str) -> Option<i64> {
    chrono::NaiveDateTime::parse_from_str(id, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc().timestamp_millis())
}

fn properties(it: IterationRecord) -> FlywheelIterationProperties {
    FlywheelIterationProperties {
        flywheel_arn: Some(it.flywheel_arn),
        flywheel_iteration_id: Some(it.iteration_id),
        creation_time: Some(ts(it.creation_time)),
        end_time: opt_ts(it.end_time),
        status: Some(it.status),
        message: it.message,
        evaluated_model_arn: it.evaluated_model_arn,
        evaluated_model_metrics: it.evaluated_metrics,
        trained_model_arn: it.trained_model_arn,
        trained_model_metrics: it.trained_metrics,
        evaluation_manifest_s3_prefix: it.evaluation_prefix,
    }
}

/// DescribeFlywheelIteration.
pub async fn describe(
    state: &Shared,
    ctx: &RequestContext,
    input: DescribeFlywheelIterationRequest,
) -> Result<DescribeFlywheelIterationResponse> {
    let flywheel = flywheels::owned(state, ctx, &input.flywheel_arn).await?;
    let key = IterationKey {
        flywheel_arn: flywheel.arn.clone(),
        iteration_id: input.flywheel_iteration_id.clone(),
    };
    let iteration = state.store.iteration(&key).await?.ok_or_else(|| {
        not_found(&format!(
            "{} iteration {}",
            flywheel.arn, input.flywheel_iteration_id
        ))
    })?;
    Ok(DescribeFlywheelIterationResponse {
        flywheel_iteration_properties: Some(properties(iteration)),
    })
}

/// ListFlywheelIterationHistory.
pub async fn list(
    state: &Shared,
    ctx: &RequestContext,
    input: ListFlywheelIterationHistoryRequest,
) -> Result<ListFlywheelIterationHistoryResponse> {
    const OP: &str = "ListFlywheelIterationHistory";
    let page = page_request(OP, input.max_results, input.next_token.as_deref())?;
    let flywheel = flywheels::owned(state, ctx, &input.flywheel_arn).await?;
    let filter = input.filter.unwrap_or_default();
    let conditions = time_window(
        filter.creation_time_after,
        filter.creation_time_before,
        IterationFilter::CreatedAfter,
        IterationFilter::CreatedBefore,
    );
    let page = state
        .store
        .list_iterations(&flywheel.arn, &conditions, page)
        .await?;
    Ok(ListFlywheelIterationHistoryResponse {
        next_token: next_token(OP, &page),
        flywheel_iteration_properties_list: Some(page.items.into_iter().map(properties).collect()),
    })
}
