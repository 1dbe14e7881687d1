//! Cognito user pools: the service, its state, and one file per family of operations.
//!
//! A request arrives as a typed input (the protocol layer has decoded and validated it
//! against the model); the operation reads and decides under its region's lock, commits
//! its write, and records what is left to do ([`Effects`]: mails to send), which runs
//! after the lock is released; tokens are signed after it too. Operations never see HTTP
//! or JSON.

mod api;
pub mod attribute_index;
pub mod challenge;
pub mod claim_context;
pub mod client;
pub mod codes;
pub mod delivery;
pub mod effects;
pub mod error;
pub mod group;
pub mod ids;
pub mod key_stash;
pub mod mfa;
pub mod oauth;
pub mod oauth_setup;
pub(crate) mod ops;
pub mod password;
mod persist;
pub mod pool;
pub mod schema;
pub mod secret_hash;
pub mod srp;
pub mod store;
pub mod tokens;
pub mod triggers;
pub mod user;
pub mod verification;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use serde_json::Value;

use crate::clock::Clock;
use crate::context::RequestContext;
use crate::mailer::Mailer;
use crate::shape::Timestamp;
pub use api::EMULATED;
pub use effects::Effects;
pub use error::{CognitoError, CognitoResult};
use key_stash::KeyStash;
use store::RegionState;
use tokens::{PoolKeys, RefreshSealer};

/// The prefix of `X-Amz-Target` for Cognito user pools.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// The region a pool lives in, from its id (`us-east-1_AbCdEf123`).
pub fn region_of_pool(pool_id: &str) -> &str {
    pool_id.split_once('_').map(|(r, _)| r).unwrap_or_default()
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

/// The Cognito service: state per region, clock, mailer, keys.
pub struct Cognito {
    regions: RwLock<HashMap<String, Arc<Mutex<RegionState>>>>,
    clock: Arc<dyn Clock>,
    mailer: Mailer,
    senders: Option<Arc<dyn SenderIdentities>>,
    sealer: OnceLock<RefreshSealer>,
    keys: Arc<KeyStash>,
    issuer_base: Option<String>,
    invoker: triggers::Invoker,
    page_seal: oauth::seal::Seal,
    /// Where changes are journaled, with `--state-dir`.
    journal: OnceLock<crate::state::journal::Journal>,
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
            regions: RwLock::default(),
            clock,
            mailer,
            senders: None,
            sealer: OnceLock::new(),
            // Two keys per pool and one for refresh tokens: enough for a pool created
            // while the next is being made.
            keys: KeyStash::new(3),
            issuer_base: None,
            invoker: triggers::Invoker::new(None, HashMap::new()),
            page_seal: oauth::seal::Seal::default(),
            journal: OnceLock::new(),
        }
    }

    /// Takes signing keys from the cache directory `dir` first, and keeps the keys it
    /// makes there for later runs (see [`key_stash`]).
    pub fn with_key_cache(mut self, dir: &std::path::Path) -> std::io::Result<Self> {
        self.keys = KeyStash::with_cache(3, dir)?;
        Ok(self)
    }

    /// Calls triggers through `invoker` (in-process handlers, a Lambda endpoint).
    pub fn with_triggers(mut self, invoker: triggers::Invoker) -> Self {
        self.invoker = invoker;
        self
    }

    /// Fires `trigger` of pool `pool_id`, if the pool names a function for it: the
    /// event comes from `event` (given the event version), outside any lock. `None`
    /// when the pool has no such trigger.
    pub fn fire(
        &self,
        pool_id: &str,
        trigger: triggers::Trigger,
        event: impl FnOnce(&pool::UserPool, &str) -> CognitoResult<Value>,
    ) -> CognitoResult<Option<Value>> {
        let prepared = self.read(region_of_pool(pool_id), |state| {
            let pool = state.pool(pool_id)?;
            let config = pool.settings.lambda_config.clone();
            if trigger.arn(config.as_ref()).is_none() {
                return Ok(None);
            }
            let version = match trigger {
                triggers::Trigger::PreTokenGeneration => {
                    triggers::token_event_version(config.as_ref())
                }
                _ => "1",
            };
            Ok(Some((config, event(pool, version)?)))
        })?;
        match prepared {
            None => Ok(None),
            Some((config, event)) => triggers::fire(&self.invoker, config.as_ref(), trigger, event),
        }
    }

    /// Makes tokens' `iss` `{base}/{pool id}` instead of AWS's
    /// `https://cognito-idp.{region}.amazonaws.com/{pool id}`: for clients (pycognito,
    /// for one) that expect the issuer under the endpoint they call, as other emulators
    /// issue it.
    pub fn with_issuer_base(mut self, base: Option<String>) -> Self {
        self.issuer_base = base.map(|b| b.trim_end_matches('/').to_owned());
        self
    }

    /// The `iss` of pool `pool_id`'s tokens, and its OpenID configuration's `issuer`.
    pub fn issuer(&self, region: &str, pool_id: &str) -> String {
        match &self.issuer_base {
            Some(base) => format!("{base}/{pool_id}"),
            None => issuer(region, pool_id),
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

    /// Runs operation `op` (`SignUp`, `InitiateAuth`, ...) with its JSON `input`:
    /// decoded, validated against the model, and run. An operation the model has but
    /// the emulator does not emulate answers `UnknownOperationException` naming it.
    pub fn dispatch(&self, ctx: &RequestContext, op: &str, input: Value) -> CognitoResult<Value> {
        // Not emulated comes before validation: the caller learns what matters first.
        if crate::generated::cognito::OPERATIONS.contains(&op) && !EMULATED.contains(&op) {
            return Err(CognitoError::not_emulated(op));
        }
        crate::generated::cognito::dispatch(self, ctx, op, input).unwrap_or_else(|| {
            Err(CognitoError::UnknownOperationException(format!(
                "Unknown operation {op}: Cognito has no operation by that name."
            )))
        })
    }

    /// The state of `region`, made on first write.
    fn region(&self, region: &str) -> Arc<Mutex<RegionState>> {
        if let Some(r) = self
            .regions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(region)
        {
            return r.clone();
        }
        self.regions
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(region.to_owned())
            .or_default()
            .clone()
    }

    /// Reads `region`'s state under its lock. A region nothing was written to reads as
    /// empty, and is not made by reading it.
    pub fn read<T>(
        &self,
        region: &str,
        f: impl FnOnce(&RegionState) -> CognitoResult<T>,
    ) -> CognitoResult<T> {
        let cell = self
            .regions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(region)
            .cloned();
        match cell {
            // A panic in an operation cannot leave the maps half-updated in a way later
            // requests would trip over, so a poisoned lock is still usable.
            Some(cell) => f(&cell.lock().unwrap_or_else(|e| e.into_inner())),
            None => f(&RegionState::default()),
        }
    }

    /// Decides and commits a write to `region`'s state under its lock; then, with the
    /// lock released, runs the effects the write recorded. An error runs no effects.
    pub fn write<T>(
        &self,
        region: &str,
        f: impl FnOnce(&mut RegionState, &mut Effects) -> CognitoResult<T>,
    ) -> CognitoResult<T> {
        let cell = self.region(region);
        let mut effects = Effects::default();
        let result = {
            let mut state = cell.lock().unwrap_or_else(|e| e.into_inner());
            let result = f(&mut state, &mut effects);
            // Failed writes are journaled too: a wrong password still counts towards
            // the lockout.
            state.journal_changes(self.journal.get());
            result
        };
        let ran = result.and_then(|out| effects.run(&self.mailer, &self.invoker).map(|()| out));
        // The answer waits until the change, and the mail it sent, are durable.
        self.settle()
            .map_err(|e| CognitoError::InternalErrorException(e.to_string()))?;
        ran
    }

    /// The time now.
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Starts making signing keys in the background, ahead of the first sign-in.
    pub fn prepare_keys(&self) {
        self.keys.refill();
    }

    /// The refresh-token sealer, made on first use.
    pub fn sealer(&self) -> &RefreshSealer {
        self.sealer.get_or_init(|| {
            let sealer = RefreshSealer::new(self.keys.take());
            self.journal_change(&crate::state::change::ChangeRef::RefreshKey {
                key: &sealer.stored(),
            });
            sealer
        })
    }

    /// The signing keys of pool `pool_id`, made on first use (outside the state lock).
    pub fn pool_keys(&self, pool_id: &str) -> CognitoResult<Arc<OnceLock<PoolKeys>>> {
        let cell = self.read(region_of_pool(pool_id), |s| {
            Ok(s.pool(pool_id)?.keys.clone())
        })?;
        let mut made = false;
        cell.get_or_init(|| {
            made = true;
            let keys = PoolKeys::from_stash(&self.keys);
            self.journal_keys(pool_id, &keys);
            keys
        });
        // Only new keys wait for the journal: every token signed looks its keys up here.
        if made {
            self.settle()
                .map_err(|e| CognitoError::InternalErrorException(e.to_string()))?;
        }
        Ok(cell)
    }

    /// The JWKS of pool `pool_id`, as served at `/{pool_id}/.well-known/jwks.json`.
    pub fn jwks(&self, pool_id: &str) -> CognitoResult<Value> {
        let cell = self.pool_keys(pool_id)?;
        Ok(cell.get().map(PoolKeys::jwks).unwrap_or_default())
    }

    /// What the managed login page signs its cookies and hidden fields with.
    pub fn page_seal(&self) -> &oauth::seal::Seal {
        &self.page_seal
    }

    /// The region whose state holds app client `client_id`: the OAuth endpoints reached
    /// by path know only the client.
    pub fn region_of_client(&self, client_id: &str) -> Option<String> {
        self.find_region(|state| state.pool_of_client(client_id).is_ok())
    }

    /// The region and pool of domain `domain` (a prefix or a custom domain's name).
    pub fn pool_of_domain(&self, domain: &str) -> Option<oauth::PoolRef> {
        let mut found = None;
        self.find_region(|state| {
            found = state.pool_of_domain(domain).map(str::to_owned);
            found.is_some()
        })
        .zip(found)
        .map(|(region, pool_id)| oauth::PoolRef { region, pool_id })
    }

    /// Forgets every pool, client, user and pending challenge: of `region`, or of every
    /// region. (`POST /_emulator/reset`.)
    pub fn reset(&self, region: Option<&str>) {
        let mut regions = self.regions.write().unwrap_or_else(|e| e.into_inner());
        match region {
            Some(r) => {
                regions.remove(r);
            }
            None => regions.clear(),
        }
    }

    /// The first region whose state satisfies `test`.
    fn find_region(&self, mut test: impl FnMut(&RegionState) -> bool) -> Option<String> {
        self.regions_sorted().into_iter().find_map(|(name, cell)| {
            test(&cell.lock().unwrap_or_else(|e| e.into_inner())).then_some(name)
        })
    }

    /// How many pools and users there are, in every region.
    pub fn counts(&self) -> (usize, usize) {
        let mut counts = (0, 0);
        for (_, cell) in self.regions_sorted() {
            for pool in cell.lock().unwrap_or_else(|e| e.into_inner()).pools() {
                counts.0 += 1;
                counts.1 += pool.users().count();
            }
        }
        counts
    }

    /// The region of pool `pool_id`.
    pub fn pool_region(&self, pool_id: &str) -> CognitoResult<String> {
        self.read(region_of_pool(pool_id), |s| {
            Ok(s.pool(pool_id)?.region.clone())
        })
    }
}

/// `https://cognito-idp.REGION.amazonaws.com/POOL_ID`: the `iss` of a pool's tokens, as on
/// AWS, wherever the emulator runs (unless [`Cognito::with_issuer_base`] says otherwise).
pub fn issuer(region: &str, pool_id: &str) -> String {
    format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
}
