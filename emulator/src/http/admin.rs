//! The emulator's own routes, for suites that share one long-lived emulator:
//!
//! - `POST /_emulator/reset[?region=R]` empties the emulator (every pool, user, SES
//!   identity and mail), or one region of it;
//! - `GET /_emulator/state` exports the whole state as JSON (secrets and keys included:
//!   keep it out of reports);
//! - `POST /_emulator/state` replaces the state with such an export.
//!
//! With a state directory each answers only once its change is durable.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::{json_response, AppState};
use crate::state::snapshot::Snapshot;
use crate::state::Services;

impl AppState {
    /// The services whose state is kept.
    pub fn services(&self) -> Services<'_> {
        Services {
            cognito: &self.cognito,
            ses: &self.ses,
            outbox: &self.outbox,
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ResetQuery {
    region: Option<String>,
}

pub(super) async fn reset(State(app): State<AppState>, Query(q): Query<ResetQuery>) -> Response {
    let region = q.region.filter(|r| !r.is_empty());
    let answer = tokio::task::spawn_blocking(move || {
        app.services().reset(region.as_deref()).map(|m| (region, m))
    })
    .await;
    match answer {
        Ok(Ok((region, mails))) => {
            let region = region.as_deref().unwrap_or("all");
            tracing::info!(region, mails, "emulator reset");
            json_response(
                StatusCode::OK,
                json!({"reset": region, "mailsDeleted": mails}),
            )
        }
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}

pub(super) async fn export(State(app): State<AppState>) -> Response {
    match tokio::task::spawn_blocking(move || app.services().export(0)).await {
        Ok(body) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
        Err(e) => internal(e),
    }
}

pub(super) async fn import(State(app): State<AppState>, body: Bytes) -> Response {
    let snapshot = match Snapshot::from_json(&body) {
        Ok(s) => s,
        Err(e) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                json!({"__type": "InvalidParameterException", "message": e.to_string()}),
            )
        }
    };
    match tokio::task::spawn_blocking(move || app.services().import(snapshot)).await {
        Ok(Ok(counts)) => {
            tracing::info!(
                pools = counts.pools,
                users = counts.users,
                mails = counts.mails,
                "state imported"
            );
            json_response(StatusCode::OK, json!({ "imported": counts }))
        }
        Ok(Err(e)) => json_response(
            StatusCode::BAD_REQUEST,
            json!({"__type": "InvalidParameterException", "message": e.to_string()}),
        ),
        Err(e) => internal(e),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "an emulator route failed");
    json_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({"__type": "InternalErrorException", "message": e.to_string()}),
    )
}

/// With a state directory: an answer leaves only once every change made before it is
/// durable. Operations wait for their own records already; this also covers routes that
/// change state without an operation (the outbox, SES's verification link), and reports
/// a failed disk rather than a success.
pub(super) async fn durable(
    State(app): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    let Some(journal) = app.cognito.journal().cloned() else {
        return response;
    };
    let upto = journal.next_seq().saturating_sub(1);
    if journal.is_durable(upto) {
        return response;
    }
    match tokio::task::spawn_blocking(move || journal.wait(upto)).await {
        Ok(Ok(())) => response,
        Ok(Err(e)) => internal(e),
        Err(e) => internal(e),
    }
}
