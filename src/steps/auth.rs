//! Logging in, refreshing, and resetting a forgotten password.

use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use cucumber::{given, then, when};

use super::expect_eq;
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
        world.challenge = out.session().map(Secret::new);
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

#[when(regex = r"^(\w+) logs in with (?:her|his|their) password$")]
async fn logs_in(world: &mut CognitoWorld, name: String) -> Result<()> {
    let password = world.known(&name)?.password.clone();
    log_in(world, &name, &password, None).await
}

#[given(regex = r"^(\w+) has logged in$")]
async fn has_logged_in(world: &mut CognitoWorld, name: String) -> Result<()> {
    logs_in(world, name).await?;
    world
        .last_error
        .take()
        .map_or(Ok(()), |e| Err(e.into_error()))
}

#[when(regex = r#"^(\w+) logs in with (?:her|his|their) password through the client "([^"]+)"$"#)]
async fn logs_in_through(world: &mut CognitoWorld, name: String, client: String) -> Result<()> {
    let password = world.known(&name)?.password.clone();
    log_in(world, &name, &password, Some(&client)).await
}

#[when(regex = r"^(\w+) logs in with a wrong password$")]
async fn wrong_password(world: &mut CognitoWorld, name: String) -> Result<()> {
    log_in(world, &name, &Secret::new(strong_password()), None).await
}

#[when(regex = r"^(\w+), who never signed up, logs in$")]
async fn stranger_logs_in(world: &mut CognitoWorld, name: String) -> Result<()> {
    let password = world.person(&name).password.clone();
    log_in(world, &name, &password, None).await
}

#[then(regex = r"^(?:she|he|they) receives? an id token, an access token and a refresh token$")]
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

#[then(regex = r"^the tokens are Bearer tokens that expire in (\d+) seconds$")]
async fn bearer_expiry(world: &mut CognitoWorld, seconds: i32) -> Result<()> {
    let t = world.current_tokens()?;
    expect_eq("TokenType", Some("Bearer"), t.token_type.as_deref())?;
    expect_eq("ExpiresIn", seconds, t.expires_in)
}

#[when(regex = r"^(\w+) refreshes (?:her|his|their) session with the refresh token$")]
async fn refreshes(world: &mut CognitoWorld, name: String) -> Result<()> {
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

#[then(
    regex = r"^(?:she|he|they) receives? a new id token and access token, and no refresh token$"
)]
async fn refreshed_tokens(world: &mut CognitoWorld) -> Result<()> {
    let t = world.current_tokens()?;
    let previous = world
        .previous_tokens
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

#[when(regex = r"^(\w+) says (?:she|he|they) forgot (?:her|his|their) password$")]
async fn forgot(world: &mut CognitoWorld, name: String) -> Result<()> {
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
        world.last_delivery = Delivery::from_sdk(out.code_delivery_details());
    }
    Ok(())
}

#[when(regex = r"^(\w+) chooses a new password with the code$")]
async fn new_password(world: &mut CognitoWorld, name: String) -> Result<()> {
    let person = world.known(&name)?.clone();
    let code = person
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

#[then(regex = r"^(\w+) can log in with the new password$")]
async fn new_password_works(world: &mut CognitoWorld, name: String) -> Result<()> {
    has_logged_in(world, name).await
}

#[then(regex = r"^(\w+) cannot log in with the old password$")]
async fn old_password_fails(world: &mut CognitoWorld, name: String) -> Result<()> {
    let old = world
        .known(&name)?
        .old_password
        .clone()
        .ok_or(Error::Missing("an old password"))?;
    log_in(world, &name, &old, None).await?;
    let code = world.last_error.as_ref().map(|e| e.code.as_str());
    expect_eq(
        "the old password to be refused with",
        Some("NotAuthorizedException"),
        code,
    )
}
