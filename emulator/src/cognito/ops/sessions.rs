//! What a signed-in user does with an access token or a mailed code: ForgotPassword,
//! ConfirmForgotPassword, ChangePassword, GlobalSignOut, AdminUserGlobalSignOut and
//! RevokeToken. Also the access-token check that GetUser and DeleteUser share.

use serde::Deserialize;
use serde_json::{json, Value};

use super::support::verification_mail;
use crate::cognito::codes::{self, RESET_CODE_TTL_MS};
use crate::cognito::delivery::{email_delivery, simulated_delivery};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::input::parse;
use crate::cognito::user::{PasswordHash, UserStatus};
use crate::cognito::{issuer, password, Cognito};
use crate::context::RequestContext;

/// Checks an access token: signature by its pool's access key, `token_use`, expiry by
/// the emulator's clock, and that its sign-in session is still live. Returns the pool id
/// and the stored username.
pub fn authenticate(svc: &Cognito, token: &str) -> CognitoResult<(String, String)> {
    let invalid = || CognitoError::NotAuthorizedException("Invalid Access Token".into());
    // The pool is named by the token's issuer; reading it before verification only
    // picks which key to verify with.
    let claims: serde_json::Map<String, Value> = token
        .split('.')
        .nth(1)
        .and_then(|p| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p)
                .ok()
        })
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(invalid)?;
    let iss = claims
        .get("iss")
        .and_then(Value::as_str)
        .ok_or_else(invalid)?;
    let pool_id = iss.rsplit('/').next().unwrap_or_default().to_owned();
    let region = svc.pool_region(&pool_id).map_err(|_| invalid())?;
    let keys = svc.pool_keys(&pool_id).map_err(|_| invalid())?;
    let keys = keys.get().ok_or_else(invalid)?;
    let claims = keys
        .access
        .verify(token, &issuer(&region, &pool_id))
        .ok_or_else(invalid)?;
    if claims.get("token_use").and_then(Value::as_str) != Some("access") {
        return Err(invalid());
    }
    if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) < svc.clock().now_secs() {
        return Err(CognitoError::NotAuthorizedException(
            "Access Token has expired".into(),
        ));
    }
    let username = claims
        .get("username")
        .and_then(Value::as_str)
        .ok_or_else(invalid)?;
    let origin = claims
        .get("origin_jti")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let state = svc.state();
    let user = state
        .pool(&pool_id)?
        .users
        .get(username)
        .ok_or_else(CognitoError::user_not_found)?;
    if !user.sessions.contains(origin) {
        return Err(CognitoError::NotAuthorizedException(
            "Access Token has been revoked".into(),
        ));
    }
    Ok((pool_id, username.to_owned()))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ForgotInput {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
}

pub fn forgot_password(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: ForgotInput = parse(input)?;
    let now_ms = svc.clock().now_millis();
    let mut state = svc.state();
    let (pool, hides) =
        state.client_pool_mut(&i.client_id, &i.username, i.secret_hash.as_deref())?;
    let pool_id = pool.id.clone();
    let Some(key) = pool.find_username(&i.username) else {
        if hides {
            return Ok(simulated_delivery(&i.username));
        }
        return Err(CognitoError::UserNotFoundException(
            "Username/client id combination not found.".into(),
        ));
    };
    let user = pool
        .users
        .get_mut(&key)
        .ok_or_else(CognitoError::user_not_found)?;
    let email = match user.attribute("email") {
        Some(e) if user.email_verified() => e.to_owned(),
        _ => {
            return Err(CognitoError::InvalidParameterException(
                "Cannot reset password for the user as there is no registered/verified email or phone_number".into(),
            ))
        }
    };
    if !user.enabled {
        return Err(CognitoError::NotAuthorizedException(
            "User is disabled.".into(),
        ));
    }
    let code = user.reset_code.issue(now_ms, RESET_CODE_TTL_MS);
    let pool = state.pool(&pool_id)?;
    let mail = verification_mail(pool, &email, &code, &i.username, now_ms / 1000);
    drop(state);
    svc.send_mail(mail);
    Ok(json!({ "CodeDeliveryDetails": email_delivery(&email) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ConfirmForgotInput {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
    confirmation_code: String,
    password: String,
}

pub fn confirm_forgot_password(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let i: ConfirmForgotInput = parse(input)?;
    let now_ms = svc.clock().now_millis();
    let mut state = svc.state();
    let (pool, hides) =
        state.client_pool_mut(&i.client_id, &i.username, i.secret_hash.as_deref())?;
    password::check(&i.password, "password", &pool.password_policy())?;
    let Some(user) = pool.user_mut(&i.username) else {
        return Err(if hides {
            codes::mismatch()
        } else {
            CognitoError::UserNotFoundException("Username/client id combination not found.".into())
        });
    };
    if !user.reset_code.is_pending() {
        return Err(codes::mismatch());
    }
    user.reset_code.check(&i.confirmation_code, now_ms)?;
    user.password = PasswordHash::new(&i.password);
    user.failed_logins = 0;
    user.locked_until = 0;
    if matches!(
        user.status,
        UserStatus::ResetRequired | UserStatus::ForceChangePassword
    ) {
        user.status = UserStatus::Confirmed;
        user.temporary_password_expires = None;
    }
    user.modified = now_ms as f64 / 1000.0;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ChangeInput {
    previous_password: Option<String>,
    proposed_password: String,
    access_token: String,
}

pub fn change_password(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: ChangeInput = parse(input)?;
    let (pool_id, username) = authenticate(svc, &i.access_token)?;
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let pool = state.pool_mut(&pool_id)?;
    let policy = pool.password_policy();
    let user = pool
        .users
        .get_mut(&username)
        .ok_or_else(CognitoError::user_not_found)?;
    let previous = i.previous_password.as_deref().unwrap_or_default();
    if !user.password.matches(previous) {
        return Err(CognitoError::bad_credentials());
    }
    password::check(&i.proposed_password, "proposedPassword", &policy)?;
    user.password = PasswordHash::new(&i.proposed_password);
    user.modified = now;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SignOutInput {
    access_token: String,
}

pub fn global_sign_out(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: SignOutInput = parse(input)?;
    let (pool_id, username) = authenticate(svc, &i.access_token)?;
    let mut state = svc.state();
    if let Some(user) = state.pool_mut(&pool_id)?.users.get_mut(&username) {
        user.sessions.clear();
    }
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AdminSignOutInput {
    user_pool_id: String,
    username: String,
}

pub fn admin_user_global_sign_out(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let i: AdminSignOutInput = parse(input)?;
    let mut state = svc.state();
    let user = state
        .pool_mut(&i.user_pool_id)?
        .user_mut(&i.username)
        .ok_or_else(CognitoError::user_not_found)?;
    user.sessions.clear();
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RevokeInput {
    token: String,
    client_id: String,
    client_secret: Option<String>,
}

pub fn revoke_token(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: RevokeInput = parse(input)?;
    let mut state = svc.state();
    let pool_id = state.pool_of_client(&i.client_id)?;
    let client = state.pool(&pool_id)?.client(&i.client_id)?.clone();
    if let Some(secret) = &client.secret {
        if i.client_secret.as_deref() != Some(secret.as_str()) {
            return Err(CognitoError::NotAuthorizedException(format!(
                "Unable to verify secret for client {}",
                client.id
            )));
        }
    }
    if !client.revocation_enabled() {
        return Err(CognitoError::UnsupportedOperationException(
            "Token revocation is not enabled for this client.".into(),
        ));
    }
    let invalid = || CognitoError::NotAuthorizedException("Invalid Refresh Token".into());
    let claims = svc.sealer().open(&i.token).ok_or_else(invalid)?;
    let field = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default();
    if field("client") != i.client_id {
        return Err(invalid());
    }
    if let Ok(pool) = state.pool_mut(field("pool")) {
        if let Some(user) = pool.users.get_mut(field("username")) {
            user.sessions.remove(field("origin_jti"));
        }
    }
    Ok(json!({}))
}
