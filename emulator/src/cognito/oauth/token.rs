//! The token endpoint (`/oauth2/token`): the `authorization_code`, `refresh_token` and
//! `client_credentials` grants, with the client authenticated by HTTP Basic or in the
//! form body, and RFC 6749's errors.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::authorize::find_client;
use super::{OAuthError, PoolRef};
use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::ops::auth::page;
use crate::cognito::tokens::Grant;
use crate::cognito::triggers::events::{self, Origin};
use crate::cognito::triggers::{token_claims, Trigger};
use crate::cognito::Cognito;
use crate::generated::cognito::shapes::{AuthenticationResultType, OAuthFlowType};

/// The token request's form parameters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TokenParams {
    /// `authorization_code`, `refresh_token` or `client_credentials`.
    pub grant_type: Option<String>,
    /// The client, when it is not authenticated by HTTP Basic.
    pub client_id: Option<String>,
    /// The client's secret, likewise.
    pub client_secret: Option<String>,
    /// The authorization code.
    pub code: Option<String>,
    /// The authorization request's `redirect_uri`, repeated.
    pub redirect_uri: Option<String>,
    /// PKCE's verifier.
    pub code_verifier: Option<String>,
    /// For the `refresh_token` grant.
    pub refresh_token: Option<String>,
    /// For `client_credentials`: the scopes wanted (all the client's when absent).
    pub scope: Option<String>,
}

/// A client's credentials from an `Authorization: Basic` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicCredentials {
    /// The client id.
    pub id: String,
    /// The client secret.
    pub secret: String,
}

/// Answers a token request: the JSON body of a 200, or the error of a 400.
pub fn token(
    svc: &Cognito,
    site: Option<&PoolRef>,
    p: &TokenParams,
    basic: Option<&BasicCredentials>,
) -> Result<Value, OAuthError> {
    let (pool, client, secret) = authenticate(svc, site, p, basic)?;
    let grant_type = p
        .grant_type
        .as_deref()
        .ok_or_else(|| OAuthError::new("invalid_request", "grant_type is missing."))?;
    let result = match grant_type {
        "authorization_code" => exchange_code(svc, &pool, &client, p)?,
        "refresh_token" => {
            let token = p
                .refresh_token
                .as_deref()
                .ok_or_else(|| OAuthError::new("invalid_request", "refresh_token is missing."))?;
            page::refresh(svc, &pool.region, &client.id, token, secret.as_deref())
                .map_err(grant_error)?
        }
        "client_credentials" => return client_credentials(svc, &pool, &client, p),
        _ => {
            return Err(OAuthError::new(
                "unsupported_grant_type",
                "grant_type must be authorization_code, refresh_token or client_credentials.",
            ))
        }
    };
    let mut body = Map::new();
    if let Some(id) = result.id_token {
        body.insert("id_token".into(), json!(id));
    }
    body.insert("access_token".into(), json!(result.access_token));
    if let Some(refresh) = result.refresh_token {
        body.insert("refresh_token".into(), json!(refresh));
    }
    body.insert("expires_in".into(), json!(result.expires_in));
    body.insert("token_type".into(), json!("Bearer"));
    Ok(Value::Object(body))
}

/// Finds the client and checks its secret, sent by HTTP Basic or in the form (not both
/// with different ids). Gives back the secret that was checked.
fn authenticate(
    svc: &Cognito,
    site: Option<&PoolRef>,
    p: &TokenParams,
    basic: Option<&BasicCredentials>,
) -> Result<(PoolRef, AppClient, Option<String>), OAuthError> {
    let invalid = || OAuthError::new("invalid_client", "Client authentication failed.");
    let (client_id, secret) = match basic {
        Some(b) => {
            if p.client_id.as_deref().is_some_and(|id| id != b.id) {
                return Err(invalid());
            }
            (b.id.as_str(), Some(b.secret.clone()))
        }
        None => (
            p.client_id
                .as_deref()
                .ok_or_else(|| OAuthError::new("invalid_request", "client_id is missing."))?,
            p.client_secret.clone(),
        ),
    };
    let (pool, client) = find_client(svc, site, client_id).ok_or_else(invalid)?;
    if let Some(expected) = &client.secret {
        if secret.as_deref() != Some(expected.as_str()) {
            return Err(invalid());
        }
    }
    if !client.oauth_enabled() {
        return Err(OAuthError::new(
            "unauthorized_client",
            "The client is not allowed to use OAuth flows.",
        ));
    }
    Ok((pool, client, secret))
}

/// `authorization_code`: the code is used up whatever the outcome, as RFC 6749 advises.
fn exchange_code(
    svc: &Cognito,
    pool: &PoolRef,
    client: &AppClient,
    p: &TokenParams,
) -> Result<AuthenticationResultType, OAuthError> {
    let code = p
        .code
        .as_deref()
        .ok_or_else(|| OAuthError::new("invalid_request", "code is missing."))?;
    let invalid = || OAuthError::new("invalid_grant", "The code is invalid or expired.");
    let now = svc.now();
    let entry = svc
        .write(&pool.region, |state, _| Ok(state.take_code(code)))
        .map_err(grant_error)?
        .ok_or_else(invalid)?;
    if entry.expires <= now || entry.client_id != client.id || entry.grant.pool_id != pool.pool_id {
        return Err(invalid());
    }
    if p.redirect_uri.as_deref() != Some(entry.redirect_uri.as_str()) {
        return Err(OAuthError::new(
            "invalid_grant",
            "redirect_uri does not match the authorization request's.",
        ));
    }
    if let Some(challenge) = &entry.challenge {
        let verifier = p.code_verifier.as_deref().unwrap_or_default();
        if !challenge.accepts(verifier) {
            return Err(OAuthError::new(
                "invalid_grant",
                "code_verifier does not match the code_challenge.",
            ));
        }
    }
    issue(svc, &entry.grant).map_err(grant_error)
}

/// Signs a grant's tokens, as a sign-in through the API does (pre-token-generation
/// included).
pub fn issue(svc: &Cognito, grant: &Grant) -> CognitoResult<AuthenticationResultType> {
    crate::cognito::ops::auth::issue(svc, grant)
}

/// `client_credentials`: an access token for the client itself, with resource-server
/// scopes.
fn client_credentials(
    svc: &Cognito,
    pool: &PoolRef,
    client: &AppClient,
    p: &TokenParams,
) -> Result<Value, OAuthError> {
    if !client.allows_oauth_flow(&OAuthFlowType::ClientCredentials) {
        return Err(OAuthError::new(
            "unauthorized_client",
            "The client is not allowed the client_credentials grant.",
        ));
    }
    let allowed = client.oauth_scopes();
    let scopes: Vec<String> = match p.scope.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => s.split_whitespace().map(str::to_owned).collect(),
        None => allowed.to_vec(),
    };
    if scopes.is_empty() || scopes.iter().any(|s| !allowed.contains(s)) {
        return Err(OAuthError::new(
            "invalid_scope",
            "A requested scope is not allowed for the client.",
        ));
    }
    let keys = svc.pool_keys(&pool.pool_id).map_err(grant_error)?;
    let keys = keys
        .get()
        .ok_or_else(|| OAuthError::new("server_error", "no signing keys"))?;
    let now = svc.now().secs();
    let validity = client.access_validity_secs();
    let iss = svc.issuer(&pool.region, &pool.pool_id);
    let mut claims = Map::new();
    claims.insert("sub".into(), json!(client.id));
    claims.insert("token_use".into(), json!("access"));
    claims.insert("scope".into(), json!(scopes.join(" ")));
    claims.insert("auth_time".into(), json!(now));
    claims.insert("iss".into(), json!(iss));
    claims.insert("exp".into(), json!(now + validity));
    claims.insert("iat".into(), json!(now));
    claims.insert("version".into(), json!(2));
    claims.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    claims.insert("client_id".into(), json!(client.id));
    customize_machine_token(svc, pool, client, &scopes, &mut claims).map_err(grant_error)?;
    Ok(json!({
        "access_token": keys.access.sign(&claims),
        "expires_in": validity,
        "token_type": "Bearer",
    }))
}

/// Pre-token-generation for a machine's token: only a V3_0 trigger is told of
/// `client_credentials` tokens (`TokenGeneration_ClientCredentials`), as on AWS.
fn customize_machine_token(
    svc: &Cognito,
    pool: &PoolRef,
    client: &AppClient,
    scopes: &[String],
    claims: &mut Map<String, Value>,
) -> CognitoResult<()> {
    let is_v3 = svc.read(&pool.region, |state| {
        let config = state.pool(&pool.pool_id)?.settings.lambda_config.clone();
        Ok(crate::cognito::triggers::token_event_version(config.as_ref()) == "3")
    })?;
    if !is_v3 {
        return Ok(());
    }
    let returned = svc.fire(&pool.pool_id, Trigger::PreTokenGeneration, |p, version| {
        let origin = Origin::of(p, &client.id, Some(&client.id), "TokenGeneration_ClientCredentials");
        Ok(events::event(
            &origin,
            version,
            json!({"userAttributes": {}, "groupConfiguration": {"groupsToOverride": [], "iamRolesToOverride": [], "preferredRole": null}, "scopes": scopes, "clientMetadata": {}}),
            json!({"claimsAndScopeOverrideDetails": null}),
        ))
    })?;
    if let Some(returned) = returned {
        // A machine has no id token: only the access token's part applies.
        let mut no_id = Map::new();
        token_claims::apply(&returned, &mut no_id, claims);
    }
    Ok(())
}

/// The OAuth error for a failure behind a grant: a refused token or code is
/// `invalid_grant`; a refused flow `unauthorized_client`.
fn grant_error(e: CognitoError) -> OAuthError {
    match e {
        CognitoError::InvalidParameterException(m) if m.contains("not enabled") => {
            OAuthError::new("unauthorized_client", m)
        }
        CognitoError::NotAuthorizedException(m)
        | CognitoError::UserNotFoundException(m)
        | CognitoError::ResourceNotFoundException(m) => OAuthError::new("invalid_grant", m),
        CognitoError::UserLambdaValidationException(m) => OAuthError::new("invalid_request", m),
        other => OAuthError::new("server_error", other.to_string()),
    }
}
