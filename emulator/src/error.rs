//! Errors of the emulator as a program: starting, binding, shutting down. Errors that
//! clients see are AWS-shaped and live with each service (`cognito::CognitoError`,
//! `ses::SesError`).

use std::net::SocketAddr;

/// What can go wrong while starting or running the emulator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why the bind failed.
        source: std::io::Error,
    },
    /// The server stopped with an I/O error.
    #[error("the server failed: {0}")]
    Serve(#[source] std::io::Error),
    /// The state directory cannot be used: it cannot be created or written, another
    /// emulator holds it, or what it holds is damaged beyond a torn tail.
    #[error("state directory {dir}: {reason}")]
    StateDir {
        /// The directory.
        dir: std::path::PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A setting was not usable.
    #[error("invalid setting {name}: {reason}")]
    InvalidSetting {
        /// The setting's name.
        name: &'static str,
        /// Why it was refused.
        reason: String,
    },
}

/// The emulator's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
