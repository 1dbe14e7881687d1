//! Cognito's state for one region, behind methods that keep its indexes true: pools by
//! id, which pool each client belongs to, and pending challenges by session.
//!
//! The service keeps one [`RegionState`] per region, each behind its own lock (see
//! [`super::Cognito::write`]): pools live in a region, as on AWS, and a request is served
//! in the region its signature names, so requests to different regions never wait for
//! each other.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use super::challenge::Challenge;
use super::client::AppClient;
use super::error::{CognitoError, CognitoResult};
use super::oauth::codes::AuthorizationCode;
use super::pool::UserPool;
use super::secret_hash;
use crate::shape::Timestamp;
use crate::state::change::ChangeRef;
use crate::state::journal::Journal;

/// Everything Cognito holds in one region.
#[derive(Debug, Default)]
pub struct RegionState {
    pools: BTreeMap<String, UserPool>,
    client_pools: HashMap<String, String>,
    /// Pool ids by domain (a prefix or a custom domain's full name).
    domains: HashMap<String, String>,
    challenges: HashMap<String, Challenge>,
    /// Authorization codes not yet exchanged.
    codes: HashMap<String, AuthorizationCode>,
    /// How many pending challenges there may be before expired ones are swept out.
    sweep_at: usize,
    /// Pools that may have changed since the journal last took the changes.
    touched: BTreeSet<String>,
    /// A hash of each pool's settings as last journaled: a write that left them as they
    /// were (a sign-up, a sign-in) journals only its users.
    journaled: HashMap<String, u64>,
}

/// Pending challenges kept before the first sweep: abandoned sign-ins cost memory only
/// until their sessions expire.
const FIRST_SWEEP: usize = 1024;

impl RegionState {
    /// The pool `id`, or AWS's error.
    pub fn pool(&self, id: &str) -> CognitoResult<&UserPool> {
        self.pools
            .get(id)
            .ok_or_else(|| CognitoError::pool_not_found(id))
    }

    /// The pool `id`, to change.
    pub fn pool_mut(&mut self, id: &str) -> CognitoResult<&mut UserPool> {
        let pool = self
            .pools
            .get_mut(id)
            .ok_or_else(|| CognitoError::pool_not_found(id))?;
        if !self.touched.contains(id) {
            self.touched.insert(id.to_owned());
        }
        Ok(pool)
    }

    /// Every pool, by id.
    pub fn pools(&self) -> impl Iterator<Item = &UserPool> {
        self.pools.values()
    }

    /// Adds a new pool.
    pub fn insert_pool(&mut self, pool: UserPool) {
        self.touched.insert(pool.id.clone());
        self.pools.insert(pool.id.clone(), pool);
    }

    /// Puts back a pool read from the journal or a snapshot: its settings replace those
    /// of the pool with its id, whose users and keys it keeps.
    pub fn restore_pool(&mut self, mut pool: UserPool) {
        let id = pool.id.clone();
        if let Some(old) = self.pools.remove(&id) {
            pool.adopt_users(old);
        }
        self.client_pools.retain(|_, p| *p != id);
        for client in pool.clients.keys() {
            self.client_pools.insert(client.clone(), id.clone());
        }
        self.domains.retain(|_, p| *p != id);
        if let Some(domain) = pool.oauth.domain_name() {
            self.domains.insert(domain.to_owned(), id.clone());
        }
        self.pools.insert(id, pool);
    }

    /// Journals what changed since the last call: each touched pool's settings (when
    /// they differ from those last journaled) and its changed users, or its deletion.
    /// Without a journal, forgets what changed.
    pub fn journal_changes(&mut self, journal: Option<&Journal>) {
        let Some(journal) = journal else {
            return self.forget_changes();
        };
        for id in std::mem::take(&mut self.touched) {
            let Some(pool) = self.pools.get_mut(&id) else {
                self.journaled.remove(&id);
                journal.append(&ChangeRef::PoolDeleted { pool_id: &id }.to_bytes());
                continue;
            };
            let changed_users = pool.take_changed_users();
            let pool = &*pool;
            let settings = ChangeRef::Pool { pool }.to_bytes();
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            settings.hash(&mut hasher);
            let hash = hasher.finish();
            if self.journaled.insert(id.clone(), hash) != Some(hash) {
                journal.append(&settings);
            }
            for username in &changed_users {
                let record = match pool.stored_user(username) {
                    Some(user) => ChangeRef::User { pool_id: &id, user },
                    None => ChangeRef::UserDeleted {
                        pool_id: &id,
                        username,
                    },
                };
                journal.append(&record.to_bytes());
            }
        }
    }

    /// Forgets what changed (it is on disk already, or nothing is kept on disk).
    pub fn forget_changes(&mut self) {
        for id in std::mem::take(&mut self.touched) {
            if let Some(pool) = self.pools.get_mut(&id) {
                pool.take_changed_users();
            }
        }
    }

    /// Removes pool `id` with its clients and pending challenges.
    pub fn remove_pool(&mut self, id: &str) -> CognitoResult<UserPool> {
        let pool = self
            .pools
            .remove(id)
            .ok_or_else(|| CognitoError::pool_not_found(id))?;
        self.touched.insert(id.to_owned());
        self.client_pools.retain(|_, p| p != id);
        self.domains.retain(|_, p| p != id);
        self.challenges.retain(|_, c| c.pool_id() != id);
        self.codes.retain(|_, c| c.grant.pool_id != id);
        Ok(pool)
    }

    /// Adds `client` to its pool.
    pub fn insert_client(&mut self, client: AppClient) -> CognitoResult<()> {
        let pool = self.pool_mut(&client.pool_id)?;
        let (id, pool_id) = (client.id.clone(), client.pool_id.clone());
        pool.clients.insert(id.clone(), client);
        self.client_pools.insert(id, pool_id);
        Ok(())
    }

    /// Removes client `client_id` of pool `pool_id`.
    pub fn remove_client(&mut self, pool_id: &str, client_id: &str) -> CognitoResult<()> {
        let pool = self.pool_mut(pool_id)?;
        if pool.clients.remove(client_id).is_none() {
            return Err(CognitoError::client_not_found(client_id));
        }
        self.client_pools.remove(client_id);
        self.challenges.retain(|_, c| c.client_id() != client_id);
        Ok(())
    }

    /// The id of the pool that client `client_id` belongs to.
    pub fn pool_of_client(&self, client_id: &str) -> CognitoResult<String> {
        self.client_pools
            .get(client_id)
            .cloned()
            .ok_or_else(|| CognitoError::client_not_found(client_id))
    }

    /// The pool a call names, or else the pool of its client `client_id`.
    pub fn pool_id_for(&self, pool_id: Option<&str>, client_id: &str) -> CognitoResult<String> {
        match pool_id {
            Some(p) => Ok(p.to_owned()),
            None => self.pool_of_client(client_id),
        }
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

    /// The id of the pool whose domain is `domain`.
    pub fn pool_of_domain(&self, domain: &str) -> Option<&str> {
        self.domains.get(domain).map(String::as_str)
    }

    /// Binds `domain` to pool `pool_id` (the caller has checked it is free).
    pub fn bind_domain(&mut self, domain: &str, pool_id: &str) {
        self.domains.insert(domain.to_owned(), pool_id.to_owned());
    }

    /// Frees `domain`.
    pub fn unbind_domain(&mut self, domain: &str) {
        self.domains.remove(domain);
    }

    /// Keeps authorization code `code` until it is exchanged; codes that expired
    /// unused are swept out as the map grows.
    pub fn put_code(&mut self, code: String, entry: AuthorizationCode, now: Timestamp) {
        if self.codes.len() >= FIRST_SWEEP {
            self.codes.retain(|_, c| c.expires > now);
        }
        self.codes.insert(code, entry);
    }

    /// Takes authorization code `code`: a code works once.
    pub fn take_code(&mut self, code: &str) -> Option<AuthorizationCode> {
        self.codes.remove(code)
    }

    /// Remembers a challenge posed to a user, under its `Session`. Sweeps out expired
    /// challenges now and then (each time the map has doubled), so that sign-ins that
    /// are never finished do not pile up.
    pub fn pose_challenge(&mut self, session: String, challenge: Challenge, now: Timestamp) {
        if self.challenges.len() >= self.sweep_at.max(FIRST_SWEEP) {
            self.challenges.retain(|_, c| !c.expired(now));
            self.sweep_at = 2 * self.challenges.len();
        }
        self.challenges.insert(session, challenge);
    }

    /// The challenge posed under `session`.
    pub fn challenge(&self, session: &str) -> Option<&Challenge> {
        self.challenges.get(session)
    }

    /// Forgets the challenge posed under `session` (answered or abandoned).
    pub fn end_challenge(&mut self, session: &str) -> Option<Challenge> {
        self.challenges.remove(session)
    }
}
