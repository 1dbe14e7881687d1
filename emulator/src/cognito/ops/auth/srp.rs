//! `USER_SRP_AUTH`: the password never crosses the wire. The client sends its public
//! `SRP_A`; the emulator answers `PASSWORD_VERIFIER` with the user's salt, its own
//! public `SRP_B` and a `SECRET_BLOCK` naming the exchange; the client answers with a
//! signature only the password's holder can make. The arithmetic is in
//! [`crate::cognito::srp`].

use std::collections::BTreeMap;

use super::{first_factor, new_session_id, param, session_expiry, Outcome, Params};
use crate::cognito::challenge::{Challenge, ChallengeSubject, PasswordVerifier};
use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::secret_hash;
use crate::cognito::srp::{self as protocol, Claim, Verifier};
use crate::cognito::store::RegionState;
use crate::generated::cognito::shapes::ChallengeNameType;
use crate::shape::Timestamp;

/// Poses `PASSWORD_VERIFIER` for `USERNAME`, whose client sent `SRP_A`.
pub(super) fn start(
    state: &mut RegionState,
    pool_id: &str,
    client: &AppClient,
    params: &Params,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let username = param(params, "USERNAME")?;
    let a_hex = param(params, "SRP_A")?;
    secret_hash::check(
        client,
        username,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    if protocol::parse_public(a_hex).is_none() {
        return Err(CognitoError::InvalidParameterException(
            "SRP_A is not a valid SRP public value.".into(),
        ));
    }
    let pool = state.pool_mut(pool_id)?;
    let (user_id, salt, b_hex, server) = match pool.find_username(username) {
        Some(key) => {
            let user = pool
                .stored_user(&key)
                .ok_or_else(CognitoError::user_not_found)?;
            let verifier = user.password.srp();
            let server = verifier.start();
            (key, verifier.salt_hex(), server.b_hex(), Some(server))
        }
        None if client.hides_user_existence() => {
            // A user who does not exist gets a challenge that looks like any other and
            // can never be answered: the answer is refused as a wrong password.
            let decoy = Verifier::new(pool_id, username, &new_session_id());
            let b_hex = decoy.start().b_hex();
            (username.to_owned(), decoy.salt_hex(), b_hex, None)
        }
        None => return Err(CognitoError::user_not_found()),
    };
    let secret_block = new_session_id();
    state.pose_challenge(
        secret_block.clone(),
        Challenge::PasswordVerifier(PasswordVerifier {
            subject: ChallengeSubject {
                pool_id: pool_id.to_owned(),
                client_id: client.id.clone(),
                username: user_id.clone(),
                expires: session_expiry(client, now),
            },
            a_hex: a_hex.to_owned(),
            server,
        }),
        now,
    );
    Ok(Outcome::Challenge {
        name: ChallengeNameType::PasswordVerifier,
        session: None,
        parameters: BTreeMap::from([
            ("SALT".to_owned(), salt),
            ("SECRET_BLOCK".to_owned(), secret_block),
            ("SRP_B".to_owned(), b_hex),
            ("USERNAME".to_owned(), user_id.clone()),
            ("USER_ID_FOR_SRP".to_owned(), user_id),
        ]),
    })
}

/// Checks the client's `PASSWORD_CLAIM_SIGNATURE` for the exchange `v`, then goes on as
/// the user's state asks.
pub(super) fn verify(
    state: &mut RegionState,
    v: PasswordVerifier,
    params: &Params,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let signature = param(params, "PASSWORD_CLAIM_SIGNATURE")?;
    let secret_block = param(params, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let timestamp = param(params, "TIMESTAMP")?;
    let username = param(params, "USERNAME")?;
    let subject = v.subject;
    let pool = state.pool_mut(&subject.pool_id)?;
    let client = pool.client(&subject.client_id)?.clone();
    secret_hash::check(
        &client,
        username,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    let Some(timestamp) = protocol::canonical_timestamp(timestamp) else {
        return Err(CognitoError::InvalidParameterException(
            "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.".into(),
        ));
    };
    let Some(server) = v.server else {
        return Err(CognitoError::bad_credentials());
    };
    // The answer must name the user the challenge was posed to (by any of their names).
    if pool.find_username(username).as_deref() != Some(subject.username.as_str()) {
        return Err(CognitoError::bad_credentials());
    }
    let claim = Claim {
        a_hex: &v.a_hex,
        pool_id: &subject.pool_id,
        user_id: &subject.username,
        secret_block,
        timestamp: &timestamp,
        signature,
    };
    first_factor::check(pool, &subject.username, now, |user| {
        server.verifies(user.password.srp(), &claim)
    })?;
    first_factor::proven(state, &subject.pool_id, &client, &subject.username, now)
}
