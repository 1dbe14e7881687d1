//! SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use serde::Deserialize;
use serde_json::{json, Value};

use super::support::{check_attributes, check_username, verification_mail, Attribute, NewUser};
use crate::cognito::codes::{self, SIGNUP_CODE_TTL_MS};
use crate::cognito::delivery::{email_delivery, simulated_delivery};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::input::parse;
use crate::cognito::user::{User, UserStatus};
use crate::cognito::{password, Cognito};
use crate::context::RequestContext;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SignUpInput {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
    password: Option<String>,
    #[serde(default)]
    user_attributes: Vec<Attribute>,
}

pub fn sign_up(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: SignUpInput = parse(input)?;
    let now_ms = svc.clock().now_millis();
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let (pool, _) = state.client_pool_mut(&i.client_id, &i.username, i.secret_hash.as_deref())?;
    check_username(pool, &i.username)?;
    let Some(pw) = i.password.as_deref() else {
        return Err(CognitoError::InvalidParameterException(
            "A password is required to sign up.".into(),
        ));
    };
    password::check(pw, "password", &pool.password_policy())?;
    check_attributes(pool, &i.user_attributes)?;
    if pool.find_username(&i.username).is_some() {
        return Err(CognitoError::UsernameExistsException(
            if pool.email_is_username() {
                "An account with the given email already exists."
            } else {
                "User already exists"
            }
            .into(),
        ));
    }

    let NewUser {
        sub,
        username,
        attributes,
    } = NewUser::new(pool, &i.username, &i.user_attributes);
    let mut user = User::new(
        username.clone(),
        sub.clone(),
        pw,
        attributes,
        UserStatus::Unconfirmed,
        now,
    );

    let mut out = json!({ "UserConfirmed": false, "UserSub": sub });
    let mut mail = None;
    if let (true, Some(email)) = (pool.auto_verifies_email(), user.attribute("email")) {
        let email = email.to_owned();
        let code = user.signup_code.issue(now_ms, SIGNUP_CODE_TTL_MS);
        mail = Some(verification_mail(
            pool,
            &email,
            &code,
            &i.username,
            now_ms / 1000,
        ));
        out["CodeDeliveryDetails"] = email_delivery(&email);
    }
    pool.add_user(user);
    drop(state);
    if let Some(mail) = mail {
        svc.send_mail(mail);
    }
    Ok(out)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ConfirmInput {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
    confirmation_code: String,
}

/// AWS's answer for a username the client's pool does not hold.
fn unknown_user(hides: bool) -> CognitoError {
    if hides {
        codes::mismatch()
    } else {
        CognitoError::UserNotFoundException("Username/client id combination not found.".into())
    }
}

pub fn confirm_sign_up(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: ConfirmInput = parse(input)?;
    let now_ms = svc.clock().now_millis();
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let (pool, hides) =
        state.client_pool_mut(&i.client_id, &i.username, i.secret_hash.as_deref())?;
    let auto_verify = pool.auto_verifies_email();
    let user = pool
        .user_mut(&i.username)
        .ok_or_else(|| unknown_user(hides))?;
    if user.status == UserStatus::Confirmed {
        return Err(CognitoError::NotAuthorizedException(
            "User cannot be confirmed. Current status is CONFIRMED".into(),
        ));
    }
    user.signup_code.check(&i.confirmation_code, now_ms)?;
    user.status = UserStatus::Confirmed;
    if auto_verify && user.attribute("email").is_some() {
        user.set_attribute("email_verified", "true");
    }
    user.modified = now;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ResendInput {
    client_id: String,
    secret_hash: Option<String>,
    username: String,
}

pub fn resend_confirmation_code(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let i: ResendInput = parse(input)?;
    let now_ms = svc.clock().now_millis();
    let mut state = svc.state();
    let (pool, hides) =
        state.client_pool_mut(&i.client_id, &i.username, i.secret_hash.as_deref())?;
    let pool_id = pool.id.clone();
    let Some(key) = pool.find_username(&i.username) else {
        if hides {
            return Ok(simulated_delivery(&i.username));
        }
        return Err(unknown_user(false));
    };
    let user = pool.users.get(&key).ok_or_else(|| unknown_user(hides))?;
    if user.status == UserStatus::Confirmed {
        if hides {
            return Ok(simulated_delivery(&i.username));
        }
        return Err(CognitoError::InvalidParameterException(
            "User is already confirmed.".into(),
        ));
    }
    let Some(email) = user.attribute("email").map(str::to_owned) else {
        return Err(CognitoError::InvalidParameterException(
            "Cannot resend codes. Auto verification not turned on.".into(),
        ));
    };
    if !pool.auto_verifies_email() {
        return Err(CognitoError::InvalidParameterException(
            "Cannot resend codes. Auto verification not turned on.".into(),
        ));
    }
    let user = pool
        .users
        .get_mut(&key)
        .ok_or_else(|| unknown_user(hides))?;
    let code = user.signup_code.issue(now_ms, SIGNUP_CODE_TTL_MS);
    let pool = state.pool(&pool_id)?;
    let mail = verification_mail(pool, &email, &code, &i.username, now_ms / 1000);
    drop(state);
    svc.send_mail(mail);
    Ok(json!({ "CodeDeliveryDetails": email_delivery(&email) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AdminConfirmInput {
    user_pool_id: String,
    username: String,
}

pub fn admin_confirm_sign_up(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let i: AdminConfirmInput = parse(input)?;
    let now = svc.clock().now_epoch();
    let mut state = svc.state();
    let pool = state.pool_mut(&i.user_pool_id)?;
    let user = pool
        .user_mut(&i.username)
        .ok_or_else(CognitoError::user_not_found)?;
    if user.status != UserStatus::Unconfirmed {
        return Err(CognitoError::NotAuthorizedException(format!(
            "User cannot be confirmed. Current status is {}",
            user.status.as_str()
        )));
    }
    // An administrator's confirmation does not verify the e-mail address: no code
    // reached the user, so AWS leaves email_verified as it was.
    user.status = UserStatus::Confirmed;
    user.modified = now;
    Ok(json!({}))
}
