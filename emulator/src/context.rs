//! Who a request is for: the region and account it is served in, and the address the
//! client reached the emulator at. Clients sign requests with SigV4, whose credential
//! scope names the region; the emulator serves that region, so one emulator can hold
//! pools in several regions as AWS does.

/// The endpoint assumed when a request does not say how it reached the emulator.
pub const DEFAULT_ENDPOINT: &str = "http://localhost:4566";

/// The region and account a request is served in, and the emulator's endpoint as the
/// client reached it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// The AWS region, e.g. `us-east-1`.
    pub region: String,
    /// The 12-digit account id that ARNs carry.
    pub account_id: String,
    /// `http://HOST[:PORT]` as the client reached the emulator: links in mail (SES's
    /// verification link) point there.
    pub endpoint: String,
}

impl RequestContext {
    /// A request served in `region` for `account_id`, at the default endpoint.
    pub fn new(region: impl Into<String>, account_id: impl Into<String>) -> Self {
        Self {
            region: region.into(),
            account_id: account_id.into(),
            endpoint: DEFAULT_ENDPOINT.to_owned(),
        }
    }

    /// The same request, reached at `endpoint`.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

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
        Self::new(region, account_id)
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
