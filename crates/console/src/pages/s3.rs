//! The built-in S3, browsed: buckets, one folder level at a time with object sizes, and
//! the first lines of an object (CSV, JSON lines, text).

use maud::{Markup, html};

use crate::PageError;
use crate::layout::{self, Section};
use crate::scope::Scope;
use crate::source::Source;

/// How much of an object the preview reads.
const PREVIEW_BYTES: usize = 8 * 1024;
/// How many lines of it the preview shows.
const PREVIEW_LINES: usize = 20;

/// What the browser shows: every bucket, a folder, or an object.
pub(crate) enum Place<'a> {
    Buckets,
    Folder { bucket: &'a str, prefix: &'a str },
    Object { bucket: &'a str, key: &'a str },
}

/// The page of `place`.
pub(crate) async fn page<O: Source>(
    objects: &O,
    scope: &Scope,
    place: Place<'_>,
) -> Result<Markup, PageError> {
    let body = match place {
        Place::Buckets => buckets(objects, scope).await,
        Place::Folder { bucket, prefix } => folder(objects, scope, bucket, prefix).await,
        Place::Object { bucket, key } => object(objects, scope, bucket, key).await,
    };
    Ok(layout::page("S3", scope, Section::S3, false, body))
}

async fn buckets<O: Source>(objects: &O, scope: &Scope) -> Markup {
    let Some(buckets) = objects.buckets().await else {
        return html! { p.empty { "The data lives in an external S3, which the console does not browse." } };
    };
    html! {
        @if buckets.is_empty() { p.empty { "No buckets." } } @else {
            table.buckets {
                thead { tr { th { "Bucket" } } }
                tbody {
                    @for b in &buckets {
                        tr { td { a href=(folder_link(scope, b, "")) { (b) } } }
                    }
                }
            }
        }
    }
}

/// The browser's link to a folder.
pub(crate) fn folder_link(scope: &Scope, bucket: &str, prefix: &str) -> String {
    scope.link_with("/console/s3", &[("bucket", bucket), ("prefix", prefix)])
}

/// The browser's link to an object.
fn object_link(scope: &Scope, bucket: &str, key: &str) -> String {
    scope.link_with("/console/s3", &[("bucket", bucket), ("key", key)])
}

/// Where `s3://bucket/key…` is in the browser: a folder when the key is empty or ends
/// in `/`, else an object.
pub(crate) fn uri_link(scope: &Scope, uri: &str) -> Option<String> {
    let (bucket, key) = uri
        .strip_prefix("s3://")?
        .split_once('/')
        .unwrap_or((uri.strip_prefix("s3://")?, ""));
    Some(if key.is_empty() || key.ends_with('/') {
        folder_link(scope, bucket, key)
    } else {
        object_link(scope, bucket, key)
    })
}

/// `s3://bucket/a/b/` as links to each level.
fn breadcrumbs(scope: &Scope, bucket: &str, path: &str) -> Markup {
    let mut levels = Vec::new();
    let mut at = 0;
    while let Some(slash) = path[at..].find('/') {
        at += slash + 1;
        levels.push(&path[..at]);
    }
    html! {
        p.breadcrumbs {
            a href=(scope.link("/console/s3")) { "s3://" }
            a href=(folder_link(scope, bucket, "")) { (bucket) } "/"
            @for level in &levels {
                a href=(folder_link(scope, bucket, level)) { (level.trim_end_matches('/').rsplit('/').next().unwrap_or_default()) } "/"
            }
            @if !path.ends_with('/') && !path.is_empty() { (path.rsplit('/').next().unwrap_or_default()) }
        }
    }
}

async fn folder<O: Source>(objects: &O, scope: &Scope, bucket: &str, prefix: &str) -> Markup {
    let Some(listing) = objects.folder(bucket, prefix).await else {
        return html! { (breadcrumbs(scope, bucket, prefix)) p.error { "No such bucket or folder." } };
    };
    html! {
        (breadcrumbs(scope, bucket, prefix))
        @if listing.folders.is_empty() && listing.objects.is_empty() { p.empty { "Empty." } } @else {
            table.objects {
                thead { tr { th { "Name" } th { "Size" } } }
                tbody {
                    @for f in &listing.folders {
                        tr.folder { td { a href=(folder_link(scope, bucket, f)) { (f.strip_prefix(prefix).unwrap_or(f)) } } td { "—" } }
                    }
                    @for (key, size) in &listing.objects {
                        tr.object data-size=(size) {
                            td { a href=(object_link(scope, bucket, key)) { (key.strip_prefix(prefix).unwrap_or(key)) } }
                            td.number { (bytes(*size)) }
                        }
                    }
                }
            }
        }
    }
}

async fn object<O: Source>(objects: &O, scope: &Scope, bucket: &str, key: &str) -> Markup {
    let start = objects
        .read_start(&format!("s3://{bucket}/{key}"), PREVIEW_BYTES)
        .await;
    html! {
        (breadcrumbs(scope, bucket, key))
        @match start {
            None => p.error { "No such object." },
            Some(bytes) => {
                @if bytes.contains(&0) || key.ends_with(".gz") {
                    p.empty { "A binary object (" (bytes.len()) " bytes read); no preview." }
                } @else {
                    h2 { "First lines" }
                    pre.preview { (preview(&bytes)) }
                }
            }
        }
    }
}

/// The first lines of a text, cut where the read ended.
fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    text.lines()
        .take(PREVIEW_LINES)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A size for people.
fn bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}
