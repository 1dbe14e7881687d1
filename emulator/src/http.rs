//! The HTTP front: one port for both services. `POST /` goes to Cognito when it carries
//! `X-Amz-Target`, otherwise to SES (form-encoded query protocol). Beside the APIs: each
//! pool's JWKS and OpenID configuration, the outbox (`/_aws/ses`, LocalStack's shape)
//! and a health check.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::json;

use crate::cognito::{issuer, Cognito, CognitoError};
use crate::context::RequestContext;
use crate::outbox::{Outbox, OutboxFilter};
use crate::protocol;
use crate::ses::{Ses, SesError};

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
        .route("/", post(api))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/_aws/ses", get(read_outbox).delete(clear_outbox))
        .route("/_aws/ses/verify", get(verify_identity))
        .route("/_emulator/health", get(health))
        // The path LocalStack-style tooling probes.
        .route("/_localstack/health", get(health))
        .fallback(not_found)
        // Bodies are read with their own limit in `api`, so that an oversized one gets
        // an AWS-shaped answer rather than axum's plain text.
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(state)
}

/// The largest request body accepted: SES takes raw messages of up to 10 MB, which
/// base64 and form encoding grow by about a third.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

async fn api(State(app): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok());
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        let message = format!("The request body is larger than {MAX_BODY_BYTES} bytes.");
        return match target {
            Some(_) => protocol::json::error_response(
                &CognitoError::RequestEntityTooLargeException(message),
            ),
            None => protocol::query::error_response(&SesError::RequestEntityTooLarge(message)),
        };
    };
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let ctx = RequestContext::from_authorization(
        text(header::AUTHORIZATION),
        &app.default_region,
        &app.account_id,
    )
    .with_endpoint(base_url(&headers));
    // The work is CPU-bound and short, but signing keys are made on first use and take
    // a moment: run it off the async workers.
    match target.map(str::to_owned) {
        Some(target) => {
            let cognito = app.cognito.clone();
            blocking(move || protocol::json::handle(&cognito, &ctx, &target, &body)).await
        }
        None => {
            let ses = app.ses.clone();
            blocking(move || protocol::query::handle(&ses, &ctx, &body)).await
        }
    }
}

async fn blocking(f: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "request handler failed");
        let body = json!({"__type": "InternalErrorException", "message": "The emulator failed while handling the request."});
        (StatusCode::INTERNAL_SERVER_ERROR, body.to_string()).into_response()
    })
}

/// `http://HOST`, as the client reached us; links in mail point there.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost:4566");
    format!("http://{host}")
}

async fn jwks(State(app): State<AppState>, Path(pool_id): Path<String>) -> Response {
    let cognito = app.cognito.clone();
    blocking(move || match cognito.jwks(&pool_id) {
        Ok(jwks) => json_response(StatusCode::OK, jwks),
        Err(e) => protocol::json::error_response(&e),
    })
    .await
}

async fn openid_configuration(
    State(app): State<AppState>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let region = match app.cognito.pool_region(&pool_id) {
        Ok(r) => r,
        Err(e) => return protocol::json::error_response(&e),
    };
    let iss = issuer(&region, &pool_id);
    // The issuer is AWS's, as in the tokens; the key set is served here, so OpenID
    // clients pointed at the emulator can fetch it.
    json_response(
        StatusCode::OK,
        json!({
            "issuer": iss,
            "jwks_uri": format!("{}/{pool_id}/.well-known/jwks.json", base_url(&headers)),
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["sub", "email", "email_verified", "cognito:username", "token_use", "auth_time", "iss", "exp", "iat"],
        }),
    )
}

async fn read_outbox(State(app): State<AppState>, Query(filter): Query<OutboxFilter>) -> Response {
    json_response(
        StatusCode::OK,
        json!({ "messages": app.outbox.messages(&filter) }),
    )
}

async fn clear_outbox(State(app): State<AppState>, Query(filter): Query<OutboxFilter>) -> Response {
    app.outbox.clear(&filter);
    StatusCode::NO_CONTENT.into_response()
}

#[derive(serde::Deserialize)]
struct VerifyQuery {
    token: String,
}

async fn verify_identity(State(app): State<AppState>, Query(q): Query<VerifyQuery>) -> Response {
    if app.ses.confirm_verification(&q.token) {
        (StatusCode::OK, "Congratulations! You have successfully verified an email address with Amazon Web Services.").into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            "This verification link is not valid or has expired.",
        )
            .into_response()
    }
}

async fn health() -> Response {
    json_response(
        StatusCode::OK,
        json!({"status": "running", "services": {"cognito-idp": "running", "ses": "running"}}),
    )
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
