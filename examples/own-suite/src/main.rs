//! The team's suite as a program: `cargo run -p own-suite -- [FEATURES]` runs the team's
//! features (by default `features/` beside this crate) on the embedded emulator, with the
//! harness's steps and the team's own (`steps.rs`).

mod steps;

use std::path::PathBuf;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let mut options = cognito_e2e::RunOptions::new(cognito_e2e::Settings::default());
    options.features = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("features"));
    match cognito_e2e::run(options).await {
        Ok(summary) if summary.failed() => ExitCode::FAILURE,
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
