//! `REFRESH_TOKEN_AUTH` (and its older name `REFRESH_TOKEN`): new id and access tokens
//! for a sign-in session that is still live.

use serde_json::Value;

use super::Outcome;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::store::RegionState;
use crate::cognito::tokens::Grant;
use crate::cognito::{secret_hash, Cognito};
use crate::shape::Timestamp;

/// How a client with a secret proves it holds it when refreshing.
pub(super) enum ClientProof<'a> {
    /// `SECRET_HASH`, in `REFRESH_TOKEN_AUTH`'s parameters.
    SecretHash(Option<&'a str>),
    /// The secret itself, as `GetTokensFromRefreshToken` takes it.
    Secret(Option<&'a str>),
}

/// Which operation refreshes: `InitiateAuth`'s `REFRESH_TOKEN_AUTH`, which never rotates
/// the refresh token, or `GetTokensFromRefreshToken`, which rotates it where the client
/// says so.
#[derive(PartialEq, Eq)]
pub(super) enum Via {
    InitiateAuth,
    GetTokens,
}

/// A refresh, as either operation asks for it.
pub(super) struct Refresh<'a> {
    /// The pool the caller names, if it names one.
    pub pool_id: Option<&'a str>,
    /// The client.
    pub client_id: &'a str,
    /// The refresh token.
    pub token: &'a str,
    /// The client's proof of its secret.
    pub proof: ClientProof<'a>,
    /// Which operation asks.
    pub via: Via,
}

/// New id and access tokens for a live session; with rotation, a new refresh token
/// too, and the one sent stops working after the client's grace period.
pub(super) fn refresh(
    svc: &Cognito,
    state: &mut RegionState,
    r: Refresh<'_>,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let Refresh {
        pool_id,
        client_id,
        token,
        proof,
        via,
    } = r;
    let invalid = || CognitoError::NotAuthorizedException("Invalid Refresh Token".into());
    let claims = svc.sealer().open(token).ok_or_else(invalid)?;
    let field = |k: &str| {
        claims
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (token_pool, token_client, username, origin_jti, token_id) = (
        field("pool"),
        field("client"),
        field("username"),
        field("origin_jti"),
        field("jti"),
    );
    if token_client != client_id || pool_id.is_some_and(|p| p != token_pool) {
        return Err(invalid());
    }
    let expires = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    if expires < now.secs() {
        return Err(CognitoError::NotAuthorizedException(
            "Refresh Token has expired".into(),
        ));
    }
    let pool = state.pool_mut(&token_pool).map_err(|_| invalid())?;
    let client = pool.client(client_id)?.clone();
    if !client.allows_refresh() {
        return Err(CognitoError::InvalidParameterException(
            "Refresh Token Flow not enabled for this client".into(),
        ));
    }
    let rotate = client.rotates_refresh_tokens();
    if rotate && via == Via::InitiateAuth {
        return Err(CognitoError::InvalidParameterException(
            "Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken.".into(),
        ));
    }
    let user = pool.stored_user(&username).ok_or_else(invalid)?;
    match proof {
        ClientProof::SecretHash(sent) if client.secret.is_some() => {
            // Clients may hash either the stored username or the sub.
            secret_hash::check(&client, &user.username, sent)
                .or_else(|_| secret_hash::check(&client, &user.sub, sent))?;
        }
        ClientProof::Secret(sent) => {
            if let Some(secret) = &client.secret {
                if sent != Some(secret.as_str()) {
                    return Err(CognitoError::NotAuthorizedException(format!(
                        "Unable to verify secret for client {}",
                        client.id
                    )));
                }
            }
        }
        ClientProof::SecretHash(_) => {}
    }
    if !user.sessions.contains(&origin_jti) {
        return Err(CognitoError::NotAuthorizedException(
            "Refresh Token has been revoked".into(),
        ));
    }
    if user
        .retired_refresh
        .get(&token_id)
        .is_some_and(|(until, _)| *until < now)
    {
        return Err(invalid());
    }
    if !user.enabled {
        return Err(CognitoError::NotAuthorizedException(
            "User is disabled.".into(),
        ));
    }
    let grant = Grant {
        pool_id: pool.id.clone(),
        region: pool.region.clone(),
        client_id: client.id.clone(),
        username: user.username.clone(),
        sub: user.sub.clone(),
        attributes: user.attributes.clone(),
        auth_time: claims
            .get("auth_time")
            .and_then(Value::as_i64)
            .unwrap_or(now.secs()),
        origin_jti,
        id_validity: client.id_validity_secs(),
        access_validity: client.access_validity_secs(),
        refresh_validity: rotate.then(|| client.refresh_validity_secs()),
        source: "TokenGeneration_RefreshTokens",
        context: pool.claim_context(&user.username, &client),
        scopes: claims
            .get("scope")
            .and_then(|s| serde_json::from_value::<Vec<String>>(s.clone()).ok()),
        nonce: None,
    };
    if rotate && !token_id.is_empty() {
        let grace = client.refresh_retry_grace_secs();
        let key = user.username.clone();
        pool.edit_user(&key, |user| {
            // Retired tokens are remembered until they would have expired anyway.
            user.retired_refresh
                .retain(|_, (_, exp)| *exp >= now.secs());
            user.retired_refresh
                .entry(token_id)
                .or_insert((now.plus(std::time::Duration::from_secs(grace)), expires));
        });
    }
    Ok(Outcome::Tokens(grant))
}
