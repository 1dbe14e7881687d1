//! The embedded emulator's outbox, read directly through the library handle: no HTTP.

use cognito_emulator::Outbox;

use super::{MailSummary, Mailbox, MailboxFuture, RawMail};

/// Reads the in-process emulator's outbox.
#[derive(Debug, Clone)]
pub struct EmbeddedMailbox {
    outbox: Outbox,
}

impl EmbeddedMailbox {
    /// A mailbox over `outbox`.
    pub fn new(outbox: Outbox) -> Self {
        Self { outbox }
    }
}

fn to_raw(m: cognito_emulator::OutboxMessage) -> RawMail {
    let d = m.destination;
    RawMail {
        id: m.id,
        to: d
            .to_addresses
            .into_iter()
            .chain(d.cc_addresses)
            .chain(d.bcc_addresses)
            .collect(),
        subject: m.subject,
        raw: m.raw_data.into_bytes(),
    }
}

impl Mailbox for EmbeddedMailbox {
    fn describe(&self) -> String {
        "the embedded emulator's outbox".to_owned()
    }

    fn messages_to<'a>(&'a self, address: &'a str) -> MailboxFuture<'a, Vec<RawMail>> {
        let messages = self.outbox.to(address).into_iter().map(to_raw).collect();
        Box::pin(async move { Ok(messages) })
    }

    fn summary(&self) -> MailboxFuture<'_, Vec<MailSummary>> {
        let all = self
            .outbox
            .all()
            .into_iter()
            .map(|m| MailSummary::from(&to_raw(m)))
            .collect();
        Box::pin(async move { Ok(all) })
    }
}
