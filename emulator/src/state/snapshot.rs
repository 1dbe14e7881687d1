//! The whole state as one JSON document: what `GET /_emulator/state` exports,
//! `POST /_emulator/state` imports, and the state directory keeps as its snapshot.
//!
//! It holds secrets (client secrets, password hashes and SRP verifiers, pending codes,
//! signing keys): it is for seeding and restoring emulators, never for reports.
//!
//! ```json
//! {"format": 1, "seq": 0,
//!  "cognito": {"refreshKey": "...", "pools": [{"pool": {...}, "users": [...], "keys": {...}}]},
//!  "ses": {"regions": {...}, "links": {...}},
//!  "outbox": {"mails": [...], "dropped": 0}}
//! ```
//!
//! Writing borrows the live state region by region, under each region's lock, rather
//! than copying it; reading gives owned values the services take in.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::cognito::pool::UserPool;
use crate::cognito::user::User;
use crate::outbox::OutboxMessage;
use crate::ses::identities::IdentityStore;

/// The snapshot format this emulator writes and reads.
pub const FORMAT: u32 = 1;

/// An RSA private key as PKCS#8 DER, written in base64.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredKey(pub Vec<u8>);

impl std::fmt::Debug for StoredKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredKey(redacted)")
    }
}

impl Serialize for StoredKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for StoredKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD
            .decode(text)
            .map(StoredKey)
            .map_err(serde::de::Error::custom)
    }
}

/// A pool's two signing keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredKeys {
    /// Signs id tokens.
    pub id: StoredKey,
    /// Signs access tokens.
    pub access: StoredKey,
}

/// A whole state, read back.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// The format ([`FORMAT`]).
    pub format: u32,
    /// The last journal record the snapshot holds (0 in an export).
    #[serde(default)]
    pub seq: u64,
    /// Cognito's pools.
    #[serde(default)]
    pub cognito: CognitoSnapshot,
    /// SES's identities.
    #[serde(default)]
    pub ses: IdentityStore,
    /// The mails sent.
    #[serde(default)]
    pub outbox: OutboxSnapshot,
}

/// Cognito's part of a snapshot.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CognitoSnapshot {
    /// The key that seals refresh tokens, once one was made.
    #[serde(default)]
    pub refresh_key: Option<StoredKey>,
    /// Every pool of every region.
    #[serde(default)]
    pub pools: Vec<PoolSnapshot>,
}

/// One pool with its users and keys.
#[derive(Debug, Deserialize)]
pub struct PoolSnapshot {
    /// The pool's settings, clients, groups and OAuth set-up.
    pub pool: UserPool,
    /// Its users.
    #[serde(default)]
    pub users: Vec<User>,
    /// Its signing keys, once made.
    #[serde(default)]
    pub keys: Option<StoredKeys>,
}

/// The outbox's part of a snapshot.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct OutboxSnapshot {
    /// The mails kept, oldest first.
    #[serde(default)]
    pub mails: Vec<OutboxMessage>,
    /// How many were dropped to stay within the limit.
    #[serde(default)]
    pub dropped: u64,
}

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Not a snapshot.
    #[error("not an emulator state document: {0}")]
    Unreadable(#[from] serde_json::Error),
    /// A snapshot of another format.
    #[error("state format {found} is not the one this emulator reads ({FORMAT})")]
    Format {
        /// The format found.
        found: u32,
    },
    /// The imported state could not be made durable.
    #[error(transparent)]
    NotDurable(#[from] super::journal::NotDurable),
    /// A pool's signing keys are not RSA keys.
    #[error("the signing keys of pool {pool_id} cannot be read")]
    Keys {
        /// The pool.
        pool_id: String,
    },
}

impl Snapshot {
    /// Reads a snapshot from its JSON.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ImportError> {
        let snapshot: Snapshot = serde_json::from_slice(bytes)?;
        if snapshot.format != FORMAT {
            return Err(ImportError::Format {
                found: snapshot.format,
            });
        }
        Ok(snapshot)
    }

    /// Checks what could still fail once the state is being replaced: every key must
    /// be an RSA private key. An import checks first, so a refused one changes nothing.
    pub fn check(&self) -> Result<(), ImportError> {
        use rsa::pkcs8::DecodePrivateKey;
        let readable = |k: &StoredKey| rsa::RsaPrivateKey::from_pkcs8_der(&k.0).is_ok();
        if let Some(key) = &self.cognito.refresh_key {
            if !readable(key) {
                return Err(ImportError::Keys {
                    pool_id: "(refresh tokens)".into(),
                });
            }
        }
        for p in &self.cognito.pools {
            if let Some(keys) = &p.keys {
                if !readable(&keys.id) || !readable(&keys.access) {
                    return Err(ImportError::Keys {
                        pool_id: p.pool.id.clone(),
                    });
                }
            }
        }
        Ok(())
    }
}
