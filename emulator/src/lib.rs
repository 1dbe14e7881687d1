//! # cognito-emulator
//!
//! An emulator of Amazon Cognito user pools and Amazon SES that really mails the
//! confirmation code. Embed it in tests (one call starts it on a free loopback port) or
//! run it as a server (`cognito-emulator --listen 127.0.0.1:4566`).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod clock;
pub mod cognito;
pub mod context;
pub mod error;
pub mod http;
pub mod mailer;
pub mod outbox;
pub mod protocol;
pub mod server;
pub mod ses;
#[cfg(feature = "smtp-relay")]
pub mod smtp;

pub use error::{Error, Result};
pub use outbox::{Outbox, OutboxFilter, OutboxMessage};
pub use server::{Emulator, EmulatorHandle};
