#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod clock;
pub mod cognito;
pub mod context;
pub mod error;
#[rustfmt::skip]
pub mod generated;
pub mod http;
pub mod mailer;
pub mod outbox;
pub mod protocol;
pub mod server;
pub mod ses;
pub mod shape;
#[cfg(feature = "smtp-relay")]
pub mod smtp;
pub mod state;

pub use error::{Error, Result};
pub use outbox::{Outbox, OutboxFilter, OutboxMessage};
pub use server::{Emulator, EmulatorHandle};
