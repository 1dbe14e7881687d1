//! CreateIdentityProvider, DescribeIdentityProvider, ListIdentityProviders,
//! UpdateIdentityProvider, DeleteIdentityProvider, GetIdentityProviderByIdentifier.
//!
//! Providers are kept as configured, for the app clients that name them and for the
//! OAuth endpoints to read: the emulator does not federate, fetch SAML metadata or
//! discover OIDC endpoints.

use std::collections::{BTreeMap, HashSet};

use super::paginate;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::oauth_setup::PoolOAuth;
use crate::cognito::Cognito;
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;

/// AWS's page size for provider listings, and the most it allows.
const PAGE: usize = 60;

/// The `ProviderDetails` keys a provider of type `kind` cannot do without, after AWS's
/// list of keys per type (the optional ones, and those OIDC discovery fills in, left out).
fn required_details(kind: &str) -> &'static [&'static str] {
    match kind {
        "Google" | "Facebook" | "LoginWithAmazon" => {
            &["client_id", "client_secret", "authorize_scopes"]
        }
        "SignInWithApple" => &[
            "client_id",
            "team_id",
            "key_id",
            "private_key",
            "authorize_scopes",
        ],
        "OIDC" => &["client_id", "authorize_scopes", "oidc_issuer"],
        _ => &[],
    }
}

/// Checks `details` for a provider of type `kind`.
fn check_details(kind: &str, details: &BTreeMap<String, String>) -> CognitoResult<()> {
    let given = |key: &str| details.get(key).is_some_and(|v| !v.trim().is_empty());
    if kind == "SAML" && !given("MetadataURL") && !given("MetadataFile") {
        return Err(CognitoError::InvalidParameterException(
            "ProviderDetails of a SAML provider must include MetadataURL or MetadataFile.".into(),
        ));
    }
    if let Some(missing) = required_details(kind).iter().find(|k| !given(k)) {
        return Err(CognitoError::InvalidParameterException(format!(
            "ProviderDetails of a {kind} provider must include {missing}."
        )));
    }
    Ok(())
}

/// Checks `identifiers` for provider `name`: no repeats, and none another of the pool's
/// providers already answers to (`GetIdentityProviderByIdentifier` must find one).
fn check_identifiers(oauth: &PoolOAuth, name: &str, identifiers: &[String]) -> CognitoResult<()> {
    let mut seen = HashSet::new();
    for identifier in identifiers {
        if !seen.insert(identifier) {
            return Err(CognitoError::InvalidParameterException(format!(
                "IdpIdentifiers lists {identifier} more than once."
            )));
        }
        if let Some(other) = oauth
            .provider_by_identifier(identifier)
            .and_then(|p| p.provider_name.as_deref())
            .filter(|other| *other != name)
        {
            return Err(CognitoError::DuplicateProviderException(format!(
                "The identifier {identifier} is already used by identity provider {other}."
            )));
        }
    }
    Ok(())
}

/// The provider's `ProviderDescription`, for listings.
fn summary(p: &IdentityProviderType) -> ProviderDescription {
    ProviderDescription {
        provider_name: p.provider_name.clone(),
        provider_type: p.provider_type.clone(),
        creation_date: p.creation_date,
        last_modified_date: p.last_modified_date,
    }
}

pub fn create_identity_provider(
    svc: &Cognito,
    ctx: &RequestContext,
    i: CreateIdentityProviderRequest,
) -> CognitoResult<CreateIdentityProviderResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let name = i.provider_name().to_owned();
        if pool.oauth.identity_providers.contains_key(&name) {
            return Err(CognitoError::DuplicateProviderException(format!(
                "A provider with the name {name} already exists in this user pool."
            )));
        }
        let kind = i
            .provider_type
            .as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default();
        let details = i.provider_details.clone().unwrap_or_default();
        check_details(&kind, &details)?;
        let identifiers = i.idp_identifiers.clone().unwrap_or_default();
        check_identifiers(&pool.oauth, &name, &identifiers)?;
        let provider = IdentityProviderType {
            user_pool_id: Some(pool.id.clone()),
            provider_name: Some(name.clone()),
            provider_type: i.provider_type.clone(),
            provider_details: Some(details),
            attribute_mapping: Some(i.attribute_mapping.clone().unwrap_or_default()),
            idp_identifiers: Some(identifiers),
            acr_mapping: i.acr_mapping.clone(),
            creation_date: Some(now),
            last_modified_date: Some(now),
        };
        pool.oauth.identity_providers.insert(name, provider.clone());
        Ok(CreateIdentityProviderResponse {
            identity_provider: Some(provider),
        })
    })
}

pub fn describe_identity_provider(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DescribeIdentityProviderRequest,
) -> CognitoResult<DescribeIdentityProviderResponse> {
    svc.read(&ctx.region, |state| {
        let provider = state
            .pool(i.user_pool_id())?
            .oauth
            .identity_providers
            .get(i.provider_name())
            .cloned()
            .ok_or_else(|| CognitoError::provider_not_found(i.provider_name()))?;
        Ok(DescribeIdentityProviderResponse {
            identity_provider: Some(provider),
        })
    })
}

pub fn list_identity_providers(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ListIdentityProvidersRequest,
) -> CognitoResult<ListIdentityProvidersResponse> {
    let providers = svc.read(&ctx.region, |state| {
        Ok(state
            .pool(i.user_pool_id())?
            .oauth
            .identity_providers
            .values()
            .map(summary)
            .collect::<Vec<_>>())
    })?;
    let (page, next) = paginate(&providers, i.next_token.as_deref(), i.max_results, PAGE)?;
    Ok(ListIdentityProvidersResponse {
        providers: Some(page),
        next_token: next,
    })
}

pub fn update_identity_provider(
    svc: &Cognito,
    ctx: &RequestContext,
    i: UpdateIdentityProviderRequest,
) -> CognitoResult<UpdateIdentityProviderResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let name = i.provider_name();
        let mut provider = pool
            .oauth
            .identity_providers
            .get(name)
            .cloned()
            .ok_or_else(|| CognitoError::provider_not_found(name))?;
        // An update changes what it names and keeps the rest: AWS documents each member
        // as optional, the provider's type cannot change, and its details are the
        // provider's credentials, which a partial update must not lose.
        if let Some(details) = &i.provider_details {
            let kind = provider
                .provider_type
                .as_ref()
                .map(|t| t.as_str().to_owned())
                .unwrap_or_default();
            check_details(&kind, details)?;
            provider.provider_details = Some(details.clone());
        }
        if let Some(identifiers) = &i.idp_identifiers {
            check_identifiers(&pool.oauth, name, identifiers)?;
            provider.idp_identifiers = Some(identifiers.clone());
        }
        if let Some(mapping) = &i.attribute_mapping {
            provider.attribute_mapping = Some(mapping.clone());
        }
        if let Some(acr) = &i.acr_mapping {
            provider.acr_mapping = Some(acr.clone());
        }
        provider.last_modified_date = Some(now);
        pool.oauth
            .identity_providers
            .insert(name.to_owned(), provider.clone());
        Ok(UpdateIdentityProviderResponse {
            identity_provider: Some(provider),
        })
    })
}

pub fn delete_identity_provider(
    svc: &Cognito,
    ctx: &RequestContext,
    i: DeleteIdentityProviderRequest,
) -> CognitoResult<()> {
    svc.write(&ctx.region, |state, _| {
        // Clients that name the provider keep it in their list, as on AWS: their next
        // update must drop it.
        state
            .pool_mut(i.user_pool_id())?
            .oauth
            .identity_providers
            .remove(i.provider_name())
            .map(|_| ())
            .ok_or_else(|| CognitoError::provider_not_found(i.provider_name()))
    })
}

pub fn get_identity_provider_by_identifier(
    svc: &Cognito,
    ctx: &RequestContext,
    i: GetIdentityProviderByIdentifierRequest,
) -> CognitoResult<GetIdentityProviderByIdentifierResponse> {
    svc.read(&ctx.region, |state| {
        let provider = state
            .pool(i.user_pool_id())?
            .oauth
            .provider_by_identifier(i.idp_identifier())
            .cloned()
            .ok_or_else(|| {
                CognitoError::ResourceNotFoundException(format!(
                    "No identity provider has the identifier {}.",
                    i.idp_identifier()
                ))
            })?;
        Ok(GetIdentityProviderByIdentifierResponse {
            identity_provider: Some(provider),
        })
    })
}
