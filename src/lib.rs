//! # cognito-e2e
//!
//! Acceptance tests for Amazon Cognito user pools, as Gherkin scenarios: create a pool
//! and an app client, sign up, be refused as unconfirmed, read the 6-digit code from the
//! mail Cognito sent, confirm, log in, and verify the three tokens against the pool's
//! keys. The same features run against the embedded emulator (the default), any
//! AWS-compatible endpoint, and — through the same seams — a container or real AWS.
//!
//! The layout follows the data: `features/` -> `steps` -> [`world`] and [`target`]
//! (SDK clients + [`mailbox`]) -> AWS API -> mail -> [`mail`] -> [`tokens`].
//!
//! Modules import one way only, from the run down to the building blocks:
//!
//! 1. [`runner`] runs the features; the step definitions act on the [`world`];
//! 2. [`world`] holds one scenario's state on the run's [`target`];
//! 3. [`target`] builds the SDK clients ([`sdk_config`], `aws`, `container`) and the
//!    [`mailbox`];
//! 4. the building blocks: [`api_error`], [`naming`], [`sdk_config`], [`mail`],
//!    [`tokens`], [`triggers`], [`secrets`], [`error`] and the rest never import `world`
//!    or `target`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api_error;
#[cfg(feature = "aws")]
pub mod aws;
pub mod compare;
#[cfg(feature = "container")]
pub mod container;
pub mod error;
pub mod evidence;
pub mod html_report;
pub mod http;
pub mod mail;
pub mod mailbox;
pub mod naming;
pub mod oauth;
pub mod responses;
pub mod runner;
pub mod sdk_config;
pub mod secret_hash;
pub mod secrets;
mod steps;
pub mod sweep;
pub mod target;
pub mod tokens;
pub mod triggers;
pub mod vocabulary;
pub mod world;

pub use error::{Error, Result};
pub use runner::{run, RunOptions, RunSummary, Shard};
pub use target::{ExistingPool, MailboxSpec, Settings, Target, TargetKind};
