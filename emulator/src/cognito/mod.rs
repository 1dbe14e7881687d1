//! Cognito user pools: the service, its state, and one file per family of operations.
//!
//! A request arrives as an operation name and its JSON input (the protocol layer has
//! already taken HTTP apart); [`Cognito::dispatch`] runs the operation against the
//! state and returns the JSON output or a [`CognitoError`]. Mail is sent after the
//! state lock is released, and signing keys are made outside it, so one slow request
//! never holds up the others.

pub mod client;
pub mod codes;
pub mod delivery;
pub mod error;
pub mod ids;
pub mod input;
pub mod key_stash;
pub mod ops;
pub mod password;
pub mod pool;
pub mod schema;
pub mod secret_hash;
pub mod tokens;
pub mod user;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serde_json::Value;

use crate::clock::Clock;
use crate::context::RequestContext;
use crate::mailer::{Mailer, OutgoingMail};
pub use error::{CognitoError, CognitoResult};
use key_stash::KeyStash;
use pool::UserPool;
use tokens::{PoolKeys, RefreshSealer};

/// The prefix of `X-Amz-Target` for Cognito user pools.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// A pending `NEW_PASSWORD_REQUIRED` challenge, found by its `Session` string.
#[derive(Debug, Clone)]
pub struct Challenge {
    /// The pool.
    pub pool_id: String,
    /// The client that started the sign-in.
    pub client_id: String,
    /// The user's stored username.
    pub username: String,
    /// When the session stops working, epoch millis.
    pub expires_ms: i64,
}

/// Everything Cognito holds.
#[derive(Debug, Default)]
pub struct State {
    /// Pools by id.
    pub pools: BTreeMap<String, UserPool>,
    /// Which pool each client belongs to.
    pub client_pools: HashMap<String, String>,
    /// Pending auth challenges by session.
    pub challenges: HashMap<String, Challenge>,
}

impl State {
    /// The pool `id`, or AWS's error.
    pub fn pool(&self, id: &str) -> CognitoResult<&UserPool> {
        self.pools
            .get(id)
            .ok_or_else(|| CognitoError::pool_not_found(id))
    }

    /// The pool `id`, to change.
    pub fn pool_mut(&mut self, id: &str) -> CognitoResult<&mut UserPool> {
        self.pools
            .get_mut(id)
            .ok_or_else(|| CognitoError::pool_not_found(id))
    }

    /// The pool behind app client `client_id`, once the caller has shown it holds the
    /// client's secret (`SECRET_HASH` for `username`), and whether the client hides
    /// whether users exist. The prologue of every call a user makes through a client.
    pub fn client_pool_mut(
        &mut self,
        client_id: &str,
        username: &str,
        secret_hash: Option<&str>,
    ) -> CognitoResult<(&mut UserPool, bool)> {
        let pool_id = self.pool_of_client(client_id)?;
        let pool = self.pool_mut(&pool_id)?;
        let client = pool.client(client_id)?;
        secret_hash::check(client, username, secret_hash)?;
        let hides = client.hides_user_existence();
        Ok((pool, hides))
    }

    /// The id of the pool that client `client_id` belongs to.
    pub fn pool_of_client(&self, client_id: &str) -> CognitoResult<String> {
        self.client_pools
            .get(client_id)
            .cloned()
            .ok_or_else(|| CognitoError::client_not_found(client_id))
    }
}

/// Where Cognito learns whether an SES identity may send: the emulator's SES.
pub trait SenderIdentities: Send + Sync {
    /// Whether `address` is a verified identity (or in a verified domain) in `region`.
    fn is_verified_sender(&self, region: &str, address: &str) -> bool;
}

impl SenderIdentities for crate::ses::Ses {
    fn is_verified_sender(&self, region: &str, address: &str) -> bool {
        crate::ses::Ses::is_verified_sender(self, region, address)
    }
}

/// The Cognito service: state, clock, mailer, keys.
pub struct Cognito {
    state: Mutex<State>,
    clock: Arc<dyn Clock>,
    mailer: Mailer,
    senders: Option<Arc<dyn SenderIdentities>>,
    sealer: OnceLock<RefreshSealer>,
    keys: Arc<KeyStash>,
}

impl std::fmt::Debug for Cognito {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cognito").finish_non_exhaustive()
    }
}

impl Cognito {
    /// An empty service.
    pub fn new(clock: Arc<dyn Clock>, mailer: Mailer) -> Self {
        Self {
            state: Mutex::default(),
            clock,
            mailer,
            senders: None,
            sealer: OnceLock::new(),
            // Two keys per pool and one for refresh tokens: enough for a pool created
            // while the next is being made.
            keys: KeyStash::new(3),
        }
    }

    /// Lets Cognito check pools' `SourceArn` identities against `senders` (the SES of
    /// the same emulator).
    pub fn with_sender_identities(mut self, senders: Arc<dyn SenderIdentities>) -> Self {
        self.senders = Some(senders);
        self
    }

    /// Warns when a pool's `SourceArn` names an SES identity that is not verified. AWS
    /// documents that the identity must be verified for Cognito to send through it, but
    /// not what CreateUserPool answers otherwise; the emulator accepts the pool, warns,
    /// and sends anyway, so tests that skip the SES step still get their mail.
    pub fn check_source_arn(&self, pool_id: &str, source_arn: Option<&str>) {
        let (Some(senders), Some(arn)) = (&self.senders, source_arn) else {
            return;
        };
        // arn:aws:ses:REGION:ACCOUNT:identity/ADDRESS
        let mut parts = arn.splitn(6, ':');
        let region = parts.nth(3).unwrap_or_default();
        let Some(address) = arn.split_once(":identity/").map(|(_, a)| a) else {
            return;
        };
        if !senders.is_verified_sender(region, address) {
            tracing::warn!(
                pool = pool_id,
                identity = address,
                region,
                "the pool's SourceArn names an SES identity that is not verified; AWS sends only from verified identities (the emulator sends anyway)"
            );
        }
    }

    /// Runs operation `op` (`SignUp`, `InitiateAuth`, ...) with its JSON `input`.
    pub fn dispatch(&self, ctx: &RequestContext, op: &str, input: Value) -> CognitoResult<Value> {
        ops::dispatch(self, ctx, op, input)
    }

    /// The state, locked. Operations keep the lock short: no I/O, no key generation.
    pub fn state(&self) -> MutexGuard<'_, State> {
        // A panic in an operation cannot leave the maps half-updated in a way later
        // requests would trip over, so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts making signing keys in the background, ahead of the first sign-in.
    pub fn prepare_keys(&self) {
        self.keys.refill();
    }

    /// The clock.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Sends a mail (call without holding the state lock).
    pub fn send_mail(&self, mail: OutgoingMail) {
        self.mailer.send(mail);
    }

    /// The refresh-token sealer, made on first use.
    pub fn sealer(&self) -> &RefreshSealer {
        self.sealer
            .get_or_init(|| RefreshSealer::new(self.keys.take()))
    }

    /// The signing keys of pool `pool_id`, made on first use (outside the state lock).
    pub fn pool_keys(&self, pool_id: &str) -> CognitoResult<Arc<OnceLock<PoolKeys>>> {
        let cell = self.state().pool(pool_id)?.keys.clone();
        cell.get_or_init(|| PoolKeys::from_stash(&self.keys));
        Ok(cell)
    }

    /// The JWKS of pool `pool_id`, as served at `/{pool_id}/.well-known/jwks.json`.
    pub fn jwks(&self, pool_id: &str) -> CognitoResult<Value> {
        let cell = self.pool_keys(pool_id)?;
        Ok(cell.get().map(PoolKeys::jwks).unwrap_or_default())
    }

    /// The region of pool `pool_id`.
    pub fn pool_region(&self, pool_id: &str) -> CognitoResult<String> {
        Ok(self.state().pool(pool_id)?.region.clone())
    }
}

/// `https://cognito-idp.REGION.amazonaws.com/POOL_ID`: the `iss` of a pool's tokens, as on
/// AWS, wherever the emulator runs.
pub fn issuer(region: &str, pool_id: &str) -> String {
    format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
}
