//! The long fuzz: a million generated and mutated requests over HTTP, from concurrent
//! clients, to every kind of route: Cognito (AWS JSON 1.1) and SES (query), the outbox,
//! reset, state export and import, the OAuth endpoints and login page, and the JWKS.
//! It reports panics (the server answers a panicked handler with a 500), other 5xx
//! answers, answers slower than 1 s, and resident memory before and after.
//!
//! `cargo bench -p cognito-emulator --bench fuzz [-- REQUESTS [SEED]]` (default 1,000,000
//! requests, seed 20261127). Any input it finds to crash or hang the server belongs in
//! the seeded short run, `tests/fuzz.rs`, which `cargo test` runs.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cognito_emulator::context::RequestContext;
use cognito_emulator::Emulator;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

#[path = "../tests/common/fuzz_input.rs"]
mod fuzz_input;
use fuzz_input::{mutate, operations, random_value, seed_input, ses_body};

mod common;
use common::rss_mib;

const CLIENTS: usize = 16;

#[derive(Default)]
struct Tally {
    sent: AtomicU64,
    ok: AtomicU64,
    client_errors: AtomicU64,
    server_errors: AtomicU64,
    slow: AtomicU64,
    failed: AtomicU64,
}

/// One request of a kind picked at random.
fn request(
    http: &reqwest::Client,
    rng: &mut StdRng,
    base: &str,
    pool: &str,
    client: &str,
    ops: &[&str],
) -> reqwest::RequestBuilder {
    let pick: u32 = rng.gen_range(0..1000);
    match pick {
        // Cognito's API, mostly: it has the most to get wrong.
        0..=599 => {
            let op = ops[rng.gen_range(0..ops.len())];
            let input = seed_input(rng, pool, client);
            http.post(base)
                .header(
                    "x-amz-target",
                    format!("AWSCognitoIdentityProviderService.{op}"),
                )
                .header("content-type", "application/x-amz-json-1.1")
                .body(mutate(rng, input))
        }
        600..=799 => http
            .post(base)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(ses_body(rng)),
        800..=839 => http.get(format!("{base}/_aws/ses?to={}", rng.gen::<u16>())),
        840..=849 => http.delete(format!(
            "{base}/_aws/ses?to=nobody{}@example.com",
            rng.gen::<u16>()
        )),
        850..=899 => {
            let form = [
                (
                    "grant_type",
                    [
                        "authorization_code",
                        "client_credentials",
                        "refresh_token",
                        "x",
                    ][rng.gen_range(0..4)]
                    .to_owned(),
                ),
                (
                    "client_id",
                    if rng.gen_bool(0.5) {
                        client.to_owned()
                    } else {
                        random_value(rng, 2).to_string()
                    },
                ),
                ("code", random_value(rng, 2).to_string()),
                ("redirect_uri", "https://app.example.com/cb".to_owned()),
                ("code_verifier", random_value(rng, 2).to_string()),
                ("scope", random_value(rng, 2).to_string()),
            ];
            http.post(format!("{base}/_aws/cognito-idp/oauth2/token"))
                .form(&form)
        }
        900..=939 => {
            let q = [
                (
                    "response_type",
                    ["code", "token", "x"][rng.gen_range(0..3)].to_owned(),
                ),
                ("client_id", client.to_owned()),
                ("redirect_uri", random_value(rng, 1).to_string()),
                ("state", random_value(rng, 1).to_string()),
                ("scope", random_value(rng, 1).to_string()),
                ("code_challenge", random_value(rng, 1).to_string()),
            ];
            let path = [
                "oauth2/authorize",
                "login",
                "signup",
                "forgotPassword",
                "logout",
                "oauth2/userInfo",
            ][rng.gen_range(0..6)];
            let query = serde_urlencoded::to_string(q).unwrap_or_default();
            http.get(format!("{base}/_aws/cognito-idp/{path}?{query}"))
        }
        940..=959 => {
            let form = [
                ("username", random_value(rng, 1).to_string()),
                ("password", random_value(rng, 1).to_string()),
                ("_csrf", random_value(rng, 1).to_string()),
            ];
            let path = [
                "login",
                "signup",
                "challenge",
                "confirmUser",
                "forgotPassword",
            ][rng.gen_range(0..5)];
            http.post(format!("{base}/_aws/cognito-idp/{path}?client_id={client}&response_type=code&redirect_uri=x")).form(&form)
        }
        960..=989 => {
            let id = if rng.gen_bool(0.5) {
                pool.to_owned()
            } else {
                random_value(rng, 1).to_string()
            };
            let doc = ["jwks.json", "openid-configuration"][rng.gen_range(0..2)];
            http.get(format!("{base}/{}/.well-known/{doc}", urlencode(&id)))
        }
        // Resets of regions nobody uses, state imports of garbage, and (rarely, it is
        // the whole state) an export.
        990..=994 => http.post(format!(
            "{base}/_emulator/reset?region=zz-fuzz-{}",
            rng.gen_range(0..3)
        )),
        995..=998 => http.post(format!("{base}/_emulator/state")).body(mutate(
            rng,
            json!({"format": 1, "cognito": {"pools": []}, "outbox": {"mails": []}}),
        )),
        _ => http.get(format!("{base}/_emulator/state")),
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let total: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20261127);

    let emulator = Emulator::new().start().await.unwrap();
    let base = emulator.endpoint();
    let ctx = RequestContext::new("us-east-1", "000000000000");
    let svc = emulator.cognito();
    let (pool, client) = common::direct_pool(
        svc,
        &ctx,
        json!({"PoolName": "f", "UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"]}),
        json!({"ClientName": "c", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"], "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"], "AllowedOAuthFlowsUserPoolClient": true, "CallbackURLs": ["https://app.example.com/cb"], "SupportedIdentityProviders": ["COGNITO"]}),
    );
    svc.dispatch(
        &ctx,
        "CreateUserPoolDomain",
        json!({"UserPoolId": pool, "Domain": "fuzz-bench"}),
    )
    .unwrap();

    let before = rss_mib();
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..CLIENTS {
        let (tally, base, pool, client) =
            (tally.clone(), base.clone(), pool.clone(), client.clone());
        workers.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let mut rng = StdRng::seed_from_u64(seed.wrapping_add(w as u64));
            let ops = operations();
            while tally.sent.fetch_add(1, Ordering::Relaxed) < total {
                let req = request(&http, &mut rng, &base, &pool, &client, &ops);
                let t = Instant::now();
                match tokio::time::timeout(Duration::from_secs(30), req.send()).await {
                    Ok(Ok(resp)) => {
                        let status = resp.status();
                        let _ = resp.bytes().await;
                        let counter = if status.is_server_error() {
                            &tally.server_errors
                        } else if status.is_client_error() {
                            &tally.client_errors
                        } else {
                            &tally.ok
                        };
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        tally.failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if t.elapsed() > Duration::from_secs(1) {
                    tally.slow.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    let mut progress = tokio::time::interval(Duration::from_secs(30));
    progress.tick().await;
    let all = futures_join(workers);
    tokio::pin!(all);
    loop {
        tokio::select! {
            _ = &mut all => break,
            _ = progress.tick() => eprintln!("{} requests, {:.0} s", tally.sent.load(Ordering::Relaxed).min(total), started.elapsed().as_secs_f64()),
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
    println!(
        "fuzz: {total} requests (seed {seed}, {CLIENTS} concurrent clients) in {secs:.0} s ({:.0}/s): {} 2xx/3xx, {} 4xx, {} 5xx (a panicked handler answers 500), {} over 1 s, {} without an answer; resident memory {before:.1} MiB before, {:.1} MiB after",
        total as f64 / secs,
        get(&tally.ok),
        get(&tally.client_errors),
        get(&tally.server_errors),
        get(&tally.slow),
        get(&tally.failed),
        rss_mib(),
    );
    emulator.shutdown().await;
}

async fn futures_join(handles: Vec<tokio::task::JoinHandle<()>>) {
    for h in handles {
        h.await.unwrap();
    }
}
