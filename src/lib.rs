//! # cognito-e2e
//!
//! Acceptance tests for Amazon Cognito user pools, as Gherkin scenarios: create a pool
//! and an app client, sign up, be refused as unconfirmed, read the 6-digit code from the
//! mail Cognito sent, confirm, log in, and verify the three tokens against the pool's
//! keys. The same features run against the embedded emulator (the default), any
//! AWS-compatible endpoint, and — through the same seams — a container or real AWS.
//!
//! The layout follows the data: `features/` -> [`steps`] -> [`world`] and [`target`]
//! (SDK clients + [`mailbox`]) -> AWS API -> mail -> [`mail`] -> [`tokens`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "container")]
pub mod container;
pub mod error;
pub mod http;
pub mod mail;
pub mod mailbox;
pub mod runner;
pub mod secret_hash;
pub mod secrets;
mod steps;
pub mod sweep;
pub mod target;
pub mod tokens;
pub mod world;

pub use error::{Error, Result};
pub use runner::{run, RunOptions, RunSummary};
pub use target::{ExistingPool, MailboxSpec, Settings, Target, TargetKind};
