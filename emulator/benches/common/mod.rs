//! What the benches share: an SDK client pointed at the emulator, and this process's
//! resident memory.
#![allow(dead_code)] // each bench uses its own subset

#[path = "../../tests/common/mod.rs"]
mod tests_common;

/// A Cognito client of the AWS SDK for Rust at `endpoint`, as the tests make it.
#[allow(unused_imports)] // the memory bench calls operations directly
pub use tests_common::{app_client, email_verifying_pool, sdk_client as client};

/// A pool made from `pool` (`CreateUserPool`'s input) and a client of it with the
/// members of `client` (`ClientName` and so on; `UserPoolId` is added), by calling the
/// operations directly; their ids.
pub fn direct_pool(
    svc: &cognito_emulator::cognito::Cognito,
    ctx: &cognito_emulator::context::RequestContext,
    pool: serde_json::Value,
    mut client: serde_json::Value,
) -> (String, String) {
    let made = svc.dispatch(ctx, "CreateUserPool", pool).unwrap();
    let pool_id = made["UserPool"]["Id"].as_str().unwrap().to_owned();
    client["UserPoolId"] = serde_json::Value::String(pool_id.clone());
    let made = svc.dispatch(ctx, "CreateUserPoolClient", client).unwrap();
    let client_id = made["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    (pool_id, client_id)
}

/// This process's resident memory, MiB.
pub fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
