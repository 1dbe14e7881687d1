//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
//! AdminRespondToAuthChallenge: passwords checked, challenges posed, tokens issued.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::input::parse;
use crate::cognito::pool::UserPool;
use crate::cognito::user::{PasswordHash, UserStatus};
use crate::cognito::{issuer, password, secret_hash, Challenge, Cognito, State};
use crate::context::RequestContext;

/// Wrong passwords allowed before sign-in is locked for a while.
const MAX_FAILED_LOGINS: u32 = 5;

/// What a successful sign-in (or refresh) entitles the user to; signed outside the lock.
pub struct Grant {
    pool_id: String,
    region: String,
    client_id: String,
    username: String,
    sub: String,
    attributes: Vec<(String, String)>,
    auth_time: i64,
    origin_jti: String,
    id_validity: i64,
    access_validity: i64,
    /// `Some(validity)` when a refresh token is to be issued too.
    refresh_validity: Option<i64>,
}

impl Grant {
    /// A grant for a new sign-in session of `username`, registered with the user.
    fn new_session(
        pool: &mut UserPool,
        client: &AppClient,
        username: &str,
        now: i64,
    ) -> CognitoResult<Self> {
        let origin_jti = uuid::Uuid::new_v4().to_string();
        let (pool_id, region) = (pool.id.clone(), pool.region.clone());
        let user = pool
            .users
            .get_mut(username)
            .ok_or_else(CognitoError::user_not_found)?;
        user.sessions.insert(origin_jti.clone());
        user.failed_logins = 0;
        Ok(Self {
            pool_id,
            region,
            client_id: client.id.clone(),
            username: user.username.clone(),
            sub: user.sub.clone(),
            attributes: user.attributes.clone(),
            auth_time: now,
            origin_jti,
            id_validity: client.id_validity_secs(),
            access_validity: client.access_validity_secs(),
            refresh_validity: Some(client.refresh_validity_secs()),
        })
    }
}

/// Signs the grant's tokens: the `AuthenticationResult`.
pub fn issue(svc: &Cognito, grant: Grant) -> CognitoResult<Value> {
    let keys = svc.pool_keys(&grant.pool_id)?;
    let Some(keys) = keys.get() else {
        return Err(CognitoError::InternalErrorException(
            "no signing keys".into(),
        ));
    };
    let now = svc.clock().now_secs();
    let iss = issuer(&grant.region, &grant.pool_id);
    let event_id = uuid::Uuid::new_v4().to_string();

    let mut id = Map::new();
    id.insert("sub".into(), json!(grant.sub));
    for (name, value) in &grant.attributes {
        if name == "sub" {
            continue;
        }
        let v = match name.as_str() {
            "email_verified" | "phone_number_verified" => json!(value == "true"),
            _ => json!(value),
        };
        id.insert(name.clone(), v);
    }
    id.insert("iss".into(), json!(iss));
    id.insert("cognito:username".into(), json!(grant.username));
    id.insert("origin_jti".into(), json!(grant.origin_jti));
    id.insert("aud".into(), json!(grant.client_id));
    id.insert("event_id".into(), json!(event_id));
    id.insert("token_use".into(), json!("id"));
    id.insert("auth_time".into(), json!(grant.auth_time));
    id.insert("exp".into(), json!(now + grant.id_validity));
    id.insert("iat".into(), json!(now));
    id.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));

    let mut access = Map::new();
    access.insert("sub".into(), json!(grant.sub));
    access.insert("iss".into(), json!(iss));
    access.insert("client_id".into(), json!(grant.client_id));
    access.insert("origin_jti".into(), json!(grant.origin_jti));
    access.insert("event_id".into(), json!(event_id));
    access.insert("token_use".into(), json!("access"));
    access.insert("scope".into(), json!("aws.cognito.signin.user.admin"));
    access.insert("auth_time".into(), json!(grant.auth_time));
    access.insert("exp".into(), json!(now + grant.access_validity));
    access.insert("iat".into(), json!(now));
    access.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    access.insert("username".into(), json!(grant.username));

    let mut result = json!({
        "AccessToken": keys.access.sign(&access),
        "ExpiresIn": grant.access_validity,
        "TokenType": "Bearer",
        "IdToken": keys.id.sign(&id),
    });
    if let Some(validity) = grant.refresh_validity {
        result["RefreshToken"] = json!(svc.sealer().seal(&json!({
            "pool": grant.pool_id,
            "client": grant.client_id,
            "username": grant.username,
            "origin_jti": grant.origin_jti,
            "auth_time": grant.auth_time,
            "exp": now + validity,
        })));
    }
    Ok(result)
}

/// What a password sign-in leads to.
enum Outcome {
    Tokens(Grant),
    NewPasswordRequired {
        session: String,
        username: String,
        attributes: Value,
    },
}

fn respond(svc: &Cognito, outcome: Outcome) -> CognitoResult<Value> {
    match outcome {
        Outcome::Tokens(grant) => Ok(json!({
            "ChallengeParameters": {},
            "AuthenticationResult": issue(svc, grant)?,
        })),
        Outcome::NewPasswordRequired {
            session,
            username,
            attributes,
        } => Ok(json!({
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": session,
            "ChallengeParameters": {
                "USER_ID_FOR_SRP": username,
                "requiredAttributes": "[]",
                "userAttributes": attributes.to_string(),
            },
        })),
    }
}

fn param<'a>(params: &'a HashMap<String, String>, name: &str) -> CognitoResult<&'a str> {
    params.get(name).map(String::as_str).ok_or_else(|| {
        CognitoError::InvalidParameterException(format!("Missing required parameter {name}"))
    })
}

/// Checks a username and password; the heart of both password flows.
fn password_sign_in(
    svc: &Cognito,
    state: &mut State,
    pool_id: &str,
    client_id: &str,
    params: &HashMap<String, String>,
) -> CognitoResult<Outcome> {
    let now_ms = svc.clock().now_millis();
    let username = param(params, "USERNAME")?;
    let password = param(params, "PASSWORD")?;
    let pool = state.pool_mut(pool_id)?;
    let client = pool.client(client_id)?.clone();
    secret_hash::check(
        &client,
        username,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    let Some(key) = pool.find_username(username) else {
        return Err(if client.hides_user_existence() {
            CognitoError::bad_credentials()
        } else {
            CognitoError::user_not_found()
        });
    };
    let user = pool
        .users
        .get_mut(&key)
        .ok_or_else(CognitoError::user_not_found)?;
    if user.locked_until > now_ms {
        return Err(CognitoError::NotAuthorizedException(
            "Password attempts exceeded".into(),
        ));
    }
    if !user.password.matches(password) {
        user.failed_logins += 1;
        if user.failed_logins >= MAX_FAILED_LOGINS {
            // AWS locks sign-in for a time that doubles with each further failure.
            let exponent = (user.failed_logins - MAX_FAILED_LOGINS).min(10);
            user.locked_until = now_ms + (1000_i64 << exponent).min(15 * 60 * 1000);
            return Err(CognitoError::NotAuthorizedException(
                "Password attempts exceeded".into(),
            ));
        }
        return Err(CognitoError::bad_credentials());
    }
    if !user.enabled {
        return Err(CognitoError::NotAuthorizedException(
            "User is disabled.".into(),
        ));
    }
    match user.status {
        UserStatus::Unconfirmed => Err(CognitoError::UserNotConfirmedException(
            "User is not confirmed.".into(),
        )),
        UserStatus::ResetRequired => Err(CognitoError::PasswordResetRequiredException(
            "Password reset required for the user".into(),
        )),
        UserStatus::ForceChangePassword => {
            if user
                .temporary_password_expires
                .is_some_and(|t| t < now_ms / 1000)
            {
                return Err(CognitoError::NotAuthorizedException(
                    "Temporary password has expired and must be reset by an administrator.".into(),
                ));
            }
            let attributes: Map<String, Value> = user
                .attributes
                .iter()
                .filter(|(k, _)| k != "sub")
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect();
            let session = new_session_id();
            let username = user.username.clone();
            let validity_min = client.settings.auth_session_validity.unwrap_or(3) as i64;
            state.challenges.insert(
                session.clone(),
                Challenge {
                    pool_id: pool_id.to_owned(),
                    client_id: client_id.to_owned(),
                    username: username.clone(),
                    expires_ms: now_ms + validity_min * 60_000,
                },
            );
            Ok(Outcome::NewPasswordRequired {
                session,
                username,
                attributes: Value::Object(attributes),
            })
        }
        UserStatus::Confirmed => Ok(Outcome::Tokens(Grant::new_session(
            pool,
            &client,
            &key,
            now_ms / 1000,
        )?)),
    }
}

fn new_session_id() -> String {
    let mut bytes = [0u8; 48];
    rand::Rng::fill(&mut rand::thread_rng(), &mut bytes[..]);
    STANDARD.encode(bytes)
}

/// REFRESH_TOKEN_AUTH: new id and access tokens for a live session.
fn refresh(
    svc: &Cognito,
    state: &mut State,
    pool_id: Option<&str>,
    client_id: &str,
    params: &HashMap<String, String>,
) -> CognitoResult<Outcome> {
    let token = param(params, "REFRESH_TOKEN")?;
    let invalid = || CognitoError::NotAuthorizedException("Invalid Refresh Token".into());
    let claims = svc.sealer().open(token).ok_or_else(invalid)?;
    let field = |k: &str| {
        claims
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (token_pool, token_client, username, origin_jti) = (
        field("pool"),
        field("client"),
        field("username"),
        field("origin_jti"),
    );
    if token_client != client_id || pool_id.is_some_and(|p| p != token_pool) {
        return Err(invalid());
    }
    let now = svc.clock().now_secs();
    if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) < now {
        return Err(CognitoError::NotAuthorizedException(
            "Refresh Token has expired".into(),
        ));
    }
    let pool = state.pool_mut(&token_pool).map_err(|_| invalid())?;
    let client = pool.client(client_id)?.clone();
    if !client.allows_refresh() {
        return Err(CognitoError::InvalidParameterException(
            "Refresh Token Flow not enabled for this client".into(),
        ));
    }
    if client.secret.is_some() {
        let user = pool.users.get(&username).ok_or_else(invalid)?;
        let sent = params.get("SECRET_HASH").map(String::as_str);
        // Clients may hash either the stored username or the sub.
        secret_hash::check(&client, &user.username, sent)
            .or_else(|_| secret_hash::check(&client, &user.sub, sent))?;
    }
    let user = pool.users.get(&username).ok_or_else(invalid)?;
    if !user.sessions.contains(&origin_jti) {
        return Err(CognitoError::NotAuthorizedException(
            "Refresh Token has been revoked".into(),
        ));
    }
    if !user.enabled {
        return Err(CognitoError::NotAuthorizedException(
            "User is disabled.".into(),
        ));
    }
    Ok(Outcome::Tokens(Grant {
        pool_id: pool.id.clone(),
        region: pool.region.clone(),
        client_id: client.id.clone(),
        username: user.username.clone(),
        sub: user.sub.clone(),
        attributes: user.attributes.clone(),
        auth_time: claims
            .get("auth_time")
            .and_then(Value::as_i64)
            .unwrap_or(now),
        origin_jti,
        id_validity: client.id_validity_secs(),
        access_validity: client.access_validity_secs(),
        refresh_validity: None,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct InitiateInput {
    auth_flow: String,
    #[serde(default)]
    auth_parameters: HashMap<String, String>,
    client_id: String,
    user_pool_id: Option<String>,
}

fn not_emulated(flow: &str) -> CognitoError {
    CognitoError::UnsupportedOperationException(format!(
        "The auth flow {flow} is not emulated by cognito-emulator."
    ))
}

fn check_flow_name(flow: &str) -> CognitoResult<()> {
    const FLOWS: &[&str] = &[
        "USER_SRP_AUTH",
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
        "CUSTOM_AUTH",
        "ADMIN_NO_SRP_AUTH",
        "USER_PASSWORD_AUTH",
        "ADMIN_USER_PASSWORD_AUTH",
        "USER_AUTH",
    ];
    if FLOWS.contains(&flow) {
        return Ok(());
    }
    Err(CognitoError::validation(
        "authFlow",
        Some(flow),
        &format!("Member must satisfy enum value set: [{}]", FLOWS.join(", ")),
    ))
}

pub fn initiate_auth(svc: &Cognito, _: &RequestContext, input: Value) -> CognitoResult<Value> {
    let i: InitiateInput = parse(input)?;
    check_flow_name(&i.auth_flow)?;
    let mut state = svc.state();
    let pool_id = state.pool_of_client(&i.client_id)?;
    let client = state.pool(&pool_id)?.client(&i.client_id)?.clone();
    let outcome = match i.auth_flow.as_str() {
        "USER_PASSWORD_AUTH" => {
            if !client.allows("USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH") {
                return Err(CognitoError::InvalidParameterException(
                    "USER_PASSWORD_AUTH flow not enabled for this client".into(),
                ));
            }
            password_sign_in(svc, &mut state, &pool_id, &i.client_id, &i.auth_parameters)?
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            refresh(svc, &mut state, None, &i.client_id, &i.auth_parameters)?
        }
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => {
            return Err(CognitoError::InvalidParameterException(
                "Initiate Auth method not supported.".into(),
            ))
        }
        other => return Err(not_emulated(other)),
    };
    drop(state);
    respond(svc, outcome)
}

pub fn admin_initiate_auth(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let i: InitiateInput = parse(input)?;
    check_flow_name(&i.auth_flow)?;
    let Some(pool_id) = i.user_pool_id.clone() else {
        return Err(CognitoError::validation(
            "userPoolId",
            Some("null"),
            "Member must not be null",
        ));
    };
    let mut state = svc.state();
    let client = state.pool(&pool_id)?.client(&i.client_id)?.clone();
    let outcome = match i.auth_flow.as_str() {
        "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH" => {
            if !client.allows("ADMIN_NO_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH") {
                return Err(CognitoError::InvalidParameterException(
                    "Auth flow not enabled for this client".into(),
                ));
            }
            password_sign_in(svc, &mut state, &pool_id, &i.client_id, &i.auth_parameters)?
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => refresh(
            svc,
            &mut state,
            Some(&pool_id),
            &i.client_id,
            &i.auth_parameters,
        )?,
        "USER_PASSWORD_AUTH" => {
            return Err(CognitoError::InvalidParameterException(
                "Initiate Auth method not supported.".into(),
            ))
        }
        other => return Err(not_emulated(other)),
    };
    drop(state);
    respond(svc, outcome)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ChallengeInput {
    client_id: String,
    user_pool_id: Option<String>,
    challenge_name: String,
    session: Option<String>,
    #[serde(default)]
    challenge_responses: HashMap<String, String>,
}

fn answer_challenge(svc: &Cognito, i: ChallengeInput) -> CognitoResult<Value> {
    if i.challenge_name != "NEW_PASSWORD_REQUIRED" {
        return Err(CognitoError::UnsupportedOperationException(format!(
            "The challenge {} is not emulated by cognito-emulator.",
            i.challenge_name
        )));
    }
    let now_ms = svc.clock().now_millis();
    let expired = || {
        CognitoError::NotAuthorizedException(
            "Invalid session for the user, session is expired.".into(),
        )
    };
    let mut state = svc.state();
    let session = i.session.as_deref().ok_or_else(expired)?;
    let challenge = state.challenges.get(session).cloned().ok_or_else(expired)?;
    if challenge.expires_ms < now_ms
        || challenge.client_id != i.client_id
        || i.user_pool_id
            .as_deref()
            .is_some_and(|p| p != challenge.pool_id)
    {
        return Err(expired());
    }
    let new_password = param(&i.challenge_responses, "NEW_PASSWORD")?;
    let username = param(&i.challenge_responses, "USERNAME")?;
    let pool = state.pool_mut(&challenge.pool_id)?;
    let client = pool.client(&i.client_id)?.clone();
    secret_hash::check(
        &client,
        username,
        i.challenge_responses.get("SECRET_HASH").map(String::as_str),
    )?;
    if pool.find_username(username).as_deref() != Some(challenge.username.as_str()) {
        return Err(expired());
    }
    password::check(new_password, "password", &pool.password_policy())?;
    let user = pool
        .users
        .get_mut(&challenge.username)
        .ok_or_else(CognitoError::user_not_found)?;
    for (k, v) in &i.challenge_responses {
        if let Some(name) = k.strip_prefix("userAttributes.") {
            user.set_attribute(name, v);
        }
    }
    user.password = PasswordHash::new(new_password);
    user.status = UserStatus::Confirmed;
    user.temporary_password_expires = None;
    user.modified = now_ms as f64 / 1000.0;
    pool.reindex(&challenge.username);
    let grant = Grant::new_session(pool, &client, &challenge.username, now_ms / 1000)?;
    state.challenges.remove(session);
    drop(state);
    respond(svc, Outcome::Tokens(grant))
}

pub fn respond_to_auth_challenge(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    answer_challenge(svc, parse(input)?)
}

pub fn admin_respond_to_auth_challenge(
    svc: &Cognito,
    _: &RequestContext,
    input: Value,
) -> CognitoResult<Value> {
    let i: ChallengeInput = parse(input)?;
    if i.user_pool_id.is_none() {
        return Err(CognitoError::validation(
            "userPoolId",
            Some("null"),
            "Member must not be null",
        ));
    }
    answer_challenge(svc, i)
}
