//! Keeping the state: in a directory across restarts and crashes (`--state-dir`), and as
//! one JSON document to export and import (`/_emulator/state`).
//!
//! - `journal.rs`: the write-ahead log, fsynced before a change is acknowledged;
//! - `change.rs`: what one journal record says;
//! - `snapshot.rs`: the whole state as one document;
//! - `dir.rs`: the directory: its lock, its snapshot, its journal files, recovery.
//!
//! The services journal their own changes (Cognito per pool and user, SES its
//! identities, the outbox its mails); this module puts them together.

pub mod bytes;
pub mod change;
pub mod dir;
pub mod journal;
pub mod snapshot;

use std::collections::HashSet;

use serde::Serialize;

use crate::cognito::Cognito;
use crate::outbox::Outbox;
use crate::ses::Ses;
use change::{Change, ChangeRef};
use journal::NotDurable;
use snapshot::{ImportError, Snapshot, FORMAT};

/// The three services whose state is kept.
#[derive(Debug, Clone, Copy)]
pub struct Services<'a> {
    /// Cognito user pools.
    pub cognito: &'a Cognito,
    /// SES identities.
    pub ses: &'a Ses,
    /// The mails sent.
    pub outbox: &'a Outbox,
}

/// What an import or a recovery took in.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Pools.
    pub pools: usize,
    /// Users, in every pool.
    pub users: usize,
    /// Mails in the outbox.
    pub mails: usize,
}

impl Services<'_> {
    /// The whole state as a snapshot document, holding journal records up to `seq`.
    pub fn export(&self, seq: u64) -> Vec<u8> {
        #[derive(Serialize)]
        struct Document<C, S, O> {
            format: u32,
            seq: u64,
            cognito: C,
            ses: S,
            outbox: O,
        }
        let doc = Document {
            format: FORMAT,
            seq,
            cognito: self.cognito.export(),
            ses: self.ses.export(),
            outbox: self.outbox.export(),
        };
        serde_json::to_vec(&doc).unwrap_or_default()
    }

    /// How much the state holds.
    pub fn counts(&self) -> Counts {
        let (pools, users) = self.cognito.counts();
        Counts {
            pools,
            users,
            mails: self.outbox.len(),
        }
    }

    /// Replaces the whole state with `snapshot`; with a state directory, the new state
    /// is durable when this returns.
    pub fn import(&self, snapshot: Snapshot) -> Result<Counts, ImportError> {
        snapshot.check()?;
        self.reset(None).map_err(ImportError::NotDurable)?;
        self.take_in(snapshot)?;
        if let Some(journal) = self.cognito.journal() {
            self.cognito.journal_everything();
            self.ses.journal_everything();
            self.outbox.journal_everything();
            journal.wait_mine().map_err(ImportError::NotDurable)?;
        }
        Ok(self.counts())
    }

    /// Takes in `snapshot` without journaling it (the state is expected to be empty).
    fn take_in(&self, snapshot: Snapshot) -> Result<(), ImportError> {
        self.cognito.restore(snapshot.cognito)?;
        self.ses.restore(snapshot.ses);
        self.outbox.restore(snapshot.outbox);
        Ok(())
    }

    /// Rebuilds the state a directory held: its snapshot, then its journal's changes.
    pub fn recover(&self, recovered: dir::Recovered) -> Result<(), ImportError> {
        if let Some(snapshot) = recovered.snapshot {
            self.take_in(snapshot)?;
        }
        // A snapshot taken while the emulator ran may hold mails whose records follow it.
        let mut mails: HashSet<String> = self.outbox.all().into_iter().map(|m| m.id).collect();
        for change in recovered.changes {
            self.apply(change, &mut mails);
        }
        Ok(())
    }

    /// Applies one journal record; `mails` are the ids of the mails there already.
    fn apply(&self, change: Change, mails: &mut HashSet<String>) {
        match change {
            Change::Ses { identities } => self.ses.restore(identities),
            Change::Mail { mail } => {
                if mails.insert(mail.id.clone()) {
                    self.outbox.push(mail);
                }
            }
            Change::MailsDeleted { filter } => {
                self.outbox.clear(&filter);
            }
            Change::Reset { region } => {
                self.cognito.apply(Change::Reset {
                    region: region.clone(),
                });
                self.reset_services(region.as_deref());
            }
            cognito => self.cognito.apply(cognito),
        }
    }

    /// Empties the emulator, or one region of it (`POST /_emulator/reset`); returns how
    /// many mails went. Journaled, and durable when this returns.
    pub fn reset(&self, region: Option<&str>) -> Result<usize, NotDurable> {
        self.cognito.journal_change(&ChangeRef::Reset { region });
        self.cognito.reset(region);
        let mails = self.reset_services(region);
        self.cognito.settle()?;
        Ok(mails)
    }

    fn reset_services(&self, region: Option<&str>) -> usize {
        self.ses.reset(region);
        match region {
            Some(r) => self.outbox.clear_region(r),
            None => self.outbox.clear_all(),
        }
    }
}
