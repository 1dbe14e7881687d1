//! The pre-sign-up handler of `emulator/examples/triggers/pre_sign_up.rs`, packaged as a
//! service that
//! speaks the AWS Lambda Invoke API, so that an emulator run as a server (in docker
//! compose, say) can call it with `--lambda-endpoint`:
//!
//! `POST /2015-03-31/functions/{FunctionName}/invocations` with the event as the body
//! answers the handler's returned event; a handler error answers 200 with
//! `X-Amz-Function-Error: Unhandled` and `{"errorMessage", "errorType"}`, as Lambda does.
//! Functions are found by name: an ARN or a name ending in `pre-sign-up`.
//!
//! `cargo run -p trigger-service` listens on `TRIGGER_SERVICE_LISTEN` (default
//! `127.0.0.1:9001`); `docker-compose.yml` runs its image (`scripts/build-image` builds
//! it) beside the emulator, which it names with `COGNITO_EMULATOR_LAMBDA_ENDPOINT`.

#![forbid(unsafe_code)]

#[path = "../../emulator/examples/triggers/pre_sign_up.rs"]
mod pre_sign_up;

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{json, Value};

/// Runs the function `name` on `event`.
async fn invoke(Path(name): Path<String>, body: axum::body::Bytes) -> Response {
    let Ok(event) = serde_json::from_slice::<Value>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"Type": "User", "message": "The event is not JSON."})),
        )
            .into_response();
    };
    // The path carries the ARN percent-encoded by the caller; axum has decoded it.
    let function = name.rsplit([':', '/']).next().unwrap_or_default();
    // The example's function name: the last part of its ARN.
    let pre_sign_up_name = pre_sign_up::PRE_SIGN_UP
        .rsplit(':')
        .next()
        .unwrap_or_default();
    let outcome = match function {
        f if f == pre_sign_up_name => pre_sign_up::pre_sign_up_json(event).await,
        _ => {
            return (
                StatusCode::NOT_FOUND,
                axum::Json(json!({
                    "Type": "User",
                    "message": format!("Function not found: {name}"),
                })),
            )
                .into_response()
        }
    };
    match outcome {
        Ok(returned) => axum::Json(returned).into_response(),
        Err(message) => {
            let mut headers = HeaderMap::new();
            headers.insert(
                "x-amz-function-error",
                HeaderValue::from_static("Unhandled"),
            );
            (
                StatusCode::OK,
                headers,
                axum::Json(json!({"errorMessage": message, "errorType": "Error"})),
            )
                .into_response()
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let listen =
        std::env::var("TRIGGER_SERVICE_LISTEN").unwrap_or_else(|_| "127.0.0.1:9001".into());
    let app = axum::Router::new().route("/2015-03-31/functions/{name}/invocations", post(invoke));
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("trigger service listening on {}", listener.local_addr()?);
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let shutdown = async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("a SIGTERM handler");
        tokio::select! {
            _ = shutdown => {},
            _ = term.recv() => {},
        }
    };
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
