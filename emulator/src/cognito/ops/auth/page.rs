//! Sign-in on the managed login page: the same password check, challenges and
//! triggers as the API's sign-in, but it ends in a [`Grant`] rather than tokens. The
//! page turns the grant into an authorization code, and the token endpoint turns the
//! code into tokens later, with the OAuth scopes and `nonce` of the request.
//!
//! The page is the pool's own: it signs in whatever `ExplicitAuthFlows` the client
//! lists, as AWS's managed login does.

use std::collections::HashMap;

use super::{
    challenge_outcome, new_session, post_authentication, run_flow, ChallengeAnswer, Outcome, Params,
};
use crate::cognito::error::{CognitoError, CognitoResult};
use crate::cognito::secret_hash;
use crate::cognito::tokens::Grant;
use crate::cognito::Cognito;
use crate::generated::cognito::shapes::{AuthFlowType, ChallengeNameType};

/// What follows a form on the page.
#[derive(Debug)]
pub enum PageStep {
    /// The user is signed in.
    SignedIn(Box<Grant>),
    /// The user must answer a challenge first.
    Challenge {
        /// Which.
        name: ChallengeNameType,
        /// The session to answer it in.
        session: String,
        /// Its parameters.
        parameters: std::collections::BTreeMap<String, String>,
    },
}

/// Signs `username` in with `password` through client `client_id` of pool `pool_id`.
pub fn sign_in(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    client_id: &str,
    username: &str,
    password: &str,
) -> CognitoResult<PageStep> {
    let client = svc.read(region, |state| {
        Ok(state.pool(pool_id)?.client(client_id)?.clone())
    })?;
    let mut params = Params::new();
    params.insert("USERNAME".into(), username.to_owned());
    params.insert("PASSWORD".into(), password.to_owned());
    if let Some(secret) = &client.secret {
        params.insert(
            "SECRET_HASH".into(),
            secret_hash::compute(secret, username, client_id),
        );
    }
    let outcome = run_flow(
        svc,
        region,
        pool_id,
        &client,
        &AuthFlowType::AdminUserPasswordAuth,
        &params,
    )?;
    step(svc, outcome)
}

/// Answers challenge `name` posed to `username` in `session`, with `responses` (the
/// page adds `USERNAME` and the client's `SECRET_HASH`).
pub fn respond(
    svc: &Cognito,
    region: &str,
    client_id: &str,
    username: &str,
    name: &ChallengeNameType,
    session: &str,
    mut responses: HashMap<String, String>,
) -> CognitoResult<PageStep> {
    let secret = svc.read(region, |state| {
        let pool_id = state.pool_of_client(client_id)?;
        Ok(state.pool(&pool_id)?.client(client_id)?.secret.clone())
    })?;
    responses.insert("USERNAME".into(), username.to_owned());
    if let Some(secret) = secret {
        responses.insert(
            "SECRET_HASH".into(),
            secret_hash::compute(&secret, username, client_id),
        );
    }
    let outcome = challenge_outcome(
        svc,
        region,
        ChallengeAnswer {
            client_id,
            user_pool_id: None,
            name,
            session: Some(session),
            responses,
        },
    )?;
    step(svc, outcome)
}

/// A new sign-in session for `username`, who has just proven who they are another way
/// (a confirmation code right after their password, or the page's session cookie).
pub fn resume(
    svc: &Cognito,
    region: &str,
    pool_id: &str,
    client_id: &str,
    username: &str,
) -> CognitoResult<Grant> {
    let now = svc.now();
    svc.write(region, |state, _| {
        let pool = state.pool_mut(pool_id)?;
        let client = pool.client(client_id)?.clone();
        let stored = pool
            .find_username(username)
            .ok_or_else(CognitoError::user_not_found)?;
        let user = pool
            .stored_user(&stored)
            .ok_or_else(CognitoError::user_not_found)?;
        if !user.enabled {
            return Err(CognitoError::NotAuthorizedException(
                "User is disabled.".into(),
            ));
        }
        new_session(pool, &client, &stored, now)
    })
}

fn step(svc: &Cognito, outcome: Outcome) -> CognitoResult<PageStep> {
    match outcome {
        // The grant's source becomes `_HostedAuth` where it turns into a code
        // (`oauth::authorize::complete`), for this grant and a resumed session alike.
        Outcome::Tokens(grant) => {
            post_authentication(svc, &grant)?;
            Ok(PageStep::SignedIn(Box::new(grant)))
        }
        Outcome::Challenge {
            name,
            session: Some(session),
            parameters,
        } => Ok(PageStep::Challenge {
            name,
            session,
            parameters,
        }),
        // The page's password flow poses none of these.
        Outcome::Challenge { session: None, .. }
        | Outcome::Select { .. }
        | Outcome::CustomContinues { .. } => Err(CognitoError::InternalErrorException(
            "unexpected sign-in step".into(),
        )),
    }
}

/// The token endpoint's `refresh_token` grant: as `GetTokensFromRefreshToken`, the client
/// proving its secret (already checked by the endpoint) and the OAuth scopes kept.
pub fn refresh(
    svc: &Cognito,
    region: &str,
    client_id: &str,
    token: &str,
    secret: Option<&str>,
) -> CognitoResult<crate::generated::cognito::shapes::AuthenticationResultType> {
    let now = svc.now();
    let outcome = svc.write(region, |state, _| {
        let pool_id = state.pool_of_client(client_id)?;
        let r = super::refresh::Refresh {
            pool_id: Some(&pool_id),
            client_id,
            token,
            proof: super::refresh::ClientProof::Secret(secret),
            via: super::refresh::Via::GetTokens,
        };
        super::refresh::refresh(svc, state, r, now)
    })?;
    let Outcome::Tokens(grant) = outcome else {
        return Err(CognitoError::InternalErrorException(
            "unexpected refresh outcome".into(),
        ));
    };
    super::issue(svc, &grant)
}
