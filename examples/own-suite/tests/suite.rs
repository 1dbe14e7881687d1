//! `cargo test` runs the team's feature with its own step, on the embedded emulator, and
//! fails unless every step passed (a step nobody defined fails the run too).

#[path = "../src/steps.rs"]
mod steps;

use std::path::PathBuf;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let mut options = cognito_e2e::RunOptions::new(cognito_e2e::Settings::default());
    options.features = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("features");
    let summary = runtime
        .block_on(cognito_e2e::run(options))
        .expect("the suite runs");
    assert!(
        !summary.failed() && summary.passed_steps >= 6,
        "the team's suite: {summary:?}"
    );
}
