//! One journal record: a change to the state, as the whole new value of what changed (a
//! pool's settings, one user, one mail), never as the request that caused it. Replaying
//! a value is idempotent and needs no clock, randomness or trigger: ids, codes and keys
//! come back exactly as they were handed out.
//!
//! Changes are written from borrowed state ([`ChangeRef`], under the lock that guards
//! it) and read back owned ([`Change`]); the two enums have the same variants and fields,
//! which a test checks by writing every variant and reading it back.

use serde::{Deserialize, Serialize};

use super::snapshot::{StoredKey, StoredKeys};
use crate::cognito::pool::UserPool;
use crate::cognito::user::User;
use crate::outbox::{OutboxFilter, OutboxMessage};
use crate::ses::identities::IdentityStore;

/// A change, as written. (Fields are named for what they hold; the variants say what
/// changed.)
#[derive(Debug, Serialize)]
#[allow(missing_docs)]
#[serde(tag = "change", rename_all = "camelCase")]
pub enum ChangeRef<'a> {
    /// A pool was created or its settings, clients, groups or OAuth set-up changed
    /// (its users are not part of this record).
    Pool { pool: &'a UserPool },
    /// A pool was deleted.
    PoolDeleted {
        #[serde(rename = "poolId")]
        pool_id: &'a str,
    },
    /// A user was created or changed.
    User {
        #[serde(rename = "poolId")]
        pool_id: &'a str,
        user: &'a User,
    },
    /// A user was deleted.
    UserDeleted {
        #[serde(rename = "poolId")]
        pool_id: &'a str,
        username: &'a str,
    },
    /// A pool's signing keys were made.
    PoolKeys {
        #[serde(rename = "poolId")]
        pool_id: &'a str,
        keys: &'a StoredKeys,
    },
    /// The key that seals refresh tokens was made.
    RefreshKey { key: &'a StoredKey },
    /// SES's identities changed (the whole store: it is small).
    Ses { identities: &'a IdentityStore },
    /// A mail was sent.
    Mail { mail: &'a OutboxMessage },
    /// Mails matching a filter were deleted (`DELETE /_aws/ses`).
    MailsDeleted { filter: &'a OutboxFilter },
    /// The emulator, or one region of it, was emptied.
    Reset { region: Option<&'a str> },
}

/// A change, as read back.
#[derive(Debug, Deserialize)]
#[serde(tag = "change", rename_all = "camelCase")]
#[allow(missing_docs)]
pub enum Change {
    Pool {
        pool: Box<UserPool>,
    },
    PoolDeleted {
        #[serde(rename = "poolId")]
        pool_id: String,
    },
    User {
        #[serde(rename = "poolId")]
        pool_id: String,
        user: Box<User>,
    },
    UserDeleted {
        #[serde(rename = "poolId")]
        pool_id: String,
        username: String,
    },
    PoolKeys {
        #[serde(rename = "poolId")]
        pool_id: String,
        keys: StoredKeys,
    },
    RefreshKey {
        key: StoredKey,
    },
    Ses {
        identities: IdentityStore,
    },
    Mail {
        mail: OutboxMessage,
    },
    MailsDeleted {
        filter: OutboxFilter,
    },
    Reset {
        region: Option<String>,
    },
}

impl ChangeRef<'_> {
    /// The record's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Every field is plain data with string keys: serialising cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }
}
