//! The authorization endpoint: an app sends the browser with `response_type`,
//! `client_id`, `redirect_uri`, `scope`, `state` and PKCE's `code_challenge`; once the
//! user has signed in on the page, the browser goes back to `redirect_uri` with a code
//! (or, for the implicit grant, the tokens in the fragment).
//!
//! A request whose client or `redirect_uri` cannot be trusted gets an error page and
//! never a redirect (an open redirector would hand codes to anyone); any other error
//! goes back to the app as `error` and `state`, as RFC 6749 §4.1.2.1 says.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::codes::{AuthorizationCode, ChallengeMethod, CodeChallenge, CODE_TTL};
use super::{OAuthError, PoolRef};
use crate::cognito::client::AppClient;
use crate::cognito::error::CognitoResult;
use crate::cognito::tokens::Grant;
use crate::cognito::Cognito;
use crate::generated::cognito::shapes::OAuthFlowType;

/// How long the page's session cookie keeps a user signed in (AWS: one hour).
pub const PAGE_SESSION_SECS: i64 = 3600;

/// The authorization request's parameters, as the query string carries them; the page
/// carries them on through its forms.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct AuthorizeParams {
    /// `code` or `token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_type: Option<String>,
    /// The app client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// Where the browser goes back to; one of the client's `CallbackURLs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
    /// Handed back to the app as is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Space-separated scopes; all the client's allowed scopes when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// PKCE (RFC 7636).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_challenge: Option<String>,
    /// `S256` or `plain`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_challenge_method: Option<String>,
    /// Copied into the id token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

/// What the app receives when sign-in succeeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// An authorization code, in the query.
    Code,
    /// Tokens, in the fragment (the implicit grant).
    Token,
}

/// An authorization request found valid.
#[derive(Debug, Clone)]
pub struct Authorization {
    /// The pool.
    pub pool: PoolRef,
    /// The client.
    pub client_id: String,
    /// Where the browser goes back to.
    pub redirect_uri: String,
    /// What the app receives.
    pub response: ResponseType,
    /// Handed back as is.
    pub state: Option<String>,
    /// The scopes granted.
    pub scopes: Vec<String>,
    /// PKCE's challenge.
    pub challenge: Option<CodeChallenge>,
    /// For the id token.
    pub nonce: Option<String>,
}

/// Why an authorization request was refused, and how the browser is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The client or `redirect_uri` cannot be trusted: an error page, no redirect.
    Page(OAuthError),
    /// Anything else: back to the app, at this URL.
    Redirect(String),
}

/// Checks an authorization request. `site` is the pool whose domain the request came to,
/// when it came by host; by path, the pool is the client's.
pub fn check(
    svc: &Cognito,
    site: Option<&PoolRef>,
    p: &AuthorizeParams,
) -> Result<Authorization, Refusal> {
    let page = |error, d: &str| Refusal::Page(OAuthError::new(error, d));
    let client_id = p
        .client_id
        .as_deref()
        .ok_or_else(|| page("invalid_request", "client_id is missing."))?;
    let (pool, client) = find_client(svc, site, client_id)
        .ok_or_else(|| page("invalid_request", "Client does not exist."))?;
    let redirect_uri = p
        .redirect_uri
        .clone()
        .or_else(|| client.default_redirect_uri().map(str::to_owned))
        .ok_or_else(|| page("invalid_request", "redirect_uri is missing."))?;
    if !client.callback_urls().contains(&redirect_uri) {
        return Err(page(
            "redirect_mismatch",
            "redirect_uri is not one of the client's callback URLs.",
        ));
    }
    if !client.oauth_enabled() {
        return Err(page(
            "unauthorized_client",
            "The client is not allowed to use OAuth flows.",
        ));
    }
    let back = |error: &str, description: &str| {
        Refusal::Redirect(with_params(
            &redirect_uri,
            '?',
            &[
                ("error", Some(error)),
                ("error_description", Some(description)),
                ("state", p.state.as_deref()),
            ],
        ))
    };
    let response = match p.response_type.as_deref() {
        Some("code") => ResponseType::Code,
        Some("token") => ResponseType::Token,
        None => return Err(back("invalid_request", "response_type is missing.")),
        Some(_) => {
            return Err(back(
                "unsupported_response_type",
                "response_type must be code or token.",
            ))
        }
    };
    let flow = match response {
        ResponseType::Code => OAuthFlowType::Code,
        ResponseType::Token => OAuthFlowType::Implicit,
    };
    if !client.allows_oauth_flow(&flow) {
        return Err(back(
            "unauthorized_client",
            "The client is not allowed this response_type.",
        ));
    }
    let scopes: Vec<String> = match p.scope.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => s.split_whitespace().map(str::to_owned).collect(),
        None => client.oauth_scopes().to_vec(),
    };
    if scopes.iter().any(|s| !client.oauth_scopes().contains(s)) {
        return Err(back(
            "invalid_scope",
            "A requested scope is not allowed for the client.",
        ));
    }
    let challenge = match (&p.code_challenge, p.code_challenge_method.as_deref()) {
        (None, _) => None,
        (Some(c), Some("S256")) => Some(CodeChallenge {
            challenge: c.clone(),
            method: ChallengeMethod::S256,
        }),
        // RFC 7636: `plain` when no method is named.
        (Some(c), Some("plain") | None) => Some(CodeChallenge {
            challenge: c.clone(),
            method: ChallengeMethod::Plain,
        }),
        (Some(_), Some(_)) => {
            return Err(back(
                "invalid_request",
                "code_challenge_method must be S256 or plain.",
            ))
        }
    };
    Ok(Authorization {
        pool,
        client_id: client.id.clone(),
        redirect_uri,
        response,
        state: p.state.clone(),
        scopes,
        challenge,
        nonce: p.nonce.clone(),
    })
}

/// The client `client_id` and its pool: the site's pool when the request came by host
/// (the client must be that pool's), any region's otherwise.
pub fn find_client(
    svc: &Cognito,
    site: Option<&PoolRef>,
    client_id: &str,
) -> Option<(PoolRef, AppClient)> {
    let region = match site {
        Some(s) => s.region.clone(),
        None => svc.region_of_client(client_id)?,
    };
    svc.read(&region, |state| {
        let pool_id = state.pool_of_client(client_id)?;
        let client = state.pool(&pool_id)?.client(client_id)?.clone();
        Ok((
            PoolRef {
                region: region.clone(),
                pool_id,
            },
            client,
        ))
    })
    .ok()
    .filter(|(pool, _)| site.is_none_or(|s| s == pool))
}

/// Where the browser goes once `grant` (a sign-in on the page) answers `auth`: back to
/// the app with a fresh code, or with the tokens for the implicit grant.
pub fn complete(svc: &Cognito, auth: &Authorization, mut grant: Grant) -> CognitoResult<String> {
    grant.scopes = Some(auth.scopes.clone());
    grant.nonce = auth.nonce.clone();
    grant.source = "TokenGeneration_HostedAuth";
    match auth.response {
        ResponseType::Code => {
            let code = uuid::Uuid::new_v4().to_string();
            let now = svc.now();
            svc.write(&auth.pool.region, |state, _| {
                state.put_code(
                    code.clone(),
                    AuthorizationCode {
                        client_id: auth.client_id.clone(),
                        redirect_uri: auth.redirect_uri.clone(),
                        grant,
                        challenge: auth.challenge.clone(),
                        expires: now.plus(CODE_TTL),
                    },
                    now,
                );
                Ok(())
            })?;
            Ok(with_params(
                &auth.redirect_uri,
                '?',
                &[("code", Some(&code)), ("state", auth.state.as_deref())],
            ))
        }
        ResponseType::Token => {
            // The implicit grant never hands out a refresh token.
            grant.refresh_validity = None;
            let tokens = super::token::issue(svc, &grant)?;
            let expires = tokens.expires_in.unwrap_or_default().to_string();
            Ok(with_params(
                &auth.redirect_uri,
                '#',
                &[
                    ("id_token", tokens.id_token.as_deref()),
                    ("access_token", tokens.access_token.as_deref()),
                    ("token_type", Some("Bearer")),
                    ("expires_in", Some(&expires)),
                    ("state", auth.state.as_deref()),
                ],
            ))
        }
    }
}

/// The page's session cookie for `username` of `pool`, signed in at `auth_time`.
pub fn session_cookie(svc: &Cognito, pool: &PoolRef, username: &str, auth_time: i64) -> String {
    svc.page_seal().seal(&json!({
        "pool": pool.pool_id,
        "user": username,
        "auth_time": auth_time,
        "exp": svc.now().secs() + PAGE_SESSION_SECS,
    }))
}

/// The user a session cookie signs in to `pool`, if it is genuine and live.
pub fn session_user(svc: &Cognito, pool: &PoolRef, cookie: &str) -> Option<String> {
    let v = svc.page_seal().open(cookie, svc.now().secs())?;
    (v.get("pool")?.as_str()? == pool.pool_id)
        .then(|| v.get("user")?.as_str().map(str::to_owned))?
}

/// `url` with `params` (those that are present) added to its query (`?`) or fragment
/// (`#`).
pub fn with_params(url: &str, part: char, params: &[(&str, Option<&str>)]) -> String {
    let mut encoded = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        if let Some(v) = v {
            encoded.append_pair(k, v);
        }
    }
    let encoded = encoded.finish();
    let joiner = if part == '?' && url.contains('?') {
        '&'
    } else {
        part
    };
    format!("{url}{joiner}{encoded}")
}
