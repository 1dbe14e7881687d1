//! The HTTP front: one port for both services, one file per kind of route.
//!
//! - `api.rs`: `POST /`, Cognito when the request carries `X-Amz-Target`, otherwise SES
//!   (form-encoded query protocol);
//! - `well_known.rs`: each pool's JWKS and OpenID configuration;
//! - `outbox.rs`: the mail the emulator sent (`/_aws/ses`, LocalStack's shape) and SES's
//!   verification link;
//! - `oauth.rs`: a pool domain's OAuth 2.0 endpoints, by path under
//!   `/_aws/cognito-idp` or at AWS's paths on the domain's host;
//! - `login_page.rs`: the managed login page's forms;
//! - `health.rs`: the readiness probe;
//! - `admin.rs`: `/_emulator/reset` and `/_emulator/state`, for suites that share one
//!   emulator; and the wait that makes answers leave only once their changes are durable.

pub(crate) mod admin;
mod api;
mod health;
mod login_page;
mod oauth;
mod outbox;
mod well_known;

use std::sync::Arc;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;

pub use api::MAX_BODY_BYTES;

use crate::cognito::Cognito;
use crate::context::DEFAULT_ENDPOINT;
use crate::outbox::Outbox;
use crate::ses::Ses;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// Cognito user pools.
    pub cognito: Arc<Cognito>,
    /// SES.
    pub ses: Arc<Ses>,
    /// Every mail sent.
    pub outbox: Outbox,
    /// The region of unsigned requests.
    pub default_region: String,
    /// The account id ARNs carry.
    pub account_id: String,
}

/// The emulator's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(oauth_routes(""))
        .merge(oauth_routes(oauth::PATH_PREFIX))
        .route("/", post(api::api))
        .route("/{pool_id}/.well-known/jwks.json", get(well_known::jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(well_known::openid_configuration),
        )
        .route(
            "/_aws/ses",
            get(outbox::read_outbox).delete(outbox::clear_outbox),
        )
        .route("/_aws/ses/verify", get(outbox::verify_identity))
        .route("/_emulator/health", get(health::health))
        .route("/_emulator/reset", post(admin::reset))
        .route("/_emulator/state", get(admin::export).post(admin::import))
        // The path LocalStack-style tooling probes.
        .route("/_localstack/health", get(health::health))
        .fallback(not_found)
        // Bodies are read with their own limit in `api`, so that an oversized one gets
        // an AWS-shaped answer rather than axum's plain text.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admin::durable,
        ))
        .with_state(state)
}

/// The OAuth endpoints and the login page under `prefix` (empty: AWS's own paths,
/// answered only on a pool domain's host).
fn oauth_routes(prefix: &str) -> Router<AppState> {
    let form = || get(login_page::show).post(login_page::submit);
    Router::new()
        .route(&format!("{prefix}/oauth2/authorize"), get(oauth::authorize))
        .route(&format!("{prefix}/oauth2/token"), post(oauth::token))
        .route(
            &format!("{prefix}/oauth2/userInfo"),
            get(oauth::userinfo).post(oauth::userinfo),
        )
        .route(&format!("{prefix}/oauth2/revoke"), post(oauth::revoke))
        .route(&format!("{prefix}/logout"), get(oauth::logout))
        .route(&format!("{prefix}/login"), form())
        .route(&format!("{prefix}/signup"), form())
        .route(&format!("{prefix}/forgotPassword"), form())
        .route(&format!("{prefix}/challenge"), post(login_page::submit))
        .route(&format!("{prefix}/confirmUser"), post(login_page::submit))
        .route(
            &format!("{prefix}/confirmForgotPassword"),
            post(login_page::submit),
        )
}

/// Runs `f` off the async workers: the work is CPU-bound and short, but signing keys
/// are made on first use and take a moment.
async fn blocking(f: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "request handler failed");
        let body = json!({"__type": "InternalErrorException", "message": "The emulator failed while handling the request."});
        (StatusCode::INTERNAL_SERVER_ERROR, body.to_string()).into_response()
    })
}

/// `http://HOST`, as the client reached us; links in mail point there.
fn base_url(headers: &HeaderMap) -> String {
    match headers.get(header::HOST).and_then(|v| v.to_str().ok()) {
        Some(host) => format!("http://{host}"),
        None => DEFAULT_ENDPOINT.to_owned(),
    }
}

async fn not_found() -> Response {
    json_response(
        StatusCode::NOT_FOUND,
        json!({"__type": "UnknownOperationException", "message": "No such route on cognito-emulator."}),
    )
}

fn json_response(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
