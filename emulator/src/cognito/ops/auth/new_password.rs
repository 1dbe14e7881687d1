//! `NEW_PASSWORD_REQUIRED`: a user signed in with a temporary password chooses their
//! own, and may fill in attributes as they do.

use super::{answerer, mfa, param, Outcome, Params};
use crate::cognito::challenge::ChallengeSubject;
use crate::cognito::effects::Effects;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::password;
use crate::cognito::store::RegionState;
use crate::generated::cognito::shapes::UserStatusType;
use crate::shape::Timestamp;

/// Sets `NEW_PASSWORD` (and any `userAttributes.*`) for the challenged user, who is
/// then confirmed and goes on to the second factor, if the pool asks for one.
pub(super) fn answer(
    state: &mut RegionState,
    subject: ChallengeSubject,
    params: &Params,
    now: Timestamp,
    effects: &mut Effects,
) -> CognitoResult<Outcome> {
    let new_password = param(params, "NEW_PASSWORD")?;
    let client = answerer(state, &subject, params)?;
    let pool = state.pool_mut(&subject.pool_id)?;
    password::check(new_password, &pool.password_policy())?;
    pool.edit_user(&subject.username, |user| {
        for (k, v) in params {
            if let Some(name) = k.strip_prefix("userAttributes.") {
                user.set_attribute(name, v);
            }
        }
        user.set_password(&subject.pool_id, new_password);
        user.status = UserStatusType::Confirmed;
        user.temporary_password_expires = None;
        user.modified = now;
    })
    .ok_or_else(CognitoError::user_not_found)?;
    let outcome = mfa::next(
        state,
        &subject.pool_id,
        &client,
        &subject.username,
        now,
        effects,
    )?;
    Ok(match outcome {
        // Tokens straight after the new password are told apart, as on AWS.
        Outcome::Tokens(mut grant) => {
            grant.source = "TokenGeneration_NewPasswordChallenge";
            Outcome::Tokens(grant)
        }
        other => other,
    })
}
