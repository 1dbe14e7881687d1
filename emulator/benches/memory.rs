//! Resident memory per user: after users created without mail (`AdminCreateUser` with
//! `MessageAction SUPPRESS`, default 1,000,000) and after users who signed up with their
//! mails kept (`SignUp`, default 100,000, the outbox's limit raised to hold them all).
//!
//! `cargo bench -p cognito-emulator --bench memory [-- WITHOUT_MAIL [WITH_MAIL]]`.
//! Operations are called directly (no HTTP), from two threads: each user costs an SRP
//! verifier (a 3072-bit exponentiation, about a millisecond), which is what the run's
//! length rests on.

use std::time::Instant;

use cognito_emulator::context::RequestContext;
use cognito_emulator::Emulator;
use serde_json::json;

mod common;
use common::rss_mib;

/// Adds `n` users to a new pool of a new emulator with `add(cognito, ctx, pool, client,
/// i)`, two threads at once; prints resident memory per user.
async fn measure(
    label: &str,
    n: usize,
    outbox_limit: usize,
    add: impl Fn(&cognito_emulator::cognito::Cognito, &RequestContext, &str, &str, usize) + Sync,
) {
    let emulator = Emulator::new()
        .outbox_limit(outbox_limit)
        .start()
        .await
        .unwrap();
    let ctx = RequestContext::new("us-east-1", "000000000000");
    let svc = emulator.cognito().clone();
    let (pool, client) = common::direct_pool(
        &svc,
        &ctx,
        json!({"PoolName": "memory", "UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"]}),
        json!({"ClientName": "c"}),
    );
    let before = rss_mib();
    let t = Instant::now();
    std::thread::scope(|s| {
        for part in 0..2 {
            let (svc, ctx, pool, client, add) = (&svc, &ctx, &pool, &client, &add);
            s.spawn(move || {
                for i in (part..n).step_by(2) {
                    add(svc, ctx, pool, client, i);
                }
            });
        }
    });
    let after = rss_mib();
    println!(
        "{label}: {n} users, resident memory {before:.1} MiB before, {after:.1} MiB after: {:.0} bytes a user ({:.0} s to add them, two threads)",
        (after - before) * 1024.0 * 1024.0 / n as f64,
        t.elapsed().as_secs_f64()
    );
    emulator.shutdown().await;
}

/// Set in the child processes: which measurement to run, and how many users.
const ONLY: &str = "MEMORY_BENCH_ONLY";

fn main() {
    // Each measurement runs in a process of its own: memory freed by one would otherwise
    // be reused by the next without showing in its resident size.
    if let Ok(only) = std::env::var(ONLY) {
        let (which, n) = only.split_once(':').unwrap();
        let n: usize = n.parse().unwrap();
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
            .block_on(run(which, n));
        return;
    }
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let without_mail: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let with_mail: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    for (which, n) in [("with", with_mail), ("without", without_mail)] {
        let status = std::process::Command::new(std::env::current_exe().unwrap())
            .env(ONLY, format!("{which}:{n}"))
            .status()
            .unwrap();
        assert!(status.success());
    }
}

async fn run(which: &str, n: usize) {
    if which == "with" {
        with_mails(n).await;
    } else {
        without_mail(n).await;
    }
}

async fn without_mail(without_mail: usize) {
    measure("without mail (AdminCreateUser, SUPPRESS)", without_mail, 1, |svc, ctx, pool, _, i| {
        svc.dispatch(
            ctx,
            "AdminCreateUser",
            json!({"UserPoolId": pool, "Username": format!("quiet{i}@example.com"), "MessageAction": "SUPPRESS", "TemporaryPassword": "Aa123456!"}),
        )
        .unwrap();
    })
    .await;
}

async fn with_mails(with_mail: usize) {
    measure("with their mails (SignUp, every code mail kept)", with_mail, with_mail, |svc, ctx, _, client, i| {
        svc.dispatch(
            ctx,
            "SignUp",
            json!({"ClientId": client, "Username": format!("m{i}@example.com"), "Password": "Aa123456!"}),
        )
        .unwrap();
    })
    .await;
}
