//! The emulator's integration tests, one module per subject, in one test binary: each
//! binary links the AWS SDK, and thirty of them filled gigabytes of `target/`.
//! `cargo test -p cognito-emulator --test emulator <module>::` runs one subject.

mod common;

mod browser;
mod fuzz;
mod fuzz_model;
mod http;
mod issuer;
mod mfa;
mod model;
mod oauth;
mod oauth_control;
mod operations;
mod reset;
mod sdk;
mod srp;
mod state_dir;
mod triggers;
mod user_auth;
