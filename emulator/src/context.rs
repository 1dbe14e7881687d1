//! Who a request is for: the region and account it is served in. Clients sign requests
//! with SigV4, whose credential scope names the region; the emulator serves that region,
//! so one emulator can hold pools in several regions as AWS does.

/// The region and account a request is served in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// The AWS region, e.g. `us-east-1`.
    pub region: String,
    /// The 12-digit account id that ARNs carry.
    pub account_id: String,
}

impl RequestContext {
    /// The context for a request whose `Authorization` header is `authorization`, falling
    /// back to `default_region` when the request is unsigned or the header unreadable.
    pub fn from_authorization(
        authorization: Option<&str>,
        default_region: &str,
        account_id: &str,
    ) -> Self {
        let region = authorization
            .and_then(signing_region)
            .unwrap_or(default_region)
            .to_owned();
        Self {
            region,
            account_id: account_id.to_owned(),
        }
    }
}

/// The region in a SigV4 header:
/// `AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/cognito-idp/aws4_request, ...`.
fn signing_region(header: &str) -> Option<&str> {
    let scope = header.split("Credential=").nth(1)?;
    let scope = scope.split([',', ' ']).next()?;
    let region = scope.split('/').nth(2)?;
    let valid = !region.is_empty()
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid.then_some(region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_region_from_the_credential_scope() {
        let h = "AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/cognito-idp/aws4_request, SignedHeaders=host, Signature=abc";
        let ctx = RequestContext::from_authorization(Some(h), "us-east-1", "000000000000");
        assert_eq!(ctx.region, "eu-west-1");
    }

    #[test]
    fn falls_back_to_the_default_region() {
        for h in [
            None,
            Some("Bearer x"),
            Some("AWS4-HMAC-SHA256 Credential=AKID"),
        ] {
            let ctx = RequestContext::from_authorization(h, "us-east-1", "000000000000");
            assert_eq!(ctx.region, "us-east-1");
        }
    }
}
