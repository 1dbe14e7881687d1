//! Codes by e-mail: signing in without a password (choice-based sign-in, `USER_AUTH`, with
//! a mailed EMAIL_OTP), choosing how to sign in (SELECT_CHALLENGE), and a mailed code as
//! the second factor after the password. Both need a pool that sends its mail through
//! the scenario's own SES sender (`DEVELOPER`), as the tutorial's pool names it.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, AuthFlowType, ChallengeNameType, EmailMfaConfigType, EmailMfaSettingsType,
    ExplicitAuthFlowsType, UserPoolMfaType,
};
use cucumber::{given, then, when};

use super::auth::{keep_answer, pending, respond};
use super::client::create_client;
use super::expect_eq;
use super::mail::{read_secret, Template};
use super::params::{MfaMode, PersonName, Pronoun};
use super::pool::{create_pool, PoolOptions};
use super::sign_up::masked;
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::world::CognitoWorld;

/// The message the scenarios' pools mail sign-in codes in.
const SIGN_IN_MESSAGE: &str = "Your sign-in code is {####}.";

/// A pool with e-mail as the username that mails through SES from the verified sender,
/// letting users start a sign-in with `first_factors` when there are some.
async fn ses_pool(world: &mut CognitoWorld, first_factors: Vec<AuthFactorType>) -> Result<()> {
    let sender = world
        .pools
        .sender
        .clone()
        .ok_or(Error::Missing("a verified SES sender"))?;
    let options = PoolOptions {
        email_username: true,
        sender: Some(sender),
        ses_sending: true,
        first_factors,
        ..PoolOptions::default()
    };
    create_pool(world, "pool", options).await
}

#[given("a user pool that mails through SES from the sender, with e-mail as the username")]
async fn ses_mail_pool(world: &mut CognitoWorld) -> Result<()> {
    ses_pool(world, Vec::new()).await
}

#[given(
    "a user pool that mails through SES from the sender and lets users sign in with a password or a code by e-mail"
)]
async fn passwordless_pool(world: &mut CognitoWorld) -> Result<()> {
    ses_pool(
        world,
        vec![AuthFactorType::Password, AuthFactorType::EmailOtp],
    )
    .await
}

/// Sets the pool's mail for sign-in codes (`EmailMfaConfiguration`), and its MFA mode
/// when `mode` is given.
async fn sign_in_mail(
    world: &mut CognitoWorld,
    mode: Option<UserPoolMfaType>,
    subject: &str,
) -> Result<()> {
    world
        .cognito()
        .set_user_pool_mfa_config()
        .user_pool_id(&world.pool()?.id)
        .set_mfa_configuration(mode)
        .email_mfa_configuration(
            EmailMfaConfigType::builder()
                .subject(subject)
                .message(SIGN_IN_MESSAGE)
                .build(),
        )
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("SetUserPoolMfaConfig", &e).into_error())?;
    Ok(())
}

#[given(expr = "the pool sends sign-in codes in the mail {string}")]
async fn sends_sign_in_codes(world: &mut CognitoWorld, subject: String) -> Result<()> {
    sign_in_mail(world, None, &subject).await
}

#[given(expr = "the pool {mfa} MFA by e-mail, with the code in the mail {string}")]
async fn email_mfa(world: &mut CognitoWorld, mode: MfaMode, subject: String) -> Result<()> {
    sign_in_mail(world, Some(mode.into()), &subject).await
}

#[given(expr = "an app client {string} that lets users choose how they sign in")]
async fn choice_client(world: &mut CognitoWorld, name: String) -> Result<()> {
    let flows = vec![
        ExplicitAuthFlowsType::AllowUserAuth,
        ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ExplicitAuthFlowsType::AllowRefreshTokenAuth,
    ];
    create_client(world, &name, Some(flows)).await
}

#[given(expr = "an administrator has turned on MFA by e-mail for {person}")]
async fn admin_turns_on_email_mfa(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    world
        .cognito()
        .admin_set_user_mfa_preference()
        .user_pool_id(&world.pool()?.id)
        .username(email)
        .email_mfa_settings(EmailMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("AdminSetUserMFAPreference", &e).into_error())?;
    Ok(())
}

/// Starts a choice-based sign-in (`USER_AUTH`) as `name`, naming the way they prefer
/// (`PREFERRED_CHALLENGE`) or none.
async fn start_user_auth(
    world: &mut CognitoWorld,
    name: &str,
    preferred: Option<&str>,
) -> Result<()> {
    let email = world.known(name)?.email.clone();
    let client = world.client(None)?.clone();
    let mut request = world
        .cognito()
        .initiate_auth()
        .auth_flow(AuthFlowType::UserAuth)
        .client_id(&client.id)
        .auth_parameters("USERNAME", &email);
    if let Some(challenge) = preferred {
        request = request.auth_parameters("PREFERRED_CHALLENGE", challenge);
    }
    if let Some(hash) = client.secret_hash(&email) {
        request = request.auth_parameters("SECRET_HASH", hash);
    }
    world.auth.challenge = None;
    let outcome = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("InitiateAuth", &e));
    keep_answer(world, name, &client, outcome)
}

#[when(expr = "{person} asks to sign in with a code sent by e-mail")]
async fn asks_for_mailed_code(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    start_user_auth(world, &name, Some("EMAIL_OTP")).await
}

#[when(expr = "{person} starts to sign in with only {pronoun} e-mail address")]
async fn starts_with_address(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    start_user_auth(world, &name, None).await
}

#[then(expr = "she/he/they is/are asked for the code sent to {pronoun} e-mail address")]
async fn asked_for_mailed_code(world: &mut CognitoWorld, _pronoun: Pronoun) -> Result<()> {
    let challenge = pending(world, &ChallengeNameType::EmailOtp)?;
    expect_eq(
        "CODE_DELIVERY_DELIVERY_MEDIUM",
        "EMAIL",
        challenge.parameter("CODE_DELIVERY_DELIVERY_MEDIUM")?,
    )?;
    let email = world.known(&challenge.person)?.email.clone();
    let forms = masked(&email);
    let destination = challenge.parameter("CODE_DELIVERY_DESTINATION")?;
    if forms.iter().any(|f| f == destination) {
        Ok(())
    } else {
        Err(Error::unexpected(
            format!("CODE_DELIVERY_DESTINATION to be {:?}", forms[0]),
            format!("{destination:?}"),
        ))
    }
}

#[when(expr = "{person} reads the sign-in code in the mail {string}")]
async fn reads_sign_in_code(
    world: &mut CognitoWorld,
    name: PersonName,
    subject: String,
) -> Result<()> {
    let code = read_secret(world, &name, &subject, Template::SignInCode).await?;
    world.person(&name).mail.codes.push(code);
    Ok(())
}

#[then(expr = "the sign-in code in {person}'s mail has {int} digits")]
async fn code_digits(world: &mut CognitoWorld, name: PersonName, digits: usize) -> Result<()> {
    let code = world
        .known(&name)?
        .mail
        .codes
        .last()
        .cloned()
        .ok_or(Error::Missing("a code read from the mail"))?;
    let code = code.expose();
    // The code itself is never shown: its length and whether it is all digits are.
    expect_eq(
        "the code's (length, all digits)",
        (digits, true),
        (
            code.chars().count(),
            code.chars().all(|c| c.is_ascii_digit()),
        ),
    )
}

#[when(expr = "{person} enters the code from the mail")]
async fn enters_mailed_code(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    pending(world, &ChallengeNameType::EmailOtp)?;
    let code = world
        .known(&name)?
        .mail
        .codes
        .last()
        .cloned()
        .ok_or(Error::Missing("a code read from the mail"))?;
    respond(
        world,
        ChallengeNameType::EmailOtp,
        vec![("EMAIL_OTP_CODE", code.expose().to_owned())],
    )
    .await
}

#[then(
    expr = "she/he/they is/are asked to choose how to sign in: with a password or a code by e-mail"
)]
async fn asked_to_choose(world: &mut CognitoWorld) -> Result<()> {
    let challenge = pending(world, &ChallengeNameType::SelectChallenge)?;
    let offered = |c: &ChallengeNameType| challenge.available.contains(c);
    expect_eq(
        &format!(
            "AvailableChallenges {:?} to offer (PASSWORD, EMAIL_OTP)",
            challenge.available
        ),
        (true, true),
        (
            offered(&ChallengeNameType::Password),
            offered(&ChallengeNameType::EmailOtp),
        ),
    )
}

#[when(expr = "{person} chooses to sign in with {pronoun} password")]
async fn chooses_password(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    let password = world.known(&name)?.password.clone();
    respond(
        world,
        ChallengeNameType::SelectChallenge,
        vec![
            ("ANSWER", "PASSWORD".to_owned()),
            ("PASSWORD", password.expose().to_owned()),
        ],
    )
    .await
}
