//! What a signed-in user does with an access token or a mailed code: ForgotPassword,
//! ConfirmForgotPassword, ChangePassword, GlobalSignOut, AdminUserGlobalSignOut and
//! RevokeToken. Also the access-token check that GetUser and DeleteUser share.

use serde_json::Value;

use super::support::{post_confirmation, verification_mail};
use crate::cognito::codes::{self, RESET_CODE_TTL};
use crate::cognito::delivery::email_delivery;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::triggers::events;
use crate::cognito::{password, region_of_pool, Cognito};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;
use crate::shape::Timestamp;

/// Checks an access token: signature by its pool's access key, `token_use`, expiry by
/// the emulator's clock, and that its sign-in session is still live. Returns the pool id
/// and the stored username.
pub fn authenticate(svc: &Cognito, region: &str, token: &str) -> CognitoResult<(String, String)> {
    let caller = caller(svc, region, token)?;
    Ok((caller.pool_id, caller.username))
}

/// Who presents a valid access token.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The pool.
    pub pool_id: String,
    /// The stored username.
    pub username: String,
    /// The app client the token was issued through.
    pub client_id: String,
    /// The token's `scope`.
    pub scopes: Vec<String>,
}

/// Checks an access token as [`authenticate`] does, and tells the client it came through
/// as well (whose `WriteAttributes` then bound what the user may change). The API takes
/// only tokens with the `aws.cognito.signin.user.admin` scope: every sign-in through the
/// API has it, tokens from the OAuth endpoints only when the app asked for it.
pub fn caller(svc: &Cognito, region: &str, token: &str) -> CognitoResult<Caller> {
    let caller = token_holder(svc, region, token)?;
    if !caller
        .scopes
        .iter()
        .any(|s| s == "aws.cognito.signin.user.admin")
    {
        return Err(CognitoError::NotAuthorizedException(
            "Access Token does not have required scopes".into(),
        ));
    }
    Ok(caller)
}

/// Checks a user's access token, whatever its scopes: signature, expiry, live session.
pub fn token_holder(svc: &Cognito, region: &str, token: &str) -> CognitoResult<Caller> {
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
    // A pool's id names its region; a token from another region's pool is not ours.
    if region_of_pool(&pool_id) != region {
        return Err(invalid());
    }
    let keys = svc.pool_keys(&pool_id).map_err(|_| invalid())?;
    let keys = keys.get().ok_or_else(invalid)?;
    let claims = keys
        .access
        .verify(token, &svc.issuer(region, &pool_id))
        .ok_or_else(invalid)?;
    if claims.get("token_use").and_then(Value::as_str) != Some("access") {
        return Err(invalid());
    }
    if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) < svc.now().secs() {
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
    svc.read(region, |state| {
        let user = state
            .pool(&pool_id)?
            .stored_user(username)
            .ok_or_else(CognitoError::user_not_found)?;
        if !user.sessions.contains(origin) {
            return Err(CognitoError::NotAuthorizedException(
                "Access Token has been revoked".into(),
            ));
        }
        Ok(())
    })?;
    let client_id = claims
        .get("client_id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let scopes = claims
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    Ok(Caller {
        pool_id,
        username: username.to_owned(),
        client_id,
        scopes,
    })
}

pub fn forgot_password(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ForgotPasswordRequest,
) -> CognitoResult<ForgotPasswordResponse> {
    let now = svc.now();
    super::migration::migrate_if_unknown(
        svc,
        &ctx.region,
        None,
        i.client_id(),
        i.username(),
        super::migration::Occasion::ForgotPassword,
    )?;
    svc.write(&ctx.region, |state, effects| {
        let (pool, hides) =
            state.client_pool_mut(i.client_id(), i.username(), i.secret_hash.as_deref())?;
        // A pool whose passwords only an administrator resets refuses before it looks
        // at the user.
        if pool.recovery_is_admin_only() {
            return Err(CognitoError::NotAuthorizedException(
                "Contact administrator to reset password.".into(),
            ));
        }
        let Some(key) = pool.find_username(i.username()) else {
            if hides {
                // A client that hides whether users exist answers as if a code went out.
                return Ok(ForgotPasswordResponse {
                    code_delivery_details: Some(email_delivery(i.username())),
                });
            }
            return Err(CognitoError::UserNotFoundException(
                "Username/client id combination not found.".into(),
            ));
        };
        let user = pool
            .stored_user(&key)
            .ok_or_else(CognitoError::user_not_found)?;
        let email = match user.attribute("email") {
            Some(e) if user.email_verified() => e.to_owned(),
            _ => return Err(CognitoError::InvalidParameterException(
                "Cannot reset password for the user as there is no registered/verified email or phone_number".into(),
            )),
        };
        if !user.enabled {
            return Err(CognitoError::NotAuthorizedException(
                "User is disabled.".into(),
            ));
        }
        let code = pool
            .edit_user(&key, |user| user.reset_code.issue(now, RESET_CODE_TTL))
            .ok_or_else(CognitoError::user_not_found)?;
        effects.message(verification_mail(
            pool,
            "CustomMessage_ForgotPassword",
            &email,
            &code,
            i.username(),
            now,
        ));
        Ok(ForgotPasswordResponse {
            code_delivery_details: Some(email_delivery(&email)),
        })
    })
}

pub fn confirm_forgot_password(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ConfirmForgotPasswordRequest,
) -> CognitoResult<ConfirmForgotPasswordResponse> {
    let now = svc.now();
    let (pool_id, key) = svc.write(&ctx.region, |state, _| {
        let (pool, hides) =
            state.client_pool_mut(i.client_id(), i.username(), i.secret_hash.as_deref())?;
        password::check(i.password(), &pool.password_policy())?;
        let Some(key) = pool.find_username(i.username()) else {
            return Err(if hides {
                codes::mismatch()
            } else {
                CognitoError::UserNotFoundException(
                    "Username/client id combination not found.".into(),
                )
            });
        };
        let pool_id = pool.id.clone();
        pool.edit_user(&key, |user| {
            if !user.reset_code.is_pending() {
                return Err(codes::mismatch());
            }
            user.reset_code.check(i.confirmation_code(), now)?;
            user.set_password(&pool_id, i.password());
            user.failed_logins = 0;
            user.locked_until = Timestamp::default();
            if matches!(
                user.status,
                UserStatusType::ResetRequired | UserStatusType::ForceChangePassword
            ) {
                user.status = UserStatusType::Confirmed;
                user.temporary_password_expires = None;
            }
            user.modified = now;
            Ok(())
        })
        .ok_or_else(CognitoError::user_not_found)??;
        Ok((pool_id, key))
    })?;
    post_confirmation(
        svc,
        &pool_id,
        &key,
        i.client_id(),
        "PostConfirmation_ConfirmForgotPassword",
        events::client_metadata(i.client_metadata.as_ref()),
    )?;
    Ok(ConfirmForgotPasswordResponse {})
}

pub fn change_password(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ChangePasswordRequest,
) -> CognitoResult<ChangePasswordResponse> {
    let (pool_id, username) = authenticate(svc, &ctx.region, i.access_token())?;
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(&pool_id)?;
        let policy = pool.password_policy();
        pool.edit_user(&username, |user| {
            let previous = i.previous_password.as_deref().unwrap_or_default();
            if !user.password.matches(previous) {
                return Err(CognitoError::bad_credentials());
            }
            password::check(i.proposed_password(), &policy)?;
            user.set_password(&pool_id, i.proposed_password());
            user.modified = now;
            Ok(ChangePasswordResponse {})
        })
        .ok_or_else(CognitoError::user_not_found)?
    })
}

/// Ends every sign-in session of the user stored as `username`.
fn sign_out_everywhere(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    name: &str,
) -> CognitoResult<()> {
    svc.write(region, |state, _| {
        let pool = state.pool_mut(pool_id)?;
        let key = pool
            .find_username(name)
            .ok_or_else(CognitoError::user_not_found)?;
        pool.edit_user(&key, |user| user.sessions.clear())
            .ok_or_else(CognitoError::user_not_found)
    })
}

pub fn global_sign_out(
    svc: &Cognito,
    ctx: &RequestContext,
    i: GlobalSignOutRequest,
) -> CognitoResult<GlobalSignOutResponse> {
    let (pool_id, username) = authenticate(svc, &ctx.region, i.access_token())?;
    sign_out_everywhere(svc, &ctx.region, &pool_id, &username)?;
    Ok(GlobalSignOutResponse {})
}

pub fn admin_user_global_sign_out(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminUserGlobalSignOutRequest,
) -> CognitoResult<AdminUserGlobalSignOutResponse> {
    sign_out_everywhere(svc, &ctx.region, i.user_pool_id(), i.username())?;
    Ok(AdminUserGlobalSignOutResponse {})
}

pub fn revoke_token(
    svc: &Cognito,
    ctx: &RequestContext,
    i: RevokeTokenRequest,
) -> CognitoResult<RevokeTokenResponse> {
    let invalid = || CognitoError::NotAuthorizedException("Invalid Refresh Token".into());
    svc.write(&ctx.region, |state, _| {
        let pool_id = state.pool_of_client(i.client_id())?;
        let client = state.pool(&pool_id)?.client(i.client_id())?.clone();
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
        let claims = svc.sealer().open(i.token()).ok_or_else(invalid)?;
        let field = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default();
        if field("client") != i.client_id() {
            return Err(invalid());
        }
        if let Ok(pool) = state.pool_mut(field("pool")) {
            pool.edit_user(field("username"), |user| {
                user.sessions.remove(field("origin_jti"));
            });
        }
        Ok(RevokeTokenResponse {})
    })
}
