//! Model versions of either kind as the other resources use them, in the transaction
//! of the write that depends on them: a version of the caller read for a change, a
//! usable (trained) version for an endpoint, a job or a flywheel, the rule that a
//! flywheel's active version can't be deleted, and the iterations a StopTraining stops.
//! The modules of the resources that use versions (endpoints, jobs, flywheels) import
//! this one, not the version modules, so none of them import each other in a circle.

use comprehend_protocol::arn::Arn;
use comprehend_protocol::*;
use comprehend_store::classifiers::ClassifierRecord;
use comprehend_store::entity_recognizers::RecognizerRecord;
use comprehend_store::iterations::{IterationChanges, IterationRecord};
use comprehend_store::versions::{NewHead, Version, VersionChanges, VersionFilter, VersionSummary};
use comprehend_store::{Creation, Lifecycle, Order, Target, Tx};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{
    Replay, name_taken, one_member, owned_arn, replay, submit_order, tags, time_window,
    with_response,
};
use crate::domain::{Kind, ModelKind, TRAINING_LANGUAGES, USABLE};
use crate::error::{Result, not_found};
use crate::pagination::{next_token, page_request};
use crate::state::State;

/// A version of the caller.
pub(super) async fn version<V: Version>(tx: &mut Tx, ctx: &RequestContext, arn: &str) -> Result<V> {
    owned_arn(ctx, arn)?;
    tx.version(arn).await?.ok_or_else(|| not_found(arn))
}

/// A version of the caller, read on its own (Describe).
pub(super) async fn owned<V: Version>(state: &State, ctx: &RequestContext, arn: &str) -> Result<V> {
    owned_arn(ctx, arn)?;
    state
        .store
        .version(arn)
        .await?
        .ok_or_else(|| not_found(arn))
}

/// A usable (TRAINED or TRAINED_WITH_WARNING) version of the caller. Any other status is
/// InvalidRequestException for either kind (the API reference does not say which of its
/// errors a not-yet-trained model gets).
pub(super) async fn usable<V: Version>(tx: &mut Tx, ctx: &RequestContext, arn: &str) -> Result<V> {
    let record: V = version(tx, ctx, arn).await?;
    let status = record.status();
    if USABLE.contains(&status) {
        return Ok(record);
    }
    Err(ServiceError::invalid_request(format!(
        "The model {arn} is {status}; only a TRAINED model can be used."
    ))
    .into())
}

/// A usable classifier version of the caller.
pub(super) async fn usable_classifier(
    tx: &mut Tx,
    ctx: &RequestContext,
    arn: &str,
) -> Result<ClassifierRecord> {
    usable(tx, ctx, arn).await
}

/// A usable recognizer version of the caller.
pub(super) async fn usable_recognizer(
    tx: &mut Tx,
    ctx: &RequestContext,
    arn: &str,
) -> Result<RecognizerRecord> {
    usable(tx, ctx, arn).await
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

/// The kind-specific facts of Create, StopTraining and Delete: one row per kind.
struct KindFacts {
    /// Who Create's language check names ("Custom classifiers can't be trained in …").
    custom: &'static str,
    /// The languages it names, as it names them.
    languages: &'static str,
    /// How Create tells of a taken name ("A document classifier named …").
    a: &'static str,
    /// How Delete's messages name a version ("The document classifier … is …").
    name: &'static str,
    /// … and in "only a classifier that has finished training".
    short: &'static str,
    /// The job that keeps a version in use.
    running_job: &'static str,
}

fn facts(kind: ModelKind) -> KindFacts {
    match kind {
        ModelKind::Classifier => KindFacts {
            custom: "Custom classifiers",
            languages: "en, es, fr, de, it and pt",
            a: "A document classifier",
            name: "document classifier",
            short: "classifier",
            running_job: "a running classification job",
        },
        // The LanguageCode member of CreateEntityRecognizer: "All training documents must
        // be in the same language ... English (en), Spanish (es), French (fr), Italian
        // (it), German (de), or Portuguese (pt)".
        ModelKind::Recognizer => KindFacts {
            custom: "Custom entity recognizers",
            languages: "en, es, fr, it, de and pt",
            a: "An entity recognizer",
            name: "entity recognizer",
            short: "recognizer",
            running_job: "an entities detection job that has not ended",
        },
    }
}

/// Moves a version to `to` if the version lifecycle allows it from where it is.
async fn transition<V: Version>(tx: &mut Tx, arn: &str, to: ModelStatus) -> Result<bool> {
    Ok(tx
        .transition_version::<V>(arn, to, VersionChanges::default())
        .await?)
}

/// StopTraining of either kind: SUBMITTED or TRAINING → STOP_REQUESTED, with a stop asked
/// of the training job (and of the iteration that trains a flywheel's version) in the
/// same transaction; the job then stops within about one optimizer iteration. Stopping a
/// version that is not training does nothing.
pub(super) async fn stop<V: Kind>(state: &State, ctx: &RequestContext, arn: &str) -> Result<()> {
    let mut tx = state.store.begin().await?;
    let v: V = version(&mut tx, ctx, arn).await?;
    let (account, region) = v.owner();
    let running = running_iterations(&mut tx, v.flywheel_arn(), account, region).await?;
    if transition::<V>(&mut tx, v.arn(), ModelStatus::StopRequested).await? {
        tx.request_stop(&Target::arn(v.arn()), state.now_ms())
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
pub(super) async fn delete<V: Kind>(state: &State, ctx: &RequestContext, arn: &str) -> Result<()> {
    let facts = facts(V::KIND);
    let mut tx = state.store.begin().await?;
    let v: V = version(&mut tx, ctx, arn).await?;
    let (arn, status) = (v.arn(), v.status());
    let in_use = |why: String| Err(ServiceError::resource_in_use(why).into());
    let deleting = ModelStatus::Deleting;
    if status != deleting && !ModelStatus::allows(status, deleting) {
        return in_use(format!(
            "The {} {arn} is {status}; only a {} that has finished training (or was stopped) can be deleted.",
            facts.name, facts.short
        ));
    }
    if let Some(endpoint) = tx.endpoints_using_model(arn).await?.first() {
        return in_use(format!(
            "The {} {arn} is used by the endpoint {}.",
            facts.name, endpoint.arn
        ));
    }
    if tx.model_in_use_by_job(arn).await? {
        return in_use(format!(
            "The {} {arn} is used by {}.",
            facts.name, facts.running_job
        ));
    }
    refuse_active_model(&mut tx, arn, V::KIND).await?;
    let moved = transition::<V>(&mut tx, arn, deleting).await?;
    if moved || status == deleting {
        tx.ensure_job(V::DELETE, &Target::arn(arn), state.now_ms())
            .await?;
    }
    tx.commit().await?;
    state.wakeup.notify();
    Ok(())
}

/// A ListDocumentClassifiers or ListEntityRecognizers filter: one member at a time, in
/// creation order (newest first with SubmitTimeAfter).
pub(super) struct Filter {
    pub status: Option<ModelStatus>,
    pub name: Option<String>,
    pub before: Option<Timestamp>,
    pub after: Option<Timestamp>,
}

fn list_filter(f: Filter) -> Result<(Vec<VersionFilter>, Order)> {
    let members = [
        f.status.map(VersionFilter::Status),
        f.name.map(VersionFilter::Name),
    ];
    let window = time_window(
        f.after,
        f.before,
        VersionFilter::SubmittedAfter,
        VersionFilter::SubmittedBefore,
    );
    Ok((one_member(members, window)?, submit_order(f.after)))
}

/// A page of operation `op` (List of either kind): the versions and the next token.
pub(super) async fn list<V: Version>(
    state: &State,
    ctx: &RequestContext,
    op: &'static str,
    (max_results, token): (Option<i32>, Option<&str>),
    filter: Filter,
) -> Result<(Vec<V>, Option<String>)> {
    let page = page_request(op, max_results, token)?;
    let (conditions, order) = list_filter(filter)?;
    let owner = (ctx.account_id.as_str(), ctx.region.as_str());
    let page = state
        .store
        .list_versions(owner, &conditions, order, page)
        .await?;
    let token = next_token(op, &page);
    Ok((page.items, token))
}

/// A page of operation `op` (ListSummaries of either kind): one summary per model name,
/// and the next token.
pub(super) async fn summaries<V: Version>(
    state: &State,
    ctx: &RequestContext,
    op: &'static str,
    (max_results, token): (Option<i32>, Option<&str>),
) -> Result<(Vec<VersionSummary>, Option<String>)> {
    let page = page_request(op, max_results, token)?;
    let owner = (ctx.account_id.as_str(), ctx.region.as_str());
    let page = state.store.version_summaries::<V>(owner, page).await?;
    let token = next_token(op, &page);
    Ok((page.items, token))
}

/// A Create request of one kind as the shared Create steps see it; implemented by
/// [`version_operations!`] from the kind module's `check_request` and `fill_defaults`.
pub(super) trait CreateRequest: Serialize + Sized {
    /// The kind's record.
    type Record: Kind<Request = Self>;
    /// The answer.
    type Response: Serialize + DeserializeOwned;
    /// The operation.
    const OP: &'static str;
    /// Takes the idempotency token out of the request (before it is hashed for replay).
    fn take_token(&mut self) -> Option<String>;
    /// Takes the tags out of the request Describe echoes (after it is hashed: a retry
    /// with other tags is another request).
    fn take_tags(&mut self) -> Option<Vec<Tag>>;
    /// The model's name and version name.
    fn name(&self) -> (String, Option<String>);
    /// The language it trains in.
    fn language_code(&self) -> LanguageCode;
    /// The kind's rules beyond the model's constraints and the training languages.
    fn check(&self) -> Result<()>;
    /// What Describe echoes: the defaults the service shows.
    fn fill_defaults(&mut self);
    /// The answer naming the new version.
    fn response(arn: String) -> Self::Response;
}

/// Create of either kind: replays an idempotent retry, checks the request, and inserts
/// the version SUBMITTED with its tags and training job in one transaction.
pub(super) async fn create<R: CreateRequest>(
    state: &State,
    ctx: &RequestContext,
    mut input: R,
) -> Result<R::Response> {
    let token = input.take_token();
    let mut tx = state.store.begin().await?;
    let record = match replay(&mut tx, ctx, R::OP, token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let (kind, language) = (R::Record::KIND, input.language_code());
    if !TRAINING_LANGUAGES.contains(&language) {
        let KindFacts {
            custom, languages, ..
        } = facts(kind);
        return Err(ServiceError::unsupported_language(format!(
            "{custom} can't be trained in {language}: supported languages are {languages}."
        ))
        .into());
    }
    input.check()?;
    let tags = tags::incoming(input.take_tags())?;
    let (name, version) = input.name();
    let resource = kind.version_resource(name.clone(), version.clone());
    let arn = Arn::new(ctx, resource).to_string();
    let response = R::response(arn.clone());
    let now = state.now_ms();
    input.fill_defaults();
    let taken = format!(
        "{} named '{name}'{} already exists.",
        facts(kind).a,
        version
            .as_deref()
            .map(|v| format!(" with version '{v}'"))
            .unwrap_or_default()
    );
    let head = NewHead {
        arn,
        owner: (ctx.account_id.clone(), ctx.region.clone()),
        name,
        version,
        status: ModelStatus::Submitted,
        language_code: language,
        submit_time: now,
        flywheel: None,
    };
    let creation = Creation {
        tags,
        job: Some(R::Record::TRAIN),
        idempotency: with_response(record, &response),
        now,
    };
    let new = R::Record::new_row(head, input);
    tx.insert_version::<R::Record>(&new, &creation)
        .await
        .map_err(name_taken(taken))?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

/// The six operations of a model kind — Create, Describe, List, ListSummaries,
/// StopTraining and Delete — and the wire properties of a version, for the kind module it
/// is invoked in, written once over the steps above. The module has `check_request` and
/// `fill_defaults`; the invocation names the kind's record, its name and ARN members, its
/// wire types, and its own properties (read from `$rec`, the record, and `$req`, its
/// request).
macro_rules! version_operations {
    ($record:ty {
        properties($rec:ident, $req:ident) -> $props:ident {
            $metadata:ident, $($extra:ident: $value:expr,)*
        }
        $name:ident, $arn:ident, $properties:ident, $properties_list:ident, $summaries_list:ident,
        $create:ident => $created:ident, $describe:ident => $described:ident,
        $list:ident => $listed:ident, $summaries:ident => $summarised:ident, $summary:ident,
        $stop:ident => $stopped:ident, $delete:ident => $deleted:ident
    }) => {
        /// The wire properties of a stored version.
        pub fn properties($rec: $record) -> $props {
            let $req = $rec.request;
            $props {
                $arn: Some($rec.arn),
                language_code: Some($rec.language_code),
                status: Some($rec.status),
                message: $rec.message,
                submit_time: Some(crate::resources::ts($rec.submit_time)),
                end_time: crate::resources::opt_ts($rec.end_time),
                training_start_time: crate::resources::opt_ts($rec.training_start_time),
                training_end_time: crate::resources::opt_ts($rec.training_end_time),
                input_data_config: Some($req.input_data_config),
                $metadata: $rec.metadata,
                data_access_role_arn: Some($req.data_access_role_arn),
                volume_kms_key_id: $req.volume_kms_key_id,
                vpc_config: $req.vpc_config,
                model_kms_key_id: $req.model_kms_key_id,
                version_name: $rec.version,
                source_model_arn: $rec.source_model_arn,
                flywheel_arn: $rec.flywheel_arn,
                $($extra: $value,)*
            }
        }

        impl crate::resources::versions::CreateRequest for $create {
            type Record = $record;
            type Response = $created;
            const OP: &'static str = crate::resources::versions::operation(stringify!($create));
            fn take_token(&mut self) -> Option<String> {
                self.client_request_token.take()
            }
            fn take_tags(&mut self) -> Option<Vec<comprehend_protocol::Tag>> {
                self.tags.take()
            }
            fn name(&self) -> (String, Option<String>) {
                (self.$name.clone(), self.version_name.clone())
            }
            fn language_code(&self) -> comprehend_protocol::LanguageCode {
                self.language_code
            }
            fn check(&self) -> crate::error::Result<()> {
                check_request(self)
            }
            fn fill_defaults(&mut self) {
                fill_defaults(self)
            }
            fn response(arn: String) -> $created {
                $created { $arn: Some(arn) }
            }
        }

        version_operations!(@op create($create) -> $created, |state, ctx, input| {
            crate::resources::versions::create(state, ctx, input).await
        });

        version_operations!(@op describe($describe) -> $described, |state, ctx, input| {
            let record = crate::resources::versions::owned(state, ctx, &input.$arn).await?;
            Ok($described { $properties: Some(properties(record)) })
        });

        version_operations!(@op list($list) -> $listed, |state, ctx, input| {
            let op = crate::resources::versions::operation(stringify!($list));
            let page = (input.max_results, input.next_token.as_deref());
            let filter = input.filter.unwrap_or_default();
            let filter = crate::resources::versions::Filter {
                status: filter.status,
                name: filter.$name,
                before: filter.submit_time_before,
                after: filter.submit_time_after,
            };
            let (items, next_token) =
                crate::resources::versions::list::<$record>(state, ctx, op, page, filter).await?;
            let items = items.into_iter().map(properties).collect();
            Ok($listed { next_token, $properties_list: Some(items) })
        });

        version_operations!(@op summaries($summaries) -> $summarised, |state, ctx, input| {
            let op = crate::resources::versions::operation(stringify!($summaries));
            let page = (input.max_results, input.next_token.as_deref());
            let (rows, next_token) =
                crate::resources::versions::summaries::<$record>(state, ctx, op, page).await?;
            let summary = |s: comprehend_store::versions::VersionSummary| $summary {
                $name: Some(s.name),
                number_of_versions: Some(s.versions as i32),
                latest_version_created_at: Some(crate::resources::ts(s.latest_submit_time)),
                latest_version_name: s.latest_version,
                latest_version_status: Some(s.latest_status),
            };
            let rows = rows.into_iter().map(summary).collect();
            Ok($summarised { next_token, $summaries_list: Some(rows) })
        });

        version_operations!(@op stop($stop) -> $stopped, |state, ctx, input| {
            crate::resources::versions::stop::<$record>(state, ctx, &input.$arn).await?;
            Ok($stopped {})
        });

        version_operations!(@op delete($delete) -> $deleted, |state, ctx, input| {
            crate::resources::versions::delete::<$record>(state, ctx, &input.$arn).await?;
            Ok($deleted {})
        });
    };
    // One operation: `$body` answers `$input` (the operation is named by its request type).
    (@op $fn:ident($input:ident) -> $output:ident, |$state:ident, $ctx:ident, $in:ident| $body:block) => {
        #[doc = concat!("`", stringify!($input), "` (see [`super::versions`]).")]
        pub async fn $fn(
            $state: &crate::state::Shared,
            $ctx: &comprehend_protocol::RequestContext,
            $in: $input,
        ) -> crate::error::Result<$output> $body
    };
}
pub(super) use version_operations;

/// The operation a generated request type is for: the type's name without `Request`.
pub(super) const fn operation(request_type: &'static str) -> &'static str {
    match request_type.as_bytes().split_last_chunk::<7>() {
        Some((op, b"Request")) => match std::str::from_utf8(op) {
            Ok(op) => op,
            Err(_) => request_type,
        },
        _ => request_type,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Idempotency records and page tokens name the operation, as they always have.
    #[test]
    fn operations_are_named_by_their_request_types() {
        assert_eq!(
            <CreateDocumentClassifierRequest as CreateRequest>::OP,
            "CreateDocumentClassifier"
        );
        assert_eq!(
            operation("ListEntityRecognizerSummariesRequest"),
            "ListEntityRecognizerSummaries"
        );
        assert_eq!(operation("Request"), "");
        assert_eq!(operation("Other"), "Other");
    }
}
