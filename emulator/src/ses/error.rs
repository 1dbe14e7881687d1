//! SES's errors: the enum generated from the model ([`crate::generated::ses::SesError`],
//! every error code with its fault side and HTTP status), with SES's messages for the
//! ones the emulator words itself.

pub use crate::generated::ses::SesError;
use crate::shape::{Shown, Violations};

impl SesError {
    /// `ValidationError` for one member whose value breaks a constraint the model cannot
    /// state, in AWS's wording.
    pub fn invalid_member(member: &str, value: &str, constraint: &str) -> Self {
        let mut v = Violations::default();
        v.push(member, &Shown::Text(value.to_owned()), constraint);
        Self::validation(&v)
    }

    /// `MessageRejected` for senders that are not verified identities in `region`.
    pub fn not_verified(region: &str, identities: &[String]) -> Self {
        Self::MessageRejected(format!(
            "Email address is not verified. The following identities failed the check in region {}: {}",
            region.to_ascii_uppercase(),
            identities.join(", ")
        ))
    }
}

/// The result of an SES operation.
pub type SesResult<T> = Result<T, SesError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_verified_names_the_region_in_capitals() {
        let e = SesError::not_verified("eu-west-1", &["a@b.example".into()]);
        assert_eq!(e.code(), "MessageRejected");
        assert_eq!(
            e.message(),
            "Email address is not verified. The following identities failed the check in region EU-WEST-1: a@b.example"
        );
        assert!(e.is_sender_fault());
        assert_eq!(e.http_status(), 400);
    }

    #[test]
    fn internal_failures_are_the_receivers_fault() {
        let e = SesError::InternalFailure("boom".into());
        assert!(!e.is_sender_fault());
        assert_eq!(e.http_status(), 500);
    }
}
