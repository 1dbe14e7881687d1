//! Step definitions, one file per area. Steps read like the tutorial; each does one
//! thing through the SDK and either records the answer (`When`) or checks it (`Then`).

mod admin;
mod admin_reset;
mod auth;
mod client;
mod custom_attributes;
mod email_change;
mod email_otp;
mod groups;
mod mail;
mod mfa;
mod oauth;
mod params;
mod pool;
mod refused;
mod ses;
mod sign_up;
mod srp;
mod tokens;
mod triggers;

/// The parameters steps take: name, pattern, meaning.
pub(crate) fn parameters() -> Vec<(&'static str, &'static str, &'static str)> {
    params::catalog()
}

use crate::error::{Error, Result};

/// Fails with "expected ..., got ..." unless `expected == got`.
pub(crate) fn expect_eq<T: PartialEq + std::fmt::Debug>(
    what: &str,
    expected: T,
    got: T,
) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::unexpected(
            format!("{what} to be {expected:?}"),
            format!("{got:?}"),
        ))
    }
}
