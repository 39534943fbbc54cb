//! Endpoints: status, model and inference units of each.

use comprehend_protocol::ComprehendApi;
use maud::{Markup, html};

use crate::PageError;
use crate::fetch;
use crate::layout::{self, Section, arn_link, name_of, status, time};
use crate::scope::Scope;

/// Every endpoint of the scope.
pub(crate) async fn list<A: ComprehendApi>(api: &A, scope: &Scope) -> Result<Markup, PageError> {
    let ctx = scope.context();
    let endpoints = fetch::endpoints(api, &ctx).await?;
    let refresh = endpoints
        .iter()
        .any(|e| layout::running(e.status.map(|s| s.as_str())));
    let body = html! {
        @if endpoints.is_empty() {
            p.empty { "No endpoints." }
        } @else {
            table.endpoints {
                thead { tr { th { "Name" } th { "Status" } th { "Model" } th { "Flywheel" } th { "Inference units (desired / current)" } th { "Created" } th { "Message" } } }
                tbody {
                    @for e in &endpoints {
                        @let arn = e.endpoint_arn.as_deref().unwrap_or_default();
                        tr {
                            td { a href=(scope.link_with("/console/endpoint", &[("arn", arn)])) title=(arn) { (name_of(arn)) } }
                            td { (status(e.status.map(|s| s.as_str()))) }
                            td { (arn_link(scope, e.model_arn.as_deref())) }
                            td { (arn_link(scope, e.flywheel_arn.as_deref())) }
                            td.number { (e.desired_inference_units.unwrap_or_default()) " / " (e.current_inference_units.unwrap_or_default()) }
                            td { (time(e.creation_time.as_ref())) }
                            td.message { (e.message.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(
        "Endpoints",
        scope,
        Section::Endpoints,
        refresh,
        body,
    ))
}
