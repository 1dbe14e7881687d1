//! The harness's one error type. A failing step says what it expected and what came
//! back; no variant ever carries a password, code or token.

use crate::mail::MailError;
use crate::mailbox::MailboxError;
use crate::tokens::TokenError;

/// What can make a step or a run fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An AWS API call failed where the step expected it to succeed.
    #[error("{operation} failed: {code}: {message}")]
    Aws {
        /// The operation, e.g. `SignUp`.
        operation: &'static str,
        /// The error code, e.g. `UserNotConfirmedException`.
        code: String,
        /// The service's message.
        message: String,
    },
    /// The target answered, but not as the scenario expects.
    #[error("expected {expected}, got {got}")]
    Unexpected {
        /// What the step expected.
        expected: String,
        /// What came back.
        got: String,
    },
    /// A step needs something an earlier step did not set up.
    #[error("{0}: an earlier step should have set it up")]
    Missing(&'static str),
    /// The mail could not be read.
    #[error(transparent)]
    Mail(#[from] MailError),
    /// The mailbox could not be read.
    #[error(transparent)]
    Mailbox(#[from] MailboxError),
    /// A token did not verify.
    #[error("token rejected: {0}")]
    Token(#[from] TokenError),
    /// The target could not be set up.
    #[error("cannot set up the {target} target: {reason}")]
    Target {
        /// The target's name.
        target: &'static str,
        /// Why.
        reason: String,
    },
    /// A report file could not be written.
    #[error("cannot write {path}: {source}")]
    Report {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl Error {
    /// An [`Error::Unexpected`].
    pub fn unexpected(expected: impl Into<String>, got: impl std::fmt::Display) -> Self {
        Self::Unexpected {
            expected: expected.into(),
            got: got.to_string(),
        }
    }
}

/// The harness's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
