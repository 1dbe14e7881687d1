//! The OAuth 2.0 endpoints of a pool's domain, reached two ways:
//!
//! - by path, as LocalStack serves them: `/_aws/cognito-idp/oauth2/token` and so on,
//!   the pool found from the `client_id`;
//! - by host: a request whose `Host` is `{domain}.auth.{region}.amazoncognito.com` (or a
//!   pool's custom domain) reaches the same endpoints at AWS's own paths, `/oauth2/token`,
//!   so an app configured with its real domain works once that name resolves here.
//!
//! This file holds the machine-facing endpoints (`authorize`, `token`, `userInfo`,
//! `revoke`, `logout`); `login_page.rs` the forms a browser sees.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::json;

use super::login_page::{error_page, SESSION_COOKIE};
use super::{blocking, json_response, AppState};
use crate::cognito::oauth::authorize::{self, AuthorizeParams, Refusal};
use crate::cognito::oauth::token::{self, BasicCredentials, TokenParams};
use crate::cognito::oauth::userinfo::{self, Unauthorized};
use crate::cognito::oauth::{OAuthError, PoolRef};
use crate::cognito::ops::auth::page;
use crate::cognito::CognitoError;

/// The path prefix of the endpoints reached by path.
pub const PATH_PREFIX: &str = "/_aws/cognito-idp";

/// Where a request arrived: under [`PATH_PREFIX`] or at AWS's paths on a domain's host.
#[derive(Debug, Clone)]
pub(super) struct Site {
    /// `/_aws/cognito-idp`, or empty on a domain's host.
    pub prefix: &'static str,
    /// The pool whose domain the `Host` names, for requests at AWS's paths.
    pub pool: Option<PoolRef>,
}

impl Site {
    /// Where the request arrived; `None` for AWS's paths on a host that is no pool's
    /// domain (the emulator's own name, say), which are not found.
    pub fn of(app: &AppState, headers: &HeaderMap, uri: &Uri) -> Option<Self> {
        let by_path = uri.path().starts_with(PATH_PREFIX);
        // By path the client names the pool: the host is not looked up (which scans
        // every region's domains) on every request.
        let pool = (!by_path)
            .then(|| headers.get(header::HOST).and_then(|v| v.to_str().ok()))
            .flatten()
            .and_then(|host| pool_of_host(app, host));
        if !by_path && pool.is_none() {
            return None;
        }
        Some(Self {
            prefix: if by_path { PATH_PREFIX } else { "" },
            pool,
        })
    }
}

/// The pool whose domain `host` (with or without a port) is: a prefix domain,
/// `{prefix}.auth.{region}.amazoncognito.com`, or a custom domain's full name.
fn pool_of_host(app: &AppState, host: &str) -> Option<PoolRef> {
    let name = host
        .rsplit_once(':')
        .map_or(host, |(h, _)| h)
        .to_ascii_lowercase();
    if let Some(rest) = name.strip_suffix(".amazoncognito.com") {
        let (prefix, region) = rest.split_once(".auth.")?;
        return app
            .cognito
            .pool_of_domain(prefix)
            .filter(|p| p.region == region);
    }
    app.cognito.pool_of_domain(&name)
}

/// The answer for AWS's paths on a host that is no pool's domain.
pub(super) fn not_a_domain() -> Response {
    super::json_response(
        StatusCode::NOT_FOUND,
        json!({"__type": "UnknownOperationException", "message": "No such route on cognito-emulator: OAuth endpoints are under /_aws/cognito-idp, or at AWS's paths on a pool domain's host."}),
    )
}

/// `GET /oauth2/authorize`: with a live page session, straight back to the app with a
/// code; otherwise to the login page, the request carried along.
pub(super) async fn authorize(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(params): Query<AuthorizeParams>,
) -> Response {
    let Some(site) = Site::of(&app, &headers, &uri) else {
        return not_a_domain();
    };
    let cookie = cookie(&headers, SESSION_COOKIE);
    blocking(move || {
        let svc = &app.cognito;
        let auth = match authorize::check(svc, site.pool.as_ref(), &params) {
            Ok(a) => a,
            Err(refusal) => return refused(refusal),
        };
        let signed_in = cookie.and_then(|c| authorize::session_user(svc, &auth.pool, &c));
        if let Some(username) = signed_in {
            let grant = page::resume(
                svc,
                &auth.pool.region,
                &auth.pool.pool_id,
                &auth.client_id,
                &username,
            );
            if let Ok(url) = grant.and_then(|g| authorize::complete(svc, &auth, g)) {
                return redirect(&url);
            }
        }
        let query = serde_urlencoded::to_string(&params).unwrap_or_default();
        redirect(&format!("{}/login?{query}", site.prefix))
    })
    .await
}

/// How a refused authorization request is answered.
pub(super) fn refused(refusal: Refusal) -> Response {
    match refusal {
        Refusal::Page(e) => error_page(StatusCode::BAD_REQUEST, &e),
        Refusal::Redirect(url) => redirect(&url),
    }
}

/// A 302 to `location`.
pub(super) fn redirect(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// `POST /oauth2/token`.
pub(super) async fn token(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: axum::body::Bytes,
) -> Response {
    let Some(site) = Site::of(&app, &headers, &uri) else {
        return not_a_domain();
    };
    let params: TokenParams = match serde_urlencoded::from_bytes(&body) {
        Ok(p) => p,
        Err(_) => {
            return oauth_error(&OAuthError::new(
                "invalid_request",
                "The body must be application/x-www-form-urlencoded.",
            ))
        }
    };
    let basic = match basic_credentials(&headers) {
        Ok(b) => b,
        Err(e) => return oauth_error(&e),
    };
    blocking(move || {
        match token::token(&app.cognito, site.pool.as_ref(), &params, basic.as_ref()) {
            Ok(body) => (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/json;charset=UTF-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                body.to_string(),
            )
                .into_response(),
            Err(e) => oauth_error(&e),
        }
    })
    .await
}

/// `GET` or `POST /oauth2/userInfo`, with `Authorization: Bearer ACCESS_TOKEN`.
pub(super) async fn userinfo(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if Site::of(&app, &headers, &uri).is_none() {
        return not_a_domain();
    }
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(|t| t.trim().to_owned());
    let Some(token) = bearer else {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer".to_owned())],
        )
            .into_response();
    };
    blocking(move || match userinfo::userinfo(&app.cognito, &token) {
        Ok(info) => json_response(StatusCode::OK, info),
        Err(Unauthorized { error, description }) => {
            let challenge = format!(
                "Bearer error=\"{error}\", error_description=\"{}\"",
                description.replace('"', "'")
            );
            let status = if error == "insufficient_scope" {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            (
                status,
                [
                    (header::WWW_AUTHENTICATE, challenge),
                    (header::CONTENT_TYPE, "application/json".to_owned()),
                ],
                json!({"error": error, "error_description": description}).to_string(),
            )
                .into_response()
        }
    })
    .await
}

#[derive(serde::Deserialize)]
struct RevokeParams {
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// `POST /oauth2/revoke`: ends the sign-in session of a refresh token, through the same
/// operation as `RevokeToken`. A token that is unknown or already revoked is answered
/// 200, as RFC 7009 says.
pub(super) async fn revoke(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: axum::body::Bytes,
) -> Response {
    let Some(site) = Site::of(&app, &headers, &uri) else {
        return not_a_domain();
    };
    let Ok(p) = serde_urlencoded::from_bytes::<RevokeParams>(&body) else {
        return oauth_error(&OAuthError::new(
            "invalid_request",
            "The body must be form-encoded.",
        ));
    };
    let basic = match basic_credentials(&headers) {
        Ok(b) => b,
        Err(e) => return oauth_error(&e),
    };
    let (client_id, secret) = match basic {
        Some(b) => (Some(b.id), Some(b.secret)),
        None => (p.client_id, p.client_secret),
    };
    let (Some(client_id), Some(token)) = (client_id, p.token) else {
        return oauth_error(&OAuthError::new(
            "invalid_request",
            "token and client_id are required.",
        ));
    };
    blocking(move || {
        let svc = &app.cognito;
        let Some((pool, _)) = authorize::find_client(svc, site.pool.as_ref(), &client_id) else {
            return oauth_error(&OAuthError::new(
                "invalid_client",
                "Client authentication failed.",
            ));
        };
        let ctx = crate::context::RequestContext::new(pool.region, app.account_id.clone());
        let mut input = json!({"ClientId": client_id, "Token": token});
        if let Some(secret) = secret {
            input["ClientSecret"] = json!(secret);
        }
        match svc.dispatch(&ctx, "RevokeToken", input) {
            Ok(_) => StatusCode::OK.into_response(),
            Err(CognitoError::NotAuthorizedException(m)) if m.contains("secret") => {
                oauth_error(&OAuthError::new("invalid_client", m))
            }
            // Unknown, expired or already revoked: nothing left to revoke.
            Err(CognitoError::NotAuthorizedException(_)) => StatusCode::OK.into_response(),
            Err(CognitoError::UnsupportedOperationException(m)) => {
                oauth_error(&OAuthError::new("unsupported_token_type", m))
            }
            Err(e) => oauth_error(&OAuthError::new("invalid_request", e.message())),
        }
    })
    .await
}

/// `GET /logout?client_id=..&logout_uri=..`: ends the page's session and sends the
/// browser to `logout_uri`, which must be one of the client's `LogoutURLs`. With
/// `redirect_uri` and `response_type` instead, it signs out and starts a new sign-in.
pub(super) async fn logout(
    State(app): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let Some(site) = Site::of(&app, &headers, &uri) else {
        return not_a_domain();
    };
    let bad = |d: &str| {
        error_page(
            StatusCode::BAD_REQUEST,
            &OAuthError::new("invalid_request", d),
        )
    };
    let Some(client_id) = q.get("client_id") else {
        return bad("client_id is missing.");
    };
    let Some((_, client)) = authorize::find_client(&app.cognito, site.pool.as_ref(), client_id)
    else {
        return bad("Client does not exist.");
    };
    let clear = format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    let location = match (q.get("logout_uri"), q.get("redirect_uri")) {
        (Some(target), _) => {
            if !client.logout_urls().contains(target) {
                return bad("logout_uri is not one of the client's sign-out URLs.");
            }
            target.clone()
        }
        (None, Some(_)) => {
            let query = serde_urlencoded::to_string(&q).unwrap_or_default();
            format!("{}/oauth2/authorize?{query}", site.prefix)
        }
        (None, None) => return bad("logout_uri is missing."),
    };
    (
        StatusCode::FOUND,
        [(header::LOCATION, location), (header::SET_COOKIE, clear)],
    )
        .into_response()
}

/// An OAuth error as the token endpoint answers it: 400 with RFC 6749's JSON.
pub(super) fn oauth_error(e: &OAuthError) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json;charset=UTF-8")],
        e.body().to_string(),
    )
        .into_response()
}

/// The client's credentials from `Authorization: Basic`, each part form-decoded as RFC
/// 6749 §2.3.1 says; `None` without such a header.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<BasicCredentials>, OAuthError> {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(None);
    };
    let Some(encoded) = value.strip_prefix("Basic ") else {
        return Ok(None);
    };
    let invalid = || OAuthError::new("invalid_client", "The Basic credentials are malformed.");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| invalid())?;
    let decoded = String::from_utf8(decoded).map_err(|_| invalid())?;
    let (id, secret) = decoded.split_once(':').ok_or_else(invalid)?;
    let form_decode = |s: &str| {
        form_urlencoded::parse(format!("v={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    Ok(Some(BasicCredentials {
        id: form_decode(id),
        secret: form_decode(secret),
    }))
}

/// The value of cookie `name`.
pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}
