//! Every mail the emulator sends — Cognito's codes and invitations, SES `SendEmail` and
//! `SendRawEmail` — is kept here, so tests (and people) can read it. `GET /_aws/ses`
//! serves it in LocalStack's shape, which lets tools written for LocalStack read ours.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

use serde::{Deserialize, Serialize};

use crate::state::change::ChangeRef;
use crate::state::journal::Journal;
use crate::state::snapshot::OutboxSnapshot;

/// One sent message, in the shape LocalStack's `/_aws/ses` endpoint uses.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct OutboxMessage {
    /// The SES message id.
    pub id: String,
    /// The region that sent it.
    pub region: String,
    /// The sender's address (envelope from).
    pub source: String,
    /// Where it went.
    pub destination: Destination,
    /// The decoded subject.
    pub subject: Option<String>,
    /// The decoded bodies.
    pub body: Body,
    /// The whole RFC 5322 message, as sent.
    pub raw_data: String,
    /// When it was sent, ISO 8601 in UTC.
    pub timestamp: String,
}

/// The recipients of an [`OutboxMessage`].
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Destination {
    /// `To:` recipients (for raw mail: every envelope recipient).
    pub to_addresses: Vec<String>,
    /// `Cc:` recipients, when any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cc_addresses: Vec<String>,
    /// `Bcc:` recipients, when any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bcc_addresses: Vec<String>,
}

/// The text and HTML bodies of an [`OutboxMessage`]; either may be absent.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Body {
    /// The `text/plain` part.
    pub text_part: Option<String>,
    /// The `text/html` part.
    pub html_part: Option<String>,
}

/// Which messages to read. All set fields must match.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OutboxFilter {
    /// The message id.
    pub id: Option<String>,
    /// The sender's address, as LocalStack's `email` filter matches it.
    pub email: Option<String>,
    /// A recipient's address (an extension of ours: any of To, Cc, Bcc).
    pub to: Option<String>,
}

impl OutboxFilter {
    fn matches(&self, m: &OutboxMessage) -> bool {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        self.id.as_deref().is_none_or(|id| m.id == id)
            && self.email.as_deref().is_none_or(|e| same(&m.source, e))
            && self.to.as_deref().is_none_or(|to| {
                let d = &m.destination;
                d.to_addresses
                    .iter()
                    .chain(&d.cc_addresses)
                    .chain(&d.bcc_addresses)
                    .any(|a| same(a, to))
            })
    }
}

/// How many mails an outbox keeps unless told otherwise.
pub const DEFAULT_LIMIT: usize = 10_000;

/// The shared list of sent messages, the oldest dropped first once it holds its limit.
/// Cloning gives another handle to the same list.
#[derive(Debug, Clone)]
pub struct Outbox {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    messages: RwLock<VecDeque<OutboxMessage>>,
    limit: usize,
    dropped: AtomicU64,
    /// Where sent and deleted mails are journaled, with `--state-dir`.
    journal: OnceLock<Journal>,
}

impl Default for Outbox {
    fn default() -> Self {
        Self::with_limit(DEFAULT_LIMIT)
    }
}

impl Outbox {
    /// An empty outbox that keeps [`DEFAULT_LIMIT`] mails.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty outbox that keeps at most `limit` mails (at least one): a long-lived
    /// emulator's memory stays bounded.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                messages: RwLock::default(),
                limit: limit.max(1),
                dropped: AtomicU64::new(0),
                journal: OnceLock::new(),
            }),
        }
    }

    /// Keeps a sent message, dropping the oldest when the outbox is full.
    pub fn push(&self, message: OutboxMessage) {
        let mut messages = self.write();
        if let Some(j) = self.inner.journal.get() {
            j.append(&ChangeRef::Mail { mail: &message }.to_bytes());
        }
        while messages.len() >= self.inner.limit {
            messages.pop_front();
            self.inner.dropped.fetch_add(1, Ordering::Relaxed);
        }
        messages.push_back(message);
    }

    /// Journals every mail sent and deleted from now on.
    pub fn attach_journal(&self, journal: Journal) {
        let _ = self.inner.journal.set(journal);
    }

    /// How many mails it holds.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    /// Whether it holds no mail.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }

    /// Deletes every mail; returns how many went.
    pub fn clear_all(&self) -> usize {
        let mut messages = self.write();
        let n = messages.len();
        messages.clear();
        n
    }

    /// The mails and the dropped count, for a snapshot (written under the lock).
    pub fn export(&self) -> impl Serialize + '_ {
        struct Export<'a>(&'a Outbox);
        impl Serialize for Export<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                let messages = self.0.read();
                let mut st = s.serialize_struct("Outbox", 2)?;
                st.serialize_field("mails", &*messages)?;
                st.serialize_field("dropped", &self.0.dropped())?;
                st.end()
            }
        }
        Export(self)
    }

    /// Replaces the mails with those of a snapshot.
    pub fn restore(&self, snapshot: OutboxSnapshot) {
        let mut messages = self.write();
        messages.clear();
        messages.extend(snapshot.mails);
        while messages.len() > self.inner.limit {
            messages.pop_front();
        }
        self.inner
            .dropped
            .store(snapshot.dropped, Ordering::Relaxed);
    }

    /// Journals every mail held (after an import).
    pub(crate) fn journal_everything(&self) {
        if let Some(j) = self.inner.journal.get() {
            for message in self.read().iter() {
                j.append(&ChangeRef::Mail { mail: message }.to_bytes());
            }
        }
    }

    /// How many mails were dropped to keep within the limit.
    pub fn dropped(&self) -> u64 {
        self.inner.dropped.load(Ordering::Relaxed)
    }

    /// Deletes the mails sent in `region`; returns how many went.
    pub fn clear_region(&self, region: &str) -> usize {
        let mut messages = self.write();
        let before = messages.len();
        messages.retain(|m| m.region != region);
        before - messages.len()
    }

    /// The messages that match `filter`, oldest first.
    pub fn messages(&self, filter: &OutboxFilter) -> Vec<OutboxMessage> {
        self.read()
            .iter()
            .filter(|m| filter.matches(m))
            .cloned()
            .collect()
    }

    /// Every message, oldest first.
    pub fn all(&self) -> Vec<OutboxMessage> {
        self.messages(&OutboxFilter::default())
    }

    /// The messages sent to `address`, oldest first.
    pub fn to(&self, address: &str) -> Vec<OutboxMessage> {
        self.messages(&OutboxFilter {
            to: Some(address.to_owned()),
            ..OutboxFilter::default()
        })
    }

    /// Deletes the messages that match `filter`; returns how many went.
    pub fn clear(&self, filter: &OutboxFilter) -> usize {
        let mut messages = self.write();
        if let Some(j) = self.inner.journal.get() {
            j.append(&ChangeRef::MailsDeleted { filter }.to_bytes());
        }
        let before = messages.len();
        messages.retain(|m| !filter.matches(m));
        before - messages.len()
    }

    // A panic while holding the lock cannot leave the Vec half-written, so a poisoned
    // lock is still safe to use.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, VecDeque<OutboxMessage>> {
        self.inner
            .messages
            .read()
            .unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, VecDeque<OutboxMessage>> {
        self.inner
            .messages
            .write()
            .unwrap_or_else(|e| e.into_inner())
    }
}
