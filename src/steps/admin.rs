//! What an administrator does for a user: create them with a mailed temporary password,
//! which the user trades for their own at first sign-in.

use aws_sdk_cognitoidentityprovider::types::{ChallengeNameType, DeliveryMediumType};
use cucumber::{then, when};

use super::auth::{pending, respond};
use super::mail::{read_secret, Template};
use super::params::{PersonName, Pronoun};
use crate::api_error::ApiError;
use crate::error::Result;
use crate::secrets::Secret;
use crate::world::{strong_password, CognitoWorld};

#[when(expr = "an administrator creates the user {person}")]
async fn admin_creates(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let email = world.person(&name).email.clone();
    world
        .cognito()
        .admin_create_user()
        .user_pool_id(&world.pool()?.id)
        .username(&email)
        // AWS's default medium is SMS; the invitation is asked for by e-mail.
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("AdminCreateUser", &e).into_error())?;
    world.own_user(&email)
}

#[when(expr = "{person} reads {pronoun} temporary password in the mail {string}")]
async fn reads_temporary_password(
    world: &mut CognitoWorld,
    name: PersonName,
    _pronoun: Pronoun,
    subject: String,
) -> Result<()> {
    let temporary = read_secret(world, &name, &subject, Template::Invitation).await?;
    world.person(&name).password = temporary;
    Ok(())
}

#[then(expr = "she/he/they is/are asked to choose a new password")]
async fn asked_for_new_password(world: &mut CognitoWorld) -> Result<()> {
    pending(world, &ChallengeNameType::NewPasswordRequired).map(drop)
}

#[when(expr = "{person} chooses a new password")]
async fn chooses_new_password(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let chosen = Secret::new(strong_password());
    respond(
        world,
        ChallengeNameType::NewPasswordRequired,
        vec![("NEW_PASSWORD", chosen.expose().to_owned())],
    )
    .await?;
    if world.answer.error.is_none() {
        world.person(&name).password = chosen;
    }
    Ok(())
}
