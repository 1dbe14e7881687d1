//! The harness's tests that use the standard test harness, one module per subject, in one
//! binary: each test binary links the AWS SDK and the emulator (some 150 MB each in a
//! debug build). The suites with their own `main` (acceptance, existing_pool, container,
//! sqs_inbox) stay binaries of their own.
//! `cargo test --test checks <module>::` runs one subject.

mod common;

mod ci_examples;
mod compare;
mod html_report;
mod undefined_steps;
