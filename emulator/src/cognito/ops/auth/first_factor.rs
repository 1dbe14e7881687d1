//! What every sign-in with a password shares, whether the password is sent as is or
//! proven by SRP: the lockout after wrong passwords, the refusal of disabled users, and
//! what the user's state asks for once the password is proven.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{Map, Value};

use super::{new_session, new_session_id, session_expiry, Outcome};
use crate::cognito::challenge::{Challenge, ChallengeSubject};
use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::UserPool;
use crate::cognito::store::RegionState;
use crate::cognito::user::User;
use crate::generated::cognito::shapes::{ChallengeNameType, UserStatusType};
use crate::shape::Timestamp;

/// Wrong passwords allowed before sign-in is locked for a while.
const MAX_FAILED_LOGINS: u32 = 5;

fn attempts_exceeded() -> CognitoError {
    CognitoError::NotAuthorizedException("Password attempts exceeded".into())
}

/// Checks what the client sent for the user stored as `key`: `proves` says whether it
/// proves the password. Wrong answers count towards AWS's lockout, which the password
/// and SRP flows share; a disabled user is refused once the password is right.
pub(super) fn check(
    pool: &mut UserPool,
    key: &str,
    now: Timestamp,
    proves: impl FnOnce(&User) -> bool,
) -> CognitoResult<()> {
    pool.edit_user(key, |user| {
        if user.locked_until > now {
            return Err(attempts_exceeded());
        }
        if !proves(user) {
            user.failed_logins += 1;
            if user.failed_logins >= MAX_FAILED_LOGINS {
                // AWS locks sign-in for a time that doubles with each further failure.
                let exponent = (user.failed_logins - MAX_FAILED_LOGINS).min(10);
                let lock = (1000_u64 << exponent).min(15 * 60 * 1000);
                user.locked_until = now.plus(Duration::from_millis(lock));
                return Err(attempts_exceeded());
            }
            return Err(CognitoError::bad_credentials());
        }
        if !user.enabled {
            return Err(CognitoError::NotAuthorizedException(
                "User is disabled.".into(),
            ));
        }
        Ok(())
    })
    .ok_or_else(CognitoError::user_not_found)?
}

/// What follows a proven password for the user stored as `key`: refusals for users who
/// may not sign in yet, a new password for a temporary one, or the session.
pub(super) fn proven(
    state: &mut RegionState,
    pool_id: &str,
    client: &AppClient,
    key: &str,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let pool = state.pool_mut(pool_id)?;
    let user = pool
        .stored_user(key)
        .ok_or_else(CognitoError::user_not_found)?;
    match user.status {
        UserStatusType::Unconfirmed => Err(CognitoError::UserNotConfirmedException(
            "User is not confirmed.".into(),
        )),
        UserStatusType::ResetRequired => Err(CognitoError::PasswordResetRequiredException(
            "Password reset required for the user".into(),
        )),
        UserStatusType::ForceChangePassword => {
            if user.temporary_password_expires.is_some_and(|t| t < now) {
                return Err(CognitoError::NotAuthorizedException(
                    "Temporary password has expired and must be reset by an administrator.".into(),
                ));
            }
            let attributes: Map<String, Value> = user
                .attributes
                .iter()
                .filter(|(k, _)| k != "sub")
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            let username = user.username.clone();
            let session = new_session_id();
            state.pose_challenge(
                session.clone(),
                Challenge::NewPasswordRequired(ChallengeSubject {
                    pool_id: pool_id.to_owned(),
                    client_id: client.id.clone(),
                    username: username.clone(),
                    expires: session_expiry(client, now),
                }),
                now,
            );
            Ok(Outcome::Challenge {
                name: ChallengeNameType::NewPasswordRequired,
                session: Some(session),
                parameters: BTreeMap::from([
                    ("USER_ID_FOR_SRP".to_owned(), username),
                    ("requiredAttributes".to_owned(), "[]".to_owned()),
                    (
                        "userAttributes".to_owned(),
                        Value::Object(attributes).to_string(),
                    ),
                ]),
            })
        }
        _ => signed_in(state, pool_id, client, key, now),
    }
}

/// The end of a sign-in whose every step is done: a new session, and its tokens.
pub(super) fn signed_in(
    state: &mut RegionState,
    pool_id: &str,
    client: &AppClient,
    key: &str,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let pool = state.pool_mut(pool_id)?;
    Ok(Outcome::Tokens(new_session(pool, client, key, now)?))
}
