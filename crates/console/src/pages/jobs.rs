//! Jobs: the work behind resources (training, ingestion, iterations) and asynchronous
//! classification and entity detection jobs, with their input and output locations.

use comprehend_protocol::{ComprehendApi, InputDataConfig, JobStatus, OutputDataConfig, Timestamp};
use maud::{Markup, html};

use crate::PageError;
use crate::fetch;
use crate::layout::{self, Section, arn_link, status, time};
use crate::pages::work;
use crate::scope::Scope;

/// One row of a jobs table, whichever kind of job.
struct Row<'a> {
    name: Option<&'a str>,
    id: Option<&'a str>,
    status: Option<JobStatus>,
    model: Option<&'a str>,
    flywheel: Option<&'a str>,
    submit: Option<&'a Timestamp>,
    end: Option<&'a Timestamp>,
    input: Option<&'a InputDataConfig>,
    output: Option<&'a OutputDataConfig>,
    message: Option<&'a str>,
}

/// Every asynchronous job of the scope, by kind.
pub(crate) async fn list<A: ComprehendApi>(api: &A, scope: &Scope) -> Result<Markup, PageError> {
    let ctx = scope.context();
    let classification = fetch::classification_jobs(api, &ctx).await?;
    let entities = fetch::entities_jobs(api, &ctx).await?;
    let classification: Vec<Row<'_>> = classification
        .iter()
        .map(|j| Row {
            name: j.job_name.as_deref(),
            id: j.job_id.as_deref(),
            status: j.job_status,
            model: j.document_classifier_arn.as_deref(),
            flywheel: j.flywheel_arn.as_deref(),
            submit: j.submit_time.as_ref(),
            end: j.end_time.as_ref(),
            input: j.input_data_config.as_ref(),
            output: j.output_data_config.as_ref(),
            message: j.message.as_deref(),
        })
        .collect();
    let entities: Vec<Row<'_>> = entities
        .iter()
        .map(|j| Row {
            name: j.job_name.as_deref(),
            id: j.job_id.as_deref(),
            status: j.job_status,
            model: j.entity_recognizer_arn.as_deref(),
            flywheel: j.flywheel_arn.as_deref(),
            submit: j.submit_time.as_ref(),
            end: j.end_time.as_ref(),
            input: j.input_data_config.as_ref(),
            output: j.output_data_config.as_ref(),
            message: j.message.as_deref(),
        })
        .collect();
    let (training, training_runs) = work::training(api, scope, &ctx).await?;
    let (ingestion, iterations, flywheel_runs) = work::flywheels(api, scope, &ctx).await?;
    let refresh = training_runs
        || flywheel_runs
        || classification
            .iter()
            .chain(&entities)
            .any(|r| layout::running(r.status.map(|s| s.as_str())));
    let body = html! {
        h2 { "Training" }
        (training)
        h2 { "Dataset ingestion" }
        (ingestion)
        h2 { "Flywheel iterations" }
        (iterations)
        h2 { "Document classification jobs" }
        (table(scope, "classification", &classification))
        h2 { "Entity detection jobs" }
        (table(scope, "entities", &entities))
    };
    Ok(layout::page("Jobs", scope, Section::Jobs, refresh, body))
}

fn table(scope: &Scope, kind: &str, rows: &[Row<'_>]) -> Markup {
    html! {
        @if rows.is_empty() { p.empty { "No jobs." } } @else {
            table class={ "jobs " (kind) } {
                thead { tr { th { "Name" } th { "Status" } th { "Model" } th { "Submitted" } th { "Took" } th { "Input" } th { "Output" } th { "Message" } } }
                tbody {
                    @for r in rows {
                        tr {
                            td title=(r.id.unwrap_or_default()) { (r.name.or(r.id).unwrap_or("—")) }
                            td { (status(r.status.map(JobStatus::as_str))) }
                            td { (arn_link(scope, r.model.or(r.flywheel))) }
                            td { (time(r.submit)) }
                            td { (layout::duration(r.submit, r.end)) }
                            td { (layout::s3_link(scope, r.input.map(|i| i.s3_uri.as_str()))) }
                            td.output { (layout::s3_link(scope, r.output.map(|o| o.s3_uri.as_str()))) }
                            td.message { (r.message.unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}
