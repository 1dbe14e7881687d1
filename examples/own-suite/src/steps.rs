//! The team's own steps, on the harness's World. They sit beside the harness's steps:
//! cucumber collects every `#[given]`, `#[when]` and `#[then]` on `CognitoWorld` in the
//! binary, whichever crate defines it.

use cognito_e2e::world::CognitoWorld;
use cognito_e2e::{Error, Result};
use cucumber::then;

/// Our app keeps users signed in for an hour: the access token must say so.
#[then(expr = "{word}'s session lasts an hour")]
pub async fn session_lasts_an_hour(world: &mut CognitoWorld, name: String) -> Result<()> {
    let tokens = world.current_tokens()?;
    if tokens.person != name {
        return Err(Error::unexpected(
            format!("{name}'s tokens"),
            &tokens.person,
        ));
    }
    match tokens.expires_in {
        3600 => Ok(()),
        other => Err(Error::unexpected("ExpiresIn 3600", other)),
    }
}
