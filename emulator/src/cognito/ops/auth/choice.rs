//! `USER_AUTH`: choice-based sign-in. The pool's `SignInPolicy` lists the first factors
//! it allows (a password, sent or proven by SRP, or a code mailed to the user); the
//! client names the one it prefers in `PREFERRED_CHALLENGE`, or the emulator answers
//! `SELECT_CHALLENGE` with the `AvailableChallenges` and the client picks in its answer.

use super::{first_factor, mfa, new_session_id, param, session_expiry, srp, Outcome, Params};
use crate::cognito::challenge::{Challenge, ChallengeSubject};
use crate::cognito::client::AppClient;
use crate::cognito::effects::Effects;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::mfa::Factor;
use crate::cognito::pool::UserPool;
use crate::cognito::secret_hash;
use crate::cognito::store::RegionState;
use crate::generated::cognito::shapes::{AuthFactorType, ChallengeNameType};
use crate::shape::Timestamp;

/// The first factors `key` may use in `pool`, in the order AWS lists them.
fn available(pool: &UserPool, key: &str) -> Vec<ChallengeNameType> {
    let allowed = pool
        .settings
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref())
        .and_then(|s| s.allowed_first_auth_factors.clone())
        .unwrap_or_else(|| vec![AuthFactorType::Password]);
    let has_email = pool
        .stored_user(key)
        .is_some_and(|u| u.attribute("email").is_some());
    let mut out = Vec::new();
    if allowed.contains(&AuthFactorType::Password) {
        out.push(ChallengeNameType::PasswordSrp);
        out.push(ChallengeNameType::Password);
    }
    if allowed.contains(&AuthFactorType::EmailOtp) && has_email {
        out.push(ChallengeNameType::EmailOtp);
    }
    out
}

/// Starts a `USER_AUTH` sign-in for `USERNAME`.
pub(super) fn start(
    state: &mut RegionState,
    pool_id: &str,
    client: &AppClient,
    params: &Params,
    now: Timestamp,
    effects: &mut Effects,
) -> CognitoResult<Outcome> {
    let username = param(params, "USERNAME")?;
    secret_hash::check(
        client,
        username,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    let pool = state.pool(pool_id)?;
    let Some(key) = pool.find_username(username) else {
        return Err(if client.hides_user_existence() {
            CognitoError::bad_credentials()
        } else {
            CognitoError::user_not_found()
        });
    };
    let available = available(pool, &key);
    let subject = ChallengeSubject {
        pool_id: pool_id.to_owned(),
        client_id: client.id.clone(),
        username: key,
        expires: session_expiry(client, now),
    };
    let preferred = params
        .get("PREFERRED_CHALLENGE")
        .map(|p| ChallengeNameType::from(p.as_str()))
        .filter(|p| available.contains(p));
    match preferred {
        Some(choice) => run(state, client, subject, &choice, params, now, effects),
        None => {
            let session = new_session_id();
            state.pose_challenge(
                session.clone(),
                Challenge::SelectChallenge {
                    subject,
                    available: available.clone(),
                },
                now,
            );
            Ok(Outcome::Select { session, available })
        }
    }
}

/// Goes on with the first factor `choice`, with what came with it (`PASSWORD` or
/// `SRP_A`).
fn run(
    state: &mut RegionState,
    client: &AppClient,
    subject: ChallengeSubject,
    choice: &ChallengeNameType,
    params: &Params,
    now: Timestamp,
    effects: &mut Effects,
) -> CognitoResult<Outcome> {
    match choice {
        ChallengeNameType::Password => {
            let password = param(params, "PASSWORD")?;
            let pool = state.pool_mut(&subject.pool_id)?;
            first_factor::check(pool, &subject.username, now, |user| {
                user.password.matches(password)
            })?;
            first_factor::proven(
                state,
                &subject.pool_id,
                client,
                &subject.username,
                now,
                effects,
            )
        }
        ChallengeNameType::PasswordSrp => {
            let a_hex = param(params, "SRP_A")?;
            srp::pose(
                state,
                &subject.pool_id,
                client,
                &subject.username,
                a_hex,
                None,
                now,
                None,
            )
        }
        ChallengeNameType::EmailOtp => mfa::pose(state, subject, Factor::Email, now, effects),
        other => Err(CognitoError::InvalidParameterException(format!(
            "The challenge {other} is not available to the user."
        ))),
    }
}

/// `SELECT_CHALLENGE`: `ANSWER` names one of the available first factors.
pub(super) fn answer(
    state: &mut RegionState,
    subject: ChallengeSubject,
    available: &[ChallengeNameType],
    params: &Params,
    now: Timestamp,
    effects: &mut Effects,
) -> CognitoResult<Outcome> {
    let client = super::answerer(state, &subject, params)?;
    let choice = ChallengeNameType::from(param(params, "ANSWER")?);
    if !available.contains(&choice) {
        return Err(CognitoError::InvalidParameterException(format!(
            "The challenge {choice} is not available to the user."
        )));
    }
    run(state, &client, subject, &choice, params, now, effects)
}
