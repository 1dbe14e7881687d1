//! How a trigger is called: an in-process handler registered for its ARN, or the AWS
//! Lambda Invoke API at the configured endpoint (`POST
//! {endpoint}/2015-03-31/functions/{ARN}/invocations`, as LocalStack, moto, the runtime
//! interface emulator or `cargo lambda watch` serve it).
//!
//! Operations are synchronous and run on blocking threads, while handlers and HTTP are
//! async; calls therefore run on a small runtime of the invoker's own, and the operation
//! waits for the answer, at most [`TIMEOUT`] as AWS waits for a trigger.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde_json::Value;

/// How long a trigger may take, as on AWS.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Why a call did not give an event back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The function ran and returned an error (the Invoke API's `X-Amz-Function-Error`).
    Function(String),
    /// The function answered with something that is not an event.
    InvalidResponse,
    /// The call itself failed: timeout, connection refused, an HTTP error.
    Unreachable(String),
}

/// What an in-process handler returns: the event back, or the function's error.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<Value, String>> + Send>>;

/// An in-process trigger: an async function of the event JSON.
pub type Handler = Arc<dyn Fn(Value) -> HandlerFuture + Send + Sync>;

/// Calls triggers; shared by every pool of the emulator.
pub struct Invoker {
    endpoint: Option<String>,
    handlers: HashMap<String, Handler>,
    runtime: OnceLock<Runtime>,
    http: OnceLock<reqwest::Client>,
}

impl std::fmt::Debug for Invoker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Invoker")
            .field("endpoint", &self.endpoint)
            .field("handlers", &self.handlers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The invoker's runtime, shut down in the background when dropped: it may be dropped
/// from inside another runtime, where a blocking shutdown is not allowed.
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl Invoker {
    /// An invoker with in-process `handlers` by ARN and, for other ARNs, the Invoke API
    /// at `endpoint`.
    pub fn new(endpoint: Option<String>, handlers: HashMap<String, Handler>) -> Self {
        Self {
            endpoint: endpoint.map(|e| e.trim_end_matches('/').to_owned()),
            handlers,
            runtime: OnceLock::new(),
            http: OnceLock::new(),
        }
    }

    /// Whether a call to `arn` can be made at all.
    pub fn reaches(&self, arn: &str) -> bool {
        self.handlers.contains_key(arn) || self.endpoint.is_some()
    }

    /// Calls the function `arn` with `event`, waiting at most [`TIMEOUT`].
    pub fn call(&self, arn: &str, event: Value) -> Result<Value, Failure> {
        let future: Pin<Box<dyn Future<Output = Result<Value, Failure>> + Send>> =
            match (self.handlers.get(arn), &self.endpoint) {
                (Some(handler), _) => {
                    let call = handler(event);
                    Box::pin(async move { call.await.map_err(Failure::Function) })
                }
                (None, Some(endpoint)) => {
                    let url = format!(
                        "{endpoint}/2015-03-31/functions/{}/invocations",
                        form_urlencoded::byte_serialize(arn.as_bytes()).collect::<String>()
                    );
                    let http = self.http.get_or_init(reqwest::Client::new).clone();
                    Box::pin(invoke_api(http, url, event))
                }
                (None, None) => {
                    return Err(Failure::Unreachable(
                        "no Lambda endpoint or in-process handler".into(),
                    ))
                }
            };
        let runtime = self.runtime.get_or_init(|| {
            Runtime(
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .thread_name("cognito-triggers")
                    .enable_all()
                    .build()
                    .ok(),
            )
        });
        let Some(rt) = &runtime.0 else {
            return Err(Failure::Unreachable("no runtime for trigger calls".into()));
        };
        // The answer comes back over a channel, so that the calling thread may be inside
        // another runtime (a test's, say) without blocking that runtime's own machinery.
        let (tx, rx) = std::sync::mpsc::channel();
        rt.spawn(async move {
            let outcome = match tokio::time::timeout(TIMEOUT, future).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Failure::Unreachable(format!(
                    "no answer within {} seconds",
                    TIMEOUT.as_secs()
                ))),
            };
            let _ = tx.send(outcome);
        });
        rx.recv_timeout(TIMEOUT + Duration::from_secs(1))
            .unwrap_or_else(|_| Err(Failure::Unreachable("the call was lost".into())))
    }
}

/// One call through the Lambda Invoke API: a function error comes back as HTTP 200 with
/// `X-Amz-Function-Error` and `{"errorMessage", "errorType"}`.
async fn invoke_api(http: reqwest::Client, url: String, event: Value) -> Result<Value, Failure> {
    let response = http
        .post(&url)
        .header("content-type", "application/json")
        .header("x-amz-invocation-type", "RequestResponse")
        .body(event.to_string())
        .send()
        .await
        .map_err(|e| Failure::Unreachable(e.to_string()))?;
    let status = response.status();
    let function_error = response.headers().contains_key("x-amz-function-error");
    let body = response
        .bytes()
        .await
        .map_err(|e| Failure::Unreachable(e.to_string()))?;
    if !status.is_success() {
        return Err(Failure::Unreachable(format!(
            "the Invoke API answered {status}"
        )));
    }
    let value: Value = serde_json::from_slice(&body).map_err(|_| Failure::InvalidResponse)?;
    if function_error {
        let message = value
            .get("errorMessage")
            .and_then(Value::as_str)
            .unwrap_or("Unhandled")
            .to_owned();
        return Err(Failure::Function(message));
    }
    Ok(value)
}
