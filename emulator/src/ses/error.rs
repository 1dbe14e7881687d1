//! The errors SES returns, by their wire codes. Each variant carries the message SES
//! sends, so clients see the same `<Code>` and `<Message>`.

/// Declares the enum with one variant per SES error code, its fault side and HTTP status.
macro_rules! ses_errors {
    ($($(#[$doc:meta])* $name:ident => $sender:literal, $status:literal;)*) => {
        /// An error as SES reports it: the code and SES's message.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
        pub enum SesError {
            $($(#[$doc])* #[error("{0}")] $name(String),)*
        }

        impl SesError {
            /// The error code, as sent in `<Code>`.
            pub fn code(&self) -> &'static str {
                match self { $(Self::$name(_) => stringify!($name),)* }
            }

            /// SES's message, as sent in `<Message>`.
            pub fn message(&self) -> &str {
                match self { $(Self::$name(m) => m,)* }
            }

            /// Whether the caller is at fault (`<Type>Sender</Type>`) rather than SES
            /// (`<Type>Receiver</Type>`).
            pub fn is_sender_fault(&self) -> bool {
                match self { $(Self::$name(_) => $sender,)* }
            }

            /// The HTTP status SES answers this error with.
            pub fn http_status(&self) -> u16 {
                match self { $(Self::$name(_) => $status,)* }
            }
        }
    };
}

ses_errors! {
    /// The message was refused, e.g. because its sender is not a verified identity.
    MessageRejected => true, 400;
    /// A parameter has a value SES does not accept (a malformed address, a missing header).
    InvalidParameterValue => true, 400;
    /// A required member is missing or breaks a constraint of the API model.
    ValidationError => true, 400;
    /// The request names no action.
    MissingAction => true, 400;
    /// The request body could not be read as form parameters.
    MalformedQueryString => true, 400;
    /// The action does not exist, or the emulator does not emulate it.
    InvalidAction => true, 400;
    /// The request body is larger than the emulator accepts.
    RequestEntityTooLarge => true, 413;
    /// The emulator itself failed.
    InternalFailure => false, 500;
}

impl SesError {
    /// `ValidationError` for required members that were not given, in AWS's wording:
    /// `1 validation error detected: Value null at 'source' failed to satisfy constraint:
    /// Member must not be null`. `members` are the model's member paths in camelCase.
    pub fn null_members(members: &[&str]) -> Self {
        let violations: Vec<String> = members
            .iter()
            .map(|m| {
                format!("Value null at '{m}' failed to satisfy constraint: Member must not be null")
            })
            .collect();
        Self::validation(&violations)
    }

    /// `ValidationError` for one member whose value breaks `constraint`.
    pub fn invalid_member(member: &str, value: &str, constraint: &str) -> Self {
        Self::validation(&[format!(
            "Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
        )])
    }

    fn validation(violations: &[String]) -> Self {
        let n = violations.len();
        let plural = if n == 1 { "" } else { "s" };
        Self::ValidationError(format!(
            "{n} validation error{plural} detected: {}",
            violations.join("; ")
        ))
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
    fn validation_messages_count_their_violations() {
        assert_eq!(
            SesError::null_members(&["source"]).message(),
            "1 validation error detected: Value null at 'source' failed to satisfy constraint: Member must not be null"
        );
        let two = SesError::null_members(&["destination", "message"]);
        assert_eq!(two.code(), "ValidationError");
        assert!(two
            .message()
            .starts_with("2 validation errors detected: Value null at 'destination'"));
        assert!(two.message().contains("; Value null at 'message'"));
    }

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
