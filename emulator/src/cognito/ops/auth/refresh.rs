//! `REFRESH_TOKEN_AUTH` (and its older name `REFRESH_TOKEN`): new id and access tokens
//! for a sign-in session that is still live.

use serde_json::Value;

use super::{param, Outcome, Params};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::store::RegionState;
use crate::cognito::tokens::Grant;
use crate::cognito::{secret_hash, Cognito};
use crate::shape::Timestamp;

/// REFRESH_TOKEN_AUTH: new id and access tokens for a live session.
pub(super) fn refresh(
    svc: &Cognito,
    state: &mut RegionState,
    pool_id: Option<&str>,
    client_id: &str,
    params: &Params,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let token = param(params, "REFRESH_TOKEN")?;
    let invalid = || CognitoError::NotAuthorizedException("Invalid Refresh Token".into());
    let claims = svc.sealer().open(token).ok_or_else(invalid)?;
    let field = |k: &str| {
        claims
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (token_pool, token_client, username, origin_jti) = (
        field("pool"),
        field("client"),
        field("username"),
        field("origin_jti"),
    );
    if token_client != client_id || pool_id.is_some_and(|p| p != token_pool) {
        return Err(invalid());
    }
    if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) < now.secs() {
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
    let user = pool.stored_user(&username).ok_or_else(invalid)?;
    if client.secret.is_some() {
        let sent = params.get("SECRET_HASH").map(String::as_str);
        // Clients may hash either the stored username or the sub.
        secret_hash::check(&client, &user.username, sent)
            .or_else(|_| secret_hash::check(&client, &user.sub, sent))?;
    }
    if !user.sessions.contains(&origin_jti) {
        return Err(CognitoError::NotAuthorizedException(
            "Refresh Token has been revoked".into(),
        ));
    }
    if !user.enabled {
        return Err(CognitoError::NotAuthorizedException(
            "User is disabled.".into(),
        ));
    }
    Ok(Outcome::Tokens(Grant {
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
        refresh_validity: None,
        context: pool.claim_context(&user.username, &client),
    }))
}
