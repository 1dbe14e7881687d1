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
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
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

impl PoolOAuth {
    /// The pool's prefix domain (`UserPoolType.Domain`): its domain, unless custom.
    pub fn prefix_domain(&self) -> Option<&str> {
        self.domain
            .as_ref()
            .filter(|d| d.custom_domain_config.is_none())
            .and_then(|d| d.domain.as_deref())
    }

    /// The pool's custom domain (`UserPoolType.CustomDomain`): its domain, when it has a
    /// certificate.
    pub fn custom_domain(&self) -> Option<&str> {
        self.domain
            .as_ref()
            .filter(|d| d.custom_domain_config.is_some())
            .and_then(|d| d.domain.as_deref())
    }

    /// The identity provider whose `IdpIdentifiers` include `identifier`.
    pub fn provider_by_identifier(&self, identifier: &str) -> Option<&IdentityProviderType> {
        self.identity_providers
            .values()
            .find(|p| p.idp_identifiers.iter().flatten().any(|i| i == identifier))
    }

    /// Whether app clients may name `provider` in `SupportedIdentityProviders`: Cognito's
    /// own user directory, or one of the pool's identity providers.
    pub fn provider_exists(&self, provider: &str) -> bool {
        provider == "COGNITO" || self.identity_providers.contains_key(provider)
    }
}
