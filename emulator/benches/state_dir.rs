//! The cost of `--state-dir`: SignUp throughput in memory and with the state directory
//! (same process, same concurrency), then how long a restart with 10,000 users takes
//! (the first start replays the journal and writes a snapshot; the next reads the
//! snapshot), and what the directory holds.
//!
//! `cargo bench -p cognito-emulator --bench state_dir`. Requests go through the AWS SDK
//! for Rust over HTTP; the client and the server share this process and its two cores.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::Client;
use cognito_emulator::Emulator;
use tokio::sync::Semaphore;

mod common;
use common::client;

const CONCURRENCY: usize = 32;
const PW: &str = "Aa123456!";
const USERS: usize = 10_000;

/// Signs up `n` users (`{prefix}{i}@example.com`), `CONCURRENCY` at a time; returns
/// requests per second.
async fn sign_ups(cognito: &Client, app: &str, prefix: &str, n: usize) -> f64 {
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    let start = Instant::now();
    let mut handles = Vec::with_capacity(n);
    for i in 0..n {
        let permit = permits.clone().acquire_owned().await.unwrap();
        let (c, app, name) = (
            cognito.clone(),
            app.to_owned(),
            format!("{prefix}{i}@example.com"),
        );
        handles.push(tokio::spawn(async move {
            c.sign_up()
                .client_id(app)
                .username(&name)
                .password(PW)
                .user_attributes(
                    aws_sdk_cognitoidentityprovider::types::AttributeType::builder()
                        .name("email")
                        .value(&name)
                        .build()
                        .unwrap(),
                )
                .send()
                .await
                .unwrap();
            drop(permit);
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    n as f64 / start.elapsed().as_secs_f64()
}

async fn pool(cognito: &Client) -> (String, String) {
    let pool = common::email_verifying_pool(cognito, "bench").await;
    let app = common::app_client(cognito, &pool, &[]).await;
    (pool, app)
}

fn size_mib(dir: &Path) -> f64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum::<u64>()
        })
        .unwrap_or(0) as f64
        / (1024.0 * 1024.0)
}

/// Starts an emulator on `dir` and waits for its first answer; returns the time taken.
async fn restart(dir: &Path, pool: &str) -> (Duration, cognito_emulator::EmulatorHandle) {
    let t = Instant::now();
    let emulator = Emulator::new().state_dir(dir).start().await.unwrap();
    let cognito = client(&emulator.endpoint());
    let described = cognito
        .describe_user_pool()
        .user_pool_id(pool)
        .send()
        .await
        .unwrap();
    let elapsed = t.elapsed();
    let users = described.user_pool.unwrap().estimated_number_of_users;
    assert!(users >= USERS as i32, "the restart lost users: {users}");
    (elapsed, emulator)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = std::env::temp_dir().join(format!("state-dir-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    let n = 2000;
    let memory = Emulator::new().start().await.unwrap();
    let cognito = client(&memory.endpoint());
    let (_, app) = pool(&cognito).await;
    sign_ups(&cognito, &app, "warm", 50).await;
    tokio::time::sleep(Duration::from_secs(2)).await; // background key generation
    let in_memory = sign_ups(&cognito, &app, "m", n).await;
    memory.shutdown().await;

    let kept = Emulator::new().state_dir(&dir).start().await.unwrap();
    let cognito = client(&kept.endpoint());
    let (pool_id, app) = pool(&cognito).await;
    sign_ups(&cognito, &app, "warm", 50).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let on_disk = sign_ups(&cognito, &app, "d", n).await;
    println!(
        "SignUp: {in_memory:.0} requests/s in memory, {on_disk:.0} requests/s with --state-dir ({:.0} %; {n} requests, {CONCURRENCY} concurrent, each mails a code; every answer waits for its fsynced records)",
        100.0 * on_disk / in_memory
    );
    sign_ups(&cognito, &app, "r", USERS - n - 50).await;
    kept.shutdown().await;
    println!(
        "state directory after {USERS} sign-ups with their mails: {:.1} MiB (snapshot of the empty start, and the journal)",
        size_mib(&dir)
    );

    let (first, emulator) = restart(&dir, &pool_id).await;
    emulator.shutdown().await;
    let after_compaction = size_mib(&dir);
    let (second, emulator) = restart(&dir, &pool_id).await;
    emulator.shutdown().await;
    println!(
        "restart with {USERS} users (start to first answer): {:.0} ms replaying the journal and writing a snapshot, {:.0} ms from the snapshot ({after_compaction:.1} MiB)",
        first.as_secs_f64() * 1e3,
        second.as_secs_f64() * 1e3
    );
    let _ = std::fs::remove_dir_all(&dir);
}
