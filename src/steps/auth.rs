//! Logging in, answering the challenges a sign-in poses, refreshing, and resetting a
//! forgotten password.

use std::collections::HashMap;

use aws_sdk_cognitoidentityprovider::operation::initiate_auth::InitiateAuthOutput;
use aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput;
use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, AuthenticationResultType, ChallengeNameType,
};
use cucumber::{given, then, when};

use super::expect_eq;
use super::params::{PersonName, Pronoun};
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::secrets::Secret;
use crate::world::{strong_password, Challenge, ClientRef, CognitoWorld, Delivery};

/// USER_PASSWORD_AUTH as `username` (`name`'s address unless given) through `client`
/// (the scenario's current one when `None`); keeps the tokens, the challenge or the
/// error for later steps.
pub(crate) async fn log_in_as(
    world: &mut CognitoWorld,
    name: &str,
    username: Option<&str>,
    password: &Secret,
    client: Option<&str>,
) -> Result<()> {
    let email = match username {
        Some(u) => u.to_owned(),
        None => world.person(name).email.clone(),
    };
    let client = world.client(client)?.clone();
    let mut request = world
        .cognito()
        .initiate_auth()
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .client_id(&client.id)
        .auth_parameters("USERNAME", &email)
        .auth_parameters("PASSWORD", password.expose());
    if let Some(hash) = client.secret_hash(&email) {
        request = request.auth_parameters("SECRET_HASH", hash);
    }
    // A new sign-in: whatever an earlier one left unanswered is void.
    world.auth.challenge = None;
    let outcome = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("InitiateAuth", &e));
    keep_answer(world, name, &client, outcome)
}

/// USER_PASSWORD_AUTH as `name` with `password`, through `client` or the current one.
async fn log_in(
    world: &mut CognitoWorld,
    name: &str,
    password: &Secret,
    client: Option<&str>,
) -> Result<()> {
    log_in_as(world, name, None, password, client).await
}

/// The access token of `name`'s last sign-in: what calls made as the signed-in user
/// carry (ChangePassword, UpdateUserAttributes, AssociateSoftwareToken...).
pub(crate) fn access_token(world: &CognitoWorld, name: &str) -> Result<Secret> {
    let tokens = world.current_tokens()?;
    if tokens.person != name {
        return Err(Error::unexpected(
            format!("tokens of {name}'s sign-in"),
            format!("those of {}", tokens.person),
        ));
    }
    Ok(tokens.access.clone())
}

/// What a sign-in call answered: tokens, or a challenge to answer next.
pub(crate) struct SignInAnswer {
    challenge: Option<ChallengeNameType>,
    session: Option<String>,
    parameters: HashMap<String, String>,
    available: Vec<ChallengeNameType>,
    result: Option<AuthenticationResultType>,
}

impl From<InitiateAuthOutput> for SignInAnswer {
    fn from(out: InitiateAuthOutput) -> Self {
        Self {
            challenge: out.challenge_name,
            session: out.session,
            parameters: out.challenge_parameters.unwrap_or_default(),
            available: out.available_challenges.unwrap_or_default(),
            result: out.authentication_result,
        }
    }
}

impl From<RespondToAuthChallengeOutput> for SignInAnswer {
    fn from(out: RespondToAuthChallengeOutput) -> Self {
        Self {
            challenge: out.challenge_name,
            session: out.session,
            parameters: out.challenge_parameters.unwrap_or_default(),
            available: Vec::new(),
            result: out.authentication_result,
        }
    }
}

/// Keeps what a sign-in call answered: the error, the tokens, or the challenge to answer
/// next (a temporary password's NEW_PASSWORD_REQUIRED, SRP's PASSWORD_VERIFIER, a second
/// factor...).
pub(crate) fn keep_answer<T: Into<SignInAnswer>>(
    world: &mut CognitoWorld,
    name: &str,
    client: &ClientRef,
    outcome: std::result::Result<T, ApiError>,
) -> Result<()> {
    let Some(answer) = world.record(outcome).map(Into::into) else {
        return Ok(());
    };
    if let Some(result) = &answer.result {
        world.keep_tokens(name, &client.id, result);
        return Ok(());
    }
    let name_of_challenge = answer
        .challenge
        .ok_or_else(|| Error::unexpected("an AuthenticationResult or a challenge", "neither"))?;
    world.auth.challenge = Some(Challenge {
        person: name.to_owned(),
        client: client.name.clone(),
        name: name_of_challenge,
        session: answer.session.map(Secret::new),
        parameters: answer.parameters,
        available: answer.available,
    });
    Ok(())
}

/// The pending challenge, which must be `expected`.
pub(crate) fn pending(world: &CognitoWorld, expected: &ChallengeNameType) -> Result<Challenge> {
    if let Some(e) = &world.answer.error {
        return Err(Error::unexpected(format!("the challenge {expected}"), e));
    }
    match &world.auth.challenge {
        Some(c) if &c.name == expected => Ok(c.clone()),
        Some(c) => Err(Error::unexpected(
            format!("the challenge {expected}"),
            format!("the challenge {}", c.name),
        )),
        None => Err(Error::unexpected(
            format!("the challenge {expected}"),
            "tokens or nothing",
        )),
    }
}

/// Answers the pending challenge, which must be `expected`, with `responses`; adds
/// `USERNAME` (Cognito's name for the user, where the challenge gives it, else the
/// person's address), `SECRET_HASH` for clients with a secret, and the `Session`. Keeps
/// the tokens, the next challenge or the error.
pub(crate) async fn respond(
    world: &mut CognitoWorld,
    expected: ChallengeNameType,
    responses: Vec<(&str, String)>,
) -> Result<()> {
    let challenge = pending(world, &expected)?;
    let client = world.client(Some(&challenge.client))?.clone();
    let username = match challenge
        .parameters
        .get("USER_ID_FOR_SRP")
        .or(challenge.parameters.get("USERNAME"))
    {
        Some(u) => u.clone(),
        None => world.known(&challenge.person)?.email.clone(),
    };
    let mut request = world
        .cognito()
        .respond_to_auth_challenge()
        .client_id(&client.id)
        .challenge_name(expected)
        .set_session(challenge.session.as_ref().map(|s| s.expose().to_owned()))
        .challenge_responses("USERNAME", &username);
    if let Some(hash) = client.secret_hash(&username) {
        request = request.challenge_responses("SECRET_HASH", hash);
    }
    for (key, value) in responses {
        request = request.challenge_responses(key, value);
    }
    let outcome = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("RespondToAuthChallenge", &e));
    keep_answer(world, &challenge.person, &client, outcome)
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
    keep_answer(world, &name, &client, outcome)
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
