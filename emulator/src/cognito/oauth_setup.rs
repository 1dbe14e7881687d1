//! A pool's OAuth 2.0 set-up: its domain, its resource servers (the custom scopes a
//! client may be granted) and its identity providers (kept as configured; the emulator
//! does not federate). The control-plane operations edit it; the OAuth endpoints read it.

use std::collections::BTreeMap;

use crate::generated::cognito::shapes::*;

/// The scopes every pool knows, besides its resource servers' `identifier/name` ones.
pub const STANDARD_SCOPES: &[&str] = &[
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// What a pool has for OAuth 2.0.
#[derive(Debug, Default, Clone)]
pub struct PoolOAuth {
    /// The pool's domain, as `DescribeUserPoolDomain` shows it.
    pub domain: Option<DomainDescriptionType>,
    /// Resource servers by identifier.
    pub resource_servers: BTreeMap<String, ResourceServerType>,
    /// Identity providers by name.
    pub identity_providers: BTreeMap<String, IdentityProviderType>,
}

impl PoolOAuth {
    /// Whether `scope` exists in the pool: a standard scope, or `identifier/name` of one
    /// of its resource servers.
    pub fn scope_exists(&self, scope: &str) -> bool {
        if STANDARD_SCOPES.contains(&scope) {
            return true;
        }
        let Some((server, name)) = scope.rsplit_once('/') else {
            return false;
        };
        self.resource_servers.get(server).is_some_and(|s| {
            s.scopes
                .iter()
                .flatten()
                .any(|sc| sc.scope_name.as_deref() == Some(name))
        })
    }

    /// The domain's name (a prefix, or a custom domain's full name), once there is one.
    pub fn domain_name(&self) -> Option<&str> {
        self.domain.as_ref().and_then(|d| d.domain.as_deref())
    }
}
