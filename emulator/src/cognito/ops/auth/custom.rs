//! `CUSTOM_AUTH`: the pool's triggers run the sign-in. DefineAuthChallenge looks at the
//! challenges so far (`session`) and says what comes next: another challenge, tokens,
//! or failure; CreateAuthChallenge makes a `CUSTOM_CHALLENGE` (public parameters for
//! the client, private ones for the check); VerifyAuthChallengeResponse judges the
//! answer. Every call runs outside the state lock; the challenge between two calls waits
//! in the region's store, as the others do.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{new_session, new_session_id, param, session_expiry, Outcome, Params};
use crate::cognito::challenge::{Challenge, ChallengeSubject};
use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::secret_hash;
use crate::cognito::triggers::events::{self, Origin};
use crate::cognito::triggers::Trigger;
use crate::cognito::Cognito;
use crate::generated::cognito::shapes::{ChallengeNameType, UserStatusType};

/// Calls `trigger` for the user `subject` names, with `request`; the function's
/// `response`.
fn call(
    svc: &Cognito,
    subject: &ChallengeSubject,
    trigger: Trigger,
    source: &str,
    request: Value,
    response: Value,
) -> CognitoResult<Value> {
    let returned = svc.fire(&subject.pool_id, trigger, |pool, version| {
        let user = pool
            .stored_user(&subject.username)
            .ok_or_else(CognitoError::user_not_found)?;
        let mut request = request;
        request["userAttributes"] = events::user_attributes(user);
        request["userNotFound"] = json!(false);
        let origin = Origin::of(pool, &subject.username, Some(&subject.client_id), source);
        Ok(events::event(&origin, version, request, response))
    })?;
    let returned = returned.ok_or_else(not_configured)?;
    Ok(returned["response"].clone())
}

fn not_configured() -> CognitoError {
    CognitoError::InvalidParameterException(
        "Custom auth lambda trigger is not configured for the user pool.".into(),
    )
}

/// Starts a `CUSTOM_AUTH` sign-in for `USERNAME`.
pub(super) fn start(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    client: &AppClient,
    params: &Params,
) -> CognitoResult<Outcome> {
    let username = param(params, "USERNAME")?;
    secret_hash::check(
        client,
        username,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    let key = svc.read(region, |state| {
        let pool = state.pool(pool_id)?;
        let config = pool.settings.lambda_config.as_ref();
        if Trigger::DefineAuthChallenge.arn(config).is_none()
            || Trigger::CreateAuthChallenge.arn(config).is_none()
            || Trigger::VerifyAuthChallengeResponse.arn(config).is_none()
        {
            return Err(not_configured());
        }
        Ok(pool.find_username(username))
    })?;
    let Some(key) = key else {
        return Err(if client.hides_user_existence() {
            CognitoError::bad_credentials()
        } else {
            CognitoError::user_not_found()
        });
    };
    let subject = ChallengeSubject {
        pool_id: pool_id.to_owned(),
        client_id: client.id.clone(),
        username: key,
        expires: session_expiry(client, svc.now()),
    };
    // The SRP-first variant: the client sends `SRP_A` (and `CHALLENGE_NAME` `SRP_A`), and
    // DefineAuthChallenge, told so, may ask for the password by SRP before its own
    // challenges.
    let Some(a_hex) = params.get("SRP_A") else {
        return next(svc, region, subject, Vec::new());
    };
    let history =
        vec![json!({"challengeName": "SRP_A", "challengeResult": true, "challengeMetadata": ""})];
    let decision = define(svc, &subject, &history)?;
    if decision["challengeName"].as_str() != Some("PASSWORD_VERIFIER")
        || decision["issueTokens"].as_bool() == Some(true)
        || decision["failAuthentication"].as_bool() == Some(true)
    {
        return follow(svc, region, subject, history, decision);
    }
    let prepared = super::srp::prepare(svc, region, pool_id, params)?;
    let now = svc.now();
    svc.write(region, |state, _| {
        super::srp::pose(
            state,
            pool_id,
            client,
            &subject.username,
            a_hex,
            prepared,
            now,
            Some(history),
        )
    })
}

/// DefineAuthChallenge's decision on `history`.
fn define(svc: &Cognito, subject: &ChallengeSubject, history: &[Value]) -> CognitoResult<Value> {
    call(
        svc,
        subject,
        Trigger::DefineAuthChallenge,
        "DefineAuthChallenge_Authentication",
        json!({"session": history, "clientMetadata": {}}),
        json!({"challengeName": null, "issueTokens": false, "failAuthentication": false}),
    )
}

/// Asks DefineAuthChallenge what follows `history`, and goes there.
pub(super) fn next(
    svc: &Cognito,
    region: &str,
    subject: ChallengeSubject,
    history: Vec<Value>,
) -> CognitoResult<Outcome> {
    let decision = define(svc, &subject, &history)?;
    follow(svc, region, subject, history, decision)
}

/// Goes where DefineAuthChallenge's `decision` says: tokens, failure, or a custom
/// challenge made by CreateAuthChallenge.
fn follow(
    svc: &Cognito,
    region: &str,
    subject: ChallengeSubject,
    history: Vec<Value>,
    decision: Value,
) -> CognitoResult<Outcome> {
    if decision["failAuthentication"].as_bool() == Some(true) {
        return Err(CognitoError::bad_credentials());
    }
    if decision["issueTokens"].as_bool() == Some(true) {
        let now = svc.now();
        return svc.write(region, |state, _| {
            let pool = state.pool_mut(&subject.pool_id)?;
            let user = pool
                .stored_user(&subject.username)
                .ok_or_else(CognitoError::user_not_found)?;
            if user.status == UserStatusType::Unconfirmed {
                return Err(CognitoError::UserNotConfirmedException(
                    "User is not confirmed.".into(),
                ));
            }
            if !user.enabled {
                return Err(CognitoError::NotAuthorizedException(
                    "User is disabled.".into(),
                ));
            }
            let client = pool.client(&subject.client_id)?.clone();
            Ok(Outcome::Tokens(new_session(
                pool,
                &client,
                &subject.username,
                now,
            )?))
        });
    }
    let name = decision["challengeName"].as_str().unwrap_or_default();
    if name != "CUSTOM_CHALLENGE" {
        return Err(CognitoError::InvalidLambdaResponseException(format!(
            "DefineAuthChallenge answered challengeName {name:?}: cognito-emulator poses CUSTOM_CHALLENGE only."
        )));
    }
    let created = call(
        svc,
        &subject,
        Trigger::CreateAuthChallenge,
        "CreateAuthChallenge_Authentication",
        json!({"challengeName": name, "session": history, "clientMetadata": {}}),
        json!({"publicChallengeParameters": {}, "privateChallengeParameters": {}, "challengeMetadata": null}),
    )?;
    let mut parameters: BTreeMap<String, String> = created["publicChallengeParameters"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            (k.clone(), v)
        })
        .collect();
    parameters.insert("USERNAME".into(), subject.username.clone());
    let session = new_session_id();
    let now = svc.now();
    svc.write(region, |state, _| {
        state.pose_challenge(
            session.clone(),
            Challenge::Custom {
                subject,
                history,
                private: created["privateChallengeParameters"].clone(),
                metadata: created["challengeMetadata"].clone(),
            },
            now,
        );
        Ok(())
    })?;
    Ok(Outcome::Challenge {
        name: ChallengeNameType::CustomChallenge,
        session: Some(session),
        parameters,
    })
}

/// `CUSTOM_CHALLENGE`: VerifyAuthChallengeResponse judges `ANSWER`; the verdict joins
/// the history, and DefineAuthChallenge decides again.
pub(super) fn answer(
    svc: &Cognito,
    region: &str,
    subject: ChallengeSubject,
    mut history: Vec<Value>,
    private: Value,
    metadata: Value,
    params: &Params,
) -> CognitoResult<Outcome> {
    let answer = param(params, "ANSWER")?;
    let verdict = call(
        svc,
        &subject,
        Trigger::VerifyAuthChallengeResponse,
        "VerifyAuthChallengeResponse_Authentication",
        json!({"privateChallengeParameters": private, "challengeAnswer": answer, "clientMetadata": {}}),
        json!({"answerCorrect": false}),
    )?;
    history.push(json!({
        "challengeName": "CUSTOM_CHALLENGE",
        "challengeResult": verdict["answerCorrect"].as_bool() == Some(true),
        "challengeMetadata": metadata,
    }));
    next(svc, region, subject, history)
}
