//! `USER_SRP_AUTH`: the password never crosses the wire. The client sends its public
//! `SRP_A`; the emulator answers `PASSWORD_VERIFIER` with the user's salt, its own
//! public `SRP_B` and a `SECRET_BLOCK` naming the exchange; the client answers with a
//! signature only the password's holder can make. The arithmetic is in
//! [`crate::cognito::srp`].

use std::collections::BTreeMap;

use super::{first_factor, new_session_id, param, session_expiry, Outcome, Params};
use crate::cognito::challenge::{Challenge, ChallengeSubject, PasswordVerifier};
use crate::cognito::client::AppClient;
use crate::cognito::effects::Effects;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::secret_hash;
use crate::cognito::srp::{self as protocol, Claim, ServerHalf, Verifier};
use crate::cognito::store::RegionState;
use crate::cognito::Cognito;
use crate::generated::cognito::shapes::ChallengeNameType;
use crate::shape::Timestamp;

/// Poses `PASSWORD_VERIFIER` for `USERNAME`, whose client sent `SRP_A`.
pub(super) fn start(
    state: &mut RegionState,
    pool_id: &str,
    client: &AppClient,
    params: &Params,
    prepared: Option<Prepared>,
    now: Timestamp,
) -> CognitoResult<Outcome> {
    let username = param(params, "USERNAME")?;
    let a_hex = param(params, "SRP_A")?;
    secret_hash::check(
        client,
        username,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    pose(state, pool_id, client, username, a_hex, prepared, now, None)
}

/// The server's half of an exchange, made before the state lock is taken (it costs a
/// 3072-bit exponentiation), with the verifier it was made for.
pub(super) type Prepared = (Verifier, ServerHalf);

/// Makes the server's half for `USERNAME` outside the lock, from the verifier the user
/// has now; [`pose`] uses it if the verifier is still the same.
pub(super) fn prepare(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    params: &Params,
) -> CognitoResult<Option<Prepared>> {
    let Some(username) = params.get("USERNAME") else {
        return Ok(None);
    };
    let verifier = svc.read(region, |state| {
        let pool = state.pool(pool_id)?;
        Ok(pool.user(username).map(|u| u.password.srp().clone()))
    })?;
    Ok(verifier.map(|v| {
        let half = v.start();
        (v, half)
    }))
}

/// Checks a `PASSWORD_VERIFIER` answer's proof outside the lock (two 3072-bit
/// exponentiations), against the challenge and verifier as they are now; [`verify`]
/// uses the result if the user's verifier is still the same.
pub(super) fn precheck(svc: &Cognito, region: &str, params: &Params) -> Option<(Verifier, bool)> {
    let secret_block = params.get("PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = params.get("PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = protocol::canonical_timestamp(params.get("TIMESTAMP")?)?;
    let (exchange, verifier) = svc
        .read(region, |state| {
            let Some(Challenge::PasswordVerifier(v)) = state.challenge(secret_block) else {
                return Ok(None);
            };
            let user = state
                .pool(&v.subject.pool_id)?
                .stored_user(&v.subject.username);
            Ok(user.map(|u| (v.clone(), u.password.srp().clone())))
        })
        .ok()??;
    let server = exchange.server.as_ref()?;
    let claim = Claim {
        a_hex: &exchange.a_hex,
        pool_id: &exchange.subject.pool_id,
        user_id: &exchange.subject.username,
        secret_block,
        timestamp: &timestamp,
        signature,
    };
    let proven = server.verifies(&verifier, &claim);
    Some((verifier, proven))
}

/// Poses `PASSWORD_VERIFIER` to the user called `username` (any of their names), for
/// the client's public `a_hex`: by `USER_SRP_AUTH`, by `USER_AUTH` with
/// `PASSWORD_SRP`, or by `CUSTOM_AUTH` with `SRP_A` (then `custom` holds the custom
/// challenges' history).
#[allow(clippy::too_many_arguments)] // one call per flow, each naming every part
pub(super) fn pose(
    state: &mut RegionState,
    pool_id: &str,
    client: &AppClient,
    username: &str,
    a_hex: &str,
    prepared: Option<Prepared>,
    now: Timestamp,
    custom: Option<Vec<serde_json::Value>>,
) -> CognitoResult<Outcome> {
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
            let server = match prepared {
                Some((v, half)) if v == *verifier => half,
                _ => verifier.start(),
            };
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
            custom,
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
    prechecked: Option<(Verifier, bool)>,
    now: Timestamp,
    effects: &mut Effects,
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
    first_factor::check(pool, &subject.username, now, |user| match &prechecked {
        Some((verifier, proven)) if verifier == user.password.srp() => *proven,
        _ => server.verifies(user.password.srp(), &claim),
    })?;
    // In custom authentication the password is one challenge among others:
    // DefineAuthChallenge decides what follows it.
    if let Some(mut history) = v.custom {
        history.push(serde_json::json!({
            "challengeName": "PASSWORD_VERIFIER",
            "challengeResult": true,
            "challengeMetadata": "",
        }));
        return Ok(Outcome::CustomContinues { subject, history });
    }
    first_factor::proven(
        state,
        &subject.pool_id,
        &client,
        &subject.username,
        now,
        effects,
    )
}
