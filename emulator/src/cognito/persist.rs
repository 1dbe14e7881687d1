//! Cognito's state in and out of the state directory and the state routes: the changes
//! a write made, as journal records; the whole state, as a snapshot; and both read back.

use std::sync::{Arc, Mutex};

use serde::ser::{SerializeMap, SerializeSeq};

use serde::{Serialize, Serializer};

use super::pool::UserPool;
use super::store::RegionState;
use super::tokens::{PoolKeys, RefreshSealer};
use super::{region_of_pool, Cognito};
use crate::state::change::{Change, ChangeRef};
use crate::state::journal::{Journal, NotDurable};
use crate::state::snapshot::{CognitoSnapshot, ImportError, PoolSnapshot, StoredKeys};

impl Cognito {
    /// Journals every change to the state from now on.
    pub fn attach_journal(&self, journal: Journal) {
        let _ = self.journal.set(journal);
    }

    /// The journal, when the state is kept in a directory.
    pub fn journal(&self) -> Option<&Journal> {
        self.journal.get()
    }

    /// Queues `change` in the journal, if there is one.
    pub(crate) fn journal_change(&self, change: &ChangeRef<'_>) {
        if let Some(j) = self.journal.get() {
            j.append(&change.to_bytes());
        }
    }

    /// Waits until what this thread journaled is durable.
    pub(crate) fn settle(&self) -> Result<(), NotDurable> {
        self.journal.get().map_or(Ok(()), Journal::wait_mine)
    }

    /// Every region, sorted by name, with its state (the list is copied: no region's
    /// lock is held while the regions map is).
    pub(super) fn regions_sorted(&self) -> Vec<(String, Arc<Mutex<RegionState>>)> {
        let mut regions: Vec<_> = self
            .regions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        regions.sort_by(|a, b| a.0.cmp(&b.0));
        regions
    }

    /// Cognito's part of a snapshot, written region by region under each region's lock.
    pub fn export(&self) -> impl Serialize + '_ {
        Export(self)
    }

    /// Takes in the pools of `snapshot` (the state is expected to be empty).
    pub fn restore(&self, snapshot: CognitoSnapshot) -> Result<(), ImportError> {
        if let Some(key) = snapshot.refresh_key {
            let sealer = RefreshSealer::from_stored(&key).ok_or(ImportError::Keys {
                pool_id: "(refresh tokens)".into(),
            })?;
            let _ = self.sealer.set(sealer);
        }
        for PoolSnapshot { pool, users, keys } in snapshot.pools {
            let keys = match keys {
                Some(k) => Some(PoolKeys::from_stored(&k).ok_or_else(|| ImportError::Keys {
                    pool_id: pool.id.clone(),
                })?),
                None => None,
            };
            let cell = self.region(&pool.region);
            let mut state = cell.lock().unwrap_or_else(|e| e.into_inner());
            let pool_id = pool.id.clone();
            state.restore_pool(pool);
            if let Ok(restored) = state.pool_mut(&pool_id) {
                for user in users {
                    restored.add_user(user);
                }
                if let Some(keys) = keys {
                    let _ = restored.keys.set(keys);
                }
            }
            state.forget_changes();
        }
        Ok(())
    }

    /// Applies one journal record (replay at start).
    pub fn apply(&self, change: Change) {
        match change {
            Change::Pool { pool } => {
                let cell = self.region(&pool.region.clone());
                let mut state = cell.lock().unwrap_or_else(|e| e.into_inner());
                state.restore_pool(*pool);
                state.forget_changes();
            }
            Change::PoolDeleted { pool_id } => {
                self.with_region_state(&pool_id, |state| {
                    let _ = state.remove_pool(&pool_id);
                });
            }
            Change::User { pool_id, user } => {
                self.with_region_state(&pool_id, |state| {
                    if let Ok(pool) = state.pool_mut(&pool_id) {
                        pool.add_user(*user);
                    }
                });
            }
            Change::UserDeleted { pool_id, username } => {
                self.with_region_state(&pool_id, |state| {
                    if let Ok(pool) = state.pool_mut(&pool_id) {
                        pool.remove_user(&username);
                    }
                });
            }
            Change::PoolKeys { pool_id, keys } => {
                let Some(keys) = PoolKeys::from_stored(&keys) else {
                    tracing::warn!(
                        pool = pool_id,
                        "a journaled signing key cannot be read; the pool gets new keys"
                    );
                    return;
                };
                self.with_region_state(&pool_id, |state| {
                    if let Ok(pool) = state.pool(&pool_id) {
                        let _ = pool.keys.set(keys);
                    }
                });
            }
            Change::RefreshKey { key } => {
                if let Some(sealer) = RefreshSealer::from_stored(&key) {
                    let _ = self.sealer.set(sealer);
                }
            }
            Change::Reset { region } => self.reset(region.as_deref()),
            // Other services' changes.
            Change::Ses { .. } | Change::Mail { .. } | Change::MailsDeleted { .. } => {}
        }
    }

    /// Runs `f` on the state of pool `pool_id`'s region, then forgets what it changed
    /// (replayed changes are on disk already).
    fn with_region_state(&self, pool_id: &str, f: impl FnOnce(&mut RegionState)) {
        let cell = self.region(region_of_pool(pool_id));
        let mut state = cell.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state);
        state.forget_changes();
    }

    /// Journals the whole state as records (after an import, which replaces it).
    pub(crate) fn journal_everything(&self) {
        let Some(journal) = self.journal.get() else {
            return;
        };
        if let Some(sealer) = self.sealer.get() {
            journal.append(
                &ChangeRef::RefreshKey {
                    key: &sealer.stored(),
                }
                .to_bytes(),
            );
        }
        for (_, cell) in self.regions_sorted() {
            let state = cell.lock().unwrap_or_else(|e| e.into_inner());
            for pool in state.pools() {
                journal.append(&ChangeRef::Pool { pool }.to_bytes());
                for user in pool.users() {
                    journal.append(
                        &ChangeRef::User {
                            pool_id: &pool.id,
                            user,
                        }
                        .to_bytes(),
                    );
                }
                if let Some(keys) = pool.keys.get() {
                    journal.append(
                        &ChangeRef::PoolKeys {
                            pool_id: &pool.id,
                            keys: &keys.stored(),
                        }
                        .to_bytes(),
                    );
                }
            }
        }
    }

    /// Journals pool `pool_id`'s keys, just made.
    pub(crate) fn journal_keys(&self, pool_id: &str, keys: &PoolKeys) {
        self.journal_change(&ChangeRef::PoolKeys {
            pool_id,
            keys: &keys.stored(),
        });
    }
}

/// Cognito's state as a snapshot writes it.
struct Export<'a>(&'a Cognito);

impl Serialize for Export<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry(
            "refreshKey",
            &self.0.sealer.get().map(RefreshSealer::stored),
        )?;
        map.serialize_entry("pools", &Pools(self.0))?;
        map.end()
    }
}

struct Pools<'a>(&'a Cognito);

impl Serialize for Pools<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for (_, cell) in self.0.regions_sorted() {
            let state = cell.lock().unwrap_or_else(|e| e.into_inner());
            for pool in state.pools() {
                seq.serialize_element(&PoolEntry {
                    pool,
                    users: Users(pool),
                    keys: pool.keys.get().map(PoolKeys::stored),
                })?;
            }
        }
        seq.end()
    }
}

/// One pool in a snapshot, borrowed.
#[derive(Serialize)]
struct PoolEntry<'a> {
    pool: &'a UserPool,
    users: Users<'a>,
    keys: Option<StoredKeys>,
}

/// A pool's users, written one by one.
struct Users<'a>(&'a UserPool);

impl Serialize for Users<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.users())
    }
}
