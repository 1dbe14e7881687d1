//! OAuth 2.0 and OpenID Connect on a pool's domain: the authorization endpoint and the
//! managed login page's sign-in (`authorize.rs`), the codes it hands out (`codes.rs`),
//! the token endpoint's grants (`token.rs`), `userInfo` (`userinfo.rs`), and the values
//! the page signs so that a browser can carry them (`seal.rs`).
//!
//! Nothing here sees HTTP: the HTTP front (`crate::http::oauth`, `login_page`) parses
//! requests into these types and renders what they decide.

pub mod authorize;
pub mod codes;
pub mod login;
pub mod seal;
pub mod token;
pub mod userinfo;

use serde_json::json;

/// An OAuth 2.0 error (RFC 6749 §5.2): the `error` code and a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unauthorized_client`,
    /// `unsupported_grant_type`, `invalid_scope`, ...
    pub error: &'static str,
    /// What was wrong, for people.
    pub description: String,
}

impl OAuthError {
    /// An error with code `error`.
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            error,
            description: description.into(),
        }
    }

    /// The JSON body the token endpoint answers with. AWS sends `error` (and at
    /// times `error_description`); clients read `error`.
    pub fn body(&self) -> serde_json::Value {
        json!({"error": self.error, "error_description": self.description})
    }
}

/// Where a pool's OAuth endpoints are reached: its region and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolRef {
    /// The pool's region.
    pub region: String,
    /// The pool's id.
    pub pool_id: String,
}
