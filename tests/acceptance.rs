//! `cargo test` runs every feature against the embedded emulator, and fails if any
//! scenario fails or if a password, code or token reached the console or a report.
//!
//! `@slow` scenarios are left to CI's runs through the emulator's endpoint: the one
//! there waits for an authenticator app's next 30-second code, because a code is
//! accepted once and AWS does not document accepting the next step's code early. The
//! emulator's own tests (`emulator/tests/mfa.rs`) cover the same sign-in on a manual
//! clock, without waiting.

mod common;

fn main() {
    common::run_suite_tagged(
        "acceptance",
        cognito_e2e::Settings::default(),
        Some("not @slow"),
        common::IfUnavailable::Fail,
    )
}
