//! InitiateAuth, AdminInitiateAuth, RespondToAuthChallenge and
//! AdminRespondToAuthChallenge: a sign-in, one step at a time.
//!
//! A sign-in proves the first factor (a password, sent as is or proven by SRP, or a
//! refresh token), then meets whatever the user's state asks for (a new password for a
//! temporary one, a second factor), and ends with tokens. Each step that needs the client again poses a
//! challenge, kept in the region's store until it is answered or expires:
//!
//! - `password.rs`: `USER_PASSWORD_AUTH` and the admin password flows;
//! - `srp.rs`: `USER_SRP_AUTH` and its `PASSWORD_VERIFIER` challenge;
//! - `choice.rs`: `USER_AUTH`, choice-based sign-in, and `SELECT_CHALLENGE`;
//! - `custom.rs`: `CUSTOM_AUTH`, run by the pool's three custom-auth triggers;
//! - `first_factor.rs`: the lockout every password check shares, and what follows a
//!   proven password;
//! - `new_password.rs`: `NEW_PASSWORD_REQUIRED`;
//! - `mfa.rs`: the second factor (`SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`,
//!   `SELECT_MFA_TYPE`, `MFA_SETUP`);
//! - `refresh.rs`: `REFRESH_TOKEN_AUTH`.

mod choice;
mod custom;
mod first_factor;
mod mfa;
mod new_password;
pub mod page;
mod password;
mod refresh;
mod srp;

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use super::migration;
use crate::cognito::challenge::{Challenge, ChallengeSubject};
use crate::cognito::client::AppClient;
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::pool::UserPool;
use crate::cognito::secret_hash;
use crate::cognito::store::RegionState;
use crate::cognito::tokens::Grant;
use crate::cognito::triggers::events::{self, Origin};
use crate::cognito::triggers::{token_claims, Trigger};
use crate::cognito::Cognito;
use crate::context::RequestContext;
use crate::generated::cognito::shapes::*;
use crate::shape::Timestamp;
use serde_json::{json, Value};

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
            source: "TokenGeneration_Authentication",
            context,
            scopes: None,
            nonce: None,
        }
    })
    .ok_or_else(CognitoError::user_not_found)
}

/// Signs the grant's tokens (without the state lock): the `AuthenticationResult`.
pub fn issue(svc: &Cognito, grant: &Grant) -> CognitoResult<AuthenticationResultType> {
    let keys = svc.pool_keys(&grant.pool_id)?;
    let Some(keys) = keys.get() else {
        return Err(CognitoError::InternalErrorException(
            "no signing keys".into(),
        ));
    };
    let now = svc.now().secs();
    let event_id = uuid::Uuid::new_v4().to_string();
    let iss = svc.issuer(&grant.region, &grant.pool_id);
    let mut access = grant.access_claims(&iss, now, &event_id);
    let mut id = grant.id_claims(&iss, now, &event_id);
    let source = grant.source;
    let returned = svc.fire(
        &grant.pool_id,
        Trigger::PreTokenGeneration,
        |pool, version| {
            let user = pool
                .stored_user(&grant.username)
                .ok_or_else(CognitoError::user_not_found)?;
            let groups = id.get("cognito:groups").cloned().unwrap_or(json!([]));
            let roles = id.get("cognito:roles").cloned().unwrap_or(json!([]));
            let preferred = id
                .get("cognito:preferred_role")
                .cloned()
                .unwrap_or(Value::Null);
            let mut request = json!({
                "userAttributes": events::user_attributes(user),
                "groupConfiguration": {
                    "groupsToOverride": groups,
                    "iamRolesToOverride": roles,
                    "preferredRole": preferred,
                },
                "clientMetadata": {},
            });
            let response = if version == "1" {
                json!({"claimsOverrideDetails": null})
            } else {
                let scopes: Vec<&str> = access
                    .get("scope")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .split_whitespace()
                    .collect();
                request["scopes"] = json!(scopes);
                json!({"claimsAndScopeOverrideDetails": null})
            };
            let origin = Origin::of(pool, &grant.username, Some(&grant.client_id), source);
            Ok(events::event(&origin, version, request, response))
        },
    )?;
    if let Some(returned) = returned {
        token_claims::apply(&returned, &mut id, &mut access);
    }
    let access_token = keys.access.sign(&access);
    // OAuth's id tokens name the access token they came with, and come only for the
    // `openid` scope.
    let id_token = match &grant.scopes {
        None => Some(keys.id.sign(&id)),
        Some(scopes) if scopes.iter().any(|s| s == "openid") => {
            id.insert("at_hash".into(), json!(at_hash(&access_token)));
            Some(keys.id.sign(&id))
        }
        Some(_) => None,
    };
    Ok(AuthenticationResultType {
        access_token: Some(access_token),
        expires_in: Some(grant.access_validity as i32),
        token_type: Some("Bearer".into()),
        id_token,
        refresh_token: grant
            .refresh_validity
            .map(|v| svc.sealer().seal(&grant.refresh_payload(now, v))),
        new_device_metadata: None,
    })
}

/// OpenID Connect's `at_hash`: the left half of the access token's SHA-256, base64url.
fn at_hash(access_token: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// What a sign-in step leads to. (One lives for one request and is matched at once,
/// so the size of the `Grant` it may carry is not worth a box.)
#[allow(clippy::large_enum_variant)]
enum Outcome {
    Tokens(Grant),
    Challenge {
        name: ChallengeNameType,
        /// `None` for `PASSWORD_VERIFIER`, which AWS poses without a session.
        session: Option<String>,
        parameters: BTreeMap<String, String>,
    },
    /// `SELECT_CHALLENGE`: the first factors the user may choose from.
    Select {
        session: String,
        available: Vec<ChallengeNameType>,
    },
    /// Custom authentication goes on: DefineAuthChallenge is asked, outside the lock,
    /// what follows `history` (after the password, in the SRP-first variant).
    CustomContinues {
        subject: ChallengeSubject,
        history: Vec<Value>,
    },
}

/// The parts of an auth answer that `InitiateAuth` and its relatives share.
struct Answer {
    challenge_name: Option<ChallengeNameType>,
    session: Option<String>,
    challenge_parameters: Option<BTreeMap<String, String>>,
    authentication_result: Option<AuthenticationResultType>,
    available_challenges: Option<Vec<ChallengeNameType>>,
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
                    available_challenges: a.available_challenges,
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

/// Fires PostAuthentication for a completed sign-in (not a refresh).
fn post_authentication(svc: &Cognito, grant: &Grant) -> CognitoResult<()> {
    if grant.source == "TokenGeneration_RefreshTokens" {
        return Ok(());
    }
    svc.fire(&grant.pool_id, Trigger::PostAuthentication, |pool, version| {
        let user = pool
            .stored_user(&grant.username)
            .ok_or_else(CognitoError::user_not_found)?;
        let origin = Origin::of(pool, &grant.username, Some(&grant.client_id), "PostAuthentication_Authentication");
        Ok(events::event(
            &origin,
            version,
            json!({"userAttributes": events::user_attributes(user), "newDeviceUsed": false, "clientMetadata": {}}),
            json!({}),
        ))
    })?;
    Ok(())
}

/// Fires PreAuthentication before a sign-in with `USERNAME` checks anything, if the
/// user exists (AWS calls it with the user's attributes).
fn pre_authentication(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    client_id: &str,
    params: &Params,
) -> CognitoResult<()> {
    let Some(username) = params.get("USERNAME") else {
        return Ok(());
    };
    let Some(key) = svc.read(region, |state| {
        Ok(state.pool(pool_id)?.find_username(username))
    })?
    else {
        return Ok(());
    };
    svc.fire(pool_id, Trigger::PreAuthentication, |pool, version| {
        let user = pool
            .stored_user(&key)
            .ok_or_else(CognitoError::user_not_found)?;
        let origin = Origin::of(pool, &key, Some(client_id), "PreAuthentication_Authentication");
        Ok(events::event(
            &origin,
            version,
            json!({"userAttributes": events::user_attributes(user), "validationData": {}, "userNotFound": false}),
            json!({}),
        ))
    })?;
    Ok(())
}

fn answer(svc: &Cognito, outcome: Outcome) -> CognitoResult<Answer> {
    Ok(match outcome {
        Outcome::Tokens(grant) => {
            // Pre-token-generation runs as the tokens are made, post-authentication once
            // they are; either may still refuse the sign-in.
            let tokens = issue(svc, &grant)?;
            post_authentication(svc, &grant)?;
            Answer {
                challenge_name: None,
                session: None,
                challenge_parameters: Some(BTreeMap::new()),
                authentication_result: Some(tokens),
                available_challenges: None,
            }
        }
        Outcome::Challenge {
            name,
            session,
            parameters,
        } => Answer {
            challenge_name: Some(name),
            session,
            challenge_parameters: Some(parameters),
            authentication_result: None,
            available_challenges: None,
        },
        Outcome::CustomContinues { .. } => {
            return Err(CognitoError::InternalErrorException(
                "custom authentication was not carried on".into(),
            ))
        }
        Outcome::Select { session, available } => Answer {
            challenge_name: Some(ChallengeNameType::SelectChallenge),
            session: Some(session),
            challenge_parameters: Some(BTreeMap::new()),
            authentication_result: None,
            available_challenges: Some(available),
        },
    })
}

fn param<'a>(params: &'a Params, name: &str) -> CognitoResult<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| CognitoError::missing_parameter(name))
}

/// A fresh, unguessable `Session` (or `SECRET_BLOCK`) string.
fn new_session_id() -> String {
    crate::cognito::ids::session()
}

/// When a challenge posed now through `client` stops working.
fn session_expiry(client: &AppClient, now: Timestamp) -> Timestamp {
    now.plus(Duration::from_secs(
        60 * client.auth_session_minutes() as u64,
    ))
}

fn not_emulated(flow: &AuthFlowType) -> CognitoError {
    CognitoError::UnsupportedOperationException(format!(
        "The auth flow {flow} is not emulated by cognito-emulator."
    ))
}

/// Whether `client` allows `flow`, in its legacy or `ALLOW_` spelling, with AWS's
/// refusals. (Refresh is checked with the token.)
fn check_flow(client: &AppClient, flow: &AuthFlowType) -> CognitoResult<()> {
    let refusal = match flow {
        AuthFlowType::UserPasswordAuth => (!client.allows(
            ExplicitAuthFlowsType::UserPasswordAuth,
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ))
        .then_some("USER_PASSWORD_AUTH flow not enabled for this client"),
        AuthFlowType::AdminUserPasswordAuth | AuthFlowType::AdminNoSrpAuth => (!client.allows(
            ExplicitAuthFlowsType::AdminNoSrpAuth,
            ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
        ))
        .then_some("Auth flow not enabled for this client"),
        AuthFlowType::UserSrpAuth => {
            (!client.allows_srp()).then_some("USER_SRP_AUTH is not enabled for the client.")
        }
        AuthFlowType::UserAuth => (!client
            .flows()
            .contains(&ExplicitAuthFlowsType::AllowUserAuth))
        .then_some("USER_AUTH flow not enabled for this client"),
        AuthFlowType::CustomAuth => (!client.allows(
            ExplicitAuthFlowsType::CustomAuthFlowOnly,
            ExplicitAuthFlowsType::AllowCustomAuth,
        ))
        .then_some("Custom auth flow not enabled for this client"),
        AuthFlowType::RefreshTokenAuth | AuthFlowType::RefreshToken => None,
        other => return Err(not_emulated(other)),
    };
    match refusal {
        Some(message) => Err(CognitoError::InvalidParameterException(message.into())),
        None => Ok(()),
    }
}

/// The flows both `InitiateAuth` and `AdminInitiateAuth` run, after each has checked
/// which flows it takes. The client's flows are checked before any trigger runs; the
/// triggers and SRP's arithmetic run outside the region's lock, the decision inside it.
fn initiate(
    svc: &Cognito,
    region: &str,
    pool_id: Option<&str>,
    client_id: &str,
    flow: &AuthFlowType,
    params: &Params,
) -> CognitoResult<Answer> {
    let (pool_id, client) = svc.read(region, |state| {
        let pool_id = state.pool_id_for(pool_id, client_id)?;
        let client = state.pool(&pool_id)?.client(client_id)?.clone();
        Ok((pool_id, client))
    })?;
    check_flow(&client, flow)?;
    let outcome = run_flow(svc, region, &pool_id, &client, flow, params)?;
    answer(svc, outcome)
}

/// Runs a sign-in flow the client has been found to allow, up to its outcome: tokens
/// to issue, or a challenge.
fn run_flow(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    client: &AppClient,
    flow: &AuthFlowType,
    params: &Params,
) -> CognitoResult<Outcome> {
    let (pool_id, client_id) = (pool_id.to_owned(), client.id.as_str());
    // A password sign-in of a user the pool does not know may bring them in first.
    if let (
        AuthFlowType::UserPasswordAuth
        | AuthFlowType::AdminUserPasswordAuth
        | AuthFlowType::AdminNoSrpAuth,
        Some(username),
        Some(password),
    ) = (flow, params.get("USERNAME"), params.get("PASSWORD"))
    {
        migration::migrate_if_unknown(
            svc,
            region,
            Some(&pool_id),
            client_id,
            username,
            migration::Occasion::Authentication { password },
        )?;
    }
    if !matches!(
        flow,
        AuthFlowType::RefreshTokenAuth | AuthFlowType::RefreshToken
    ) {
        pre_authentication(svc, region, &pool_id, client_id, params)?;
    }
    if *flow == AuthFlowType::CustomAuth {
        return custom::start(svc, region, &pool_id, client, params);
    }
    let prepared = if *flow == AuthFlowType::UserSrpAuth {
        srp::prepare(svc, region, &pool_id, params)?
    } else {
        None
    };
    let now = svc.now();
    svc.write(region, |state, effects| match flow {
        AuthFlowType::UserSrpAuth => srp::start(state, &pool_id, client, params, prepared, now),
        AuthFlowType::UserAuth => choice::start(state, &pool_id, client, params, now, effects),
        AuthFlowType::RefreshTokenAuth | AuthFlowType::RefreshToken => {
            let r = refresh::Refresh {
                pool_id: Some(&pool_id),
                client_id,
                token: param(params, "REFRESH_TOKEN")?,
                proof: refresh::ClientProof::SecretHash(
                    params.get("SECRET_HASH").map(String::as_str),
                ),
                via: refresh::Via::InitiateAuth,
            };
            refresh::refresh(svc, state, r, now)
        }
        // The password flows; check_flow let no other through.
        _ => password::sign_in(state, &pool_id, client, params, now, effects),
    })
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

/// Checks that a challenge's answer names the challenged user (`USERNAME`, by any of
/// their names) and carries the client's `SECRET_HASH`; gives back the client. Every
/// challenge answer starts here.
fn answerer(
    state: &RegionState,
    subject: &ChallengeSubject,
    params: &Params,
) -> CognitoResult<AppClient> {
    let username = param(params, "USERNAME")?;
    let pool = state.pool(&subject.pool_id)?;
    let client = pool.client(&subject.client_id)?.clone();
    secret_hash::check(
        &client,
        username,
        params.get("SECRET_HASH").map(String::as_str),
    )?;
    if pool.find_username(username).as_deref() != Some(subject.username.as_str()) {
        return Err(expired());
    }
    Ok(client)
}

/// `NotAuthorizedException` for a session that is unknown, expired, or not this
/// client's.
fn expired() -> CognitoError {
    CognitoError::NotAuthorizedException("Invalid session for the user, session is expired.".into())
}

fn answer_challenge(svc: &Cognito, region: &str, a: ChallengeAnswer<'_>) -> CognitoResult<Answer> {
    let outcome = challenge_outcome(svc, region, a)?;
    answer(svc, outcome)
}

/// Judges a challenge's answer, up to what follows it: tokens, or the next challenge.
fn challenge_outcome(
    svc: &Cognito,
    region: &str,
    a: ChallengeAnswer<'_>,
) -> CognitoResult<Outcome> {
    let now = svc.now();
    let params: Params = a.responses.clone().into_iter().collect();
    if *a.name == ChallengeNameType::CustomChallenge {
        return answer_custom(svc, region, &a, &params);
    }
    // SRP's proof is checked before the lock is taken, so that sign-ins use both cores.
    let mut prechecked = if *a.name == ChallengeNameType::PasswordVerifier {
        srp::precheck(svc, region, &params)
    } else {
        None
    };
    svc.write(region, |state, effects| {
        // PASSWORD_VERIFIER is found by its secret block; every other challenge by its
        // session.
        let key = if *a.name == ChallengeNameType::PasswordVerifier {
            param(&params, "PASSWORD_CLAIM_SECRET_BLOCK")?
        } else {
            a.session.ok_or_else(expired)?
        };
        let challenge = state.end_challenge(key).ok_or_else(|| {
            if *a.name == ChallengeNameType::PasswordVerifier {
                CognitoError::bad_credentials()
            } else {
                expired()
            }
        })?;
        if challenge.name() != *a.name {
            // A wrong name does not use the challenge up.
            let name = challenge.name();
            state.pose_challenge(key.to_owned(), challenge, now);
            return Err(CognitoError::InvalidParameterException(format!(
                "The challenge {} does not match the session's challenge ({name}).",
                a.name
            )));
        }
        if challenge.expired(now)
            || challenge.client_id() != a.client_id
            || a.user_pool_id.is_some_and(|p| p != challenge.pool_id())
        {
            return Err(expired());
        }
        let posed = challenge.clone();
        let outcome = match challenge {
            Challenge::PasswordVerifier(v) => {
                srp::verify(state, v, &params, prechecked.take(), now, effects)
            }
            Challenge::NewPasswordRequired(subject) => {
                new_password::answer(state, subject, &params, now, effects)
            }
            Challenge::SoftwareTokenMfa(subject) => mfa::answer_token(state, subject, &params, now),
            Challenge::EmailOtp { subject, code } => {
                mfa::answer_email(state, subject, &code, &params, now)
            }
            Challenge::SelectMfaType(subject) => {
                mfa::answer_selection(state, subject, &params, now, effects)
            }
            Challenge::MfaSetup { subject, verified } => {
                mfa::answer_setup(state, subject, verified, &params, now)
            }
            Challenge::SelectChallenge { subject, available } => {
                choice::answer(state, subject, &available, &params, now, effects)
            }
            // Answered by answer_custom, outside the lock; the name check above keeps
            // it from arriving here.
            Challenge::Custom { .. } => Err(expired()),
        };
        // A refused proof ends the sign-in. Any other error (a parameter missing or in
        // the wrong form, a password the policy refuses, a mistyped code) leaves the
        // challenge standing, so the user can try again within the session.
        if matches!(&outcome, Err(e) if !matches!(e, CognitoError::NotAuthorizedException(_))) {
            state.pose_challenge(key.to_owned(), posed, now);
        }
        outcome
    })
    .and_then(|outcome| match outcome {
        Outcome::CustomContinues { subject, history } => {
            custom::next(svc, region, subject, history)
        }
        other => Ok(other),
    })
}

/// `CUSTOM_CHALLENGE`: the challenge is taken from the store under the lock, and the
/// triggers judge the answer outside it.
fn answer_custom(
    svc: &Cognito,
    region: &str,
    a: &ChallengeAnswer<'_>,
    params: &Params,
) -> CognitoResult<Outcome> {
    let now = svc.now();
    let session = a.session.ok_or_else(expired)?;
    let challenge = svc.write(region, |state, _| {
        let challenge = state.end_challenge(session).ok_or_else(expired)?;
        if challenge.name() != ChallengeNameType::CustomChallenge {
            let name = challenge.name();
            state.pose_challenge(session.to_owned(), challenge, now);
            return Err(CognitoError::InvalidParameterException(format!(
                "The challenge CUSTOM_CHALLENGE does not match the session's challenge ({name})."
            )));
        }
        if challenge.expired(now)
            || challenge.client_id() != a.client_id
            || a.user_pool_id.is_some_and(|p| p != challenge.pool_id())
        {
            return Err(expired());
        }
        Ok(challenge)
    })?;
    let Challenge::Custom {
        subject,
        history,
        private,
        metadata,
    } = challenge
    else {
        return Err(expired());
    };
    svc.read(region, |state| answerer(state, &subject, params))?;
    custom::answer(svc, region, subject, history, private, metadata, params)
}

fn check_challenge_name(name: &ChallengeNameType) -> CognitoResult<()> {
    if matches!(
        name,
        ChallengeNameType::NewPasswordRequired
            | ChallengeNameType::PasswordVerifier
            | ChallengeNameType::SoftwareTokenMfa
            | ChallengeNameType::EmailOtp
            | ChallengeNameType::SelectMfaType
            | ChallengeNameType::MfaSetup
            | ChallengeNameType::SelectChallenge
            | ChallengeNameType::CustomChallenge
    ) {
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

pub fn get_tokens_from_refresh_token(
    svc: &Cognito,
    ctx: &RequestContext,
    i: GetTokensFromRefreshTokenRequest,
) -> CognitoResult<GetTokensFromRefreshTokenResponse> {
    let now = svc.now();
    let outcome = svc.write(&ctx.region, |state, _| {
        let pool_id = state.pool_of_client(i.client_id())?;
        let r = refresh::Refresh {
            pool_id: Some(&pool_id),
            client_id: i.client_id(),
            token: i.refresh_token(),
            proof: refresh::ClientProof::Secret(i.client_secret.as_deref()),
            via: refresh::Via::GetTokens,
        };
        refresh::refresh(svc, state, r, now)
    })?;
    Ok(GetTokensFromRefreshTokenResponse {
        authentication_result: answer(svc, outcome)?.authentication_result,
    })
}
