//! What the benches share: an SDK client pointed at the emulator, and this process's
//! resident memory.
#![allow(dead_code)] // each bench uses its own subset

#[path = "../../tests/common/mod.rs"]
mod tests_common;

/// A Cognito client of the AWS SDK for Rust at `endpoint`, as the tests make it.
#[allow(unused_imports)] // the memory bench calls operations directly
pub use tests_common::sdk_client as client;

/// This process's resident memory, MiB.
pub fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
