//! Logging in, refreshing, and resetting a forgotten password.

use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use cucumber::{given, then, when};

use super::expect_eq;
use super::params::{PersonName, Pronoun};
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::secrets::Secret;
use crate::world::{strong_password, CognitoWorld, Delivery};

/// USER_PASSWORD_AUTH through `client` (the scenario's current one when `None`); keeps
/// the tokens or the error for later steps.
async fn log_in(
    world: &mut CognitoWorld,
    name: &str,
    password: &Secret,
    client: Option<&str>,
) -> Result<()> {
    let email = world.person(name).email.clone();
    let client = world.client(client)?.clone();
    let mut request = world
        .target
        .cognito()
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(&client.id)
        .auth_parameters("USERNAME", &email)
        .auth_parameters("PASSWORD", password.expose());
    if let Some(hash) = client.secret_hash(&email) {
        request = request.auth_parameters("SECRET_HASH", hash);
    }
    let outcome = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("InitiateAuth", &e));
    keep_answer(world, name, outcome)
}

/// Keeps what InitiateAuth answered: the error, a NEW_PASSWORD_REQUIRED challenge, or
/// the tokens.
fn keep_answer(
    world: &mut CognitoWorld,
    name: &str,
    outcome: std::result::Result<InitiateAuthOutput, ApiError>,
) -> Result<()> {
    let Some(out) = world.record(outcome) else {
        return Ok(());
    };
    if out.challenge_name() == Some(&ChallengeNameType::NewPasswordRequired) {
        // A first sign-in with a temporary password: the answer is a challenge.
        world.auth.challenge = out.session().map(Secret::new);
        return Ok(());
    }
    let result = out.authentication_result().ok_or_else(|| {
        Error::unexpected(
            "an AuthenticationResult",
            format!("challenge {:?}", out.challenge_name()),
        )
    })?;
    world.keep_tokens(name, result);
    Ok(())
}

#[when(expr = "{person} logs in with {pronoun} password")]
async fn logs_in(world: &mut CognitoWorld, name: PersonName, _pronoun: Pronoun) -> Result<()> {
    let password = world.known(&name)?.password.clone();
    log_in(world, &name, &password, None).await
}

#[given(expr = "{person} has logged in")]
async fn has_logged_in(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let password = world.known(&name)?.password.clone();
    log_in(world, &name, &password, None).await?;
    world.take_error()
}

#[when(expr = "{person} logs in with {pronoun} password through the client {string}")]
async fn logs_in_through(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
    client: String,
) -> Result<()> {
    let password = world.known(&name)?.password.clone();
    log_in(world, &name, &password, Some(&client)).await
}

#[when(expr = "{person} logs in with a wrong password")]
async fn wrong_password(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    log_in(world, &name, &Secret::new(strong_password()), None).await
}

#[when(expr = "{person}, who never signed up, logs in")]
async fn stranger_logs_in(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let password = world.person(&name).password.clone();
    log_in(world, &name, &password, None).await
}

#[then(expr = "she/he/they receive(s) an id token, an access token and a refresh token")]
async fn three_tokens(world: &mut CognitoWorld) -> Result<()> {
    let t = world.current_tokens()?;
    let present = (
        !t.id.expose().is_empty(),
        !t.access.expose().is_empty(),
        t.refresh.as_ref().is_some_and(|r| !r.expose().is_empty()),
    );
    expect_eq(
        "(IdToken, AccessToken, RefreshToken) present",
        (true, true, true),
        present,
    )
}

#[then(expr = "the tokens are Bearer tokens that expire in {int} seconds")]
async fn bearer_expiry(world: &mut CognitoWorld, seconds: i32) -> Result<()> {
    let t = world.current_tokens()?;
    expect_eq("TokenType", Some("Bearer"), t.token_type.as_deref())?;
    expect_eq("ExpiresIn", seconds, t.expires_in)
}

#[when(expr = "{person} refreshes {pronoun} session with the refresh token")]
async fn refreshes(world: &mut CognitoWorld, name: PersonName, _pronoun: Pronoun) -> Result<()> {
    let refresh = world
        .current_tokens()?
        .refresh
        .clone()
        .ok_or(Error::Missing("a refresh token"))?;
    let client = world.client(None)?.clone();
    let mut request = world
        .target
        .cognito()
        .initiate_auth()
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .client_id(&client.id)
        .auth_parameters("REFRESH_TOKEN", refresh.expose());
    // For a refresh, the hash is over the user's Cognito username: the sub, where the
    // e-mail address is the username.
    let username = world.known(&name)?.sub.clone();
    if let Some(hash) = username.and_then(|u| client.secret_hash(&u)) {
        request = request.auth_parameters("SECRET_HASH", hash);
    }
    let outcome = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("InitiateAuth", &e));
    keep_answer(world, &name, outcome)
}

#[then(expr = "she/he/they receive(s) a new id token and access token, and no refresh token")]
async fn refreshed_tokens(world: &mut CognitoWorld) -> Result<()> {
    let t = world.current_tokens()?;
    let previous = world
        .auth
        .previous
        .as_ref()
        .ok_or(Error::Missing("earlier tokens"))?;
    expect_eq(
        "a new id token",
        true,
        t.id != previous.id && !t.id.expose().is_empty(),
    )?;
    expect_eq(
        "a new access token",
        true,
        t.access != previous.access && !t.access.expose().is_empty(),
    )?;
    expect_eq("a refresh token in the answer", false, t.refresh.is_some())
}

#[when(expr = "{person} says she/he/they forgot {pronoun} password")]
async fn forgot(world: &mut CognitoWorld, name: PersonName, _pronoun: Pronoun) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    let client = world.client(None)?.clone();
    let outcome = world
        .target
        .cognito()
        .forgot_password()
        .client_id(&client.id)
        .set_secret_hash(client.secret_hash(&email))
        .username(email)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("ForgotPassword", &e));
    if let Some(out) = world.record(outcome) {
        world.answer.delivery = Delivery::from_sdk(out.code_delivery_details());
    }
    Ok(())
}

#[when(expr = "{person} chooses a new password with the code")]
async fn new_password(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let person = world.known(&name)?.clone();
    let code = person
        .mail
        .codes
        .last()
        .cloned()
        .ok_or(Error::Missing("a code read from the mail"))?;
    let new = Secret::new(strong_password());
    let client = world.client(None)?.clone();
    world
        .target
        .cognito()
        .confirm_forgot_password()
        .client_id(&client.id)
        .set_secret_hash(client.secret_hash(&person.email))
        .username(&person.email)
        .confirmation_code(code.expose())
        .password(new.expose())
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("ConfirmForgotPassword", &e).into_error())?;
    let person = world.person(&name);
    person.old_password = Some(std::mem::replace(&mut person.password, new));
    Ok(())
}

#[then(expr = "{person} can log in with the new password")]
async fn new_password_works(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    has_logged_in(world, name).await
}

#[then(expr = "{person} cannot log in with the old password")]
async fn old_password_fails(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let old = world
        .known(&name)?
        .old_password
        .clone()
        .ok_or(Error::Missing("an old password"))?;
    log_in(world, &name, &old, None).await?;
    let code = world.answer.error.as_ref().map(|e| e.code.as_str());
    expect_eq(
        "the old password to be refused with",
        Some("NotAuthorizedException"),
        code,
    )
}
