//! Signing in by SRP (`USER_SRP_AUTH`), as production apps do: the password never leaves
//! the device. The app sends `SRP_A`; Cognito answers with the PASSWORD_VERIFIER
//! challenge (`SRP_B`, `SALT`, `SECRET_BLOCK`, `USER_ID_FOR_SRP`); the app proves it knows
//! the password with a signature over them. The `aws-cognito-srp` crate, an SRP client
//! written independently of the emulator, does the arithmetic.

use aws_cognito_srp::{SrpClient, User, VerificationParameters};
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ChallengeNameType};
use cucumber::when;

use super::auth::{keep_answer, pending, respond};
use super::params::{PersonName, Pronoun};
use crate::api_error::ApiError;
use crate::error::{Error, Result};
use crate::secrets::Secret;
use crate::world::{strong_password, CognitoWorld};

/// Signs `name` in by SRP with `password` through the current client: InitiateAuth
/// `USER_SRP_AUTH`, then the answer to PASSWORD_VERIFIER. Keeps the tokens, the next
/// challenge or the error, whichever of the two calls refused.
async fn srp_log_in(world: &mut CognitoWorld, name: &str, password: &Secret) -> Result<()> {
    let email = world.person(name).email.clone();
    let client = world.client(None)?.clone();
    let pool_id = world.pool()?.id.clone();
    // SECRET_HASH, where the client has a secret, is the harness's own (ClientRef), so the
    // SRP client is given none.
    let srp = SrpClient::new(
        User::new(&pool_id, &email, password.expose()),
        &client.id,
        None,
    );
    let start = srp.get_auth_parameters();
    let mut request = world
        .cognito()
        .initiate_auth()
        .auth_flow(AuthFlowType::UserSrpAuth)
        .client_id(&client.id)
        .auth_parameters("USERNAME", &start.username)
        .auth_parameters("SRP_A", &start.a);
    if let Some(hash) = client.secret_hash(&email) {
        request = request.auth_parameters("SECRET_HASH", hash);
    }
    world.auth.challenge = None;
    let outcome = request
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("InitiateAuth", &e));
    keep_answer(world, name, &client, outcome)?;
    if world.answer.error.is_some() {
        return Ok(());
    }
    let challenge = pending(world, &ChallengeNameType::PasswordVerifier)?;
    // The proof is over the name Cognito knows the user by (the sub, where the e-mail
    // address is the username); the answer's USERNAME is that name too (see `respond`).
    let VerificationParameters {
        password_claim_secret_block,
        password_claim_signature,
        timestamp,
    } = srp
        .verify(
            challenge.parameter("SECRET_BLOCK")?,
            challenge.parameter("USER_ID_FOR_SRP")?,
            challenge.parameter("SALT")?,
            challenge.parameter("SRP_B")?,
        )
        .map_err(|e| {
            Error::unexpected(
                "SRP_B, SALT and SECRET_BLOCK that an SRP client can work with",
                e,
            )
        })?;
    respond(
        world,
        ChallengeNameType::PasswordVerifier,
        vec![
            ("PASSWORD_CLAIM_SECRET_BLOCK", password_claim_secret_block),
            ("PASSWORD_CLAIM_SIGNATURE", password_claim_signature),
            ("TIMESTAMP", timestamp),
        ],
    )
    .await
}

#[when(expr = "{person} logs in by SRP with {pronoun} password")]
async fn logs_in_by_srp(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
) -> Result<()> {
    let password = world.known(&name)?.password.clone();
    srp_log_in(world, &name, &password).await
}

#[when(expr = "{person} logs in by SRP with a wrong password")]
async fn logs_in_by_srp_wrongly(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    srp_log_in(world, &name, &Secret::new(strong_password())).await
}
