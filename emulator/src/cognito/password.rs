//! The pool's password policy, checked with AWS's messages.

use super::error::{CognitoError, CognitoResult};
use crate::generated::cognito::shapes::PasswordPolicyType;

/// The symbols Cognito counts as special characters.
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// Checks `password` against `policy` (the model's own limits were checked with the
/// rest of the input).
pub fn check(password: &str, policy: &PasswordPolicyType) -> CognitoResult<()> {
    let fail = |why: &str| {
        Err(CognitoError::InvalidPasswordException(format!(
            "Password did not conform with policy: {why}"
        )))
    };
    if (password.chars().count() as i64) < i64::from(policy.minimum_length.unwrap_or(8)) {
        return fail("Password not long enough");
    }
    if policy.require_lowercase == Some(true) && !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if policy.require_uppercase == Some(true) && !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if policy.require_numbers == Some(true) && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if policy.require_symbols == Some(true) && !password.chars().any(|c| SYMBOLS.contains(c)) {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_names_each_broken_rule() {
        let p = crate::cognito::pool::default_password_policy();
        assert!(check("Aa123456!", &p).is_ok());
        for (pw, why) in [
            ("Aa1!", "Password not long enough"),
            ("AA123456!", "Password must have lowercase characters"),
            ("aa123456!", "Password must have uppercase characters"),
            ("Aabcdefg!", "Password must have numeric characters"),
            ("Aa1234567", "Password must have symbol characters"),
        ] {
            let e = check(pw, &p).unwrap_err();
            assert_eq!(e.code(), "InvalidPasswordException");
            assert_eq!(
                e.message(),
                format!("Password did not conform with policy: {why}")
            );
        }
    }
}
