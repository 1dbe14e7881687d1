//! How the harness names what it creates. Every run has a short id, and every scenario
//! an id of its own built from it, so scenarios of one run, and concurrent runs in one
//! account, never clash; the prefix and the tag let a sweep find leftovers of killed
//! runs without touching anything else.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

/// Every pool the harness creates is named with this prefix and the scenario's id.
pub const POOL_PREFIX: &str = "cognito-e2e-";

/// ...and carries this tag, whose value is the scenario's id: how a sweep tells the
/// harness's leftovers from anything else in the account.
pub const RUN_TAG: &str = "cognito-e2e-run";

/// A short id, the same for the whole run: the start time in seconds, base 36.
pub fn run_prefix() -> &'static str {
    static PREFIX: OnceLock<String> = OnceLock::new();
    PREFIX.get_or_init(|| {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        base36(secs)
    })
}

fn base36(mut n: u64) -> String {
    let mut s = String::new();
    while n > 0 {
        let d = (n % 36) as u32;
        s.insert(0, char::from_digit(d, 36).unwrap_or('0'));
        n /= 36;
    }
    s
}

/// A new scenario's id: the run's prefix and a counter, e.g. `t3k9qa007`.
pub fn next_scenario_id() -> String {
    static SCENARIOS: AtomicU32 = AtomicU32::new(0);
    let n = SCENARIOS.fetch_add(1, Ordering::Relaxed);
    format!("{}{n:03}", run_prefix())
}

/// The full name of the pool a scenario calls `name`: `cognito-e2e-<scenario id>-<name>`.
pub fn pool_name(scenario_id: &str, name: &str) -> String {
    format!("{POOL_PREFIX}{scenario_id}-{name}")
}

/// The address of the person a scenario calls `name`: `<name>-<scenario id>@<domain>`.
pub fn person_address(name: &str, scenario_id: &str, domain: &str) -> String {
    format!("{}-{scenario_id}@{domain}", name.to_lowercase())
}

/// The address a scenario verifies in SES as its sender: `sender-<scenario id>@<domain>`.
pub fn sender_address(scenario_id: &str, domain: &str) -> String {
    person_address("sender", scenario_id, domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_prefix_and_the_scenario_id() {
        assert_eq!(
            pool_name("abc001", "helloWorld"),
            "cognito-e2e-abc001-helloWorld"
        );
        assert_eq!(
            person_address("Alice", "abc001", "example.com"),
            "alice-abc001@example.com"
        );
        assert_eq!(
            sender_address("abc001", "e2e.example.com"),
            "sender-abc001@e2e.example.com"
        );
    }

    #[test]
    fn scenario_ids_differ_and_share_the_run_prefix() {
        let (a, b) = (next_scenario_id(), next_scenario_id());
        assert_ne!(a, b);
        assert!(a.starts_with(run_prefix()) && b.starts_with(run_prefix()));
        assert_eq!(base36(36 * 36 + 35), "10z");
    }
}
