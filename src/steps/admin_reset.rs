//! An administrator resets a user's password (AdminResetUserPassword): the user's
//! sign-in is refused until they choose a new password with the code Cognito mails them.

use cucumber::when;

use super::params::PersonName;
use crate::api_error::ApiError;
use crate::error::Result;
use crate::world::CognitoWorld;

#[when(expr = "an administrator resets {person}'s password")]
async fn admin_resets(world: &mut CognitoWorld, name: PersonName) -> Result<()> {
    let email = world.known(&name)?.email.clone();
    world
        .cognito()
        .admin_reset_user_password()
        .user_pool_id(&world.pool()?.id)
        .username(email)
        .send()
        .await
        .map_err(|e| ApiError::from_sdk("AdminResetUserPassword", &e).into_error())?;
    Ok(())
}
