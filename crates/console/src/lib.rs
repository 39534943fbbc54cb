//! comprehend-local's console: server-rendered pages of flywheels, models, endpoints and
//! jobs, served on the API's port under `/console`.
//!
//! Pages read through [`ComprehendApi`], the same operations the wire serves, in the
//! account and region the page names: the console holds no state of its own and shows
//! nothing the API would not answer. It only reads.

mod chart;
mod fetch;
mod layout;
mod matrix;
mod pages;
pub mod scope;
mod source;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use comprehend_protocol::{ComprehendApi, ServiceError};
use maud::{Markup, html};
use serde::Deserialize;

pub use scope::{LastScope, Scope};
pub use source::{Folder, Source};

use crate::layout::Section;

/// What every page reads from: the API, the rest of what the server knows, and the last
/// request's scope.
struct Console<A, O> {
    api: A,
    source: O,
    last: LastScope,
}

/// Whether the console answers `request`: a GET or HEAD under `/console`, or the POST of
/// an endpoint's try-it box, that is not signed. S3 clients sign every request, so a
/// bucket named `console` stays reachable to them; browsers never sign.
pub fn claims<B>(request: &Request<B>) -> bool {
    let path = request.uri().path();
    let under = path == "/console" || path.starts_with("/console/");
    let signed = request.headers().contains_key(header::AUTHORIZATION)
        || request
            .uri()
            .query()
            .is_some_and(|q| q.contains("X-Amz-Credential=") || q.contains("X-Amz-Signature="));
    let method = request.method();
    let reads = *method == Method::GET || *method == Method::HEAD;
    let tries = *method == Method::POST && path == "/console/endpoint";
    under && !signed && (reads || tries)
}

/// The console's routes, reading through `api`, and `source` for what the API answers only
/// as a location or not at all.
pub fn router<A, O>(api: A, source: O, last: LastScope) -> Router
where
    A: ComprehendApi + Send + Sync + 'static,
    O: Source,
{
    let console = Arc::new(Console { api, source, last });
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::to(Section::Flywheels.path()) }),
        )
        .route(
            "/console/",
            get(|| async { Redirect::to(Section::Flywheels.path()) }),
        )
        .route("/console/style.css", get(stylesheet))
        .route("/console/flywheels", get(flywheels::<A, O>))
        .route("/console/flywheel", get(flywheel::<A, O>))
        .route("/console/models", get(models::<A, O>))
        .route("/console/model", get(model::<A, O>))
        .route("/console/endpoints", get(endpoints::<A, O>))
        .route(
            "/console/endpoint",
            get(endpoint::<A, O>).post(try_endpoint::<A, O>),
        )
        .route("/console/jobs", get(jobs::<A, O>))
        .route("/console/s3", get(s3::<A, O>))
        .fallback(not_found)
        .with_state(console)
}

/// A page's query: the scope, and the resource for detail pages.
#[derive(Debug, Default, Deserialize)]
struct Params {
    account: Option<String>,
    region: Option<String>,
    arn: Option<String>,
    /// The S3 browser's place: a bucket, and a folder prefix or an object key in it.
    bucket: Option<String>,
    prefix: Option<String>,
    key: Option<String>,
}

impl Params {
    fn scope(&self, last: &LastScope) -> Scope {
        Scope::choose(self.account.as_deref(), self.region.as_deref(), last)
    }

    /// The resource of a detail page: without `?arn=` the page is an error page, as for an
    /// unknown ARN.
    fn arn(&self) -> Result<&str, PageError> {
        self.arn.as_deref().ok_or(PageError::MissingArn)
    }
}

/// Why a page could not be shown.
#[derive(Debug)]
enum PageError {
    /// A detail page without `?arn=`.
    MissingArn,
    /// The API answered an error (an unknown ARN is its ResourceNotFoundException).
    Api(ServiceError),
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        PageError::Api(e)
    }
}

/// A rendered page, or the page of its error.
struct Rendered {
    scope: Scope,
    section: Section,
    result: Result<Markup, PageError>,
}

impl IntoResponse for Rendered {
    fn into_response(self) -> Response {
        match self.result {
            Ok(markup) => Html(markup.into_string()).into_response(),
            Err(e) => {
                let (status, message) = match e {
                    PageError::MissingArn => (
                        StatusCode::BAD_REQUEST,
                        "This page needs ?arn= naming the resource.".to_owned(),
                    ),
                    PageError::Api(e) => (
                        StatusCode::from_u16(e.status())
                            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                        format!("{}: {}", e.code.name(), e.message),
                    ),
                };
                let body = html! { p.error { (message) } };
                let page = layout::page("Not available", &self.scope, self.section, false, body);
                (status, Html(page.into_string())).into_response()
            }
        }
    }
}

async fn flywheels<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
) -> Rendered {
    let scope = p.scope(&c.last);
    let result = pages::flywheels::list(&c.api, &scope).await;
    Rendered {
        scope,
        section: Section::Flywheels,
        result,
    }
}

async fn flywheel<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
) -> Rendered {
    let scope = p.scope(&c.last);
    let result = async { pages::flywheels::detail(&c.api, &scope, p.arn()?).await }.await;
    Rendered {
        scope,
        section: Section::Flywheels,
        result,
    }
}

async fn models<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
) -> Rendered {
    let scope = p.scope(&c.last);
    let result = pages::models::list(&c.api, &c.source, &scope).await;
    Rendered {
        scope,
        section: Section::Models,
        result,
    }
}

async fn model<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
) -> Rendered {
    let scope = p.scope(&c.last);
    let result = async { pages::models::detail(&c.api, &c.source, &scope, p.arn()?).await }.await;
    Rendered {
        scope,
        section: Section::Models,
        result,
    }
}

async fn endpoints<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
) -> Rendered {
    let scope = p.scope(&c.last);
    let result = pages::endpoints::list(&c.api, &scope).await;
    Rendered {
        scope,
        section: Section::Endpoints,
        result,
    }
}

async fn endpoint<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
) -> Rendered {
    let scope = p.scope(&c.last);
    let result = async { pages::endpoint::detail(&c.api, &scope, p.arn()?, None).await }.await;
    Rendered {
        scope,
        section: Section::Endpoints,
        result,
    }
}

/// The try-it box's form.
#[derive(Debug, Deserialize)]
struct TryIt {
    text: String,
}

async fn try_endpoint<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
    Form(form): Form<TryIt>,
) -> Rendered {
    let scope = p.scope(&c.last);
    let result =
        async { pages::endpoint::detail(&c.api, &scope, p.arn()?, Some(&form.text)).await }.await;
    Rendered {
        scope,
        section: Section::Endpoints,
        result,
    }
}

async fn jobs<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
) -> Rendered {
    let scope = p.scope(&c.last);
    let result = pages::jobs::list(&c.api, &scope).await;
    Rendered {
        scope,
        section: Section::Jobs,
        result,
    }
}

async fn s3<A: ComprehendApi, O: Source>(
    State(c): State<Arc<Console<A, O>>>,
    Query(p): Query<Params>,
) -> Rendered {
    use pages::s3::Place;
    let scope = p.scope(&c.last);
    let place = match (&p.bucket, &p.key) {
        (None, _) => Place::Buckets,
        (Some(bucket), Some(key)) => Place::Object { bucket, key },
        (Some(bucket), None) => Place::Folder {
            bucket,
            prefix: p.prefix.as_deref().unwrap_or(""),
        },
    };
    let result = pages::s3::page(&c.source, &scope, place).await;
    Rendered {
        scope,
        section: Section::S3,
        result,
    }
}

async fn stylesheet() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        )],
        include_str!("style.css"),
    )
        .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "No such console page.\n").into_response()
}
