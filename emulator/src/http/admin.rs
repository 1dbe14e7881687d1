//! `POST /_emulator/reset[?region=R]`: empties the emulator (every pool, user, SES
//! identity and mail), or one region of it, so that suites sharing one long-lived emulator
//! start clean. The answer says what was reset.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{json_response, AppState};

#[derive(Deserialize)]
pub(super) struct ResetQuery {
    region: Option<String>,
}

pub(super) async fn reset(State(app): State<AppState>, Query(q): Query<ResetQuery>) -> Response {
    let region = q.region.as_deref().filter(|r| !r.is_empty());
    app.cognito.reset(region);
    app.ses.reset(region);
    let mails = match region {
        Some(r) => app.outbox.clear_region(r),
        None => app.outbox.clear(&crate::outbox::OutboxFilter::default()),
    };
    tracing::info!(region = region.unwrap_or("all"), mails, "emulator reset");
    json_response(
        StatusCode::OK,
        json!({"reset": region.unwrap_or("all"), "mailsDeleted": mails}),
    )
}
