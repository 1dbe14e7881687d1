//! `POST /`: the AWS APIs. A request with `X-Amz-Target` is Cognito (AWS JSON 1.1);
//! any other is SES (the query protocol). The region comes from the SigV4 signature.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;

use super::{base_url, blocking, AppState};
use crate::cognito::CognitoError;
use crate::context::RequestContext;
use crate::protocol;
use crate::ses::SesError;

/// The largest request body accepted: SES takes raw messages of up to 10 MB, which
/// base64 and form encoding grow by about a third.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

pub(super) async fn api(State(app): State<AppState>, headers: HeaderMap, body: Body) -> Response {
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
