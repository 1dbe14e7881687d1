//! The second factor, once the first is proven: which challenge the pool's
//! `MfaConfiguration` and the user's factors call for, and the answers to
//! `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`, `SELECT_MFA_TYPE` and `MFA_SETUP`.

use std::collections::BTreeMap;

use rand::Rng;

use super::{answerer, new_session, new_session_id, param, session_expiry, Outcome, Params};
use crate::cognito::challenge::{Challenge, ChallengeSubject};
use crate::cognito::client::AppClient;
use crate::cognito::delivery::mask_email;
use crate::cognito::effects::Effects;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::mfa::Factor;
use crate::cognito::ops::support::code_message;
use crate::cognito::pool::UserPool;
use crate::cognito::store::RegionState;
use crate::cognito::user::User;
use crate::generated::cognito::shapes::{ChallengeNameType, UserPoolMfaType};
use crate::shape::Timestamp;

/// The factors `user` can be challenged with: those they enabled that the pool offers.
/// Where MFA is required and the user enabled none, a verified address the pool can
/// mail codes to is used, as AWS does.
fn factors(pool: &UserPool, user: &User, required: bool) -> Vec<Factor> {
    let has_email = user.attribute("email").is_some();
    let usable = |f: &Factor| pool.mfa.offers(*f) && (*f != Factor::Email || has_email);
    let enabled: Vec<Factor> = user.mfa.enabled.iter().copied().filter(usable).collect();
    if enabled.is_empty() && required && pool.mfa.offers(Factor::Email) && user.email_verified() {
        return vec![Factor::Email];
    }
    enabled
}

/// A JSON list of factor names, as `MFAS_CAN_CHOOSE` and `MFAS_CAN_SETUP` carry it.
fn names(factors: &[Factor]) -> String {
    serde_json::to_string(&factors.iter().map(|f| f.name()).collect::<Vec<_>>()).unwrap_or_default()
}

/// What follows a proven first factor for the user stored as `key`: an MFA challenge,
/// or the session and its tokens.
pub(super) fn next(
    state: &mut RegionState,
    pool_id: &str,
    client: &AppClient,
    key: &str,
    now: Timestamp,
    effects: &mut Effects,
) -> CognitoResult<Outcome> {
    let pool = state.pool(pool_id)?;
    let mode = pool
        .settings
        .mfa_configuration
        .clone()
        .unwrap_or(UserPoolMfaType::Off);
    if mode == UserPoolMfaType::Off {
        let pool = state.pool_mut(pool_id)?;
        return Ok(Outcome::Tokens(new_session(pool, client, key, now)?));
    }
    let user = pool
        .stored_user(key)
        .ok_or_else(CognitoError::user_not_found)?;
    let required = mode == UserPoolMfaType::On;
    let factors = factors(pool, user, required);
    let preferred = user.mfa.preferred.filter(|p| factors.contains(p));
    let subject = ChallengeSubject {
        pool_id: pool_id.to_owned(),
        client_id: client.id.clone(),
        username: key.to_owned(),
        expires: session_expiry(client, now),
    };
    match (factors.as_slice(), preferred) {
        ([], _) if required => {
            // Only an authenticator app can be set up in the middle of a sign-in.
            let session = new_session_id();
            state.pose_challenge(
                session.clone(),
                Challenge::MfaSetup {
                    subject,
                    verified: false,
                },
                now,
            );
            Ok(Outcome::Challenge {
                name: ChallengeNameType::MfaSetup,
                session: Some(session),
                parameters: BTreeMap::from([(
                    "MFAS_CAN_SETUP".to_owned(),
                    names(&[Factor::SoftwareToken]),
                )]),
            })
        }
        ([], _) => {
            let pool = state.pool_mut(pool_id)?;
            Ok(Outcome::Tokens(new_session(pool, client, key, now)?))
        }
        ([only], _) => pose(state, subject, *only, now, effects),
        (_, Some(preferred)) => pose(state, subject, preferred, now, effects),
        (several, None) => {
            let parameters = BTreeMap::from([
                ("MFAS_CAN_CHOOSE".to_owned(), names(several)),
                ("USER_ID_FOR_SRP".to_owned(), key.to_owned()),
            ]);
            let session = new_session_id();
            state.pose_challenge(session.clone(), Challenge::SelectMfaType(subject), now);
            Ok(Outcome::Challenge {
                name: ChallengeNameType::SelectMfaType,
                session: Some(session),
                parameters,
            })
        }
    }
}

/// Asks `subject` for a code from `factor`; for e-mail, mails it. (Passwordless
/// sign-in by mailed code poses the same `EMAIL_OTP`.)
pub(super) fn pose(
    state: &mut RegionState,
    subject: ChallengeSubject,
    factor: Factor,
    now: Timestamp,
    effects: &mut Effects,
) -> CognitoResult<Outcome> {
    let pool = state.pool(&subject.pool_id)?;
    let user = pool
        .stored_user(&subject.username)
        .ok_or_else(CognitoError::user_not_found)?;
    let mut parameters = BTreeMap::from([("USER_ID_FOR_SRP".to_owned(), user.username.clone())]);
    let (name, challenge) = match factor {
        Factor::SoftwareToken => {
            if let Some(device) = &user.mfa.token_name {
                parameters.insert("FRIENDLY_DEVICE_NAME".to_owned(), device.clone());
            }
            (
                ChallengeNameType::SoftwareTokenMfa,
                Challenge::SoftwareTokenMfa(subject),
            )
        }
        Factor::Email => {
            let address = user.attribute("email").unwrap_or_default().to_owned();
            let code = format!("{:08}", rand::thread_rng().gen_range(0..100_000_000));
            // Worded by the pool's CustomMessage trigger, if it has one.
            effects.message(code_message(
                pool,
                "CustomMessage_Authentication",
                pool.mfa.otp_templates(),
                &address,
                &code,
                &user.username,
                Some(&subject.client_id),
                now,
            ));
            parameters.insert(
                "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
                "EMAIL".to_owned(),
            );
            parameters.insert("CODE_DELIVERY_DESTINATION".to_owned(), mask_email(&address));
            (
                ChallengeNameType::EmailOtp,
                Challenge::EmailOtp { subject, code },
            )
        }
    };
    let session = new_session_id();
    state.pose_challenge(session.clone(), challenge, now);
    Ok(Outcome::Challenge {
        name,
        session: Some(session),
        parameters,
    })
}

/// The end of a sign-in whose second factor is proven.
fn done(
    state: &mut RegionState,
    subject: &ChallengeSubject,
    client: &AppClient,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let pool = state.pool_mut(&subject.pool_id)?;
    Ok(Outcome::Tokens(new_session(
        pool,
        client,
        &subject.username,
        now,
    )?))
}

/// `SOFTWARE_TOKEN_MFA`: `SOFTWARE_TOKEN_MFA_CODE` from the authenticator app.
pub(super) fn answer_token(
    state: &mut RegionState,
    subject: ChallengeSubject,
    params: &Params,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let client = answerer(state, &subject, params)?;
    let code = param(params, "SOFTWARE_TOKEN_MFA_CODE")?;
    let accepted = state
        .pool_mut(&subject.pool_id)?
        .edit_user(&subject.username, |user| {
            user.mfa.accept_token_code(code, now.secs().max(0) as u64)
        })
        .ok_or_else(CognitoError::user_not_found)?;
    if !accepted {
        return Err(CognitoError::CodeMismatchException(
            "Invalid code received for user".into(),
        ));
    }
    done(state, &subject, &client, now)
}

/// `EMAIL_OTP`: `EMAIL_OTP_CODE` from the mail.
pub(super) fn answer_email(
    state: &mut RegionState,
    subject: ChallengeSubject,
    code: &str,
    params: &Params,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let client = answerer(state, &subject, params)?;
    if param(params, "EMAIL_OTP_CODE")? != code {
        return Err(CognitoError::CodeMismatchException(
            "Invalid code or auth state for the user.".into(),
        ));
    }
    done(state, &subject, &client, now)
}

/// `SELECT_MFA_TYPE`: `ANSWER` names the factor, which is then asked for.
pub(super) fn answer_selection(
    state: &mut RegionState,
    subject: ChallengeSubject,
    params: &Params,
    now: Timestamp,
    effects: &mut Effects,
) -> CognitoResult<Outcome> {
    answerer(state, &subject, params)?;
    let answer = param(params, "ANSWER")?;
    let pool = state.pool(&subject.pool_id)?;
    let user = pool
        .stored_user(&subject.username)
        .ok_or_else(CognitoError::user_not_found)?;
    let required = pool.settings.mfa_configuration == Some(UserPoolMfaType::On);
    match Factor::of_name(answer) {
        Some(f) if factors(pool, user, required).contains(&f) => {
            pose(state, subject, f, now, effects)
        }
        _ => Err(CognitoError::InvalidParameterException(format!(
            "The MFA type {answer} is not available to the user."
        ))),
    }
}

/// `MFA_SETUP`: once `VerifySoftwareToken` has verified the new token under the
/// session, the sign-in ends.
pub(super) fn answer_setup(
    state: &mut RegionState,
    subject: ChallengeSubject,
    verified: bool,
    params: &Params,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let client = answerer(state, &subject, params)?;
    if !verified {
        return Err(CognitoError::SoftwareTokenMFANotFoundException(
            "Software Token MFA has not been set up: call AssociateSoftwareToken and VerifySoftwareToken with the session first.".into(),
        ));
    }
    done(state, &subject, &client, now)
}
