//! Flywheels: the list, and one flywheel with its datasets, versions and iterations.

use comprehend_protocol::{
    ComprehendApi, DatasetProperties, DescribeFlywheelRequest, FlywheelIterationProperties,
    FlywheelProperties, TaskConfig,
};
use maud::{Markup, html};

use crate::chart::{IterationPoint, f1_chart};
use crate::fetch;
use crate::layout::{self, Section, arn_link, name_of, status, time};
use crate::scope::Scope;
use crate::{PageError, pages};

/// Every flywheel of the scope.
pub(crate) async fn list<A: ComprehendApi>(api: &A, scope: &Scope) -> Result<Markup, PageError> {
    let ctx = scope.context();
    let flywheels = fetch::flywheels(api, &ctx).await?;
    let refresh = flywheels
        .iter()
        .any(|f| layout::running(f.status.map(|s| s.as_str())));
    let body = html! {
        @if flywheels.is_empty() {
            p.empty { "No flywheels in " (scope.account) " / " (scope.region) "." }
        } @else {
            table.flywheels {
                thead { tr { th { "Name" } th { "Model type" } th { "Status" } th { "Active model" } th { "Latest iteration" } th { "Created" } } }
                tbody {
                    @for f in &flywheels {
                        @let arn = f.flywheel_arn.as_deref().unwrap_or_default();
                        tr {
                            td { a href=(scope.link_with("/console/flywheel", &[("arn", arn)])) { (name_of(arn)) } }
                            td { (f.model_type.map_or("—", |m| m.as_str())) }
                            td { (status(f.status.map(|s| s.as_str()))) }
                            td { (arn_link(scope, f.active_model_arn.as_deref())) }
                            td { (f.latest_flywheel_iteration.as_deref().unwrap_or("—")) }
                            td { (time(f.creation_time.as_ref())) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(
        "Flywheels",
        scope,
        Section::Flywheels,
        refresh,
        body,
    ))
}

/// One flywheel: its settings, datasets, the iteration chart and history, its tags.
pub(crate) async fn detail<A: ComprehendApi>(
    api: &A,
    scope: &Scope,
    arn: &str,
) -> Result<Markup, PageError> {
    let ctx = scope.context();
    let flywheel = api
        .describe_flywheel(
            &ctx,
            DescribeFlywheelRequest {
                flywheel_arn: arn.to_owned(),
            },
        )
        .await?
        .flywheel_properties
        .unwrap_or_default();
    let datasets = fetch::datasets(api, &ctx, arn).await?;
    let iterations = fetch::iterations(api, &ctx, arn).await?;
    let refresh = layout::running(flywheel.status.map(|s| s.as_str()))
        || datasets
            .iter()
            .any(|d| layout::running(d.status.map(|s| s.as_str())))
        || iterations
            .iter()
            .any(|i| layout::running(i.status.map(|s| s.as_str())));
    let body = html! {
        (settings(scope, &flywheel))
        h2 { "Datasets" }
        (datasets_table(&datasets))
        h2 { "Iterations" }
        @if iterations.is_empty() {
            p.empty { "No iterations yet." }
        } @else {
            (f1_chart(&points(&flywheel, &iterations)))
            (iterations_table(scope, &iterations))
        }
        (pages::tags(api, scope, arn).await?)
    };
    Ok(layout::page(
        name_of(arn),
        scope,
        Section::Flywheels,
        refresh,
        body,
    ))
}

fn settings(scope: &Scope, f: &FlywheelProperties) -> Markup {
    html! {
        dl.properties {
            dt { "ARN" } dd { code { (f.flywheel_arn.as_deref().unwrap_or_default()) } }
            dt { "Status" } dd { (status(f.status.map(|s| s.as_str()))) }
            dt { "Model type" } dd { (f.model_type.map_or("—", |m| m.as_str())) }
            dt { "Active model" } dd { (arn_link(scope, f.active_model_arn.as_deref())) }
            dt { "Data lake" } dd { (layout::s3_link(scope, f.data_lake_s3_uri.as_deref())) }
            @if let Some(task) = &f.task_config { dt { "Task" } dd { (task_text(task)) } }
            dt { "Created" } dd { (time(f.creation_time.as_ref())) }
            dt { "Last modified" } dd { (time(f.last_modified_time.as_ref())) }
            @if let Some(m) = &f.message { dt { "Message" } dd.message { (m) } }
        }
    }
}

/// The labels or entity types a flywheel's task names.
fn task_text(task: &TaskConfig) -> String {
    if let Some(c) = &task.document_classification_config {
        let labels = c.labels.as_deref().unwrap_or_default().join(", ");
        return format!(
            "{} classification ({}): {labels}",
            c.mode.as_str(),
            task.language_code.as_str()
        );
    }
    if let Some(e) = &task.entity_recognition_config {
        let types: Vec<&str> = e.entity_types.iter().map(|t| t.type_.as_str()).collect();
        return format!(
            "entity recognition ({}): {}",
            task.language_code.as_str(),
            types.join(", ")
        );
    }
    task.language_code.as_str().to_owned()
}

fn datasets_table(datasets: &[DatasetProperties]) -> Markup {
    html! {
        @if datasets.is_empty() {
            p.empty { "No datasets." }
        } @else {
            table.datasets {
                thead { tr { th { "Name" } th { "Type" } th { "Status" } th { "Documents kept" } th { "Message" } th { "Created" } th { "Ingested in" } } }
                tbody {
                    @for d in datasets {
                        tr {
                            td { (d.dataset_name.as_deref().unwrap_or("—")) }
                            td { (d.dataset_type.map_or("—", |t| t.as_str())) }
                            td { (status(d.status.map(|s| s.as_str()))) }
                            td.number { (d.number_of_documents.map_or("—".to_owned(), |n| n.to_string())) }
                            td.message { (d.message.as_deref().unwrap_or("")) }
                            td { (time(d.creation_time.as_ref())) }
                            td { (layout::duration(d.creation_time.as_ref(), d.end_time.as_ref())) }
                        }
                    }
                }
            }
        }
    }
}

/// The chart's points: a version counts as promoted when a later iteration evaluated it
/// or it is the active model now.
fn points(
    f: &FlywheelProperties,
    iterations: &[FlywheelIterationProperties],
) -> Vec<IterationPoint> {
    iterations
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let trained = it.trained_model_arn.as_deref();
            let promoted = trained.is_some_and(|t| {
                f.active_model_arn.as_deref() == Some(t)
                    || iterations[i + 1..]
                        .iter()
                        .any(|later| later.evaluated_model_arn.as_deref() == Some(t))
            });
            IterationPoint {
                id: it.flywheel_iteration_id.clone().unwrap_or_default(),
                evaluated: it
                    .evaluated_model_metrics
                    .as_ref()
                    .and_then(|m| m.average_f1_score),
                trained: it
                    .trained_model_metrics
                    .as_ref()
                    .and_then(|m| m.average_f1_score),
                promoted,
            }
        })
        .collect()
}

fn iterations_table(scope: &Scope, iterations: &[FlywheelIterationProperties]) -> Markup {
    html! {
        table.iterations {
            thead { tr { th { "Iteration" } th { "Status" } th { "Evaluated version" } th { "F1" } th { "Trained version" } th { "F1" } th { "Took" } th { "Message" } } }
            tbody {
                @for it in iterations {
                    tr {
                        td { (it.flywheel_iteration_id.as_deref().unwrap_or("—")) }
                        td { (status(it.status.map(|s| s.as_str()))) }
                        td { (arn_link(scope, it.evaluated_model_arn.as_deref())) }
                        td.number { (layout::score(it.evaluated_model_metrics.as_ref().and_then(|m| m.average_f1_score))) }
                        td { (arn_link(scope, it.trained_model_arn.as_deref())) }
                        td.number { (layout::score(it.trained_model_metrics.as_ref().and_then(|m| m.average_f1_score))) }
                        td { (layout::duration(it.creation_time.as_ref(), it.end_time.as_ref())) }
                        td.message { (it.message.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    }
}
