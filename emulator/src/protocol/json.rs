//! AWS JSON 1.1, as Cognito speaks it: `POST /` with
//! `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and a JSON body; errors
//! are HTTP 400 with `{"__type", "message"}` and the `x-amzn-ErrorType` header.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::cognito::{Cognito, CognitoError, TARGET_PREFIX};
use crate::context::RequestContext;

const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// Runs the operation named by `target` with the JSON `body`.
pub fn handle(cognito: &Cognito, ctx: &RequestContext, target: &str, body: &[u8]) -> Response {
    let Some(op) = target.strip_prefix(TARGET_PREFIX) else {
        return unknown_operation(target);
    };
    let input = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(json!({}))
    } else {
        serde_json::from_slice::<Value>(body)
            .map_err(|e| CognitoError::SerializationException(format!("Malformed JSON body: {e}")))
            .and_then(|v| match v {
                Value::Object(_) => Ok(v),
                _ => Err(CognitoError::SerializationException(
                    "The request body must be a JSON object.".into(),
                )),
            })
    };
    let result = input.and_then(|input| cognito.dispatch(ctx, op, input));
    match result {
        Ok(output) => {
            tracing::info!(operation = op, region = %ctx.region, "ok");
            respond(StatusCode::OK, output.to_string(), None)
        }
        Err(e) => {
            // Only the error's name and AWS's message are logged: inputs may hold
            // passwords, codes and tokens.
            tracing::info!(
                operation = op,
                error = e.code(),
                message = e.message(),
                "error"
            );
            error_response(&e)
        }
    }
}

/// The AWS JSON error response for `e`.
pub fn error_response(e: &CognitoError) -> Response {
    let status = match e {
        CognitoError::InternalErrorException(_) => StatusCode::INTERNAL_SERVER_ERROR,
        CognitoError::RequestEntityTooLargeException(_) => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    };
    let body = json!({"__type": e.code(), "message": e.message()}).to_string();
    respond(status, body, Some(e.code()))
}

fn unknown_operation(target: &str) -> Response {
    let body = json!({
        "__type": "UnknownOperationException",
        "message": format!("Unknown operation {target}: cognito-emulator serves AWSCognitoIdentityProviderService.* over AWS JSON 1.1 and SES over the query protocol"),
    })
    .to_string();
    respond(
        StatusCode::BAD_REQUEST,
        body,
        Some("UnknownOperationException"),
    )
}

fn respond(status: StatusCode, body: String, error: Option<&str>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert("x-amzn-requestid", id);
    }
    if let Some(code) = error.and_then(|c| HeaderValue::from_str(c).ok()) {
        headers.insert("x-amzn-errortype", code);
    }
    response
}

/// Decodes `input` as the operation's input type, validates it against the model, runs
/// `op` on it and encodes the output: the part of every generated dispatch arm that knows
/// JSON.
pub fn call<I, O>(
    input: Value,
    op: impl FnOnce(I) -> Result<O, CognitoError>,
) -> Result<Value, CognitoError>
where
    I: serde::de::DeserializeOwned + crate::shape::Validate,
    O: serde::Serialize,
{
    let input: I = serde_json::from_value(input)
        .map_err(|e| CognitoError::SerializationException(e.to_string()))?;
    input.validate().map_err(|v| CognitoError::validation(&v))?;
    encode(op(input))
}

/// Encodes an operation's output; an operation without output answers `{}`.
pub fn encode<O: serde::Serialize>(output: Result<O, CognitoError>) -> Result<Value, CognitoError> {
    let value = serde_json::to_value(output?)
        .map_err(|e| CognitoError::InternalErrorException(format!("unencodable output: {e}")))?;
    Ok(if value.is_null() { json!({}) } else { value })
}
