//! TagResource, UntagResource, ListTagsForResource: tags of any resource, ≤ 50 each.

use comprehend_protocol::*;
use comprehend_store::Tx;
use comprehend_store::tags::{Tag as StoredTag, TagOutcome};

use super::owned_arn;
use crate::error::{Result, not_found};
use crate::state::State;

/// Most tags a resource may carry (Amazon Comprehend Developer Guide, "Tagging your
/// resources": 50 tags per resource).
pub const MAX_TAGS: usize = 50;

/// Checks tags given at creation or to TagResource and converts them for the store.
pub fn incoming(tags: Option<Vec<Tag>>) -> Result<Vec<StoredTag>> {
    let tags = tags.unwrap_or_default();
    if tags.len() > MAX_TAGS {
        return Err(ServiceError::too_many_tags(format!(
            "A resource can have at most {MAX_TAGS} tags; the request has {}.",
            tags.len()
        ))
        .into());
    }
    let mut out: Vec<StoredTag> = Vec::with_capacity(tags.len());
    for tag in tags {
        if tag.key.to_ascii_lowercase().starts_with("aws:") {
            return Err(ServiceError::invalid_request(format!(
                "Tag keys starting with 'aws:' are reserved for AWS use: '{}'",
                tag.key
            ))
            .into());
        }
        // A key given twice keeps its last value, as a map would.
        out.retain(|t| t.key != tag.key);
        out.push(StoredTag {
            key: tag.key,
            value: tag.value.unwrap_or_default(),
        });
    }
    Ok(out)
}

async fn existing(state: &State, ctx: &RequestContext, arn: &str) -> Result<()> {
    owned_arn(ctx, arn)?;
    if !state.store.resource_exists(arn).await? {
        return Err(not_found(arn));
    }
    Ok(())
}

/// A resource of the caller, checked in the transaction that changes its tags (so a
/// deletion at the same moment cannot leave tags behind for a later namesake).
async fn existing_for_write(state: &State, ctx: &RequestContext, arn: &str) -> Result<Tx> {
    owned_arn(ctx, arn)?;
    let mut tx = state.store.begin().await?;
    if !tx.resource_exists(arn).await? {
        return Err(not_found(arn));
    }
    Ok(tx)
}

/// TagResource.
pub async fn tag(
    state: &State,
    ctx: &RequestContext,
    input: TagResourceRequest,
) -> Result<TagResourceResponse> {
    let mut tx = existing_for_write(state, ctx, &input.resource_arn).await?;
    let tags = incoming(Some(input.tags))?;
    match tx.add_tags(&input.resource_arn, &tags, MAX_TAGS).await? {
        TagOutcome::Applied => {
            tx.commit().await?;
            Ok(TagResourceResponse {})
        }
        TagOutcome::TooMany => Err(ServiceError::too_many_tags(format!(
            "Adding these tags would leave {} with more than {MAX_TAGS} tags.",
            input.resource_arn
        ))
        .into()),
    }
}

/// UntagResource.
pub async fn untag(
    state: &State,
    ctx: &RequestContext,
    input: UntagResourceRequest,
) -> Result<UntagResourceResponse> {
    if input.tag_keys.len() > MAX_TAGS {
        return Err(ServiceError::too_many_tag_keys(format!(
            "At most {MAX_TAGS} tag keys can be removed at once; the request has {}.",
            input.tag_keys.len()
        ))
        .into());
    }
    let mut tx = existing_for_write(state, ctx, &input.resource_arn).await?;
    tx.remove_tags(&input.resource_arn, &input.tag_keys).await?;
    tx.commit().await?;
    Ok(UntagResourceResponse {})
}

/// ListTagsForResource.
pub async fn list(
    state: &State,
    ctx: &RequestContext,
    input: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse> {
    existing(state, ctx, &input.resource_arn).await?;
    let tags = state.store.tags(&input.resource_arn).await?;
    Ok(ListTagsForResourceResponse {
        resource_arn: Some(input.resource_arn),
        tags: Some(
            tags.into_iter()
                .map(|t| Tag {
                    key: t.key,
                    value: Some(t.value),
                })
                .collect(),
        ),
    })
}
