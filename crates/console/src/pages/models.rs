//! Models: every classifier and recognizer version, and one version with its metrics.

use comprehend_protocol::{
    ComprehendApi, DescribeDocumentClassifierRequest, DescribeEntityRecognizerRequest,
    DocumentClassifierProperties, EntityRecognizerProperties, Timestamp,
};
use maud::{Markup, html};

use crate::chart::{Scores, heat_map, score_bars};
use crate::fetch;
use crate::layout::{self, Section, arn_link, name_of, score, status, time, version_of};
use crate::matrix::{self, ConfusionMatrix};
use crate::scope::Scope;
use crate::source::Source;
use crate::{PageError, pages};

/// Every classifier and recognizer version of the scope, in two tables.
pub(crate) async fn list<A: ComprehendApi, O: Source>(
    api: &A,
    source: &O,
    scope: &Scope,
) -> Result<Markup, PageError> {
    let ctx = scope.context();
    let classifiers = fetch::classifiers(api, &ctx).await?;
    let recognizers = fetch::recognizers(api, &ctx).await?;
    let refresh = classifiers
        .iter()
        .any(|c| layout::running(c.status.map(|s| s.as_str())))
        || recognizers
            .iter()
            .any(|r| layout::running(r.status.map(|s| s.as_str())));
    let body = html! {
        h2 { "Document classifiers" }
        (classifiers_table(scope, source, &classifiers))
        h2 { "Entity recognizers" }
        (recognizers_table(scope, source, &recognizers))
    };
    Ok(layout::page(
        "Models",
        scope,
        Section::Models,
        refresh,
        body,
    ))
}

fn classifiers_table<O: Source>(
    scope: &Scope,
    source: &O,
    classifiers: &[DocumentClassifierProperties],
) -> Markup {
    html! {
    @if classifiers.is_empty() { p.empty { "No document classifiers." } } @else {
        table.classifiers {
            thead { tr { th { "Name" } th { "Version" } th { "Status" } th { "F1" } th { "Accuracy" } th { "Trained on" } th { "Submitted" } th { "Took" } } }
            tbody {
                @for c in classifiers {
                    @let arn = c.document_classifier_arn.as_deref();
                    @let metrics = c.classifier_metadata.as_ref().and_then(|m| m.evaluation_metrics.as_ref());
                    tr {
                        td { (model_name(scope, arn)) }
                        td { (arn.and_then(version_of).unwrap_or("—")) }
                        td { (status(c.status.map(|s| s.as_str()))) (live(source, arn)) }
                        td.number { (score(metrics.and_then(|m| m.f1_score))) }
                        td.number { (score(metrics.and_then(|m| m.accuracy))) }
                        td.number { (c.classifier_metadata.as_ref().and_then(|m| m.number_of_trained_documents).map_or("—".to_owned(), |n| n.to_string())) }
                        td { (time(c.submit_time.as_ref())) }
                        td { (layout::duration(c.submit_time.as_ref(), c.end_time.as_ref())) }
                    }
                }
            }
        }
    }
    }
}

fn recognizers_table<O: Source>(
    scope: &Scope,
    source: &O,
    recognizers: &[EntityRecognizerProperties],
) -> Markup {
    html! {
    @if recognizers.is_empty() { p.empty { "No entity recognizers." } } @else {
        table.recognizers {
            thead { tr { th { "Name" } th { "Version" } th { "Status" } th { "F1" } th { "Precision" } th { "Recall" } th { "Submitted" } th { "Took" } } }
            tbody {
                @for r in recognizers {
                    @let arn = r.entity_recognizer_arn.as_deref();
                    @let metrics = r.recognizer_metadata.as_ref().and_then(|m| m.evaluation_metrics.as_ref());
                    tr {
                        td { (model_name(scope, arn)) }
                        td { (arn.and_then(version_of).unwrap_or("—")) }
                        td { (status(r.status.map(|s| s.as_str()))) (live(source, arn)) }
                        td.number { (score(metrics.and_then(|m| m.f1_score))) }
                        td.number { (score(metrics.and_then(|m| m.precision))) }
                        td.number { (score(metrics.and_then(|m| m.recall))) }
                        td { (time(r.submit_time.as_ref())) }
                        td { (layout::duration(r.submit_time.as_ref(), r.end_time.as_ref())) }
                    }
                }
            }
        }
    }
    }
}

/// A model's name, linked to its version's page.
fn model_name(scope: &Scope, arn: Option<&str>) -> Markup {
    let Some(arn) = arn else {
        return html! { "—" };
    };
    html! { a href=(scope.link_with("/console/model", &[("arn", arn)])) { (name_of(arn)) } }
}

/// One version: a classifier or a recognizer, by its ARN.
pub(crate) async fn detail<A: ComprehendApi, O: Source>(
    api: &A,
    source: &O,
    scope: &Scope,
    arn: &str,
) -> Result<Markup, PageError> {
    let ctx = scope.context();
    let (body, refresh) = if arn.contains(":entity-recognizer/") {
        let request = DescribeEntityRecognizerRequest {
            entity_recognizer_arn: arn.to_owned(),
        };
        let r = api
            .describe_entity_recognizer(&ctx, request)
            .await?
            .entity_recognizer_properties
            .unwrap_or_default();
        (
            recognizer(scope, source, &r),
            layout::running(r.status.map(|s| s.as_str())),
        )
    } else {
        let request = DescribeDocumentClassifierRequest {
            document_classifier_arn: arn.to_owned(),
        };
        let c = api
            .describe_document_classifier(&ctx, request)
            .await?
            .document_classifier_properties
            .unwrap_or_default();
        let output = c.output_data_config.as_ref();
        let location = output.and_then(|o| {
            o.s3_uri
                .as_deref()
                .or(o.flywheel_stats_s3_prefix.as_deref())
        });
        let trained = c.status.is_some_and(|s| s.as_str().starts_with("TRAINED"));
        let matrix = match location {
            Some(uri) if trained => matrix::read(source, uri).await,
            _ => None,
        };
        let body = html! { (classifier(scope, source, &c)) (confusion(matrix.as_ref())) };
        (body, layout::running(c.status.map(|s| s.as_str())))
    };
    let title = match version_of(arn) {
        Some(v) => format!("{} · {v}", name_of(arn)),
        None => name_of(arn).to_owned(),
    };
    let body = html! { (body) (pages::tags(api, scope, arn).await?) };
    Ok(layout::page(&title, scope, Section::Models, refresh, body))
}

/// The times every version has.
struct Times<'a> {
    submit: Option<&'a Timestamp>,
    training_start: Option<&'a Timestamp>,
    training_end: Option<&'a Timestamp>,
    end: Option<&'a Timestamp>,
}

fn times(t: &Times<'_>) -> Markup {
    html! {
        dt { "Submitted" } dd { (time(t.submit)) }
        dt { "Training" } dd { (time(t.training_start)) " → " (time(t.training_end)) " (" (layout::duration(t.training_start, t.training_end)) ")" }
        dt { "Ended" } dd { (time(t.end)) " (" (layout::duration(t.submit, t.end)) " in all)" }
    }
}

fn classifier<O: Source>(scope: &Scope, source: &O, c: &DocumentClassifierProperties) -> Markup {
    let meta = c.classifier_metadata.as_ref();
    let m = meta.and_then(|m| m.evaluation_metrics.as_ref());
    let rows = [
        ("Accuracy", m.and_then(|m| m.accuracy)),
        ("Precision (macro)", m.and_then(|m| m.precision)),
        ("Recall (macro)", m.and_then(|m| m.recall)),
        ("F1 (macro)", m.and_then(|m| m.f1_score)),
        ("Precision (micro)", m.and_then(|m| m.micro_precision)),
        ("Recall (micro)", m.and_then(|m| m.micro_recall)),
        ("F1 (micro)", m.and_then(|m| m.micro_f1_score)),
        ("Hamming loss", m.and_then(|m| m.hamming_loss)),
    ];
    html! {
        dl.properties {
            dt { "ARN" } dd { code { (c.document_classifier_arn.as_deref().unwrap_or_default()) } }
            dt { "Status" } dd { (status(c.status.map(|s| s.as_str()))) (live(source, c.document_classifier_arn.as_deref())) }
            @if let Some(message) = &c.message { dt { "Message" } dd.message { (message) } }
            dt { "Mode" } dd { (c.mode.map_or("—", |m| m.as_str())) }
            dt { "Language" } dd { (c.language_code.map_or("—", |l| l.as_str())) }
            (times(&Times { submit: c.submit_time.as_ref(), training_start: c.training_start_time.as_ref(), training_end: c.training_end_time.as_ref(), end: c.end_time.as_ref() }))
            dt { "Training data" } dd { (layout::s3_link(scope, c.input_data_config.as_ref().and_then(|i| i.s3_uri.as_deref()))) }
            dt { "Output" } dd { (layout::s3_link(scope, c.output_data_config.as_ref().and_then(|o| o.s3_uri.as_deref()))) }
            @if c.flywheel_arn.is_some() { dt { "Flywheel" } dd { (arn_link(scope, c.flywheel_arn.as_deref())) } }
            @if c.source_model_arn.is_some() { dt { "Source model" } dd { (arn_link(scope, c.source_model_arn.as_deref())) } }
            dt { "Documents" } dd {
                (meta.and_then(|m| m.number_of_trained_documents).unwrap_or_default()) " trained, "
                (meta.and_then(|m| m.number_of_test_documents).unwrap_or_default()) " tested, "
                (meta.and_then(|m| m.number_of_labels).unwrap_or_default()) " labels"
            }
        }
        @if m.is_some() {
            h2 { "Evaluation" }
            table.metrics {
                tbody { @for (name, v) in rows { @if v.is_some() { tr { th { (name) } td.number { (score(v)) } } } } }
            }
        }
    }
}

fn recognizer<O: Source>(scope: &Scope, source: &O, r: &EntityRecognizerProperties) -> Markup {
    let meta = r.recognizer_metadata.as_ref();
    let m = meta.and_then(|m| m.evaluation_metrics.as_ref());
    let types: Vec<Scores> = meta
        .and_then(|m| m.entity_types.as_ref())
        .into_iter()
        .flatten()
        .map(|t| {
            let e = t.evaluation_metrics.as_ref();
            Scores {
                label: t.type_.clone().unwrap_or_default(),
                values: [
                    e.and_then(|e| e.precision),
                    e.and_then(|e| e.recall),
                    e.and_then(|e| e.f1_score),
                ],
            }
        })
        .collect();
    html! {
        dl.properties {
            dt { "ARN" } dd { code { (r.entity_recognizer_arn.as_deref().unwrap_or_default()) } }
            dt { "Status" } dd { (status(r.status.map(|s| s.as_str()))) (live(source, r.entity_recognizer_arn.as_deref())) }
            @if let Some(message) = &r.message { dt { "Message" } dd.message { (message) } }
            dt { "Language" } dd { (r.language_code.map_or("—", |l| l.as_str())) }
            (times(&Times { submit: r.submit_time.as_ref(), training_start: r.training_start_time.as_ref(), training_end: r.training_end_time.as_ref(), end: r.end_time.as_ref() }))
            @if r.flywheel_arn.is_some() { dt { "Flywheel" } dd { (arn_link(scope, r.flywheel_arn.as_deref())) } }
            @if r.source_model_arn.is_some() { dt { "Source model" } dd { (arn_link(scope, r.source_model_arn.as_deref())) } }
            dt { "Documents" } dd {
                (meta.and_then(|m| m.number_of_trained_documents).unwrap_or_default()) " trained, "
                (meta.and_then(|m| m.number_of_test_documents).unwrap_or_default()) " tested"
            }
            dt { "Precision / recall / F1" } dd { (score(m.and_then(|m| m.precision))) " / " (score(m.and_then(|m| m.recall))) " / " (score(m.and_then(|m| m.f1_score))) }
        }
        @if !types.is_empty() {
            h2 { "Per entity type" }
            (score_bars(&types))
        }
    }
}

/// The confusion matrix of a trained classifier: a heat map for multi-class, the four
/// counts per label for multi-label.
fn confusion(matrix: Option<&ConfusionMatrix>) -> Markup {
    match matrix {
        None => html! {},
        Some(ConfusionMatrix::MultiClass {
            confusion_matrix,
            labels,
        }) => html! {
            h2 { "Confusion matrix" }
            (heat_map(labels, confusion_matrix))
        },
        Some(ConfusionMatrix::MultiLabel {
            confusion_matrix,
            labels,
        }) => html! {
            h2 { "Confusion matrix per label" }
            table.matrix {
                thead { tr { th { "Label" } th { "True negatives" } th { "False positives" } th { "False negatives" } th { "True positives" } } }
                tbody {
                    @for (label, [[tn, fp], [fn_, tp]]) in labels.iter().zip(confusion_matrix) {
                        tr { th { (label) } td.number { (tn) } td.number { (fp) } td.number { (fn_) } td.number { (tp) } }
                    }
                }
            }
        },
    }
}

/// What a version's training is doing now, beside its status (nothing once it ends).
fn live<O: Source>(source: &O, arn: Option<&str>) -> Markup {
    match arn.and_then(|arn| source.progress(arn)) {
        Some(progress) => html! { " " span.progress { (progress) } },
        None => html! {},
    }
}
