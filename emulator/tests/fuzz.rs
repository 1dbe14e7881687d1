//! Random and mutated requests thrown at the router: whatever arrives, the answer is an
//! AWS-shaped 2xx or 4xx, never a panic, a 5xx or a hang. Seeded, so a failure
//! reproduces: `FUZZ_SEED=N cargo test -p cognito-emulator --test emulator fuzz::`.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use cognito_emulator::clock::SystemClock;
use cognito_emulator::cognito::Cognito;
use cognito_emulator::http::{router, AppState};
use cognito_emulator::mailer::Mailer;
use cognito_emulator::ses::Ses;
use cognito_emulator::Outbox;
use http_body_util::BodyExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

#[path = "common/fuzz_input.rs"]
mod fuzz_input;
use fuzz_input::{mutate, operations, seed_input, ses_body};
use tower::ServiceExt;

const ITERATIONS: usize = 1500;

#[tokio::test]
async fn random_and_mutated_requests_get_aws_shaped_answers() {
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261126);
    let mut rng = StdRng::seed_from_u64(seed);
    let outbox = Outbox::new();
    let mailer = Mailer::new(outbox.clone(), None, Arc::new(SystemClock));
    let cognito = Arc::new(Cognito::new(Arc::new(SystemClock), mailer.clone()));
    let app = router(AppState {
        cognito: cognito.clone(),
        ses: Arc::new(Ses::new(mailer, Arc::new(SystemClock))),
        outbox,
        default_region: "us-east-1".into(),
        account_id: "000000000000".into(),
    });
    // A real pool and client, so that mutated requests can reach deep into operations.
    let ctx = cognito_emulator::context::RequestContext::new("us-east-1", "000000000000");
    let pool = cognito.dispatch(&ctx, "CreateUserPool", json!({"PoolName": "f", "UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"]})).unwrap();
    let pool = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    let client = cognito.dispatch(&ctx, "CreateUserPoolClient", json!({"UserPoolId": pool, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})).unwrap();
    let client = client["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();

    let operations = operations();
    let mut statuses = std::collections::BTreeMap::new();
    for i in 0..ITERATIONS {
        let cognito_call = rng.gen_bool(0.75);
        let request = if cognito_call {
            let op = operations[rng.gen_range(0..operations.len())];
            let target = if rng.gen_bool(0.05) {
                format!("Garbage.{op}")
            } else {
                format!("AWSCognitoIdentityProviderService.{op}")
            };
            Request::post("/")
                .header("x-amz-target", target)
                .header("content-type", "application/x-amz-json-1.1")
                .body(Body::from({
                    let input = seed_input(&mut rng, &pool, &client);
                    mutate(&mut rng, input)
                }))
                .unwrap()
        } else {
            Request::post("/")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(ses_body(&mut rng)))
                .unwrap()
        };
        let response = tokio::time::timeout(Duration::from_secs(10), app.clone().oneshot(request))
            .await
            .unwrap_or_else(|_| panic!("request {i} (seed {seed}) hung"))
            .unwrap();
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert!(
            status.is_success() || status.is_client_error(),
            "request {i} (seed {seed}): {status} {body:?}"
        );
        if status.is_client_error() {
            if cognito_call {
                let error: Value = serde_json::from_slice(&body)
                    .unwrap_or_else(|_| panic!("request {i}: not JSON: {body:?}"));
                assert!(
                    error["__type"].is_string() && error["message"].is_string(),
                    "request {i}: {error}"
                );
            } else {
                let text = String::from_utf8_lossy(&body);
                assert!(
                    text.contains("<ErrorResponse") && text.contains("<Code>"),
                    "request {i}: {text}"
                );
            }
        }
        *statuses.entry(status.as_u16()).or_insert(0) += 1;
    }
    println!("fuzz: {ITERATIONS} requests (seed {seed}), statuses {statuses:?}");
    assert!(
        statuses.contains_key(&200),
        "some requests should succeed: {statuses:?}"
    );
}
