//! MFA set-up: SetUserPoolMfaConfig and GetUserPoolMfaConfig for the pool;
//! AssociateSoftwareToken and VerifySoftwareToken for an authenticator app, by access
//! token or, in the middle of a sign-in that asks for `MFA_SETUP`, by session; and
//! SetUserMFAPreference and AdminSetUserMFAPreference for what a user's sign-in asks.

use super::sessions::authenticate;
use crate::cognito::challenge::Challenge;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::ids;
use crate::cognito::mfa::{self, Factor, PoolMfa};
use crate::cognito::pool::UserPool;
use crate::cognito::store::RegionState;
use crate::cognito::user::User;
use crate::cognito::Cognito;
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;
use crate::shape::Timestamp;

/// The pool's MFA configuration, as both MFA-config operations answer it.
fn mfa_config(pool: &UserPool) -> GetUserPoolMfaConfigResponse {
    GetUserPoolMfaConfigResponse {
        mfa_configuration: Some(
            pool.settings
                .mfa_configuration
                .clone()
                .unwrap_or(UserPoolMfaType::Off),
        ),
        software_token_mfa_configuration: pool.mfa.software_token.map(|enabled| {
            SoftwareTokenMfaConfigType {
                enabled: Some(enabled),
            }
        }),
        email_mfa_configuration: pool.mfa.email.clone(),
        sms_mfa_configuration: pool.mfa.sms.clone(),
        web_authn_configuration: None,
    }
}

pub fn set_user_pool_mfa_config(
    svc: &Cognito,
    ctx: &RequestContext,
    i: SetUserPoolMfaConfigRequest,
) -> CognitoResult<SetUserPoolMfaConfigResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        // Members left out keep their value.
        let mut offered = pool.mfa.clone();
        if let Some(token) = &i.software_token_mfa_configuration {
            offered.software_token = Some(token.enabled == Some(true));
        }
        if let Some(email) = &i.email_mfa_configuration {
            offered.email = Some(email.clone());
        }
        if let Some(sms) = &i.sms_mfa_configuration {
            offered.sms = Some(sms.clone());
        }
        let mode = i
            .mfa_configuration
            .clone()
            .or_else(|| pool.settings.mfa_configuration.clone())
            .unwrap_or(UserPoolMfaType::Off);
        let any_factor = offered.software_token == Some(true)
            || offered.email.is_some()
            || offered.sms.is_some();
        if mode != UserPoolMfaType::Off && !any_factor {
            return Err(CognitoError::InvalidParameterException(
                "At least one MFA method must be enabled when MfaConfiguration is ON or OPTIONAL."
                    .into(),
            ));
        }
        let sends_with_ses = pool
            .settings
            .email_configuration
            .as_ref()
            .and_then(|c| c.email_sending_account.as_ref())
            == Some(&EmailSendingAccountType::Developer);
        if offered.email.is_some() && !sends_with_ses {
            return Err(CognitoError::InvalidParameterException(
                "Email MFA requires the user pool to send email with Amazon SES (EmailSendingAccount DEVELOPER).".into(),
            ));
        }
        pool.mfa = offered;
        pool.settings.mfa_configuration = Some(mode);
        pool.modified = now;
        let c = mfa_config(pool);
        Ok(SetUserPoolMfaConfigResponse {
            email_mfa_configuration: c.email_mfa_configuration,
            mfa_configuration: c.mfa_configuration,
            sms_mfa_configuration: c.sms_mfa_configuration,
            software_token_mfa_configuration: c.software_token_mfa_configuration,
            web_authn_configuration: c.web_authn_configuration,
        })
    })
}

pub fn get_user_pool_mfa_config(
    svc: &Cognito,
    ctx: &RequestContext,
    i: GetUserPoolMfaConfigRequest,
) -> CognitoResult<GetUserPoolMfaConfigResponse> {
    svc.read(&ctx.region, |state| {
        Ok(mfa_config(state.pool(i.user_pool_id())?))
    })
}

/// Whose token an `AssociateSoftwareToken` or `VerifySoftwareToken` is about: the
/// holder of an access token, or the user of a sign-in waiting on `MFA_SETUP`.
enum TokenOwner {
    Signed { pool_id: String, username: String },
    SettingUp { session: String },
}

fn owner(
    svc: &Cognito,
    region: &str,
    access_token: Option<&str>,
    session: Option<&str>,
) -> CognitoResult<TokenOwner> {
    match (access_token, session) {
        (Some(token), _) => {
            let (pool_id, username) = authenticate(svc, region, token)?;
            Ok(TokenOwner::Signed { pool_id, username })
        }
        (None, Some(session)) => Ok(TokenOwner::SettingUp {
            session: session.to_owned(),
        }),
        (None, None) => Err(CognitoError::InvalidParameterException(
            "Either AccessToken or Session must be provided.".into(),
        )),
    }
}

fn invalid_session() -> CognitoError {
    CognitoError::NotAuthorizedException("Invalid session for the user.".into())
}

/// Runs `f` on the user an `MFA_SETUP` session belongs to, then moves the challenge to
/// a new session (each step hands the next one on), marked verified when `f` says so.
fn with_setup_session<T>(
    state: &mut RegionState,
    session: &str,
    now: Timestamp,
    f: impl FnOnce(&mut User) -> CognitoResult<(T, bool)>,
) -> CognitoResult<(T, String)> {
    let Some(Challenge::MfaSetup { subject, verified }) = state.challenge(session).cloned() else {
        return Err(invalid_session());
    };
    if subject.expires < now {
        return Err(invalid_session());
    }
    let (out, now_verified) = state
        .pool_mut(&subject.pool_id)?
        .edit_user(&subject.username, f)
        .ok_or_else(CognitoError::user_not_found)??;
    state.end_challenge(session);
    let next = ids::session();
    state.pose_challenge(
        next.clone(),
        Challenge::MfaSetup {
            subject,
            verified: verified || now_verified,
        },
        now,
    );
    Ok((out, next))
}

pub fn associate_software_token(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AssociateSoftwareTokenRequest,
) -> CognitoResult<AssociateSoftwareTokenResponse> {
    let owner = owner(
        svc,
        &ctx.region,
        i.access_token.as_deref(),
        i.session.as_deref(),
    )?;
    let now = svc.now();
    let secret = mfa::new_token_secret();
    let code = mfa::secret_code(&secret);
    svc.write(&ctx.region, |state, _| match owner {
        TokenOwner::Signed { pool_id, username } => {
            state
                .pool_mut(&pool_id)?
                .edit_user(&username, |user| user.mfa.pending_secret = Some(secret))
                .ok_or_else(CognitoError::user_not_found)?;
            Ok(AssociateSoftwareTokenResponse {
                secret_code: Some(code),
                session: None,
            })
        }
        TokenOwner::SettingUp { session } => {
            let ((), next) = with_setup_session(state, &session, now, |user| {
                user.mfa.pending_secret = Some(secret);
                Ok(((), false))
            })?;
            Ok(AssociateSoftwareTokenResponse {
                secret_code: Some(code),
                session: Some(next),
            })
        }
    })
}

/// Checks `code` against the user's pending token; on success it becomes their token.
fn verify_pending(
    user: &mut User,
    code: &str,
    name: Option<&str>,
    now: Timestamp,
) -> CognitoResult<()> {
    let Some(secret) = user.mfa.pending_secret.clone() else {
        return Err(CognitoError::InvalidParameterException(
            "No software token has been associated with the user: call AssociateSoftwareToken first."
                .into(),
        ));
    };
    match mfa::matching_step(&secret, code, now.secs().max(0) as u64) {
        Some(step) => {
            user.mfa.token_secret = Some(secret);
            user.mfa.pending_secret = None;
            user.mfa.token_name = name.map(str::to_owned);
            user.mfa.last_step = step;
            Ok(())
        }
        None => Err(CognitoError::EnableSoftwareTokenMFAException(
            "Code mismatch and fail enable Software Token MFA".into(),
        )),
    }
}

pub fn verify_software_token(
    svc: &Cognito,
    ctx: &RequestContext,
    i: VerifySoftwareTokenRequest,
) -> CognitoResult<VerifySoftwareTokenResponse> {
    let owner = owner(
        svc,
        &ctx.region,
        i.access_token.as_deref(),
        i.session.as_deref(),
    )?;
    let now = svc.now();
    let name = i.friendly_device_name.as_deref();
    svc.write(&ctx.region, |state, _| match owner {
        TokenOwner::Signed { pool_id, username } => {
            state
                .pool_mut(&pool_id)?
                .edit_user(&username, |user| {
                    verify_pending(user, i.user_code(), name, now)
                })
                .ok_or_else(CognitoError::user_not_found)??;
            Ok(VerifySoftwareTokenResponse {
                status: Some(VerifySoftwareTokenResponseType::Success),
                session: None,
            })
        }
        TokenOwner::SettingUp { session } => {
            let ((), next) = with_setup_session(state, &session, now, |user| {
                verify_pending(user, i.user_code(), name, now)?;
                // Set up during a sign-in that requires MFA: the token is the user's
                // factor from now on.
                user.mfa.set(Factor::SoftwareToken, Some(true), Some(true));
                Ok(((), true))
            })?;
            Ok(VerifySoftwareTokenResponse {
                status: Some(VerifySoftwareTokenResponseType::Success),
                session: Some(next),
            })
        }
    })
}

/// Applies MFA preferences to `user` of a pool that offers `offered`, with AWS's
/// refusals.
fn set_preferences(
    offered: &PoolMfa,
    user: &mut User,
    token: Option<&SoftwareTokenMfaSettingsType>,
    email: Option<&EmailMfaSettingsType>,
    sms: Option<&SMSMfaSettingsType>,
) -> CognitoResult<()> {
    if sms.is_some_and(|s| s.enabled == Some(true) || s.preferred_mfa == Some(true)) {
        return Err(CognitoError::InvalidParameterException(
            "SMS MFA is not emulated: cognito-emulator sends no text messages.".into(),
        ));
    }
    if let Some(t) = token {
        if t.enabled == Some(true) && user.mfa.token_secret.is_none() {
            return Err(CognitoError::InvalidParameterException(
                "User has not verified software token mfa".into(),
            ));
        }
    }
    if let Some(e) = email {
        if e.enabled == Some(true) {
            if !offered.offers(Factor::Email) {
                return Err(CognitoError::InvalidParameterException(
                    "Email MFA is not enabled for this user pool.".into(),
                ));
            }
            if user.attribute("email").is_none() {
                return Err(CognitoError::InvalidParameterException(
                    "User does not have an email address.".into(),
                ));
            }
        }
    }
    if let Some(t) = token {
        user.mfa
            .set(Factor::SoftwareToken, t.enabled, t.preferred_mfa);
    }
    if let Some(e) = email {
        user.mfa.set(Factor::Email, e.enabled, e.preferred_mfa);
    }
    Ok(())
}

pub fn set_user_mfa_preference(
    svc: &Cognito,
    ctx: &RequestContext,
    i: SetUserMFAPreferenceRequest,
) -> CognitoResult<SetUserMFAPreferenceResponse> {
    let (pool_id, username) = authenticate(svc, &ctx.region, i.access_token())?;
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(&pool_id)?;
        let offered = pool.mfa.clone();
        pool.edit_user(&username, |user| {
            set_preferences(
                &offered,
                user,
                i.software_token_mfa_settings.as_ref(),
                i.email_mfa_settings.as_ref(),
                i.sms_mfa_settings.as_ref(),
            )
        })
        .ok_or_else(CognitoError::user_not_found)??;
        Ok(SetUserMFAPreferenceResponse {})
    })
}

pub fn admin_set_user_mfa_preference(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminSetUserMFAPreferenceRequest,
) -> CognitoResult<AdminSetUserMFAPreferenceResponse> {
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let key = pool
            .find_username(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        let offered = pool.mfa.clone();
        pool.edit_user(&key, |user| {
            set_preferences(
                &offered,
                user,
                i.software_token_mfa_settings.as_ref(),
                i.email_mfa_settings.as_ref(),
                i.sms_mfa_settings.as_ref(),
            )
        })
        .ok_or_else(CognitoError::user_not_found)??;
        Ok(AdminSetUserMFAPreferenceResponse {})
    })
}
