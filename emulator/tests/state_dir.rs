//! `--state-dir`: what the emulator acknowledged survives a restart and a SIGKILL; a torn
//! tail is dropped, other damage stops the start without touching the directory; one
//! emulator per directory. And `/_emulator/state`: an export imported elsewhere signs
//! the same users in with the same keys.
//!
//! The crash test runs the `cognito-emulator` program as a child process and kills it
//! with SIGKILL in the middle of concurrent sign-ups.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider::types::{AttributeType, AuthFlowType, ExplicitAuthFlowsType};
use aws_sdk_cognitoidentityprovider::Client as Cognito;
use cognito_emulator::Emulator;
use common::{app_client, claims, confirmed_user, sdk_client, start_with, PW};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("state-dir-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn pool_with_client(cognito: &Cognito) -> (String, String) {
    let pool = common::email_verifying_pool(cognito, "kept").await;
    let client = app_client(
        cognito,
        &pool,
        &[
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ],
    )
    .await;
    (pool, client)
}

async fn login(cognito: &Cognito, client: &str, user: &str) -> (String, String) {
    let auth = cognito
        .initiate_auth()
        .client_id(client)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", user)
        .auth_parameters("PASSWORD", PW)
        .send()
        .await
        .expect("sign-in")
        .authentication_result
        .unwrap();
    (auth.access_token.unwrap(), auth.refresh_token.unwrap())
}

#[tokio::test]
async fn a_restart_keeps_pools_clients_users_groups_keys_sessions_and_mail() {
    let dir = temp_dir("restart");
    let (emulator, cognito) = start_with(Emulator::new().state_dir(&dir)).await;
    let (pool, client) = pool_with_client(&cognito).await;
    confirmed_user(&cognito, &pool, "ann", Some("ann@example.com")).await;
    cognito
        .create_group()
        .user_pool_id(&pool)
        .group_name("admins")
        .send()
        .await
        .unwrap();
    cognito
        .admin_add_user_to_group()
        .user_pool_id(&pool)
        .username("ann")
        .group_name("admins")
        .send()
        .await
        .unwrap();
    cognito
        .sign_up()
        .client_id(&client)
        .username("ben")
        .password(PW)
        .user_attributes(
            AttributeType::builder()
                .name("email")
                .value("ben@example.com")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let (access, refresh) = login(&cognito, &client, "ann").await;
    let jwks_before = reqwest::get(format!(
        "{}/{pool}/.well-known/jwks.json",
        emulator.endpoint()
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    let mails_before = emulator.outbox().all();
    emulator.shutdown().await;

    let (emulator, cognito) = start_with(Emulator::new().state_dir(&dir)).await;
    // The same keys, under the same kids: tokens issued before verify after.
    let jwks_after = reqwest::get(format!(
        "{}/{pool}/.well-known/jwks.json",
        emulator.endpoint()
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    assert_eq!(jwks_before, jwks_after);
    // The old access token still works, so its session was kept.
    let me = cognito
        .get_user()
        .access_token(&access)
        .send()
        .await
        .expect("GetUser with a token from before the restart");
    assert_eq!(me.username, "ann");
    assert_eq!(
        claims(&access)["cognito:groups"],
        serde_json::json!(["admins"])
    );
    // The refresh token too.
    cognito
        .initiate_auth()
        .client_id(&client)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", &refresh)
        .send()
        .await
        .expect("refresh with a token from before the restart");
    login(&cognito, &client, "ann").await;
    let ben = cognito
        .admin_get_user()
        .user_pool_id(&pool)
        .username("ben")
        .send()
        .await
        .unwrap();
    assert_eq!(ben.user_status.unwrap().as_str(), "UNCONFIRMED");
    let groups = cognito
        .admin_list_groups_for_user()
        .user_pool_id(&pool)
        .username("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(
        groups.groups.unwrap()[0].group_name.as_deref(),
        Some("admins")
    );
    assert_eq!(emulator.outbox().all(), mails_before);
    // The code mailed before the restart confirms after it.
    let code = common::mailed_code(&emulator, "ben@example.com");
    cognito
        .confirm_sign_up()
        .client_id(&client)
        .username("ben")
        .confirmation_code(code)
        .send()
        .await
        .expect("the code from before the restart");
    emulator.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_second_emulator_on_the_same_directory_is_refused_and_a_bad_directory_stops_the_start() {
    let dir = temp_dir("lock");
    let first = Emulator::new().state_dir(&dir).start().await.unwrap();
    let second = Emulator::new().state_dir(&dir).start().await;
    let message = second
        .expect_err("a second emulator on the same directory")
        .to_string();
    assert!(message.contains("another emulator"), "{message}");
    first.shutdown().await;
    // Once the first has stopped, the directory is free again.
    Emulator::new()
        .state_dir(&dir)
        .start()
        .await
        .expect("the lock is released")
        .shutdown()
        .await;

    let file = dir.join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let message = Emulator::new()
        .state_dir(file.join("state"))
        .start()
        .await
        .expect_err("a directory under a file")
        .to_string();
    assert!(message.contains("cannot create it"), "{message}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The one journal file of `dir`.
fn journal_file(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("journal-")
        })
        .expect("a journal file")
}

fn dir_contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

/// A directory holding one pool and users `names`, written by an emulator that was
/// then stopped without a chance to write a new snapshot.
async fn directory_with_users(names: &[&str]) -> (PathBuf, String) {
    let dir = temp_dir("journal");
    let (emulator, cognito) = start_with(Emulator::new().state_dir(&dir)).await;
    let (pool, _) = pool_with_client(&cognito).await;
    for name in names {
        confirmed_user(&cognito, &pool, name, None).await;
    }
    emulator.shutdown().await;
    (dir, pool)
}

#[tokio::test]
async fn a_torn_tail_is_dropped_and_damage_before_whole_records_stops_the_start() {
    // A record cut short at the end, as a crash mid-write leaves it: dropped.
    let (dir, pool) = directory_with_users(&["ann", "ben"]).await;
    let journal = journal_file(&dir);
    let whole = std::fs::read(&journal).unwrap();
    let mut torn = whole.clone();
    torn.extend_from_slice(&[200, 0, 0, 0, 1, 2, 3, 4, 9, 0, 0, 0, 0, 0, 0, 0, b'{', b'"']);
    std::fs::write(&journal, &torn).unwrap();
    let (emulator, cognito) = start_with(Emulator::new().state_dir(&dir)).await;
    for name in ["ann", "ben"] {
        cognito
            .admin_get_user()
            .user_pool_id(&pool)
            .username(name)
            .send()
            .await
            .expect("users before the torn record");
    }
    emulator.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();

    // A damaged byte in a record that whole records follow: corruption.
    let (dir, _) = directory_with_users(&["ann", "ben", "cal"]).await;
    let journal = journal_file(&dir);
    let mut bytes = std::fs::read(&journal).unwrap();
    assert!(bytes.len() > 64, "the journal holds the users");
    bytes[40] ^= 0x55;
    std::fs::write(&journal, &bytes).unwrap();
    let before = dir_contents(&dir);
    let message = Emulator::new()
        .state_dir(&dir)
        .start()
        .await
        .expect_err("corruption stops the start")
        .to_string();
    assert!(
        message.contains(journal.file_name().unwrap().to_str().unwrap()),
        "names the file: {message}"
    );
    assert!(message.contains("corrupt"), "{message}");
    assert_eq!(
        dir_contents(&dir),
        before,
        "the directory is left as it was"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The emulator program on a free port with `--state-dir dir`, once it answers. Its
/// journal writer waits 20 ms before each write: an answer that did not wait for its
/// record would then be lost to the SIGKILL nearly every time, not once in a while.
async fn spawn_emulator(dir: &Path) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .args(["--listen", &format!("127.0.0.1:{port}"), "--state-dir"])
        .arg(dir)
        .env("COGNITO_EMULATOR_TEST_JOURNAL_DELAY_MS", "20")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the emulator program");
    let endpoint = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    while reqwest::get(format!("{endpoint}/_emulator/health"))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the emulator did not start"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (child, endpoint)
}

#[tokio::test]
async fn every_acknowledged_sign_up_survives_a_sigkill_during_concurrent_sign_ups() {
    let dir = temp_dir("sigkill");
    let (mut child, endpoint) = spawn_emulator(&dir).await;
    let cognito = sdk_client(&endpoint);
    let (pool, client) = pool_with_client(&cognito).await;

    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (cognito, client, acknowledged) =
            (cognito.clone(), client.clone(), acknowledged.clone());
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let name = format!("user-{w}-{i}");
                let sent = cognito
                    .sign_up()
                    .client_id(&client)
                    .username(&name)
                    .password(PW)
                    .send()
                    .await;
                match sent {
                    Ok(_) => acknowledged.lock().unwrap().push(name),
                    Err(_) => break, // the emulator is gone
                }
            }
        }));
    }
    // Kill once a good number of sign-ups has been acknowledged, while more are in flight.
    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "sign-ups too slow"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let (mut child, endpoint) = spawn_emulator(&dir).await;
    let cognito = sdk_client(&endpoint);
    for name in &acknowledged {
        cognito
            .admin_get_user()
            .user_pool_id(&pool)
            .username(name)
            .send()
            .await
            .unwrap_or_else(|e| {
                panic!("{name} was acknowledged before the SIGKILL and is gone: {e:?}")
            });
    }
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn an_export_imported_elsewhere_signs_the_same_users_in_with_the_same_keys() {
    let (source, cognito) = start_with(Emulator::new()).await;
    let (pool, client) = pool_with_client(&cognito).await;
    confirmed_user(&cognito, &pool, "ann", Some("ann@example.com")).await;
    let (access, _) = login(&cognito, &client, "ann").await;
    let export = reqwest::get(format!("{}/_emulator/state", source.endpoint()))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();

    let (target, cognito) = start_with(Emulator::new()).await;
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_emulator/state", target.endpoint()))
        .body(export.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["imported"]["pools"], 1);
    assert_eq!(answer["imported"]["users"], 1);
    assert_eq!(
        target.export_state(),
        source.export_state(),
        "export, import, export: the same document"
    );
    cognito
        .get_user()
        .access_token(&access)
        .send()
        .await
        .expect("a token of the exporting emulator");
    login(&cognito, &client, "ann").await;

    // Not an export: refused, and the state is untouched.
    let refused = reqwest::Client::new()
        .post(format!("{}/_emulator/state", target.endpoint()))
        .body("{\"format\": 99}")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    login(&cognito, &client, "ann").await;
    // A document that reads but holds a key that is not one: refused before anything is
    // replaced.
    let mut damaged: serde_json::Value = serde_json::from_slice(&export).unwrap();
    damaged["cognito"]["pools"][0]["keys"]["id"] = serde_json::json!("AAAA");
    let refused = reqwest::Client::new()
        .post(format!("{}/_emulator/state", target.endpoint()))
        .body(damaged.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 400);
    login(&cognito, &client, "ann").await;
}

#[tokio::test]
async fn a_running_emulator_compacts_its_journal_without_losing_or_repeating_anything() {
    let dir = temp_dir("compact");
    let (emulator, cognito) =
        start_with(Emulator::new().state_dir(&dir).journal_limit(16 * 1024)).await;
    let (pool, client) = pool_with_client(&cognito).await;
    let mut writers = Vec::new();
    for w in 0..4 {
        let (cognito, client) = (cognito.clone(), client.clone());
        writers.push(tokio::spawn(async move {
            for i in 0..40 {
                let name = format!("user-{w}-{i}");
                cognito
                    .sign_up()
                    .client_id(&client)
                    .username(&name)
                    .password(PW)
                    .user_attributes(
                        AttributeType::builder()
                            .name("email")
                            .value(format!("{name}@example.com"))
                            .build()
                            .unwrap(),
                    )
                    .send()
                    .await
                    .unwrap();
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    // 160 sign-ups with their mails are far more than 16 KiB of journal: the first
    // journal file (generation 1, made at start) has been compacted away.
    let started = Instant::now();
    loop {
        let name = journal_file(&dir)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let files = std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_str()
                    .unwrap()
                    .starts_with("journal-")
            })
            .count();
        if name != format!("journal-{:020}.log", 1) && files == 1 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no compaction: {name}, {files} journal files"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mails = emulator.outbox().all();
    let export = emulator.export_state();
    emulator.shutdown().await;

    let (emulator, cognito) = start_with(Emulator::new().state_dir(&dir)).await;
    let users = cognito
        .list_users()
        .user_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .users
        .unwrap_or_default();
    assert_eq!(users.len(), 60, "ListUsers pages at 60");
    for w in 0..4 {
        for i in 0..40 {
            let name = format!("user-{w}-{i}");
            cognito
                .admin_get_user()
                .user_pool_id(&pool)
                .username(&name)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
    }
    assert_eq!(emulator.outbox().all(), mails, "every mail once, in order");
    assert_eq!(emulator.export_state(), export);
    emulator.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}
