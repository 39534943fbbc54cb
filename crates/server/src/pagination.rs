//! The one pagination helper every List operation uses: `MaxResults` (1..500, default
//! 100; the model enforces the range) and an opaque `NextToken` naming the last row
//! returned, so tokens differ from page to page and are omitted on the last page.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use comprehend_protocol::ServiceError;
use comprehend_store::{Page, PageRequest};

const DEFAULT_PAGE: u32 = 100;
const TOKEN_PREFIX: &str = "cl1:";

/// Reads `MaxResults` and `NextToken`. A token this server did not issue for this
/// operation is an `InvalidRequestException`.
pub fn page_request(
    operation: &str,
    max_results: Option<i32>,
    next_token: Option<&str>,
) -> Result<PageRequest, ServiceError> {
    let limit = max_results
        .map(|m| m.clamp(1, 500) as u32)
        .unwrap_or(DEFAULT_PAGE);
    let after = match next_token {
        None => None,
        Some(token) => Some(decode(operation, token).ok_or_else(|| {
            ServiceError::invalid_request(format!(
                "Invalid NextToken: '{token}' was not issued by {operation}"
            ))
        })?),
    };
    Ok(PageRequest { after, limit })
}

/// The `NextToken` for a page, if another page exists.
pub fn next_token<T>(operation: &str, page: &Page<T>) -> Option<String> {
    page.next_after
        .map(|seq| URL_SAFE_NO_PAD.encode(format!("{TOKEN_PREFIX}{operation}:{seq}")))
}

fn decode(operation: &str, token: &str) -> Option<i64> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(token).ok()?).ok()?;
    let rest = text
        .strip_prefix(TOKEN_PREFIX)?
        .strip_prefix(operation)?
        .strip_prefix(':')?;
    rest.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_are_checked() {
        let page = Page {
            items: vec![1, 2],
            next_after: Some(42),
        };
        let token = next_token("ListFlywheels", &page).unwrap();
        assert_eq!(
            page_request("ListFlywheels", Some(2), Some(&token)).unwrap(),
            PageRequest {
                after: Some(42),
                limit: 2
            }
        );
        assert!(page_request("ListDatasets", None, Some(&token)).is_err());
        assert!(page_request("ListDatasets", None, Some("garbage")).is_err());
        assert_eq!(
            page_request("ListDatasets", None, None).unwrap(),
            PageRequest {
                after: None,
                limit: 100
            }
        );
        let other = Page {
            items: vec![3],
            next_after: Some(43),
        };
        assert_ne!(next_token("ListFlywheels", &other).unwrap(), token);
        assert_eq!(
            next_token(
                "ListFlywheels",
                &Page::<i32> {
                    items: vec![],
                    next_after: None
                }
            ),
            None
        );
    }
}
