//! `/{pool_id}/.well-known/jwks.json` and `openid-configuration`: what OpenID clients
//! fetch to verify a pool's tokens.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use super::oauth::{Site, PATH_PREFIX};
use super::{base_url, blocking, json_response, AppState};
use crate::protocol;

pub(super) async fn jwks(State(app): State<AppState>, Path(pool_id): Path<String>) -> Response {
    let cognito = app.cognito.clone();
    blocking(move || match cognito.jwks(&pool_id) {
        Ok(jwks) => json_response(StatusCode::OK, jwks),
        Err(e) => protocol::json::error_response(&e),
    })
    .await
}

pub(super) async fn openid_configuration(
    State(app): State<AppState>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let region = match app.cognito.pool_region(&pool_id) {
        Ok(r) => r,
        Err(e) => return protocol::json::error_response(&e),
    };
    let iss = app.cognito.issuer(&region, &pool_id);
    let has_domain = app
        .cognito
        .read(&region, |s| {
            Ok(s.pool(&pool_id)?.oauth.domain_name().is_some())
        })
        .unwrap_or(false);
    // The issuer is the tokens' (AWS's, unless the emulator was told otherwise); the key set is served here, so OpenID
    // clients pointed at the emulator can fetch it.
    let mut config = json!({
            "issuer": iss,
            "jwks_uri": format!("{}/{pool_id}/.well-known/jwks.json", base_url(&headers)),
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["sub", "email", "email_verified", "cognito:username", "token_use", "auth_time", "iss", "exp", "iat"],
    });
    // The OAuth endpoints exist once the pool has a domain; they are listed where this
    // request reached the emulator (by path), so that a client that follows discovery
    // reaches them.
    if has_domain {
        let on_host = Site::of(&app, &headers, &uri).is_some_and(|s| s.pool.is_some());
        let base = if on_host {
            base_url(&headers)
        } else {
            format!("{}{PATH_PREFIX}", base_url(&headers))
        };
        for (key, path) in [
            ("authorization_endpoint", "/oauth2/authorize"),
            ("token_endpoint", "/oauth2/token"),
            ("userinfo_endpoint", "/oauth2/userInfo"),
            ("revocation_endpoint", "/oauth2/revoke"),
            ("end_session_endpoint", "/logout"),
        ] {
            config[key] = json!(format!("{base}{path}"));
        }
    }
    json_response(StatusCode::OK, config)
}
