//! The optional SMTP relay: every mail also goes to an SMTP server, so a person can read
//! it in a mail UI (Mailpit, MailHog). Plain SMTP, no TLS or auth: such servers run
//! beside the emulator on a private network.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::mailer::{MailRelay, OutgoingMail};

/// Forwards mail to `host:port` by SMTP.
#[derive(Clone)]
pub struct SmtpRelay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    target: String,
    // The first failure is a warning; later ones are debug lines, so a relay that is
    // simply not running (compose without the mail-ui profile) does not flood the log.
    warned: Arc<AtomicBool>,
}

impl SmtpRelay {
    /// A relay to `host:port` (no connection is made until the first mail).
    pub fn new(host: &str, port: u16) -> Self {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .build();
        Self {
            transport,
            target: format!("{host}:{port}"),
            warned: Arc::default(),
        }
    }
}

impl MailRelay for SmtpRelay {
    fn relay(&self, mail: &OutgoingMail) {
        let d = &mail.destination;
        let recipients = d
            .to_addresses
            .iter()
            .chain(&d.cc_addresses)
            .chain(&d.bcc_addresses)
            .filter_map(|a| a.parse().ok())
            .collect::<Vec<_>>();
        let envelope = match Envelope::new(mail.source.parse().ok(), recipients) {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "mail not relayed: no usable envelope");
                return;
            }
        };
        let transport = self.transport.clone();
        let target = self.target.clone();
        let warned = self.warned.clone();
        let raw = mail.raw.clone().into_bytes();
        // Sending is done in the background: the API call that caused the mail answers
        // at once, as AWS does.
        tokio::spawn(async move {
            if let Err(e) = transport.send_raw(&envelope, &raw).await {
                if warned.swap(true, Ordering::Relaxed) {
                    tracing::debug!(relay = %target, error = %e, "mail not relayed");
                } else {
                    tracing::warn!(relay = %target, error = %e, "mail not relayed (further failures are logged at debug level); the outbox still has it");
                }
            }
        });
    }
}
