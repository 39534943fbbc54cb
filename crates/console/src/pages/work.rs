//! The jobs page's view of the work the server's queue runs for resources: training a
//! version, ingesting a dataset, running a flywheel iteration. Each is shown through the
//! resource it changes, since that is what the API reports.

use comprehend_protocol::{ComprehendApi, RequestContext, ServiceError, Timestamp};
use maud::{Markup, html};

use crate::fetch;
use crate::layout::{self, arn_link, status, time};
use crate::scope::Scope;

/// One piece of work: what it was for, its status and times, a count and a message.
struct Work {
    /// The resource the work changes (a version, a dataset's flywheel, an iteration's).
    resource: String,
    /// A label beside it (the dataset or iteration).
    what: String,
    status: Option<&'static str>,
    start: Option<Timestamp>,
    end: Option<Timestamp>,
    count: Option<String>,
    message: Option<String>,
    /// Where the work wrote its output.
    output: Option<String>,
}

/// Training of every classifier and recognizer version.
pub(crate) async fn training<A: ComprehendApi>(
    api: &A,
    scope: &Scope,
    ctx: &RequestContext,
) -> Result<(Markup, bool), ServiceError> {
    let classifiers = fetch::classifiers(api, ctx)
        .await?
        .into_iter()
        .map(|c| Work {
            resource: c.document_classifier_arn.unwrap_or_default(),
            what: "document classifier".into(),
            status: c.status.map(|s| s.as_str()),
            count: c
                .classifier_metadata
                .as_ref()
                .and_then(|m| m.number_of_trained_documents)
                .map(|n| format!("{n} documents")),
            start: c.submit_time,
            end: c.end_time,
            message: c.message,
            output: c
                .output_data_config
                .and_then(|o| o.s3_uri.or(o.flywheel_stats_s3_prefix)),
        });
    let recognizers = fetch::recognizers(api, ctx)
        .await?
        .into_iter()
        .map(|r| Work {
            resource: r.entity_recognizer_arn.unwrap_or_default(),
            what: "entity recognizer".into(),
            status: r.status.map(|s| s.as_str()),
            count: r
                .recognizer_metadata
                .as_ref()
                .and_then(|m| m.number_of_trained_documents)
                .map(|n| format!("{n} documents")),
            start: r.submit_time,
            end: r.end_time,
            message: r.message,
            output: r
                .output_data_config
                .and_then(|o| o.flywheel_stats_s3_prefix),
        });
    let rows: Vec<Work> = classifiers.chain(recognizers).collect();
    Ok((
        table(scope, "training", &rows),
        rows.iter().any(|w| layout::running(w.status)),
    ))
}

/// Dataset ingestion and iterations of every flywheel.
pub(crate) async fn flywheels<A: ComprehendApi>(
    api: &A,
    scope: &Scope,
    ctx: &RequestContext,
) -> Result<(Markup, Markup, bool), ServiceError> {
    let (mut ingestion, mut iterations) = (Vec::new(), Vec::new());
    for flywheel in fetch::flywheels(api, ctx).await? {
        let arn = flywheel.flywheel_arn.unwrap_or_default();
        for d in fetch::datasets(api, ctx, &arn).await? {
            ingestion.push(Work {
                resource: arn.clone(),
                what: d.dataset_name.unwrap_or_default(),
                status: d.status.map(|s| s.as_str()),
                count: d.number_of_documents.map(|n| format!("{n} documents")),
                start: d.creation_time,
                end: d.end_time,
                message: d.message,
                output: d.dataset_s3_uri,
            });
        }
        for it in fetch::iterations(api, ctx, &arn).await? {
            iterations.push(Work {
                resource: arn.clone(),
                what: it.flywheel_iteration_id.unwrap_or_default(),
                status: it.status.map(|s| s.as_str()),
                count: None,
                start: it.creation_time,
                end: it.end_time,
                message: it.message,
                output: it.evaluation_manifest_s3_prefix,
            });
        }
    }
    let running = ingestion
        .iter()
        .chain(&iterations)
        .any(|w| layout::running(w.status));
    Ok((
        table(scope, "ingestion", &ingestion),
        table(scope, "iterations", &iterations),
        running,
    ))
}

fn table(scope: &Scope, kind: &str, rows: &[Work]) -> Markup {
    html! {
        @if rows.is_empty() { p.empty { "None." } } @else {
            table class={ "work " (kind) } {
                thead { tr { th { "For" } th { "What" } th { "Status" } th { "Started" } th { "Took" } th { "Count" } th { "Output" } th { "Message" } } }
                tbody {
                    @for w in rows {
                        tr {
                            td { (arn_link(scope, Some(&w.resource))) }
                            td { (w.what) }
                            td { (status(w.status)) }
                            td { (time(w.start.as_ref())) }
                            td { (layout::duration(w.start.as_ref(), w.end.as_ref())) }
                            td.number { (w.count.as_deref().unwrap_or("—")) }
                            td.output { (layout::s3_link(scope, w.output.as_deref())) }
                            td.message { (w.message.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}
