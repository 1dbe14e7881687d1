//! One-time codes mailed to users: sign-up confirmation and password reset. A new code
//! supersedes the old ones; codes expire; too many wrong guesses lock the code out.

use rand::Rng;

use super::error::{CognitoError, CognitoResult};

/// How long a sign-up confirmation code lives (AWS: 24 hours).
pub const SIGNUP_CODE_TTL_MS: i64 = 24 * 3600 * 1000;
/// How long a password-reset code lives (AWS: one hour).
pub const RESET_CODE_TTL_MS: i64 = 3600 * 1000;
/// Wrong guesses allowed before the code is locked out.
pub const MAX_CODE_ATTEMPTS: u32 = 5;

/// The current code of one kind, with the codes it replaced.
#[derive(Debug, Clone, Default)]
pub struct PendingCode {
    current: Option<(String, i64)>,
    superseded: Vec<String>,
    failed_attempts: u32,
}

impl PendingCode {
    /// Makes a new 6-digit code valid for `ttl_ms` from `now_ms`; the previous one is
    /// superseded.
    pub fn issue(&mut self, now_ms: i64, ttl_ms: i64) -> String {
        let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
        if let Some((old, _)) = self.current.take() {
            self.superseded.push(old);
        }
        self.current = Some((code.clone(), now_ms + ttl_ms));
        self.failed_attempts = 0;
        code
    }

    /// Whether a code has been issued and not yet used.
    pub fn is_pending(&self) -> bool {
        self.current.is_some()
    }

    /// Checks `code`; on success the code is used up.
    pub fn check(&mut self, code: &str, now_ms: i64) -> CognitoResult<()> {
        if self.failed_attempts >= MAX_CODE_ATTEMPTS {
            return Err(CognitoError::LimitExceededException(
                "Attempt limit exceeded, please try after some time.".into(),
            ));
        }
        match &self.current {
            Some((current, expires)) if current == code => {
                if now_ms > *expires {
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

    #[test]
    fn a_code_works_once() {
        let mut p = PendingCode::default();
        let code = p.issue(0, 1000);
        assert_eq!(code.len(), 6);
        assert!(p.check(&code, 10).is_ok());
        assert_eq!(
            p.check(&code, 10).unwrap_err().code(),
            "CodeMismatchException"
        );
    }

    #[test]
    fn expired_and_superseded_codes_are_refused() {
        let mut p = PendingCode::default();
        let first = p.issue(0, 1000);
        assert_eq!(
            p.check(&first, 2000).unwrap_err().code(),
            "ExpiredCodeException"
        );
        let second = p.issue(2000, 1000);
        if first != second {
            assert_eq!(
                p.check(&first, 2001).unwrap_err().code(),
                "ExpiredCodeException"
            );
        }
        assert!(p.check(&second, 2001).is_ok());
    }

    #[test]
    fn wrong_guesses_lock_the_code() {
        let mut p = PendingCode::default();
        let code = p.issue(0, 1000);
        let wrong = if code == "000000" { "000001" } else { "000000" };
        for _ in 0..MAX_CODE_ATTEMPTS {
            assert_eq!(
                p.check(wrong, 1).unwrap_err().code(),
                "CodeMismatchException"
            );
        }
        let e = p.check(&code, 1).unwrap_err();
        assert_eq!(e.code(), "LimitExceededException");
        assert_eq!(
            e.message(),
            "Attempt limit exceeded, please try after some time."
        );
    }
}
