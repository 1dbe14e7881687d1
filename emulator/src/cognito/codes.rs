//! One-time codes mailed to users: sign-up confirmation, password reset, and the proof of
//! a changed e-mail address. A new code
//! supersedes the old ones; codes expire; too many wrong guesses lock the code out.

use std::time::Duration;

use rand::Rng;

use super::error::{CognitoError, CognitoResult};
use crate::shape::Timestamp;

/// How long a sign-up confirmation code lives (AWS: 24 hours).
pub const SIGNUP_CODE_TTL: Duration = Duration::from_secs(24 * 3600);
/// How long a password-reset code lives (AWS: one hour).
pub const RESET_CODE_TTL: Duration = Duration::from_secs(3600);
/// How long a code that proves a changed e-mail address lives (AWS: 24 hours).
pub const ATTRIBUTE_CODE_TTL: Duration = Duration::from_secs(24 * 3600);
/// Wrong guesses allowed before the code is locked out.
pub const MAX_CODE_ATTEMPTS: u32 = 5;

/// The current code of one kind, with the codes it replaced.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PendingCode {
    current: Option<(String, Timestamp)>,
    superseded: Vec<String>,
    failed_attempts: u32,
}

impl PendingCode {
    /// Makes a new 6-digit code valid for `ttl` from `now`; the previous one is
    /// superseded.
    pub fn issue(&mut self, now: Timestamp, ttl: Duration) -> String {
        let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
        if let Some((old, _)) = self.current.take() {
            self.superseded.push(old);
        }
        self.current = Some((code.clone(), now.plus(ttl)));
        self.failed_attempts = 0;
        code
    }

    /// Whether a code has been issued and not yet used.
    pub fn is_pending(&self) -> bool {
        self.current.is_some()
    }

    /// Checks `code`; on success the code is used up.
    pub fn check(&mut self, code: &str, now: Timestamp) -> CognitoResult<()> {
        if self.failed_attempts >= MAX_CODE_ATTEMPTS {
            return Err(CognitoError::LimitExceededException(
                "Attempt limit exceeded, please try after some time.".into(),
            ));
        }
        match &self.current {
            Some((current, expires)) if current == code => {
                if now > *expires {
                    return Err(expired());
                }
                *self = Self::default();
                Ok(())
            }
            _ if self.superseded.iter().any(|c| c == code) => Err(expired()),
            _ => {
                self.failed_attempts += 1;
                Err(mismatch())
            }
        }
    }
}

fn expired() -> CognitoError {
    CognitoError::ExpiredCodeException("Invalid code provided, please request a code again.".into())
}

/// AWS's error for a wrong code.
pub fn mismatch() -> CognitoError {
    CognitoError::CodeMismatchException(
        "Invalid verification code provided, please try again.".into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: i64) -> Timestamp {
        Timestamp::from_millis(ms)
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_code_works_once() {
        let mut p = PendingCode::default();
        let code = p.issue(t(0), ms(1000));
        assert_eq!(code.len(), 6);
        assert!(p.check(&code, t(10)).is_ok());
        assert_eq!(
            p.check(&code, t(10)).unwrap_err().code(),
            "CodeMismatchException"
        );
    }

    #[test]
    fn expired_and_superseded_codes_are_refused() {
        let mut p = PendingCode::default();
        let first = p.issue(t(0), ms(1000));
        assert_eq!(
            p.check(&first, t(2000)).unwrap_err().code(),
            "ExpiredCodeException"
        );
        let second = p.issue(t(2000), ms(1000));
        if first != second {
            assert_eq!(
                p.check(&first, t(2001)).unwrap_err().code(),
                "ExpiredCodeException"
            );
        }
        assert!(p.check(&second, t(2001)).is_ok());
    }

    #[test]
    fn wrong_guesses_lock_the_code() {
        let mut p = PendingCode::default();
        let code = p.issue(t(0), ms(1000));
        let wrong = if code == "000000" { "000001" } else { "000000" };
        for _ in 0..MAX_CODE_ATTEMPTS {
            assert_eq!(
                p.check(wrong, t(1)).unwrap_err().code(),
                "CodeMismatchException"
            );
        }
        let e = p.check(&code, t(1)).unwrap_err();
        assert_eq!(e.code(), "LimitExceededException");
        assert_eq!(
            e.message(),
            "Attempt limit exceeded, please try after some time."
        );
    }
}
