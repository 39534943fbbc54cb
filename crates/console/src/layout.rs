//! The page shell (navigation, the account and region picker) and the small formats
//! every page shares.

use comprehend_protocol::Timestamp;
use maud::{DOCTYPE, Markup, html};

use crate::scope::Scope;

/// The console's sections, in the navigation's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Flywheels,
    Models,
    Endpoints,
    Jobs,
    S3,
}

impl Section {
    const ALL: [Section; 5] = [
        Section::Flywheels,
        Section::Models,
        Section::Endpoints,
        Section::Jobs,
        Section::S3,
    ];

    /// The section's list page.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Section::Flywheels => "/console/flywheels",
            Section::Models => "/console/models",
            Section::Endpoints => "/console/endpoints",
            Section::Jobs => "/console/jobs",
            Section::S3 => "/console/s3",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Section::Flywheels => "Flywheels",
            Section::Models => "Models",
            Section::Endpoints => "Endpoints",
            Section::Jobs => "Jobs",
            Section::S3 => "S3",
        }
    }
}

/// A whole page. `refresh` reloads it every few seconds, for pages showing work that
/// still runs.
pub(crate) fn page(
    title: &str,
    scope: &Scope,
    section: Section,
    refresh: bool,
    body: Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if refresh { meta http-equiv="refresh" content="3"; }
                title { (title) " · comprehend-local" }
                link rel="stylesheet" href="/console/style.css";
            }
            body {
                header {
                    a.brand href=(scope.link(Section::Flywheels.path())) { "comprehend-local" }
                    nav {
                        @for s in Section::ALL {
                            a href=(scope.link(s.path())) class=[(s == section).then_some("current")] { (s.title()) }
                        }
                    }
                    form.scope method="get" action=(section.path()) {
                        label { "Account " input name="account" value=(scope.account) size="12"; }
                        label { "Region " input name="region" value=(scope.region) size="12"; }
                        button type="submit" { "Show" }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A time as the console shows it (UTC, to the second), or a dash.
pub(crate) fn time(t: Option<&Timestamp>) -> String {
    t.map_or_else(
        || "—".to_owned(),
        |t| t.0.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

/// The time from `start` to `end` (or to now, while it runs), or a dash.
pub(crate) fn duration(start: Option<&Timestamp>, end: Option<&Timestamp>) -> String {
    let Some(start) = start else {
        return "—".to_owned();
    };
    let end = end.map_or_else(chrono::Utc::now, |t| t.0);
    let ms = (end - start.0).num_milliseconds().max(0);
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", ms as f64 / 1000.0)
    } else {
        format!("{} min {} s", ms / 60_000, (ms % 60_000) / 1000)
    }
}

/// A score on 0–1 with four decimals, or a dash.
pub(crate) fn score(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{v:.4}"))
}

/// The resource name in an ARN (`…:flywheel/<name>`, `…/<name>/version/<v>`).
pub(crate) fn name_of(arn: &str) -> &str {
    arn.split('/').nth(1).unwrap_or(arn)
}

/// The version in a model ARN, if it has one.
pub(crate) fn version_of(arn: &str) -> Option<&str> {
    arn.split("/version/").nth(1)
}

/// A status as a coloured badge: settled, failed or still working.
pub(crate) fn status(s: Option<&str>) -> Markup {
    let s = s.unwrap_or("—");
    let kind = match s {
        "TRAINED" | "TRAINED_WITH_WARNING" | "ACTIVE" | "COMPLETED" | "IN_SERVICE" => "ok",
        "IN_ERROR" | "FAILED" | "STOPPED" => "bad",
        _ => "busy",
    };
    html! { span class={ "status " (kind) } { (s) } }
}

/// Whether a status means work that is still running (the page then refreshes itself).
pub(crate) fn running(s: Option<&str>) -> bool {
    matches!(
        s,
        Some(
            "SUBMITTED"
                | "TRAINING"
                | "DELETING"
                | "STOP_REQUESTED"
                | "CREATING"
                | "UPDATING"
                | "EVALUATING"
                | "IN_PROGRESS"
        )
    )
}

/// An ARN as a link to its console page where there is one, else as text.
pub(crate) fn arn_link(scope: &Scope, arn: Option<&str>) -> Markup {
    match arn {
        None => html! { "—" },
        Some(arn) => match scope.resource_link(arn) {
            Some(href) => html! { a href=(href) title=(arn) { (short(arn)) } },
            None => html! { code { (arn) } },
        },
    }
}

/// An `s3://` location as a link into the S3 browser.
pub(crate) fn s3_link(scope: &Scope, uri: Option<&str>) -> Markup {
    match uri {
        None => html! { "—" },
        Some(uri) => match crate::pages::s3::uri_link(scope, uri) {
            Some(href) => html! { a href=(href) { code { (uri) } } },
            None => html! { code { (uri) } },
        },
    }
}

/// A model or flywheel ARN without its `arn:aws:comprehend:<region>:<account>:` prefix.
fn short(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}
