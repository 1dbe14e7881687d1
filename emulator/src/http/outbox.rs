//! `/_aws/ses`: every mail the emulator sent, in LocalStack's shape, to read or clear;
//! and `/_aws/ses/verify`, the link in SES's verification mail.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{json_response, AppState};
use crate::outbox::OutboxFilter;

pub(super) async fn read_outbox(
    State(app): State<AppState>,
    Query(filter): Query<OutboxFilter>,
) -> Response {
    // `dropped` (our extension): mails the outbox let go to stay within its limit.
    json_response(
        StatusCode::OK,
        json!({ "messages": app.outbox.messages(&filter), "dropped": app.outbox.dropped() }),
    )
}

pub(super) async fn clear_outbox(
    State(app): State<AppState>,
    Query(filter): Query<OutboxFilter>,
) -> Response {
    app.outbox.clear(&filter);
    StatusCode::NO_CONTENT.into_response()
}

#[derive(serde::Deserialize)]
pub(super) struct VerifyQuery {
    token: String,
}

pub(super) async fn verify_identity(
    State(app): State<AppState>,
    Query(q): Query<VerifyQuery>,
) -> Response {
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
