//! One module per section: what each page reads through the API and how it shows it.

pub(crate) mod endpoint;
pub(crate) mod endpoints;
pub(crate) mod flywheels;
pub(crate) mod jobs;
pub(crate) mod models;
pub(crate) mod s3;
pub(crate) mod work;

use comprehend_protocol::{ComprehendApi, ListTagsForResourceRequest, ServiceError};
use maud::{Markup, html};

use crate::scope::Scope;

/// A resource's tags as a table (keys and values are the user's: escaped like any text).
pub(crate) async fn tags<A: ComprehendApi>(
    api: &A,
    scope: &Scope,
    arn: &str,
) -> Result<Markup, ServiceError> {
    let request = ListTagsForResourceRequest {
        resource_arn: arn.to_owned(),
    };
    let tags = api
        .list_tags_for_resource(&scope.context(), request)
        .await?
        .tags
        .unwrap_or_default();
    Ok(html! {
        @if !tags.is_empty() {
            h2 { "Tags" }
            table.tags {
                thead { tr { th { "Key" } th { "Value" } } }
                tbody {
                    @for tag in &tags {
                        tr { td { (tag.key) } td { (tag.value.as_deref().unwrap_or("")) } }
                    }
                }
            }
        }
    })
}
