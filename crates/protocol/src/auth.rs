//! Who is calling: the account and region from the SigV4 credential scope.
//!
//! Signatures are not verified — this is a local emulator and clients use dummy
//! credentials — but the scope decides which (account, region) a request lives in.

/// The account used when the access key id is not a 12-digit account id.
pub const DEFAULT_ACCOUNT: &str = "000000000000";
/// The region used when a request carries no `Authorization` header.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The account and region a request is served in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// 12-digit account id.
    pub account_id: String,
    /// Region name.
    pub region: String,
}

/// Reads `Authorization: AWS4-HMAC-SHA256 Credential=<akid>/<date>/<region>/<service>/aws4_request, ...`.
///
/// A 12-digit access key id is taken as the account id (so tests can use several
/// accounts); any other key maps to [`DEFAULT_ACCOUNT`]. Without a header, or with one
/// that cannot be read, the request is served in the default account and region.
pub fn scope_from_authorization(header: Option<&str>) -> Scope {
    let default = Scope {
        account_id: DEFAULT_ACCOUNT.into(),
        region: DEFAULT_REGION.into(),
    };
    let Some(header) = header else { return default };
    let Some(credential) = header
        .split([',', ' '])
        .map(str::trim)
        .find_map(|part| part.strip_prefix("Credential="))
    else {
        return default;
    };
    let mut fields = credential.split('/');
    let (Some(key), Some(_date), Some(region)) = (fields.next(), fields.next(), fields.next())
    else {
        return default;
    };
    let account_id = if key.len() == 12 && key.bytes().all(|b| b.is_ascii_digit()) {
        key.to_owned()
    } else {
        DEFAULT_ACCOUNT.to_owned()
    };
    let region = if !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        region.to_owned()
    } else {
        DEFAULT_REGION.to_owned()
    };
    Scope { account_id, region }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_credential_scope() {
        let h = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20230101/eu-west-2/comprehend/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc";
        assert_eq!(
            scope_from_authorization(Some(h)),
            Scope {
                account_id: DEFAULT_ACCOUNT.into(),
                region: "eu-west-2".into()
            }
        );
        let h = "AWS4-HMAC-SHA256 Credential=111122223333/20230101/ap-south-1/comprehend/aws4_request,SignedHeaders=host,Signature=x";
        assert_eq!(
            scope_from_authorization(Some(h)),
            Scope {
                account_id: "111122223333".into(),
                region: "ap-south-1".into()
            }
        );
    }

    #[test]
    fn falls_back_to_defaults() {
        let d = Scope {
            account_id: DEFAULT_ACCOUNT.into(),
            region: DEFAULT_REGION.into(),
        };
        assert_eq!(scope_from_authorization(None), d);
        assert_eq!(scope_from_authorization(Some("Bearer xyz")), d);
        assert_eq!(
            scope_from_authorization(Some("AWS4-HMAC-SHA256 Credential=short")),
            d
        );
    }
}
