//! `/_emulator/health` (and `/_localstack/health`): the readiness probe.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use super::json_response;

pub(super) async fn health() -> Response {
    json_response(
        StatusCode::OK,
        json!({"status": "running", "services": {"cognito-idp": "running", "ses": "running"}}),
    )
}
