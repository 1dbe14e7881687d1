//! A user of a pool: attributes, status, password, the codes sent to them, and their
//! sign-in sessions.

use std::collections::{BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use super::codes::PendingCode;
use super::mfa::UserMfa;
use super::srp::Verifier;
use super::verification::AttributeVerification;
use crate::generated::cognito::shapes::{AttributeType, UserStatusType, UserType};
use crate::shape::Timestamp;

/// A password, kept only as a salted hash and an SRP verifier, so that state dumps
/// never hold it.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasswordHash {
    #[serde(with = "crate::state::bytes")]
    salt: [u8; 16],
    #[serde(with = "crate::state::bytes")]
    hash: [u8; 32],
    srp: Verifier,
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(redacted)")
    }
}

impl PasswordHash {
    /// Hashes `password` with a fresh salt, and makes its SRP verifier for the user
    /// stored as `username` in pool `pool_id`.
    pub fn new(pool_id: &str, username: &str, password: &str) -> Self {
        let salt: [u8; 16] = rand::random();
        Self {
            hash: digest(&salt, password),
            salt,
            srp: Verifier::new(pool_id, username, password),
        }
    }

    /// Whether `password` is the one hashed.
    pub fn matches(&self, password: &str) -> bool {
        digest(&self.salt, password) == self.hash
    }

    /// The SRP verifier, for `USER_SRP_AUTH`.
    pub fn srp(&self) -> &Verifier {
        &self.srp
    }
}

fn digest(salt: &[u8], password: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(password.as_bytes());
    h.finalize().into()
}

/// One user.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct User {
    /// The username (the `sub` in pools where e-mail is the username).
    pub username: String,
    /// The immutable UUID.
    pub sub: String,
    /// Attributes in the order they were set; `sub` first.
    pub attributes: Vec<(String, String)>,
    /// The password.
    pub password: PasswordHash,
    /// When a temporary password stops working (admin-created users).
    pub temporary_password_expires: Option<Timestamp>,
    /// The status.
    pub status: UserStatusType,
    /// Whether sign-in is allowed.
    pub enabled: bool,
    /// When the user was created.
    pub created: Timestamp,
    /// When the user was last changed.
    pub modified: Timestamp,
    /// The code that confirms sign-up, and its predecessors.
    pub signup_code: PendingCode,
    /// The code that resets the password, and its predecessors.
    pub reset_code: PendingCode,
    /// Consecutive wrong passwords.
    pub failed_logins: u32,
    /// No sign-in until then, after too many wrong passwords.
    pub locked_until: Timestamp,
    /// `origin_jti`s of live sign-in sessions; a token whose session is gone is revoked.
    pub sessions: BTreeSet<String>,
    /// Second factors set up, enabled and preferred.
    pub mfa: UserMfa,
    /// Refresh tokens rotated out, by their `jti`: until when each still works (the
    /// client's grace period), and when it would have expired.
    pub retired_refresh: HashMap<String, (Timestamp, i64)>,
    /// The verification of a changed e-mail address in progress.
    pub verification: AttributeVerification,
}

impl User {
    /// A new user of pool `pool_id` with `password` and `attributes` (without `sub`,
    /// which is added).
    pub fn new(
        pool_id: &str,
        username: String,
        sub: String,
        password: &str,
        attributes: Vec<(String, String)>,
        status: UserStatusType,
        now: Timestamp,
    ) -> Self {
        let password = PasswordHash::new(pool_id, &username, password);
        Self::with_password(username, sub, password, attributes, status, now)
    }

    /// A new user whose password was hashed already (for the stored `username`): the
    /// hash costs an SRP exponentiation, which callers make outside the state lock.
    pub fn with_password(
        username: String,
        sub: String,
        password: PasswordHash,
        attributes: Vec<(String, String)>,
        status: UserStatusType,
        now: Timestamp,
    ) -> Self {
        let mut all = vec![("sub".to_owned(), sub.clone())];
        all.extend(attributes.into_iter().filter(|(k, _)| k != "sub"));
        Self {
            username,
            sub,
            attributes: all,
            password,
            temporary_password_expires: None,
            status,
            enabled: true,
            created: now,
            modified: now,
            signup_code: PendingCode::default(),
            reset_code: PendingCode::default(),
            failed_logins: 0,
            locked_until: Timestamp::default(),
            sessions: BTreeSet::new(),
            mfa: UserMfa::default(),
            retired_refresh: HashMap::new(),
            verification: AttributeVerification::default(),
        }
    }

    /// Sets a new password (this user is in pool `pool_id`).
    pub fn set_password(&mut self, pool_id: &str, password: &str) {
        self.password = PasswordHash::new(pool_id, &self.username, password);
    }

    /// The value of attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets attribute `name`, keeping the order of existing ones.
    pub fn set_attribute(&mut self, name: &str, value: &str) {
        match self.attributes.iter_mut().find(|(k, _)| k == name) {
            Some((_, v)) => *v = value.to_owned(),
            None => self.attributes.push((name.to_owned(), value.to_owned())),
        }
    }

    /// Removes attribute `name`.
    pub fn remove_attribute(&mut self, name: &str) {
        self.attributes.retain(|(k, _)| k != name);
    }

    /// Whether `email_verified` is true.
    pub fn email_verified(&self) -> bool {
        self.attribute("email_verified")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    /// `[{Name, Value}]`, as AWS lists attributes.
    pub fn attribute_list(&self) -> Vec<AttributeType> {
        self.attributes
            .iter()
            .map(|(k, v)| AttributeType {
                name: Some(k.clone()),
                value: Some(v.clone()),
            })
            .collect()
    }

    /// The `UserType` of `ListUsers` and `AdminCreateUser`.
    pub fn describe(&self) -> UserType {
        UserType {
            username: Some(self.username.clone()),
            attributes: Some(self.attribute_list()),
            user_create_date: Some(self.created),
            user_last_modified_date: Some(self.modified),
            enabled: Some(self.enabled),
            user_status: Some(self.status.clone()),
            mfa_options: None,
        }
    }
}
