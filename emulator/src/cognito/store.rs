//! Cognito's state for one region, behind methods that keep its indexes true: pools by
//! id, which pool each client belongs to, and pending challenges by session.
//!
//! The service keeps one [`RegionState`] per region, each behind its own lock (see
//! [`super::Cognito::write`]): pools live in a region, as on AWS, and a request is served
//! in the region its signature names, so requests to different regions never wait for
//! each other.

use std::collections::{BTreeMap, HashMap};

use super::challenge::Challenge;
use super::client::AppClient;
use super::error::{CognitoError, CognitoResult};
use super::oauth::codes::AuthorizationCode;
use super::pool::UserPool;
use super::secret_hash;
use crate::shape::Timestamp;

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
        self.pools
            .get_mut(id)
            .ok_or_else(|| CognitoError::pool_not_found(id))
    }

    /// Every pool, by id.
    pub fn pools(&self) -> impl Iterator<Item = &UserPool> {
        self.pools.values()
    }

    /// Adds a new pool.
    pub fn insert_pool(&mut self, pool: UserPool) {
        self.pools.insert(pool.id.clone(), pool);
    }

    /// Removes pool `id` with its clients and pending challenges.
    pub fn remove_pool(&mut self, id: &str) -> CognitoResult<UserPool> {
        let pool = self
            .pools
            .remove(id)
            .ok_or_else(|| CognitoError::pool_not_found(id))?;
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
