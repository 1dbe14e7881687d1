//! Amazon SES (API version 2010-12-01): verified identities and sending.
//!
//! The actions implement the trait generated from the model (`api.rs`): they take the
//! generated input types and return the generated outputs or an [`SesError`]; they never
//! see HTTP or XML, which are `protocol::query`'s and the generated codecs' business. Identities are kept per region,
//! as SES keeps them, and a sender must be verified in the region it sends from.

mod address;
mod api;
pub mod error;
pub mod identities;
pub mod send;
mod verification_mail;

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::clock::Clock;
use crate::mailer::Mailer;
use crate::state::change::ChangeRef;
use crate::state::journal::Journal;

pub use api::EMULATED;
pub use error::{SesError, SesResult};

/// The SES service: the identities of every region, and the mailer that sends for them.
pub struct Ses {
    identities: Mutex<identities::IdentityStore>,
    mailer: Mailer,
    clock: Arc<dyn Clock>,
    /// Where changes are journaled, with `--state-dir`.
    journal: OnceLock<Journal>,
}

impl std::fmt::Debug for Ses {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ses")
            .field("mailer", &self.mailer)
            .finish_non_exhaustive()
    }
}

impl Ses {
    /// Forgets the identities of `region`, or of every region (`POST /_emulator/reset`).
    pub fn reset(&self, region: Option<&str>) {
        self.identities
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .reset(region);
    }

    /// An SES with no identities, sending through `mailer` and telling time by `clock`.
    pub fn new(mailer: Mailer, clock: Arc<dyn Clock>) -> Self {
        Self {
            identities: Mutex::new(identities::IdentityStore::default()),
            mailer,
            clock,
            journal: OnceLock::new(),
        }
    }

    /// Journals every change to the identities from now on.
    pub fn attach_journal(&self, journal: Journal) {
        let _ = self.journal.set(journal);
    }

    /// The identities, for a snapshot (written under their lock).
    pub fn export(&self) -> impl serde::Serialize + '_ {
        struct Export<'a>(&'a Ses);
        impl serde::Serialize for Export<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.store().serialize(s)
            }
        }
        Export(self)
    }

    /// Replaces the identities with `store` (an import, or a journal record).
    pub fn restore(&self, store: identities::IdentityStore) {
        *self.store() = store;
    }

    /// Journals the whole store (after an import).
    pub(crate) fn journal_everything(&self) {
        self.change(|_| ());
    }

    /// Changes the identities with `f`, journaling the result; with a state directory,
    /// waits until it is durable (a failure shows in the HTTP layer's own wait).
    fn change<R>(&self, f: impl FnOnce(&mut identities::IdentityStore) -> R) -> R {
        let out = {
            let mut store = self.store();
            let out = f(&mut store);
            if let Some(j) = self.journal.get() {
                j.append(&ChangeRef::Ses { identities: &store }.to_bytes());
            }
            out
        };
        if let Some(j) = self.journal.get() {
            let _ = j.wait_mine();
        }
        out
    }

    /// Called when someone follows the verification link that `VerifyEmailIdentity` mailed.
    /// Marks the identity verified ("Success"); returns false for an unknown or expired
    /// token, or one whose identity has been deleted since.
    ///
    /// A domain's `VerificationToken` is accepted too: the emulator cannot see DNS, so
    /// presenting the token stands in for publishing the TXT record.
    pub fn confirm_verification(&self, token: &str) -> bool {
        let now = self.clock.now();
        self.change(|s| s.confirm(token, now))
    }

    /// Whether `address` may send from `region`: it, or its domain, is a verified
    /// identity there. Cognito asks this of a pool's `SourceArn`.
    pub fn is_verified_sender(&self, region: &str, address: &str) -> bool {
        let now = self.clock.now();
        self.store().is_verified_sender(region, address, now)
    }

    /// The mailer SES sends through.
    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    // A panic while holding the lock leaves the maps whole (every update is a single
    // insert or field write), so a poisoned lock is still safe to use.
    fn store(&self) -> MutexGuard<'_, identities::IdentityStore> {
        self.identities.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Shared set-up for the tests of SES and of its wire protocol.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::Arc;

    use super::*;
    use crate::clock::ManualClock;
    use crate::context::RequestContext;
    use crate::outbox::Outbox;

    /// The base URL verification links are built on in tests.
    pub(crate) const BASE: &str = "http://127.0.0.1:4566";

    /// An SES with no identities, its outbox, and the clock it reads.
    pub(crate) fn ses() -> (Ses, Outbox, ManualClock) {
        let clock = ManualClock::new(1_700_000_000_000);
        let outbox = Outbox::new();
        let mailer = Mailer::new(outbox.clone(), None, Arc::new(clock.clone()));
        (Ses::new(mailer, Arc::new(clock.clone())), outbox, clock)
    }

    /// A request served in `region`.
    pub(crate) fn ctx(region: &str) -> RequestContext {
        RequestContext::new(region, "000000000000").with_endpoint(BASE)
    }

    /// `input`, once it passes the model's validation, as the protocol layer checks it
    /// before any action runs.
    pub(crate) fn checked<I: crate::shape::Validate>(input: I) -> SesResult<I> {
        input.validate().map_err(|v| SesError::validation(&v))?;
        Ok(input)
    }

    /// The token of the newest verification link mailed to `addr`.
    pub(crate) fn mailed_token(outbox: &Outbox, addr: &str) -> String {
        let mail = outbox.to(addr).pop().expect("a verification mail");
        let body = mail.body.text_part.expect("a text body");
        let prefix = format!("{BASE}/_aws/ses/verify?token=");
        body.lines()
            .find_map(|l| l.trim().strip_prefix(&prefix))
            .expect("the link on its own line")
            .to_owned()
    }

    /// Verifies `addr` in `region` the way a person would: by following the mailed link.
    pub(crate) fn verify_by_link(ses: &Ses, outbox: &Outbox, region: &str, addr: &str) {
        ses.verify_email(&ctx(region), addr)
            .expect("verification starts");
        assert!(ses.confirm_verification(&mailed_token(outbox, addr)));
    }

    /// An SES where `addr` is verified in `region`.
    pub(crate) fn verified_ses(region: &str, addr: &str) -> (Ses, Outbox, ManualClock) {
        let (ses, outbox, clock) = ses();
        verify_by_link(&ses, &outbox, region, addr);
        (ses, outbox, clock)
    }
}
