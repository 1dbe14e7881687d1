//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use super::support::{
    check_attributes, check_username, post_confirmation, username_attribute, verification_mail,
    NewUser,
};
use crate::cognito::client::AppClient;
use crate::cognito::codes::{self, SIGNUP_CODE_TTL};
use crate::cognito::delivery::email_delivery;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::UserPool;
use crate::cognito::triggers::events::{self, Origin};
use crate::cognito::triggers::pre_sign_up::{self, Verdict};
use crate::cognito::triggers::Trigger;
use crate::cognito::{password, secret_hash, Cognito};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;

/// The checks a sign-up must pass before anything is made, in AWS's order; gives back
/// the password. They run again under the write lock, since another sign-up may take
/// the name while a PreSignUp trigger runs.
fn check<'a>(pool: &UserPool, client: &AppClient, i: &'a SignUpRequest) -> CognitoResult<&'a str> {
    check_username(pool, i.username())?;
    let Some(pw) = i.password.as_deref() else {
        return Err(CognitoError::InvalidParameterException(
            "A password is required to sign up.".into(),
        ));
    };
    password::check(pw, &pool.password_policy())?;
    let attributes = i.user_attributes.as_deref().unwrap_or_default();
    check_attributes(pool, attributes)?;
    if attributes.iter().any(|a| !client.may_write(a.name())) {
        return Err(CognitoError::NotAuthorizedException(
            "A client attempted to write unauthorized attribute".into(),
        ));
    }
    if pool.find_username(i.username()).is_some() {
        return Err(CognitoError::UsernameExistsException(
            match username_attribute(pool, i.username()) {
                Some(attribute) => {
                    format!("An account with the given {attribute} already exists.")
                }
                None => "User already exists".to_owned(),
            },
        ));
    }
    Ok(pw)
}

pub fn sign_up(
    svc: &Cognito,
    ctx: &RequestContext,
    i: SignUpRequest,
) -> CognitoResult<SignUpResponse> {
    let now = svc.now();
    let attributes = i.user_attributes.as_deref().unwrap_or_default();
    // The user is made (with its sub) before PreSignUp runs, as on AWS, where the
    // trigger already sees the username the user will be stored under.
    let (pool_id, new, pw) = svc.read(&ctx.region, |state| {
        let pool_id = state.pool_of_client(i.client_id())?;
        let pool = state.pool(&pool_id)?;
        let client = pool.client(i.client_id())?;
        secret_hash::check(client, i.username(), i.secret_hash.as_deref())?;
        let pw = check(pool, client, &i)?;
        Ok((pool_id, NewUser::of(pool, i.username(), attributes), pw))
    })?;
    // Outside the lock: the password's SRP verifier is an exponentiation.
    let mut user = new.with_password(&pool_id, pw, UserStatusType::Unconfirmed, now);
    let verdict = svc.fire(&pool_id, Trigger::PreSignUp, |pool, version| {
        let origin = Origin::of(
            pool,
            &user.username,
            Some(i.client_id()),
            "PreSignUp_SignUp",
        );
        Ok(pre_sign_up::event(
            &origin,
            version,
            user.attributes
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
            i.validation_data.as_deref(),
            events::client_metadata(i.client_metadata.as_ref()),
        ))
    })?;
    let verdict = Verdict::of(verdict.as_ref());
    let auto_confirm = verdict.confirm;
    svc.write(&ctx.region, |state, effects| {
        let pool = state.pool_mut(&pool_id)?;
        let client = pool.client(i.client_id())?.clone();
        check(pool, &client, &i)?;
        if auto_confirm {
            user.status = UserStatusType::Confirmed;
        }
        verdict.verify(&mut user);
        let sub = user.sub.clone();
        let mut delivery = None;
        let mut mail = None;
        // A user the trigger confirmed gets no code.
        if let (false, true, Some(email)) = (
            auto_confirm,
            pool.auto_verifies_email(),
            user.attribute("email"),
        ) {
            let email = email.to_owned();
            let code = user.signup_code.issue(now, SIGNUP_CODE_TTL);
            delivery = Some(email_delivery(&email));
            mail = Some((email, code));
        }
        pool.add_user(user);
        if let Some((email, code)) = mail {
            effects.message(verification_mail(
                pool,
                "CustomMessage_SignUp",
                &email,
                &code,
                i.username(),
                now,
            ));
        }
        Ok(SignUpResponse {
            user_confirmed: Some(auto_confirm),
            user_sub: Some(sub),
            code_delivery_details: delivery,
            session: None,
        })
    })
}

/// AWS's answer for a username the client's pool does not hold.
fn unknown_user(hides: bool) -> CognitoError {
    if hides {
        codes::mismatch()
    } else {
        CognitoError::UserNotFoundException("Username/client id combination not found.".into())
    }
}

pub fn confirm_sign_up(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ConfirmSignUpRequest,
) -> CognitoResult<ConfirmSignUpResponse> {
    let now = svc.now();
    let (pool_id, key) = svc.write(&ctx.region, |state, _| {
        let (pool, hides) =
            state.client_pool_mut(i.client_id(), i.username(), i.secret_hash.as_deref())?;
        let auto_verify = pool.auto_verifies_email();
        let key = pool
            .find_username(i.username())
            .ok_or_else(|| unknown_user(hides))?;
        pool.edit_user(&key, |user| {
            if user.status == UserStatusType::Confirmed {
                return Err(CognitoError::NotAuthorizedException(
                    "User cannot be confirmed. Current status is CONFIRMED".into(),
                ));
            }
            user.signup_code.check(i.confirmation_code(), now)?;
            user.status = UserStatusType::Confirmed;
            if auto_verify && user.attribute("email").is_some() {
                user.set_attribute("email_verified", "true");
            }
            user.modified = now;
            Ok(())
        })
        .ok_or_else(|| unknown_user(hides))??;
        Ok((pool.id.clone(), key))
    })?;
    // After the change is committed, as on AWS: a failing trigger fails the call, but
    // the user stays confirmed.
    post_confirmation(
        svc,
        &pool_id,
        &key,
        i.client_id(),
        "PostConfirmation_ConfirmSignUp",
        events::client_metadata(i.client_metadata.as_ref()),
    )?;
    Ok(ConfirmSignUpResponse { session: None })
}

pub fn resend_confirmation_code(
    svc: &Cognito,
    ctx: &RequestContext,
    i: ResendConfirmationCodeRequest,
) -> CognitoResult<ResendConfirmationCodeResponse> {
    let now = svc.now();
    // A client that hides whether users exist answers as if a code went out.
    let simulated = || ResendConfirmationCodeResponse {
        code_delivery_details: Some(email_delivery(i.username())),
    };
    svc.write(&ctx.region, |state, effects| {
        let (pool, hides) =
            state.client_pool_mut(i.client_id(), i.username(), i.secret_hash.as_deref())?;
        let Some(key) = pool.find_username(i.username()) else {
            return if hides {
                Ok(simulated())
            } else {
                Err(unknown_user(false))
            };
        };
        let user = pool.stored_user(&key).ok_or_else(|| unknown_user(hides))?;
        if user.status == UserStatusType::Confirmed {
            if hides {
                return Ok(simulated());
            }
            return Err(CognitoError::InvalidParameterException(
                "User is already confirmed.".into(),
            ));
        }
        let email = match user.attribute("email") {
            Some(email) if pool.auto_verifies_email() => email.to_owned(),
            _ => {
                return Err(CognitoError::InvalidParameterException(
                    "Cannot resend codes. Auto verification not turned on.".into(),
                ))
            }
        };
        let code = pool
            .edit_user(&key, |user| user.signup_code.issue(now, SIGNUP_CODE_TTL))
            .ok_or_else(|| unknown_user(hides))?;
        effects.message(verification_mail(
            pool,
            "CustomMessage_ResendCode",
            &email,
            &code,
            i.username(),
            now,
        ));
        Ok(ResendConfirmationCodeResponse {
            code_delivery_details: Some(email_delivery(&email)),
        })
    })
}

pub fn admin_confirm_sign_up(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminConfirmSignUpRequest,
) -> CognitoResult<AdminConfirmSignUpResponse> {
    let now = svc.now();
    svc.write(&ctx.region, |state, _| {
        let pool = state.pool_mut(i.user_pool_id())?;
        let key = pool
            .find_username(i.username())
            .ok_or_else(CognitoError::user_not_found)?;
        pool.edit_user(&key, |user| {
            if user.status != UserStatusType::Unconfirmed {
                return Err(CognitoError::NotAuthorizedException(format!(
                    "User cannot be confirmed. Current status is {}",
                    user.status
                )));
            }
            // An administrator's confirmation does not verify the e-mail address: no
            // code reached the user, so AWS leaves email_verified as it was.
            user.status = UserStatusType::Confirmed;
            user.modified = now;
            Ok(AdminConfirmSignUpResponse {})
        })
        .ok_or_else(CognitoError::user_not_found)?
    })
}
