//! Asynchronous analysis jobs, every family written once: Start (the family's rules,
//! then an idempotent insert of the job with its queue entry, tags and output location
//! `<S3Uri><account>-<TYPE>-<JobId>/output/output.tar.gz`), Describe, List (one filter
//! member at a time, oldest first; newest first with SubmitTimeAfter) and Stop. The
//! analysis itself runs later, in [`crate::jobs`].
//!
//! A family is a [`Family`] implementation — its wire types, its rules, the model
//! version (if any) that analyses its documents and its own Properties members — and
//! one [`job_operations!`] line naming its operations' wire types.

use std::future::Future;

use comprehend_protocol::arn::{Arn, Resource};
use comprehend_protocol::*;
use comprehend_store::document_jobs::{DocumentJobFilter, DocumentJobRecord};
use comprehend_store::objects::S3Uri;
use comprehend_store::{Creation, JobKind, Target, Tx};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Replay, one_member, replay, submit_order, tags, time_window, with_response};
use super::{flywheels, versions};
use crate::data::under_prefix;
use crate::domain::Kind;
use crate::error::Result;
use crate::pagination::{next_token, page_request};
use crate::state::State;

/// One family of asynchronous analysis jobs, as its request handlers see it.
pub trait Family {
    /// The family's code (the `<TYPE>` of its output folder).
    const FAMILY: &'static str;
    /// The Start operation's name (idempotency records are kept per operation).
    const START: &'static str;
    /// The List operation's name (its pagination tokens name it).
    const LIST: &'static str;
    /// How a JobNotFoundException names a job of this family ("a … job").
    const NOUN: &'static str;
    /// The Start request.
    type Start: StartRequest;
    /// The Start response (kept to replay a retried request).
    type Started: Serialize + DeserializeOwned;
    /// The Describe/List properties of a job.
    type Properties;

    /// The ARN resource of job `id`.
    fn resource(id: String) -> Resource;

    /// The family's rules for a Start request, read in its transaction; returns what
    /// analyses the documents.
    fn analyzer(
        tx: &mut Tx,
        ctx: &RequestContext,
        input: &Self::Start,
    ) -> impl Future<Output = Result<Analyzer>> + Send;

    /// The Start response of a job just submitted.
    fn started(job: &DocumentJobRecord) -> Self::Started;

    /// The properties of a stored job.
    fn properties(job: DocumentJobRecord, request: Self::Start) -> Self::Properties;
}

/// What analyses a job's documents.
#[derive(Debug, Default)]
pub struct Analyzer {
    /// The model version (named, or a flywheel's active version); none for built-in
    /// analysis.
    pub model_arn: Option<String>,
    /// The flywheel the request named.
    pub flywheel_arn: Option<String>,
}

/// What every Start*Job request has.
pub trait StartRequest: Serialize + DeserializeOwned + Send + Sync {
    /// Takes the ClientRequestToken out (it is not part of the echoed request).
    fn take_token(&mut self) -> Option<String>;
    /// Takes the tags out.
    fn take_tags(&mut self) -> Option<Vec<Tag>>;
    /// InputDataConfig.
    fn input(&mut self) -> &mut InputDataConfig;
    /// OutputDataConfig.
    fn output(&self) -> &OutputDataConfig;
    /// JobName.
    fn job_name(&self) -> Option<String>;
}

macro_rules! start_requests {
    ($($request:ty),* $(,)?) => {$(
        impl StartRequest for $request {
            fn take_token(&mut self) -> Option<String> {
                self.client_request_token.take()
            }
            fn take_tags(&mut self) -> Option<Vec<Tag>> {
                self.tags.take()
            }
            fn input(&mut self) -> &mut InputDataConfig {
                &mut self.input_data_config
            }
            fn output(&self) -> &OutputDataConfig {
                &self.output_data_config
            }
            fn job_name(&self) -> Option<String> {
                self.job_name.clone()
            }
        }
    )*};
}

start_requests!(
    StartDocumentClassificationJobRequest,
    StartEntitiesDetectionJobRequest,
);

/// A family's properties: `$own` members first (they may move out of `$job`), then
/// what every job family's properties have, from the stored job and its request.
macro_rules! job_properties {
    ($properties:ident, $job:ident, $request:ident, { $($own:ident: $value:expr),* $(,)? }) => {
        $properties {
            $($own: $value,)*
            job_id: Some($job.job_id),
            job_arn: Some($job.arn),
            job_name: $job.job_name,
            job_status: Some($job.status),
            message: $job.message,
            submit_time: Some($crate::resources::ts($job.submit_time)),
            end_time: $crate::resources::opt_ts($job.end_time),
            input_data_config: Some($request.input_data_config),
            output_data_config: Some(OutputDataConfig {
                s3_uri: $job.output_s3_uri,
                kms_key_id: $request.output_data_config.kms_key_id,
            }),
            data_access_role_arn: Some($request.data_access_role_arn),
            volume_kms_key_id: $request.volume_kms_key_id,
            vpc_config: $request.vpc_config,
        }
    };
}
pub(crate) use job_properties;

/// A family's operations over the handlers below, from its wire types' names: `start`,
/// `describe`, `list` and, where the API has it, `stop`.
macro_rules! job_operations {
    (
        $family:ty,
        describe: $describe:ident -> $described:ident { $one:ident },
        list: $list:ident -> $listed:ident { $many:ident }
        $(, stop: $stop:ident -> $stopped:ident)? $(,)?
    ) => {
        /// Start.
        pub async fn start(
            state: &$crate::state::Shared,
            ctx: &RequestContext,
            input: <$family as $crate::resources::document_jobs::Family>::Start,
        ) -> $crate::error::Result<<$family as $crate::resources::document_jobs::Family>::Started> {
            $crate::resources::document_jobs::start::<$family>(state, ctx, input).await
        }

        /// Describe.
        pub async fn describe(
            state: &$crate::state::Shared,
            ctx: &RequestContext,
            input: $describe,
        ) -> $crate::error::Result<$described> {
            let job = $crate::resources::document_jobs::describe::<$family>(state, ctx, &input.job_id);
            Ok($described { $one: Some(job.await?) })
        }

        /// List.
        pub async fn list(
            state: &$crate::state::Shared,
            ctx: &RequestContext,
            input: $list,
        ) -> $crate::error::Result<$listed> {
            let f = input.filter.unwrap_or_default();
            let listing = $crate::resources::document_jobs::Listing {
                max_results: input.max_results,
                next_token: input.next_token,
                name: f.job_name,
                status: f.job_status,
                before: f.submit_time_before,
                after: f.submit_time_after,
            };
            let (next_token, jobs) =
                $crate::resources::document_jobs::list::<$family>(state, ctx, listing).await?;
            Ok($listed { next_token, $many: Some(jobs) })
        }

        $(
        /// Stop.
        pub async fn stop(
            state: &$crate::state::Shared,
            ctx: &RequestContext,
            input: $stop,
        ) -> $crate::error::Result<$stopped> {
            let status = $crate::resources::document_jobs::stop::<$family>(state, ctx, &input.job_id);
            Ok($stopped { job_status: Some(status.await?), job_id: Some(input.job_id) })
        }
        )?
    };
}
pub(crate) use job_operations;

/// The custom model version of kind `V` a job runs with, named directly or as a
/// flywheel's active version (exactly one of the two; `both` and `neither` say so), and
/// usable.
pub(super) async fn custom_model<V: Kind>(
    tx: &mut Tx,
    ctx: &RequestContext,
    (named, flywheel): (Option<&String>, Option<&String>),
    (both, neither): (&str, &str),
) -> Result<Analyzer> {
    let arn = match (named, flywheel) {
        (Some(_), Some(_)) => return Err(ServiceError::invalid_request(both).into()),
        (None, None) => return Err(ServiceError::invalid_request(neither).into()),
        (Some(arn), None) => arn.clone(),
        (None, Some(flywheel)) => flywheels::active_version(tx, ctx, flywheel, V::KIND).await?,
    };
    versions::usable::<V>(tx, ctx, &arn).await?;
    Ok(Analyzer {
        model_arn: Some(arn),
        flywheel_arn: flywheel.cloned(),
    })
}

/// The Start response of a family: `JobId`, `JobArn`, `JobStatus` and, for a family
/// that runs a model version, the member that names it.
macro_rules! job_started {
    ($response:ident, $job:ident $(, $model:ident)?) => {
        $response {
            job_id: Some($job.job_id.clone()),
            job_arn: Some($job.arn.clone()),
            job_status: Some($job.status),
            $($model: $job.model_arn.clone(),)?
        }
    };
}
pub(crate) use job_started;

/// The rules every family's input has: plain text, well-formed S3 URIs.
pub(super) fn check_io(input: &InputDataConfig, output: &OutputDataConfig) -> Result<()> {
    if input.document_reader_config.is_some() {
        return Err(ServiceError::invalid_request(
            "DocumentReaderConfig (PDF, Word and image inputs) is not supported by comprehend-local; use plain text.",
        )
        .into());
    }
    for uri in [&input.s3_uri, &output.s3_uri] {
        S3Uri::parse(uri).map_err(|e| ServiceError::invalid_request(e.to_string()))?;
    }
    Ok(())
}

/// Start: the family's rules and the insert (with its queue entry, tags and
/// idempotency record) in one transaction.
pub async fn start<F: Family>(
    state: &State,
    ctx: &RequestContext,
    mut input: F::Start,
) -> Result<F::Started> {
    let token = input.take_token();
    let mut tx = state.store.begin().await?;
    let record = match replay(&mut tx, ctx, F::START, token.as_deref(), &input).await? {
        Replay::Stored(response) => return Ok(response),
        Replay::New(record) => record,
    };
    let analyzer = F::analyzer(&mut tx, ctx, &input).await?;
    let tags = tags::incoming(input.take_tags())?;
    let job_id = state.ids.job_id();
    let arn = Arn::new(ctx, F::resource(job_id.clone())).to_string();
    input
        .input()
        .input_format
        .get_or_insert(InputFormat::OneDocPerLine);
    // API reference, OutputDataConfig.S3Uri: the service writes to a folder named
    // <account>-<TYPE>-<JobId> under the given location.
    let output = under_prefix(
        &input.output().s3_uri,
        &format!(
            "{}-{}-{job_id}/output/output.tar.gz",
            ctx.account_id,
            F::FAMILY
        ),
    );
    let now = state.now_ms();
    let job = DocumentJobRecord {
        seq: 0,
        family: F::FAMILY.to_owned(),
        job_id,
        arn,
        account: ctx.account_id.clone(),
        region: ctx.region.clone(),
        job_name: input.job_name(),
        status: JobStatus::Submitted,
        message: None,
        submit_time: now,
        end_time: None,
        model_arn: analyzer.model_arn,
        flywheel_arn: analyzer.flywheel_arn,
        request: serde_json::to_value(&input).map_err(|e| ServiceError::internal(e.to_string()))?,
        output_s3_uri: output,
    };
    let response = F::started(&job);
    let creation = Creation {
        tags,
        job: Some(JobKind::AnalyzeDocuments),
        idempotency: with_response(record, &response),
        now,
    };
    tx.insert_document_job(&job, &creation).await?;
    tx.commit().await?;
    state.wakeup.notify();
    Ok(response)
}

fn properties<F: Family>(mut job: DocumentJobRecord) -> Result<F::Properties> {
    let request = serde_json::from_value(job.request.take())
        .map_err(|e| ServiceError::internal(format!("stored job request: {e}")))?;
    Ok(F::properties(job, request))
}

async fn owned_job<F: Family>(
    state: &State,
    ctx: &RequestContext,
    job_id: &str,
) -> Result<DocumentJobRecord> {
    let scope = (ctx.account_id.as_str(), ctx.region.as_str());
    let job = state.store.document_job(F::FAMILY, scope, job_id).await?;
    job.ok_or_else(|| {
        let noun = F::NOUN;
        ServiceError::job_not_found(format!("Could not find {noun} with id {job_id}.")).into()
    })
}

/// Describe.
pub async fn describe<F: Family>(
    state: &State,
    ctx: &RequestContext,
    job_id: &str,
) -> Result<F::Properties> {
    properties::<F>(owned_job::<F>(state, ctx, job_id).await?)
}

/// A List request's paging and filter members.
pub struct Listing {
    /// MaxResults.
    pub max_results: Option<i32>,
    /// NextToken.
    pub next_token: Option<String>,
    /// Filter.JobName.
    pub name: Option<String>,
    /// Filter.JobStatus.
    pub status: Option<JobStatus>,
    /// Filter.SubmitTimeBefore.
    pub before: Option<Timestamp>,
    /// Filter.SubmitTimeAfter.
    pub after: Option<Timestamp>,
}

/// List: one filter member at a time, oldest first (newest first with SubmitTimeAfter).
pub async fn list<F: Family>(
    state: &State,
    ctx: &RequestContext,
    l: Listing,
) -> Result<(Option<String>, Vec<F::Properties>)> {
    let page = page_request(F::LIST, l.max_results, l.next_token.as_deref())?;
    let members = [
        l.name.map(DocumentJobFilter::Name),
        l.status.map(DocumentJobFilter::Status),
    ];
    let window = time_window(
        l.after,
        l.before,
        DocumentJobFilter::SubmittedAfter,
        DocumentJobFilter::SubmittedBefore,
    );
    let mut conditions = vec![DocumentJobFilter::Family(F::FAMILY)];
    conditions.extend(one_member(members, window)?);
    let scope = (ctx.account_id.as_str(), ctx.region.as_str());
    let order = submit_order(l.after);
    let page = state
        .store
        .list_document_jobs(scope, &conditions, order, page)
        .await?;
    let next = next_token(F::LIST, &page);
    let jobs = page.items.into_iter().map(properties::<F>);
    Ok((next, jobs.collect::<Result<_>>()?))
}

/// Stop: a job that has not ended moves to STOP_REQUESTED, with a stop asked of its
/// worker, in one transaction. A job already stopping or stopped answers its status; a
/// COMPLETED or FAILED one is InvalidRequestException (API reference,
/// StopEntitiesDetectionJob).
pub async fn stop<F: Family>(
    state: &State,
    ctx: &RequestContext,
    job_id: &str,
) -> Result<JobStatus> {
    let job = owned_job::<F>(state, ctx, job_id).await?;
    let target = Target::arn(&job.arn);
    let now = state.now_ms();
    let mut tx = state.store.begin().await?;
    let moved = tx
        .transition_document_job(&job.arn, JobStatus::StopRequested, Default::default())
        .await?;
    if moved {
        tx.request_stop(&target, now).await?;
        tx.ensure_job(JobKind::AnalyzeDocuments, &target, now)
            .await?;
    }
    tx.commit().await?;
    let status = match moved {
        true => JobStatus::StopRequested,
        // Not moved: it has ended (or was already stopping) — read what it is now.
        false => owned_job::<F>(state, ctx, job_id).await?.status,
    };
    if matches!(status, JobStatus::Completed | JobStatus::Failed) {
        return Err(ServiceError::invalid_request(format!(
            "The job {job_id} is {status}; only a job that has not ended can be stopped."
        ))
        .into());
    }
    state.wakeup.notify();
    Ok(status)
}
