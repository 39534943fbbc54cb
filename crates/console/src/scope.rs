//! Which account and region a page shows, and links that keep them.

use std::sync::{Arc, RwLock};

use comprehend_protocol::RequestContext;
use comprehend_protocol::auth::{DEFAULT_ACCOUNT, DEFAULT_REGION};

/// The account and region a page shows: Comprehend's resources live per (account, region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// 12 digits.
    pub account: String,
    /// Letters, digits and dashes.
    pub region: String,
}

impl Scope {
    /// The scope a page asked for, where well formed; otherwise that of the last API
    /// request, or the server's defaults.
    pub(crate) fn choose(account: Option<&str>, region: Option<&str>, last: &LastScope) -> Scope {
        let fallback = last.get();
        Scope {
            account: account
                .filter(|a| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()))
                .map_or(fallback.account, str::to_owned),
            region: region
                .filter(|r| {
                    !r.is_empty()
                        && r.len() <= 32
                        && r.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                })
                .map_or(fallback.region, str::to_owned),
        }
    }

    /// The context the console's API calls run in.
    pub(crate) fn context(&self) -> RequestContext {
        RequestContext {
            account_id: self.account.clone(),
            region: self.region.clone(),
            request_id: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// `path` with this scope in its query.
    pub(crate) fn link(&self, path: &str) -> String {
        self.link_with(path, &[])
    }

    /// `path` with this scope and `extra` parameters in its query, percent-encoded.
    pub(crate) fn link_with(&self, path: &str, extra: &[(&str, &str)]) -> String {
        let mut query = vec![
            ("account", self.account.as_str()),
            ("region", self.region.as_str()),
        ];
        query.extend_from_slice(extra);
        let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
        format!("{path}?{encoded}")
    }

    /// A link to the console's page of a resource, by its ARN.
    pub(crate) fn resource_link(&self, arn: &str) -> Option<String> {
        let path = match arn.split(':').nth(5)?.split('/').next()? {
            "flywheel" => "/console/flywheel",
            "document-classifier" | "entity-recognizer" => "/console/model",
            _ => return None,
        };
        Some(self.link_with(path, &[("arn", arn)]))
    }
}

/// The account and region of the last Comprehend request the server answered: the
/// console opens there, since that is where a user's scripts just created things.
#[derive(Debug, Clone, Default)]
pub struct LastScope(Arc<RwLock<Option<Scope>>>);

impl LastScope {
    /// Remembers a request's account and region.
    pub fn record(&self, account: &str, region: &str) {
        let mut last = self
            .0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last
            .as_ref()
            .is_none_or(|s| s.account != account || s.region != region)
        {
            *last = Some(Scope {
                account: account.to_owned(),
                region: region.to_owned(),
            });
        }
    }

    /// The last request's scope, or the server's default account and region.
    pub fn get(&self) -> Scope {
        let last = self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        last.clone().unwrap_or_else(|| Scope {
            account: DEFAULT_ACCOUNT.to_owned(),
            region: DEFAULT_REGION.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asked_for_scopes_are_checked_and_the_last_request_is_the_default() {
        let last = LastScope::default();
        let scope = Scope::choose(None, None, &last);
        assert_eq!(
            (scope.account.as_str(), scope.region.as_str()),
            ("000000000000", "us-east-1")
        );
        last.record("111122223333", "eu-west-1");
        let scope = Scope::choose(Some("<script>"), Some("EU WEST"), &last);
        assert_eq!(
            (scope.account.as_str(), scope.region.as_str()),
            ("111122223333", "eu-west-1")
        );
        let scope = Scope::choose(Some("444455556666"), Some("ap-south-1"), &last);
        assert_eq!(
            scope.link("/console/jobs"),
            "/console/jobs?account=444455556666&region=ap-south-1"
        );
    }

    #[test]
    fn links_encode_arns() {
        let scope = Scope::choose(None, None, &LastScope::default());
        let arn = "arn:aws:comprehend:us-east-1:000000000000:flywheel/fw";
        assert_eq!(
            scope.resource_link(arn).unwrap(),
            "/console/flywheel?account=000000000000&region=us-east-1&arn=arn%3Aaws%3Acomprehend%3Aus-east-1%3A000000000000%3Aflywheel%2Ffw"
        );
        assert_eq!(scope.resource_link("not an arn"), None);
    }
}
