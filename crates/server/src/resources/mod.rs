//! The resource services: one module per Comprehend resource, each owning its
//! operations (validated, typed input → typed output) and the business rules of its
//! requests. A request that starts work writes the change and the job that does it in
//! one transaction and returns; the work itself lives in [`crate::jobs`]. Helpers every
//! module needs live here.

pub mod builtin;
pub mod classification_jobs;
pub mod classifiers;
pub mod datasets;
pub mod document_jobs;
pub mod endpoints;
pub mod entities_jobs;
pub mod entity_inference;
pub mod entity_recognizers;
pub mod flywheels;
pub mod inference;
pub mod iterations;
pub mod recognizer_input;
pub mod tags;
pub mod versions;

use comprehend_protocol::arn::Arn;
use comprehend_protocol::{RequestContext, ServiceError, Timestamp};
use comprehend_store::{Order, Tx};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Result, not_found};

/// Maps a store uniqueness failure (a taken name) to ResourceInUseException with `message`;
/// other store errors convert as usual.
pub fn name_taken(
    message: String,
) -> impl FnOnce(comprehend_store::StoreError) -> crate::error::Error {
    move |err| match err {
        comprehend_store::StoreError::AlreadyExists(_) => {
            ServiceError::resource_in_use(message).into()
        }
        other => other.into(),
    }
}

/// Parses an ARN the model already checked, and hides resources of other accounts and
/// regions (they do not exist for this caller).
pub fn owned_arn(ctx: &RequestContext, text: &str) -> Result<Arn> {
    let arn = Arn::parse(text).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    if !arn.is_in(ctx) {
        return Err(not_found(text));
    }
    Ok(arn)
}

/// A wire timestamp from stored milliseconds.
pub fn ts(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms)
}

/// An optional wire timestamp.
pub fn opt_ts(ms: Option<i64>) -> Option<Timestamp> {
    ms.map(Timestamp::from_millis)
}

/// The filter members of a time window (`…After` / `…Before`), built with the
/// resource's own filter constructors.
pub fn time_window<F>(
    after: Option<Timestamp>,
    before: Option<Timestamp>,
    is_after: fn(i64) -> F,
    is_before: fn(i64) -> F,
) -> Vec<F> {
    let mut out = Vec::new();
    if let Some(t) = after {
        out.push(is_after(t.millis()));
    }
    if let Some(t) = before {
        out.push(is_before(t.millis()));
    }
    out
}

/// The order of a list: creation order, or newest first when the filter asks for what
/// was submitted after a time (the same rule for every List operation here).
pub fn submit_order(after: Option<Timestamp>) -> Order {
    match after {
        Some(_) => Order::Descending,
        None => Order::Ascending,
    }
}

/// The conditions of a filter that accepts one member at a time (the API reference's
/// filter types, e.g. `DocumentClassifierFilter`: "Filters the list of classifiers based
/// on status" — one of its members per request): its plain members, already mapped to
/// the resource's conditions, then its [`time_window`].
pub fn one_member<F>(
    members: impl IntoIterator<Item = Option<F>>,
    window: Vec<F>,
) -> Result<Vec<F>> {
    let conditions: Vec<F> = members.into_iter().flatten().chain(window).collect();
    if conditions.len() > 1 {
        return Err(ServiceError::invalid_filter(
            "The filter can specify only one of its members at a time.",
        )
        .into());
    }
    Ok(conditions)
}

/// What a Create/Start operation does with its `ClientRequestToken`.
pub enum Replay<T> {
    /// The token was used with the same request: answer the stored response.
    Stored(T),
    /// A new request: keep this record with the creation.
    New(Option<comprehend_store::Idempotency>),
}

/// Looks a token up, inside the transaction that will write the creation (so two
/// requests with one token at the same moment start one resource). The same token with
/// a different request is an error; the same token with the same request replays the
/// first response and starts nothing new.
pub async fn replay<T: DeserializeOwned>(
    tx: &mut Tx,
    ctx: &RequestContext,
    operation: &str,
    token: Option<&str>,
    request: &impl Serialize,
) -> Result<Replay<T>> {
    let Some(token) = token else {
        return Ok(Replay::New(None));
    };
    let body = serde_json::to_vec(request).map_err(|e| ServiceError::internal(e.to_string()))?;
    let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, &body)
        .simple()
        .to_string();
    if let Some((stored_hash, response)) = tx
        .idempotent_response(&ctx.account_id, &ctx.region, operation, token)
        .await?
    {
        if stored_hash != hash {
            return Err(ServiceError::invalid_request(format!(
                "ClientRequestToken '{token}' was already used with a different {operation} request"
            ))
            .into());
        }
        let response =
            serde_json::from_str(&response).map_err(|e| ServiceError::internal(e.to_string()))?;
        return Ok(Replay::Stored(response));
    }
    Ok(Replay::New(Some(comprehend_store::Idempotency {
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        operation: operation.to_owned(),
        token: token.to_owned(),
        request_hash: hash,
        response: String::new(),
    })))
}

/// Fills in the response an idempotency record will replay.
pub fn with_response(
    record: Option<comprehend_store::Idempotency>,
    response: &impl Serialize,
) -> Option<comprehend_store::Idempotency> {
    record.map(|mut r| {
        r.response = serde_json::to_string(response).unwrap_or_default();
        r
    })
}
