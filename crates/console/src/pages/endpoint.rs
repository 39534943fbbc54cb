//! One endpoint, with a box to try it: the text goes through ClassifyDocument or
//! DetectEntities, as a client's would, and the answer is drawn as score bars or as the
//! entities marked in the text.

use comprehend_protocol::{
    ClassifyDocumentRequest, ComprehendApi, DescribeEndpointRequest, DetectEntitiesRequest,
    EndpointProperties, Entity, Operation, ServiceError, encode, validate,
};
use maud::{Markup, html};

use crate::PageError;
use crate::layout::{self, Section, arn_link, name_of, status, time};
use crate::scope::Scope;

/// What an endpoint answered for the tried text.
enum Answer {
    /// A classifier's classes (multi-class) or labels (multi-label), best first.
    Scores(Vec<(String, f32)>),
    /// A recognizer's entities in `text`.
    Entities { text: String, entities: Vec<Entity> },
}

/// The endpoint's page; with `text`, also what the endpoint answers for it.
pub(crate) async fn detail<A: ComprehendApi>(
    api: &A,
    scope: &Scope,
    arn: &str,
    text: Option<&str>,
) -> Result<Markup, PageError> {
    let request = DescribeEndpointRequest {
        endpoint_arn: arn.to_owned(),
    };
    let endpoint = api
        .describe_endpoint(&scope.context(), request)
        .await?
        .endpoint_properties
        .unwrap_or_default();
    let answer = match text {
        Some(text) => Some(try_it(api, scope, arn, text).await),
        None => None,
    };
    let refresh = text.is_none() && layout::running(endpoint.status.map(|s| s.as_str()));
    let body = html! {
        (properties(scope, &endpoint))
        h2 { "Try it" }
        form.try-it method="post" action=(scope.link_with("/console/endpoint", &[("arn", arn)])) {
            textarea name="text" rows="5" cols="80" required { (text.unwrap_or_default()) }
            button type="submit" { (if arn.contains(":entity-recognizer-endpoint/") { "Detect entities" } else { "Classify" }) }
        }
        @match &answer {
            None => {}
            Some(Err(e)) => p.error { (e.code.name()) ": " (e.message) },
            Some(Ok(Answer::Scores(scores))) => (score_list(scores)),
            Some(Ok(Answer::Entities { text, entities })) => (marked(text, entities)),
        }
    };
    Ok(layout::page(
        name_of(arn),
        scope,
        Section::Endpoints,
        refresh,
        body,
    ))
}

fn properties(scope: &Scope, e: &EndpointProperties) -> Markup {
    html! {
        dl.properties {
            dt { "ARN" } dd { code { (e.endpoint_arn.as_deref().unwrap_or_default()) } }
            dt { "Status" } dd { (status(e.status.map(|s| s.as_str()))) }
            @if let Some(m) = &e.message { dt { "Message" } dd.message { (m) } }
            dt { "Model" } dd { (arn_link(scope, e.model_arn.as_deref())) }
            @if e.flywheel_arn.is_some() { dt { "Flywheel" } dd { (arn_link(scope, e.flywheel_arn.as_deref())) } }
            dt { "Inference units" } dd { (e.desired_inference_units.unwrap_or_default()) " desired, " (e.current_inference_units.unwrap_or_default()) " current" }
            dt { "Created" } dd { (time(e.creation_time.as_ref())) }
        }
    }
}

/// Sends `text` to the endpoint as a client would: the request is checked against the
/// model first, since handlers take validated input.
async fn try_it<A: ComprehendApi>(
    api: &A,
    scope: &Scope,
    arn: &str,
    text: &str,
) -> Result<Answer, ServiceError> {
    let ctx = scope.context();
    if arn.contains(":entity-recognizer-endpoint/") {
        let request = DetectEntitiesRequest {
            text: Some(text.to_owned()),
            endpoint_arn: Some(arn.to_owned()),
            ..Default::default()
        };
        validate::validate(Operation::DetectEntities.input_shape(), &encode(&request)?)?;
        let out = api.detect_entities(&ctx, request).await?;
        let mut entities = out.entities.unwrap_or_default();
        entities.sort_by_key(|e| e.begin_offset);
        return Ok(Answer::Entities {
            text: text.to_owned(),
            entities,
        });
    }
    let request = ClassifyDocumentRequest {
        text: Some(text.to_owned()),
        endpoint_arn: arn.to_owned(),
        ..Default::default()
    };
    validate::validate(
        Operation::ClassifyDocument.input_shape(),
        &encode(&request)?,
    )?;
    let out = api.classify_document(&ctx, request).await?;
    let scored = out.classes.into_iter().flatten().map(|c| (c.name, c.score));
    let labels = out.labels.into_iter().flatten().map(|l| (l.name, l.score));
    let mut scores: Vec<(String, f32)> = scored
        .chain(labels)
        .map(|(name, score)| (name.unwrap_or_default(), score.unwrap_or_default()))
        .collect();
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    Ok(Answer::Scores(scores))
}

fn score_list(scores: &[(String, f32)]) -> Markup {
    html! {
        table.scores {
            tbody {
                @for (name, score) in scores {
                    tr.score data-name=(name) data-score=(format!("{score:.4}")) {
                        th { (name) }
                        td.bar { span style={ "width:" (format!("{:.1}", score.clamp(0.0, 1.0) * 100.0)) "%" } {} }
                        td.number { (format!("{score:.3}")) }
                    }
                }
            }
        }
    }
}

/// `text` with each entity marked; offsets count characters (code points), as the API's.
fn marked(text: &str, entities: &[Entity]) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let slice = |from: usize, to: usize| {
        chars[from.min(chars.len())..to.min(chars.len())]
            .iter()
            .collect::<String>()
    };
    let mut at = 0usize;
    let mut pieces = Vec::new();
    for e in entities {
        let (Some(begin), Some(end)) = (e.begin_offset, e.end_offset) else {
            continue;
        };
        let (begin, end) = (
            usize::try_from(begin).unwrap_or(0),
            usize::try_from(end).unwrap_or(0),
        );
        if begin < at || end <= begin {
            continue;
        }
        pieces.push((slice(at, begin), None));
        pieces.push((slice(begin, end), Some(e)));
        at = end;
    }
    pieces.push((slice(at, chars.len()), None));
    html! {
        p.entities {
            @for (piece, entity) in &pieces {
                @match entity {
                    None => (piece),
                    Some(e) => mark.entity data-type=(e.type_.as_deref().unwrap_or_default())
                        data-score=(format!("{:.4}", e.score.unwrap_or_default())) {
                        (piece) sub { (e.type_.as_deref().unwrap_or_default()) }
                    },
                }
            }
        }
        @if entities.is_empty() { p.empty { "No entities found." } }
    }
}
