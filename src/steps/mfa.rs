//! A second factor from an authenticator app (software-token MFA, TOTP as RFC 6238
//! makes it: SHA-1, 6 digits, 30-second steps). Cognito shares a secret with the app
//! (AssociateSoftwareToken), the user proves the app works with one of its codes
//! (VerifySoftwareToken), and from then on a sign-in may ask for the code the app shows
//! (SOFTWARE_TOKEN_MFA). Where the pool requires MFA, the first sign-in sets the app up
//! in its middle (MFA_SETUP), with the sign-in's session instead of an access token.
//!
//! The codes come from `totp-rs`, as an app computes them from the secret and the clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, SoftwareTokenMfaConfigType, SoftwareTokenMfaSettingsType, UserPoolMfaType,
    VerifySoftwareTokenResponseType,
};
use cucumber::{given, then, when};
use totp_rs::{Algorithm, TOTP};

use super::auth::{access_token, log_in_as, pending, respond};
use super::expect_eq;
use super::params::{MfaMode, PersonName, Pronoun};
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::secrets::Secret;
use crate::world::{Authenticator, CognitoWorld};

/// An authenticator app's step: a new code every 30 seconds.
const STEP_SECS: u64 = 30;

/// How far past the start of a step the app waits before showing its code, when it has
/// to wait: room for a small difference between this machine's clock and the service's.
const STEP_MARGIN: Duration = Duration::from_secs(1);

impl From<MfaMode> for UserPoolMfaType {
    fn from(mode: MfaMode) -> Self {
        match mode {
            MfaMode::Optional => UserPoolMfaType::Optional,
            MfaMode::Required => UserPoolMfaType::On,
        }
    }
}

/// The app's code generator for `secret`.
fn totp(secret: &Secret) -> Result<TOTP> {
    let bytes = totp_rs::Secret::Encoded(secret.expose().to_owned())
        .to_bytes()
        .map_err(|_| {
            Error::unexpected(
                "a secret an authenticator app can read (base32)",
                "one it cannot decode",
            )
        })?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP_SECS, bytes)
        .map_err(|e| Error::unexpected("a secret an authenticator app accepts", e))
}

fn since_epoch() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
}

/// How long the app must wait, at `now`, before it shows a code that was not used yet:
/// nothing when the current step is later than `last_step`, otherwise until the next step
/// begins (plus [`STEP_MARGIN`]).
fn wait_for_unused_step(now: Duration, last_step: Option<u64>) -> Duration {
    match last_step {
        Some(last) if now.as_secs() / STEP_SECS <= last => {
            (Duration::from_secs((last + 1) * STEP_SECS) + STEP_MARGIN).saturating_sub(now)
        }
        _ => Duration::ZERO,
    }
}

/// The code `name`'s app shows, from a step whose code was not used yet.
///
/// Cognito accepts a code once: after verifying the app with one code, a sign-in right
/// after needs the code of the next 30-second step. When the current step's code was used
/// already, this sleeps until the next step begins (at most 31 s): the time a user waits
/// for their app to show a new code. Only scenarios that use two codes in a row wait.
async fn unused_code(world: &mut CognitoWorld, name: &str) -> Result<Secret> {
    let app = world
        .known(name)?
        .app
        .clone()
        .ok_or(Error::Missing("an authenticator app"))?;
    let wait = wait_for_unused_step(since_epoch(), app.last_step);
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let now = since_epoch().as_secs();
    let code = Secret::new(totp(&app.secret)?.generate(now));
    if let Some(app) = world.person(name).app.as_mut() {
        app.last_step = Some(now / STEP_SECS);
    }
    Ok(code)
}

/// A 6-digit code that the app shows neither now nor in the step before or after.
fn wrong_code(totp: &TOTP, now: u64) -> String {
    let valid: Vec<String> = [now.saturating_sub(STEP_SECS), now, now + STEP_SECS]
        .iter()
        .map(|t| totp.generate(*t))
        .collect();
    let mut n = valid[1].parse::<u32>().unwrap_or(0).wrapping_add(500_000) % 1_000_000;
    while valid.contains(&format!("{n:06}")) {
        n = (n + 1) % 1_000_000;
    }
    format!("{n:06}")
}

/// Whether `name` is in the middle of a sign-in that asks them to set up MFA: the app is
/// then set up with the sign-in's session rather than an access token.
fn setting_up(world: &CognitoWorld, name: &str) -> bool {
    world
        .auth
        .challenge
        .as_ref()
        .is_some_and(|c| c.name == ChallengeNameType::MfaSetup && c.person == name)
}

/// Hands the sign-in's next session on to the pending MFA_SETUP challenge.
fn pass_session_on(world: &mut CognitoWorld, session: Option<&str>) {
    if let Some(challenge) = world.auth.challenge.as_mut() {
        challenge.session = session.map(Secret::new);
    }
}

#[given(expr = "the pool {mfa} MFA with an authenticator app")]
async fn pool_mfa_with_app(world: &mut CognitoWorld, mode: MfaMode) -> Result<()> {
    world
        .cognito()
        .set_user_pool_mfa_config()
        .user_pool_id(&world.pool()?.id)
        .mfa_configuration(mode.into())
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("SetUserPoolMfaConfig", &e).into_error())?;
    Ok(())
}

#[when(expr = "{person} adds an authenticator app to {pronoun} account")]
async fn adds_app(world: &mut CognitoWorld, name: PersonName, _pronoun: Pronoun) -> Result<()> {
    let setup = setting_up(world, &name);
    let request = world.cognito().associate_software_token();
    let request = if setup {
        let session = pending(world, &ChallengeNameType::MfaSetup)?.session;
        request.set_session(session.map(|s| s.expose().to_owned()))
    } else {
        request.access_token(access_token(world, &name)?.expose())
    };
    let outcome = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("AssociateSoftwareToken", &e));
    if let Some(out) = world.record(outcome) {
        let secret = out
            .secret_code()
            .ok_or_else(|| Error::unexpected("a SecretCode for the app", "none"))?;
        world.person(&name).app = Some(Authenticator {
            secret: Secret::new(secret),
            last_step: None,
        });
        if setup {
            pass_session_on(world, out.session());
        }
    }
    Ok(())
}

#[then(expr = "Cognito shares a secret of {int} base32 characters with {person}'s app")]
async fn secret_shape(world: &mut CognitoWorld, length: usize, name: PersonName) -> Result<()> {
    if let Some(e) = &world.answer.error {
        return Err(Error::unexpected("a secret for the app", e));
    }
    let app = world
        .known(&name)?
        .app
        .as_ref()
        .ok_or(Error::Missing("an authenticator app"))?;
    let secret = app.secret.expose();
    let base32 = secret
        .chars()
        .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c));
    // The secret itself is never shown: its length and alphabet are.
    expect_eq(
        "the secret's (length, all base32)",
        (length, true),
        (secret.chars().count(), base32),
    )
}

#[when(expr = "{person} confirms the app with the code it shows")]
async fn confirms_app(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let setup = setting_up(world, &name);
    let code = unused_code(world, &name).await?;
    let request = world
        .cognito()
        .verify_software_token()
        .user_code(code.expose())
        .friendly_device_name(format!("{name}'s phone"));
    let request = if setup {
        let session = pending(world, &ChallengeNameType::MfaSetup)?.session;
        request.set_session(session.map(|s| s.expose().to_owned()))
    } else {
        request.access_token(access_token(world, &name)?.expose())
    };
    // No step checks a refusal here: a refused code fails the step at once, rather than
    // surfacing later as a sign-in that asks for no code.
    let out = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("VerifySoftwareToken", &e).into_error())?;
    expect_eq(
        "VerifySoftwareToken's Status",
        Some(&VerifySoftwareTokenResponseType::Success),
        out.status(),
    )?;
    if setup {
        pass_session_on(world, out.session());
    }
    Ok(())
}

#[when(expr = "{person} makes the app {pronoun} preferred second factor")]
async fn prefers_app(world: &mut CognitoWorld, name: PersonName, _pronoun: Pronoun) -> Result<()> {
    let token = access_token(world, &name)?;
    world
        .cognito()
        .set_user_mfa_preference()
        .access_token(token.expose())
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .preferred_mfa(true)
                .build(),
        )
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("SetUserMFAPreference", &e).into_error())?;
    Ok(())
}

#[given(expr = "{person} has set up an authenticator app as {pronoun} preferred second factor")]
async fn has_set_up_app(
    world: &mut CognitoWorld,
    name: PersonName,
    pronoun: Pronoun,
) -> Result<()> {
    let password = world.known(&name)?.password.clone();
    log_in_as(world, &name, None, &password, None).await?;
    world.take_error()?;
    adds_app(world, name.clone(), pronoun).await?;
    world.take_error()?;
    confirms_app(world, name.clone()).await?;
    prefers_app(world, name, pronoun).await
}

#[then(expr = "she/he/they is/are asked for the code from {pronoun} authenticator app")]
async fn asked_for_app_code(world: &mut CognitoWorld, _pronoun: Pronoun) -> Result<()> {
    pending(world, &ChallengeNameType::SoftwareTokenMfa).map(drop)
}

#[then(expr = "she/he/they is/are asked to set up an authenticator app")]
async fn asked_to_set_up(world: &mut CognitoWorld) -> Result<()> {
    let challenge = pending(world, &ChallengeNameType::MfaSetup)?;
    let can_set_up: Vec<String> =
        serde_json::from_str(challenge.parameter("MFAS_CAN_SETUP")?).unwrap_or_default();
    expect_eq(
        "MFAS_CAN_SETUP to offer SOFTWARE_TOKEN_MFA",
        true,
        can_set_up.iter().any(|f| f == "SOFTWARE_TOKEN_MFA"),
    )
}

#[when(expr = "{person} enters the next code {pronoun} app shows")]
async fn enters_app_code(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    pending(world, &ChallengeNameType::SoftwareTokenMfa)?;
    let code = unused_code(world, &name).await?;
    respond(
        world,
        ChallengeNameType::SoftwareTokenMfa,
        vec![("SOFTWARE_TOKEN_MFA_CODE", code.expose().to_owned())],
    )
    .await
}

#[when(expr = "{person} enters a wrong code")]
async fn enters_wrong_code(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    pending(world, &ChallengeNameType::SoftwareTokenMfa)?;
    let app = world
        .known(&name)?
        .app
        .clone()
        .ok_or(Error::Missing("an authenticator app"))?;
    let wrong = Secret::new(wrong_code(&totp(&app.secret)?, since_epoch().as_secs()));
    respond(
        world,
        ChallengeNameType::SoftwareTokenMfa,
        vec![("SOFTWARE_TOKEN_MFA_CODE", wrong.expose().to_owned())],
    )
    .await
}

#[when(expr = "{person} goes on with {pronoun} sign-in")]
async fn goes_on(world: &mut CognitoWorld, _name: PersonName, _pronoun: Pronoun) -> Result<()> {
    respond(world, ChallengeNameType::MfaSetup, Vec::new()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_of_a_used_step_waits_for_the_next_step() {
        let at = |secs: f64| Duration::from_secs_f64(secs);
        // Never used, or used in an earlier step: no wait.
        assert_eq!(wait_for_unused_step(at(65.0), None), Duration::ZERO);
        assert_eq!(wait_for_unused_step(at(65.0), Some(1)), Duration::ZERO);
        // Used in this step (60..90): until 90 s, and the margin.
        assert_eq!(wait_for_unused_step(at(65.5), Some(2)), at(25.5));
        assert_eq!(wait_for_unused_step(at(89.9), Some(2)).as_millis(), 1100);
    }

    #[test]
    fn codes_are_rfc_6238_and_a_wrong_one_is_none_of_the_near_steps() {
        // RFC 6238's SHA-1 test secret ("12345678901234567890"), in base32.
        let secret = Secret::new("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let app = totp(&secret).expect("a usable secret");
        assert_eq!(app.generate(59), "287082");
        assert_eq!(app.generate(1_111_111_109), "081804");
        let wrong = wrong_code(&app, 59);
        assert_eq!(wrong.len(), 6);
        for t in [29, 59, 89] {
            assert_ne!(wrong, app.generate(t));
        }
    }
}
