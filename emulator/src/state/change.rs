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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::pool::UserPool;
    use crate::generated::cognito::shapes::{CreateUserPoolRequest, UserStatusType};
    use crate::shape::Timestamp;

    /// Every variant, written borrowed and read back owned, is the same variant with the
    /// same values.
    #[test]
    fn every_change_reads_back_as_written() {
        let now = Timestamp::from_secs(1_700_000_000);
        let input = CreateUserPoolRequest {
            pool_name: Some("p".into()),
            ..CreateUserPoolRequest::default()
        };
        let pool = UserPool::new(
            "us-east-1_abc".into(),
            "us-east-1",
            "000000000000",
            now,
            input,
        )
        .unwrap();
        let user = User::new(
            &pool.id,
            "ann".into(),
            "0b7c3e2a-1d4f-4a5b-9c8d-7e6f5a4b3c2d".into(),
            "Aa123456!",
            vec![("email".into(), "ann@example.com".into())],
            UserStatusType::Confirmed,
            now,
        );
        let key = StoredKey(vec![1, 2, 3]);
        let keys = StoredKeys {
            id: key.clone(),
            access: key.clone(),
        };
        let mail = OutboxMessage {
            id: "m1".into(),
            region: "us-east-1".into(),
            source: "a@example.com".into(),
            destination: Default::default(),
            subject: Some("s".into()),
            body: Default::default(),
            raw_data: "raw".into(),
            timestamp: now.iso8601(),
        };
        let filter = OutboxFilter {
            to: Some("ann@example.com".into()),
            ..OutboxFilter::default()
        };
        let identities = IdentityStore::default();
        let written = [
            ChangeRef::Pool { pool: &pool },
            ChangeRef::PoolDeleted { pool_id: &pool.id },
            ChangeRef::User {
                pool_id: &pool.id,
                user: &user,
            },
            ChangeRef::UserDeleted {
                pool_id: &pool.id,
                username: "ann",
            },
            ChangeRef::PoolKeys {
                pool_id: &pool.id,
                keys: &keys,
            },
            ChangeRef::RefreshKey { key: &key },
            ChangeRef::Ses {
                identities: &identities,
            },
            ChangeRef::Mail { mail: &mail },
            ChangeRef::MailsDeleted { filter: &filter },
            ChangeRef::Reset {
                region: Some("eu-west-1"),
            },
        ];
        for change in &written {
            let read: Change = serde_json::from_slice(&change.to_bytes())
                .unwrap_or_else(|e| panic!("{change:?} does not read back: {e}"));
            let same = match (change, &read) {
                (ChangeRef::Pool { pool: a }, Change::Pool { pool: b }) => {
                    a.id == b.id && a.name == b.name && a.created == b.created
                }
                (ChangeRef::PoolDeleted { pool_id: a }, Change::PoolDeleted { pool_id: b }) => {
                    *a == b
                }
                (ChangeRef::User { user: a, .. }, Change::User { user: b, .. }) => {
                    a.username == b.username
                        && a.sub == b.sub
                        && a.attributes == b.attributes
                        && a.password == b.password
                        && b.password.matches("Aa123456!")
                }
                (
                    ChangeRef::UserDeleted { username: a, .. },
                    Change::UserDeleted { username: b, .. },
                ) => *a == b,
                (ChangeRef::PoolKeys { keys: a, .. }, Change::PoolKeys { keys: b, .. }) => {
                    a.id == b.id && a.access == b.access
                }
                (ChangeRef::RefreshKey { key: a }, Change::RefreshKey { key: b }) => *a == b,
                (ChangeRef::Ses { .. }, Change::Ses { .. }) => true,
                (ChangeRef::Mail { mail: a }, Change::Mail { mail: b }) => *a == b,
                (ChangeRef::MailsDeleted { filter: a }, Change::MailsDeleted { filter: b }) => {
                    a.to == b.to
                }
                (ChangeRef::Reset { region: a }, Change::Reset { region: b }) => {
                    a.map(str::to_owned) == *b
                }
                _ => false,
            };
            assert!(same, "{change:?} read back as {read:?}");
        }
    }
}
