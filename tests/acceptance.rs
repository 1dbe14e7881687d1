//! `cargo test` runs every feature against the embedded emulator, and fails if any
//! scenario fails or if a password, code or token reached the console or a report.

mod common;

fn main() {
    common::run_suite(
        "acceptance",
        cognito_e2e::Settings::default(),
        common::IfUnavailable::Fail,
    )
}
