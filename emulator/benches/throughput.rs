//! The emulator's figures: start-up, requests per second for SignUp, InitiateAuth and
//! SRP sign-in,
//! complete tutorial flows per second (sign-up, code from the outbox, confirm, login)
//! with concurrent clients, and resident memory idle and after 100,000 users.
//!
//! `cargo bench -p cognito-emulator --bench throughput`. Requests go through the AWS SDK
//! for Rust over HTTP, as a test suite's would; the client and the server share this
//! process and its two cores.

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ExplicitAuthFlowsType, UsernameAttributeType, VerifiedAttributeType,
};
use aws_sdk_cognitoidentityprovider::Client;
use cognito_emulator::context::RequestContext;
use cognito_emulator::{Emulator, EmulatorHandle};
use serde_json::json;
use tokio::sync::Semaphore;

mod common;
use common::{client, rss_mib};

const CONCURRENCY: usize = 32;
const PW: &str = "Aa123456!";

async fn tutorial_pool(cognito: &Client) -> (String, String) {
    let pool = cognito
        .create_user_pool()
        .pool_name("bench")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .username_attributes(UsernameAttributeType::Email)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("cli")
        .explicit_auth_flows(ExplicitAuthFlowsType::UserPasswordAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    (pool, client)
}

/// Runs `n` tasks made by `task`, `CONCURRENCY` at a time; returns the rate per second.
async fn rate<F, Fut>(n: usize, task: F) -> f64
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let start = Instant::now();
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        let permit = permits.clone().acquire_owned().await.unwrap();
        let fut = task(i);
        handles.push(tokio::spawn(async move {
            fut.await;
            drop(permit);
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn code_for(emulator: &EmulatorHandle, to: &str) -> String {
    let mail = emulator
        .outbox()
        .to(to)
        .pop()
        .expect("the verification mail");
    let parsed = mailparse::parse_mail(mail.raw_data.as_bytes()).unwrap();
    let text = parsed.subparts[0].get_body().unwrap();
    let after = text.split("Your verification code is ").nth(1).unwrap();
    after.split('.').next().unwrap().trim().to_owned()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let baseline = rss_mib();
    let mut starts = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let e = Emulator::new().start().await.unwrap();
        starts.push(t.elapsed());
        e.shutdown().await;
    }
    starts.sort();
    println!(
        "start-up: median {:.3} ms, max {:.3} ms (50 starts)",
        starts[25].as_secs_f64() * 1e3,
        starts[49].as_secs_f64() * 1e3
    );

    let emulator = Arc::new(Emulator::new().start().await.unwrap());
    tokio::time::sleep(Duration::from_millis(200)).await;
    println!(
        "resident memory: {baseline:.1} MiB before start, {:.1} MiB idle",
        rss_mib()
    );
    let cognito = client(&emulator.endpoint());
    let (pool, app) = tutorial_pool(&cognito).await;
    // Let the background key generation finish, so it does not count against the rates.
    cognito
        .sign_up()
        .client_id(&app)
        .username("warm@example.com")
        .password(PW)
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(3)).await;

    let signups = 2000;
    let per_second = rate(signups, |i| {
        let (c, app) = (cognito.clone(), app.clone());
        async move {
            c.sign_up()
                .client_id(app)
                .username(format!("s{i}@example.com"))
                .password(PW)
                .send()
                .await
                .unwrap();
        }
    })
    .await;
    println!("SignUp: {per_second:.0} requests/s ({signups} requests, {CONCURRENCY} concurrent, each mails a code)");

    cognito
        .admin_confirm_sign_up()
        .user_pool_id(&pool)
        .username("warm@example.com")
        .send()
        .await
        .unwrap();
    let logins = 1000;
    let per_second = rate(logins, |_| {
        let (c, app) = (cognito.clone(), app.clone());
        async move {
            c.initiate_auth()
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .client_id(app)
                .auth_parameters("USERNAME", "warm@example.com")
                .auth_parameters("PASSWORD", PW)
                .send()
                .await
                .unwrap();
        }
    })
    .await;
    println!("InitiateAuth: {per_second:.0} requests/s ({logins} logins, {CONCURRENCY} concurrent, 2 RS256 signatures + 1 JWE each)");

    // SRP: both steps, with the aws-cognito-srp crate as the client. The client's SRP
    // arithmetic (two 3072-bit exponentiations with 1024-bit exponents) costs more than
    // the server's, and would share the two cores; so it runs between the timed phases,
    // and the figure is the server's: InitiateAuth (B = k·v + g^b) and
    // RespondToAuthChallenge (S = (A·v^u)^b, the HMAC, two RS256 signatures and a JWE).
    let srp_app = cognito
        .create_user_pool_client()
        .user_pool_id(&pool)
        .client_name("srp")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let srp_logins = 400;
    let clients: Vec<_> = (0..srp_logins)
        .map(|_| {
            let srp = aws_cognito_srp::SrpClient::new(
                aws_cognito_srp::User::new(&pool, "warm@example.com", PW),
                &srp_app,
                None,
            );
            let a = srp.get_auth_parameters().a;
            (Arc::new(srp), a)
        })
        .collect();
    let challenges = Arc::new(std::sync::Mutex::new(vec![None; srp_logins]));
    let started = Instant::now();
    rate(srp_logins, |i| {
        let (c, app, challenges) = (cognito.clone(), srp_app.clone(), challenges.clone());
        let a = clients[i].1.clone();
        async move {
            let out = c
                .initiate_auth()
                .auth_flow(AuthFlowType::UserSrpAuth)
                .client_id(&app)
                .auth_parameters("USERNAME", "warm@example.com")
                .auth_parameters("SRP_A", a)
                .send()
                .await
                .unwrap();
            challenges.lock().unwrap()[i] = out.challenge_parameters;
        }
    })
    .await;
    let first_step = started.elapsed();
    let answers: Vec<_> = challenges
        .lock()
        .unwrap()
        .iter()
        .zip(&clients)
        .map(|(p, (srp, _))| {
            let p = p.as_ref().unwrap();
            let v = srp
                .verify(
                    &p["SECRET_BLOCK"],
                    &p["USER_ID_FOR_SRP"],
                    &p["SALT"],
                    &p["SRP_B"],
                )
                .unwrap();
            (p["USER_ID_FOR_SRP"].clone(), v)
        })
        .collect();
    let answers = Arc::new(answers);
    let started = Instant::now();
    rate(srp_logins, |i| {
        let (c, app, answers) = (cognito.clone(), srp_app.clone(), answers.clone());
        async move {
            let (user, v) = &answers[i];
            c.respond_to_auth_challenge()
                .client_id(&app)
                .challenge_name(
                    aws_sdk_cognitoidentityprovider::types::ChallengeNameType::PasswordVerifier,
                )
                .challenge_responses("USERNAME", user)
                .challenge_responses(
                    "PASSWORD_CLAIM_SECRET_BLOCK",
                    &v.password_claim_secret_block,
                )
                .challenge_responses("PASSWORD_CLAIM_SIGNATURE", &v.password_claim_signature)
                .challenge_responses("TIMESTAMP", &v.timestamp)
                .send()
                .await
                .unwrap()
                .authentication_result
                .unwrap();
        }
    })
    .await;
    let per_second = srp_logins as f64 / (first_step + started.elapsed()).as_secs_f64();
    println!("SRP sign-in: {per_second:.0} logins/s, server side ({srp_logins} logins, {CONCURRENCY} concurrent; each: 3 modular exponentiations of 3072 bits, 2 RS256 signatures + 1 JWE; the client's arithmetic runs between the timed steps)");

    let flows = 1000;
    let per_second = rate(flows, |i| {
        let (c, app, emulator) = (cognito.clone(), app.clone(), emulator.clone());
        async move {
            let user = format!("f{i}@example.com");
            c.sign_up()
                .client_id(&app)
                .username(&user)
                .password(PW)
                .send()
                .await
                .unwrap();
            let code = code_for(&emulator, &user);
            c.confirm_sign_up()
                .client_id(&app)
                .username(&user)
                .confirmation_code(code)
                .send()
                .await
                .unwrap();
            c.initiate_auth()
                .auth_flow(AuthFlowType::UserPasswordAuth)
                .client_id(&app)
                .auth_parameters("USERNAME", &user)
                .auth_parameters("PASSWORD", PW)
                .send()
                .await
                .unwrap();
        }
    })
    .await;
    println!("tutorial flows: {per_second:.0} complete flows/s (sign-up, code from the outbox, confirm, login; {flows} flows, {CONCURRENCY} concurrent)");

    trigger_latency().await;

    // 100,000 users, through the operations directly (no mail: the pool does not verify).
    let ctx = RequestContext::new("us-east-1", "000000000000");
    let svc = emulator.cognito();
    let (_, quiet_client) = common::direct_pool(
        svc,
        &ctx,
        json!({"PoolName": "many", "UsernameAttributes": ["email"]}),
        json!({"ClientName": "c"}),
    );
    let before = rss_mib();
    let t = Instant::now();
    for i in 0..100_000 {
        svc.dispatch(&ctx, "SignUp", json!({"ClientId": quiet_client, "Username": format!("m{i}@example.com"), "Password": PW}))
            .unwrap();
    }
    println!(
        "resident memory: {before:.1} MiB before, {:.1} MiB after 100,000 more users ({:.1} s to add them)",
        rss_mib(),
        t.elapsed().as_secs_f64()
    );

    // Locking: state has one lock per region. Two threads signing users up into two
    // pools, first in one region (sharing its lock), then in two regions (a lock each,
    // as finer per-pool locks would give them). Equal rates mean the region lock is not
    // what limits throughput here.
    for (label, regions) in [
        ("two pools, one region", ["eu-west-1", "eu-west-1"]),
        ("two pools, two regions", ["eu-west-2", "eu-west-3"]),
    ] {
        let clients: Vec<(RequestContext, String)> = regions
            .iter()
            .map(|region| {
                let ctx = RequestContext::new(*region, "000000000000");
                let (_, client) = common::direct_pool(
                    svc,
                    &ctx,
                    json!({"PoolName": "lock"}),
                    json!({"ClientName": "c"}),
                );
                (ctx, client)
            })
            .collect();
        const EACH: usize = 20_000;
        let t = Instant::now();
        std::thread::scope(|scope| {
            for (ctx, client) in &clients {
                scope.spawn(move || {
                    for i in 0..EACH {
                        svc.dispatch(ctx, "SignUp", json!({"ClientId": client, "Username": format!("u{i}"), "Password": PW}))
                            .unwrap();
                    }
                });
            }
        });
        println!(
            "locking, {label}: {:.0} SignUps/s (2 threads, {EACH} each, operations called directly)",
            (2 * EACH) as f64 / t.elapsed().as_secs_f64()
        );
    }
}

/// What a trigger adds to a call: 200 SignUps one after another into a pool without
/// triggers, with an in-process PreSignUp handler, and with one behind the Lambda
/// Invoke API (a small axum server in this process).
async fn trigger_latency() {
    const ARN: &str = "arn:aws:lambda:us-east-1:000000000000:function:bench";
    const N: usize = 200;
    async fn sign_ups(emulator: &EmulatorHandle, with_trigger: bool) -> Duration {
        let c = client(&emulator.endpoint());
        let mut create = c.create_user_pool().pool_name("bench-triggers");
        if with_trigger {
            create = create.lambda_config(
                aws_sdk_cognitoidentityprovider::types::LambdaConfigType::builder()
                    .pre_sign_up(ARN)
                    .build(),
            );
        }
        let pool = create.send().await.unwrap().user_pool.unwrap().id.unwrap();
        let app = c
            .create_user_pool_client()
            .user_pool_id(&pool)
            .client_name("bench")
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap()
            .client_id
            .unwrap();
        let start = Instant::now();
        for i in 0..N {
            c.sign_up()
                .client_id(&app)
                .username(format!("user{i}"))
                .password(PW)
                .send()
                .await
                .unwrap();
        }
        start.elapsed() / N as u32
    }
    let plain = Emulator::new().start().await.unwrap();
    let none = sign_ups(&plain, false).await;
    plain.shutdown().await;

    let in_process = Emulator::new()
        .trigger(ARN, |event: serde_json::Value| async move {
            Ok::<_, String>(event)
        })
        .start()
        .await
        .unwrap();
    let handler = sign_ups(&in_process, true).await;
    in_process.shutdown().await;

    let app = axum::Router::new().route(
        "/2015-03-31/functions/{function}/invocations",
        axum::routing::post(|body: String| async move { body }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let over_http = Emulator::new().lambda_endpoint(url).start().await.unwrap();
    let http = sign_ups(&over_http, true).await;
    over_http.shutdown().await;

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "trigger latency: a SignUp takes {:.3} ms without triggers; a PreSignUp call adds {:.3} ms in-process, {:.3} ms through the Invoke API ({N} sign-ups each, one at a time)",
        ms(none),
        ms(handler.saturating_sub(none)),
        ms(http.saturating_sub(none)),
    );
}
