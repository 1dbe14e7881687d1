//! `POST /_emulator/reset[?region=R]`: empties the emulator (every pool, user, SES
//! identity and mail), or one region of it, so that suites sharing one long-lived emulator
//! start clean. The answer says what was reset.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::{json_response, AppState};
use crate::cognito::Cognito;
use crate::outbox::{Outbox, OutboxFilter};
use crate::ses::Ses;

/// Empties `region` (every region when `None`) of pools, SES identities and mails;
/// returns how many mails went. The route and `EmulatorHandle::reset` both call it.
pub(crate) fn reset_state(
    cognito: &Cognito,
    ses: &Ses,
    outbox: &Outbox,
    region: Option<&str>,
) -> usize {
    cognito.reset(region);
    ses.reset(region);
    match region {
        Some(r) => outbox.clear_region(r),
        None => outbox.clear(&OutboxFilter::default()),
    }
}

#[derive(Deserialize)]
pub(super) struct ResetQuery {
    region: Option<String>,
}

pub(super) async fn reset(State(app): State<AppState>, Query(q): Query<ResetQuery>) -> Response {
    let region = q.region.as_deref().filter(|r| !r.is_empty());
    let mails = reset_state(&app.cognito, &app.ses, &app.outbox, region);
    tracing::info!(region = region.unwrap_or("all"), mails, "emulator reset");
    json_response(
        StatusCode::OK,
        json!({"reset": region.unwrap_or("all"), "mailsDeleted": mails}),
    )
}
