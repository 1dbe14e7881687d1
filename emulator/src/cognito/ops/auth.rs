//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
//! AdminRespondToAuthChallenge: passwords checked, challenges posed, tokens issued.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::cognito::challenge::{Challenge, ChallengeSubject};
use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::UserPool;
use crate::cognito::store::RegionState;
use crate::cognito::tokens::Grant;
use crate::cognito::user::PasswordHash;
use crate::cognito::{password, secret_hash, Cognito};
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;
use crate::shape::Timestamp;

/// Wrong passwords allowed before sign-in is locked for a while.
const MAX_FAILED_LOGINS: u32 = 5;

/// Parameters of a flow or a challenge answer, by name.
type Params = BTreeMap<String, String>;

/// A grant for a new sign-in session of the user stored as `username`, registered with
/// the user.
fn new_session(
    pool: &mut UserPool,
    client: &AppClient,
    username: &str,
    now: Timestamp,
) -> CognitoResult<Grant> {
    let origin_jti = uuid::Uuid::new_v4().to_string();
    let (pool_id, region) = (pool.id.clone(), pool.region.clone());
    let context = pool.claim_context(username, client);
    pool.edit_user(username, |user| {
        user.sessions.insert(origin_jti.clone());
        user.failed_logins = 0;
        Grant {
            pool_id,
            region,
            client_id: client.id.clone(),
            username: user.username.clone(),
            sub: user.sub.clone(),
            attributes: user.attributes.clone(),
            auth_time: now.secs(),
            origin_jti,
            id_validity: client.id_validity_secs(),
            access_validity: client.access_validity_secs(),
            refresh_validity: Some(client.refresh_validity_secs()),
            context,
        }
    })
    .ok_or_else(CognitoError::user_not_found)
}

/// Signs the grant's tokens (without the state lock): the `AuthenticationResult`.
pub fn issue(svc: &Cognito, grant: Grant) -> CognitoResult<AuthenticationResultType> {
    let keys = svc.pool_keys(&grant.pool_id)?;
    let Some(keys) = keys.get() else {
        return Err(CognitoError::InternalErrorException(
            "no signing keys".into(),
        ));
    };
    let now = svc.now().secs();
    let event_id = uuid::Uuid::new_v4().to_string();
    Ok(AuthenticationResultType {
        access_token: Some(keys.access.sign(&grant.access_claims(now, &event_id))),
        expires_in: Some(grant.access_validity as i32),
        token_type: Some("Bearer".into()),
        id_token: Some(keys.id.sign(&grant.id_claims(now, &event_id))),
        refresh_token: grant
            .refresh_validity
            .map(|v| svc.sealer().seal(&grant.refresh_payload(now, v))),
        new_device_metadata: None,
    })
}

/// What a sign-in step leads to.
enum Outcome {
    Tokens(Grant),
    Challenge {
        name: ChallengeNameType,
        session: String,
        parameters: BTreeMap<String, String>,
    },
}

/// The parts of an auth answer that `InitiateAuth` and its relatives share.
struct Answer {
    challenge_name: Option<ChallengeNameType>,
    session: Option<String>,
    challenge_parameters: Option<BTreeMap<String, String>>,
    authentication_result: Option<AuthenticationResultType>,
}

/// The four auth operations answer with the same members.
macro_rules! answered_with {
    ($($output:ident),*) => {$(
        impl From<Answer> for $output {
            fn from(a: Answer) -> Self {
                Self {
                    challenge_name: a.challenge_name,
                    session: a.session,
                    challenge_parameters: a.challenge_parameters,
                    authentication_result: a.authentication_result,
                    available_challenges: None,
                }
            }
        }
    )*};
}
answered_with!(
    InitiateAuthResponse,
    AdminInitiateAuthResponse,
    RespondToAuthChallengeResponse,
    AdminRespondToAuthChallengeResponse
);

fn answer(svc: &Cognito, outcome: Outcome) -> CognitoResult<Answer> {
    Ok(match outcome {
        Outcome::Tokens(grant) => Answer {
            challenge_name: None,
            session: None,
            challenge_parameters: Some(BTreeMap::new()),
            authentication_result: Some(issue(svc, grant)?),
        },
        Outcome::Challenge {
            name,
            session,
            parameters,
        } => Answer {
            challenge_name: Some(name),
            session: Some(session),
            challenge_parameters: Some(parameters),
            authentication_result: None,
        },
    })
}

fn param<'a>(params: &'a Params, name: &str) -> CognitoResult<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| CognitoError::missing_parameter(name))
}

/// Checks a username and password; the heart of both password flows.
fn password_sign_in(
    state: &mut RegionState,
    pool_id: &str,
    client_id: &str,
    params: &Params,
    now: Timestamp,
) -> CognitoResult<Outcome> {
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
    pool.edit_user(&key, |user| {
        if user.locked_until > now {
            return Err(CognitoError::NotAuthorizedException(
                "Password attempts exceeded".into(),
            ));
        }
        if !user.password.matches(password) {
            user.failed_logins += 1;
            if user.failed_logins >= MAX_FAILED_LOGINS {
                // AWS locks sign-in for a time that doubles with each further failure.
                let exponent = (user.failed_logins - MAX_FAILED_LOGINS).min(10);
                let lock = (1000_u64 << exponent).min(15 * 60 * 1000);
                user.locked_until = now.plus(Duration::from_millis(lock));
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
        Ok(())
    })
    .ok_or_else(CognitoError::user_not_found)??;
    let user = pool
        .stored_user(&key)
        .ok_or_else(CognitoError::user_not_found)?;
    match user.status {
        UserStatusType::Unconfirmed => Err(CognitoError::UserNotConfirmedException(
            "User is not confirmed.".into(),
        )),
        UserStatusType::ResetRequired => Err(CognitoError::PasswordResetRequiredException(
            "Password reset required for the user".into(),
        )),
        UserStatusType::ForceChangePassword => {
            if user.temporary_password_expires.is_some_and(|t| t < now) {
                return Err(CognitoError::NotAuthorizedException(
                    "Temporary password has expired and must be reset by an administrator.".into(),
                ));
            }
            let attributes: Map<String, Value> = user
                .attributes
                .iter()
                .filter(|(k, _)| k != "sub")
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            let username = user.username.clone();
            let session = new_session_id();
            let expires = now.plus(Duration::from_secs(
                60 * client.auth_session_minutes() as u64,
            ));
            state.pose_challenge(
                session.clone(),
                Challenge::NewPasswordRequired(ChallengeSubject {
                    pool_id: pool_id.to_owned(),
                    client_id: client_id.to_owned(),
                    username: username.clone(),
                    expires,
                }),
            );
            Ok(Outcome::Challenge {
                name: ChallengeNameType::NewPasswordRequired,
                session,
                parameters: BTreeMap::from([
                    ("USER_ID_FOR_SRP".to_owned(), username),
                    ("requiredAttributes".to_owned(), "[]".to_owned()),
                    (
                        "userAttributes".to_owned(),
                        Value::Object(attributes).to_string(),
                    ),
                ]),
            })
        }
        _ => Ok(Outcome::Tokens(new_session(pool, &client, &key, now)?)),
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
    state: &mut RegionState,
    pool_id: Option<&str>,
    client_id: &str,
    params: &Params,
    now: Timestamp,
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
    if claims.get("exp").and_then(Value::as_i64).unwrap_or(0) < now.secs() {
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
    let user = pool.stored_user(&username).ok_or_else(invalid)?;
    if client.secret.is_some() {
        let sent = params.get("SECRET_HASH").map(String::as_str);
        // Clients may hash either the stored username or the sub.
        secret_hash::check(&client, &user.username, sent)
            .or_else(|_| secret_hash::check(&client, &user.sub, sent))?;
    }
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
            .unwrap_or(now.secs()),
        origin_jti,
        id_validity: client.id_validity_secs(),
        access_validity: client.access_validity_secs(),
        refresh_validity: None,
        context: pool.claim_context(&user.username, &client),
    }))
}

fn not_emulated(flow: &AuthFlowType) -> CognitoError {
    CognitoError::UnsupportedOperationException(format!(
        "The auth flow {flow} is not emulated by cognito-emulator."
    ))
}

/// The flows both `InitiateAuth` and `AdminInitiateAuth` run, after each has checked
/// which flows it takes.
fn initiate(
    svc: &Cognito,
    region: &str,
    pool_id: Option<&str>,
    client_id: &str,
    flow: &AuthFlowType,
    params: &Params,
) -> CognitoResult<Answer> {
    let now = svc.now();
    let outcome = svc.write(region, |state, _| {
        let pool_id = match pool_id {
            Some(p) => p.to_owned(),
            None => state.pool_of_client(client_id)?,
        };
        let client = state.pool(&pool_id)?.client(client_id)?.clone();
        match flow {
            AuthFlowType::UserPasswordAuth
            | AuthFlowType::AdminUserPasswordAuth
            | AuthFlowType::AdminNoSrpAuth => {
                // The client must allow the flow, in its legacy or ALLOW_ spelling.
                let (legacy, modern, refusal) = if *flow == AuthFlowType::UserPasswordAuth {
                    (
                        ExplicitAuthFlowsType::UserPasswordAuth,
                        ExplicitAuthFlowsType::AllowUserPasswordAuth,
                        "USER_PASSWORD_AUTH flow not enabled for this client",
                    )
                } else {
                    (
                        ExplicitAuthFlowsType::AdminNoSrpAuth,
                        ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
                        "Auth flow not enabled for this client",
                    )
                };
                if !client.allows(legacy, modern) {
                    return Err(CognitoError::InvalidParameterException(refusal.into()));
                }
                password_sign_in(state, &pool_id, client_id, params, now)
            }
            AuthFlowType::RefreshTokenAuth | AuthFlowType::RefreshToken => {
                refresh(svc, state, Some(&pool_id), client_id, params, now)
            }
            other => Err(not_emulated(other)),
        }
    })?;
    answer(svc, outcome)
}

pub fn initiate_auth(
    svc: &Cognito,
    ctx: &RequestContext,
    i: InitiateAuthRequest,
) -> CognitoResult<InitiateAuthResponse> {
    let flow = i.auth_flow.clone().unwrap_or_default();
    if matches!(
        flow,
        AuthFlowType::AdminNoSrpAuth | AuthFlowType::AdminUserPasswordAuth
    ) {
        return Err(CognitoError::InvalidParameterException(
            "Initiate Auth method not supported.".into(),
        ));
    }
    let params = i.auth_parameters.clone().unwrap_or_default();
    let a = initiate(svc, &ctx.region, None, i.client_id(), &flow, &params)?;
    Ok(a.into())
}

pub fn admin_initiate_auth(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminInitiateAuthRequest,
) -> CognitoResult<AdminInitiateAuthResponse> {
    let flow = i.auth_flow.clone().unwrap_or_default();
    if flow == AuthFlowType::UserPasswordAuth {
        return Err(CognitoError::InvalidParameterException(
            "Initiate Auth method not supported.".into(),
        ));
    }
    let params = i.auth_parameters.clone().unwrap_or_default();
    let a = initiate(
        svc,
        &ctx.region,
        Some(i.user_pool_id()),
        i.client_id(),
        &flow,
        &params,
    )?;
    Ok(a.into())
}

/// An answer to a challenge, from either `RespondToAuthChallenge` or its admin form.
struct ChallengeAnswer<'a> {
    client_id: &'a str,
    user_pool_id: Option<&'a str>,
    name: &'a ChallengeNameType,
    session: Option<&'a str>,
    responses: HashMap<String, String>,
}

fn answer_challenge(svc: &Cognito, region: &str, a: ChallengeAnswer<'_>) -> CognitoResult<Answer> {
    let now = svc.now();
    let expired = || {
        CognitoError::NotAuthorizedException(
            "Invalid session for the user, session is expired.".into(),
        )
    };
    let params: Params = a.responses.into_iter().collect();
    let grant = svc.write(region, |state, _| {
        let session = a.session.ok_or_else(expired)?;
        let challenge = state.challenge(session).cloned().ok_or_else(expired)?;
        if challenge.name() != *a.name {
            return Err(CognitoError::InvalidParameterException(format!(
                "The challenge {} does not match the session's challenge.",
                a.name
            )));
        }
        let Challenge::NewPasswordRequired(subject) = challenge;
        if subject.expires < now
            || subject.client_id != a.client_id
            || a.user_pool_id.is_some_and(|p| p != subject.pool_id)
        {
            return Err(expired());
        }
        let new_password = param(&params, "NEW_PASSWORD")?;
        let username = param(&params, "USERNAME")?;
        let pool = state.pool_mut(&subject.pool_id)?;
        let client = pool.client(a.client_id)?.clone();
        secret_hash::check(
            &client,
            username,
            params.get("SECRET_HASH").map(String::as_str),
        )?;
        if pool.find_username(username).as_deref() != Some(subject.username.as_str()) {
            return Err(expired());
        }
        password::check(new_password, &pool.password_policy())?;
        pool.edit_user(&subject.username, |user| {
            for (k, v) in &params {
                if let Some(name) = k.strip_prefix("userAttributes.") {
                    user.set_attribute(name, v);
                }
            }
            user.password = PasswordHash::new(new_password);
            user.status = UserStatusType::Confirmed;
            user.temporary_password_expires = None;
            user.modified = now;
        })
        .ok_or_else(CognitoError::user_not_found)?;
        let grant = new_session(pool, &client, &subject.username, now)?;
        state.end_challenge(session);
        Ok(grant)
    })?;
    answer(svc, Outcome::Tokens(grant))
}

fn check_challenge_name(name: &ChallengeNameType) -> CognitoResult<()> {
    if *name == ChallengeNameType::NewPasswordRequired {
        return Ok(());
    }
    Err(CognitoError::UnsupportedOperationException(format!(
        "The challenge {name} is not emulated by cognito-emulator."
    )))
}

pub fn respond_to_auth_challenge(
    svc: &Cognito,
    ctx: &RequestContext,
    i: RespondToAuthChallengeRequest,
) -> CognitoResult<RespondToAuthChallengeResponse> {
    let name = i.challenge_name.clone().unwrap_or_default();
    check_challenge_name(&name)?;
    let a = answer_challenge(
        svc,
        &ctx.region,
        ChallengeAnswer {
            client_id: i.client_id(),
            user_pool_id: None,
            name: &name,
            session: i.session.as_deref(),
            responses: i
                .challenge_responses
                .clone()
                .unwrap_or_default()
                .into_iter()
                .collect(),
        },
    )?;
    Ok(a.into())
}

pub fn admin_respond_to_auth_challenge(
    svc: &Cognito,
    ctx: &RequestContext,
    i: AdminRespondToAuthChallengeRequest,
) -> CognitoResult<AdminRespondToAuthChallengeResponse> {
    let name = i.challenge_name.clone().unwrap_or_default();
    check_challenge_name(&name)?;
    let a = answer_challenge(
        svc,
        &ctx.region,
        ChallengeAnswer {
            client_id: i.client_id(),
            user_pool_id: Some(i.user_pool_id()),
            name: &name,
            session: i.session.as_deref(),
            responses: i
                .challenge_responses
                .clone()
                .unwrap_or_default()
                .into_iter()
                .collect(),
        },
    )?;
    Ok(a.into())
}
