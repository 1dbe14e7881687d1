//! Multi-factor authentication: what a pool offers (`SetUserPoolMfaConfig`), what each
//! user has set up and prefers, and the software token's codes (RFC 6238 TOTP, as
//! authenticator apps make them: SHA-1, six digits, 30-second steps).

use rand::Rng;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::generated::cognito::shapes::{EmailMfaConfigType, SmsMfaConfigType};

/// The default subject of a mail with a sign-in code (MFA or passwordless).
pub const DEFAULT_OTP_SUBJECT: &str = "Your sign-in code";
/// The default body of a mail with a sign-in code.
pub const DEFAULT_OTP_MESSAGE: &str = "Your sign-in code is {####}. ";

/// The second factors the emulator offers. (SMS is configured and stored, but no text
/// message is ever sent, so it is never offered.)
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Factor {
    /// An authenticator app's TOTP code.
    SoftwareToken,
    /// A code mailed to the user's address.
    Email,
}

impl Factor {
    /// The name in `UserMFASettingList`, `MFAS_CAN_CHOOSE` and the challenge.
    pub fn name(self) -> &'static str {
        match self {
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    /// The factor of a name in `UserMFASettingList` or `ANSWER`.
    pub fn of_name(name: &str) -> Option<Self> {
        match name {
            "SOFTWARE_TOKEN_MFA" => Some(Self::SoftwareToken),
            "EMAIL_OTP" => Some(Self::Email),
            _ => None,
        }
    }
}

/// A pool's MFA configuration beyond `MfaConfiguration` itself (which lives with the
/// pool's other settings, as `DescribeUserPool` shows it).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct PoolMfa {
    /// Whether authenticator apps may be used; `None` until first configured.
    pub software_token: Option<bool>,
    /// The mail template for e-mail codes, when e-mail MFA is on.
    pub email: Option<EmailMfaConfigType>,
    /// The SMS configuration, kept as given.
    pub sms: Option<SmsMfaConfigType>,
}

impl PoolMfa {
    /// Whether the pool offers `factor`.
    pub fn offers(&self, factor: Factor) -> bool {
        match factor {
            Factor::SoftwareToken => self.software_token == Some(true),
            Factor::Email => self.email.is_some(),
        }
    }

    /// The subject and body of a mail with a sign-in code.
    pub fn otp_templates(&self) -> (String, String) {
        let email = self.email.as_ref();
        (
            email
                .and_then(|e| e.subject.clone())
                .unwrap_or_else(|| DEFAULT_OTP_SUBJECT.to_owned()),
            email
                .and_then(|e| e.message.clone())
                .unwrap_or_else(|| DEFAULT_OTP_MESSAGE.to_owned()),
        )
    }
}

/// One user's MFA: the software token, the factors enabled, the preferred one.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UserMfa {
    /// The secret of the verified software token, which sign-in codes are checked with.
    pub token_secret: Option<Vec<u8>>,
    /// The name given to that token when it was verified.
    pub token_name: Option<String>,
    /// A token associated but not yet verified; it replaces the verified one, if any,
    /// only once a code from it is verified.
    pub pending_secret: Option<Vec<u8>>,
    /// The last 30-second step whose code was accepted: a code works once.
    pub last_step: u64,
    /// Factors the user (or an administrator) enabled.
    pub enabled: Vec<Factor>,
    /// The preferred factor, one of `enabled`.
    pub preferred: Option<Factor>,
}

impl std::fmt::Debug for UserMfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserMfa")
            .field("token_verified", &self.token_secret.is_some())
            .field("enabled", &self.enabled)
            .field("preferred", &self.preferred)
            .finish_non_exhaustive()
    }
}

impl UserMfa {
    /// `UserMFASettingList` and `PreferredMfaSetting`, as `GetUser` shows them (absent
    /// when nothing is enabled).
    pub fn settings(&self) -> (Option<Vec<String>>, Option<String>) {
        let list: Vec<String> = self.enabled.iter().map(|f| f.name().to_owned()).collect();
        (
            (!list.is_empty()).then_some(list),
            self.preferred.map(|f| f.name().to_owned()),
        )
    }

    /// Checks a code from the verified token at `unix_secs`; a code is accepted once.
    pub fn accept_token_code(&mut self, code: &str, unix_secs: u64) -> bool {
        let Some(secret) = &self.token_secret else {
            return false;
        };
        match matching_step(secret, code, unix_secs) {
            Some(step) if step > self.last_step => {
                self.last_step = step;
                true
            }
            _ => false,
        }
    }

    /// Enables or disables `factor`, and makes it preferred or not.
    pub fn set(&mut self, factor: Factor, enabled: Option<bool>, preferred: Option<bool>) {
        match enabled {
            Some(true) if !self.enabled.contains(&factor) => {
                self.enabled.push(factor);
                self.enabled.sort();
            }
            Some(false) => {
                self.enabled.retain(|f| *f != factor);
                if self.preferred == Some(factor) {
                    self.preferred = None;
                }
            }
            _ => {}
        }
        match preferred {
            Some(true) if self.enabled.contains(&factor) => self.preferred = Some(factor),
            Some(false) if self.preferred == Some(factor) => self.preferred = None,
            _ => {}
        }
    }
}

/// A new software-token secret: 32 random bytes, which AWS's `SecretCode` gives as 52
/// base32 characters.
pub fn new_token_secret() -> Vec<u8> {
    let mut secret = vec![0u8; 32];
    rand::thread_rng().fill(&mut secret[..]);
    secret
}

/// `SecretCode`: the secret in base32, without padding, as authenticator apps take it.
pub fn secret_code(secret: &[u8]) -> String {
    Secret::Raw(secret.to_vec())
        .to_encoded()
        .to_string()
        .trim_end_matches('=')
        .to_owned()
}

/// The 30-second step of a code typed at `unix_secs` that matches `code`: the current
/// step or one either side (for clocks a little apart). `None` for a wrong code.
pub fn matching_step(secret: &[u8], code: &str, unix_secs: u64) -> Option<u64> {
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 1, 30, secret.to_vec());
    let now = unix_secs / 30;
    [now.saturating_sub(1), now, now + 1]
        .into_iter()
        .find(|step| totp.generate(step * 30) == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_codes_are_52_base32_characters() {
        let code = secret_code(&new_token_secret());
        assert_eq!(code.len(), 52);
        assert!(code
            .chars()
            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)));
    }

    #[test]
    fn codes_match_their_step_and_one_either_side() {
        // RFC 6238's SHA-1 test secret and vectors (the last six digits).
        let secret = b"12345678901234567890".to_vec();
        assert_eq!(matching_step(&secret, "287082", 59), Some(1));
        assert_eq!(matching_step(&secret, "287082", 59 + 30), Some(1));
        assert_eq!(matching_step(&secret, "287082", 59 - 30), Some(1));
        assert_eq!(matching_step(&secret, "287082", 59 + 60), None);
        assert_eq!(
            matching_step(&secret, "005924", 1_234_567_890),
            Some(41_152_263)
        );
        assert_eq!(matching_step(&secret, "000000", 59), None);
    }

    #[test]
    fn preferences_follow_what_is_enabled() {
        let mut mfa = UserMfa::default();
        mfa.set(Factor::Email, None, Some(true));
        assert_eq!(
            mfa.preferred, None,
            "only an enabled factor can be preferred"
        );
        mfa.set(Factor::Email, Some(true), Some(true));
        mfa.set(Factor::SoftwareToken, Some(true), None);
        assert_eq!(mfa.enabled, [Factor::SoftwareToken, Factor::Email]);
        assert_eq!(mfa.preferred, Some(Factor::Email));
        mfa.set(Factor::Email, Some(false), None);
        assert_eq!(mfa.preferred, None);
    }
}
