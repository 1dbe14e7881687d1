//! `USER_PASSWORD_AUTH`, `ADMIN_USER_PASSWORD_AUTH` and the legacy `ADMIN_NO_SRP_AUTH`:
//! the password itself is sent and checked against its salted hash.

use super::{first_factor, param, Outcome, Params};
use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::secret_hash;
use crate::cognito::store::RegionState;
use crate::shape::Timestamp;

/// Checks `USERNAME` and `PASSWORD`, then goes on as the user's state asks.
pub(super) fn sign_in(
    state: &mut RegionState,
    pool_id: &str,
    client: &AppClient,
    params: &Params,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let username = param(params, "USERNAME")?;
    let password = param(params, "PASSWORD")?;
    secret_hash::check(
        client,
        username,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    let pool = state.pool_mut(pool_id)?;
    let Some(key) = pool.find_username(username) else {
        return Err(if client.hides_user_existence() {
            CognitoError::bad_credentials()
        } else {
            CognitoError::user_not_found()
        });
    };
    first_factor::check(pool, &key, now, |user| user.password.matches(password))?;
    first_factor::proven(state, pool_id, client, &key, now)
}
