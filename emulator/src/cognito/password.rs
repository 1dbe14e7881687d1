//! The pool's password policy, checked with AWS's messages.

use super::error::{CognitoError, CognitoResult};
use super::input::check_len;
use super::pool::PasswordPolicy;

/// The symbols Cognito counts as special characters.
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// Checks `password` against the model's limits, then against `policy`.
pub fn check(password: &str, field: &str, policy: &PasswordPolicy) -> CognitoResult<()> {
    check_len(field, password, true, 1, 256)?;
    let fail = |why: &str| {
        Err(CognitoError::InvalidPasswordException(format!(
            "Password did not conform with policy: {why}"
        )))
    };
    if password.chars().count() < policy.minimum_length as usize {
        return fail("Password not long enough");
    }
    if policy.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
        return fail("Password must have lowercase characters");
    }
    if policy.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
        return fail("Password must have uppercase characters");
    }
    if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        return fail("Password must have numeric characters");
    }
    if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
        return fail("Password must have symbol characters");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_names_each_broken_rule() {
        let p = PasswordPolicy::default();
        assert!(check("Aa123456!", "password", &p).is_ok());
        for (pw, why) in [
            ("Aa1!", "Password not long enough"),
            ("AA123456!", "Password must have lowercase characters"),
            ("aa123456!", "Password must have uppercase characters"),
            ("Aabcdefg!", "Password must have numeric characters"),
            ("Aa1234567", "Password must have symbol characters"),
        ] {
            let e = check(pw, "password", &p).unwrap_err();
            assert_eq!(e.code(), "InvalidPasswordException");
            assert_eq!(
                e.message(),
                format!("Password did not conform with policy: {why}")
            );
        }
    }
}
