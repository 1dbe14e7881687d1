//! Delivery of the mail the emulator sends. A message goes to the outbox always, and to
//! an SMTP relay too when one is set (for a mail UI such as Mailpit). Cognito and SES
//! both send through here, so every mail is captured the same way.

use std::sync::Arc;

use mailparse::{MailHeaderMap, ParsedMail};

use crate::clock::Clock;
use crate::outbox::{Body, Destination, Outbox, OutboxMessage};

/// A message ready to send: the envelope and the whole RFC 5322 text.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    /// The region the sending service runs in.
    pub region: String,
    /// The envelope sender.
    pub source: String,
    /// The envelope recipients.
    pub destination: Destination,
    /// The RFC 5322 message.
    pub raw: String,
}

/// Where mail goes after the outbox. Implemented by the SMTP relay; tests may add their own.
pub trait MailRelay: Send + Sync + 'static {
    /// Hands the message on. Failures are logged by the relay, never returned: a mail UI
    /// being down must not fail a sign-up.
    fn relay(&self, mail: &OutgoingMail);
}

/// Sends mail: keeps it in the outbox and hands it to the relay, if any.
#[derive(Clone)]
pub struct Mailer {
    outbox: Outbox,
    relay: Option<Arc<dyn MailRelay>>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("relay", &self.relay.is_some())
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer that keeps mail in `outbox` and forwards it to `relay`.
    pub fn new(outbox: Outbox, relay: Option<Arc<dyn MailRelay>>, clock: Arc<dyn Clock>) -> Self {
        Self {
            outbox,
            relay,
            clock,
        }
    }

    /// The outbox this mailer writes to.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// Sends `mail`; returns its SES message id.
    pub fn send(&self, mail: OutgoingMail) -> String {
        let id = message_id();
        let (subject, body) = summarize(&mail.raw);
        let timestamp = humantime::format_rfc3339_millis(
            std::time::UNIX_EPOCH
                + std::time::Duration::from_millis(self.clock.now_millis().max(0) as u64),
        )
        .to_string();
        tracing::info!(
            message_id = %id,
            source = %mail.source,
            to = ?mail.destination.to_addresses,
            subject = subject.as_deref().unwrap_or(""),
            "mail sent"
        );
        if let Some(relay) = &self.relay {
            relay.relay(&mail);
        }
        self.outbox.push(OutboxMessage {
            id: id.clone(),
            region: mail.region,
            source: mail.source,
            destination: mail.destination,
            subject,
            body,
            raw_data: mail.raw,
            timestamp,
        });
        id
    }
}

/// An id in the shape SES gives (`010001...-uuid-000000`).
fn message_id() -> String {
    format!(
        "0100{:012x}-{}-000000",
        rand::random::<u64>() & 0xffff_ffff_ffff,
        uuid::Uuid::new_v4()
    )
}

/// The decoded subject and bodies of a raw message, for the outbox listing. A message
/// that does not parse is still kept: its raw text is what matters.
fn summarize(raw: &str) -> (Option<String>, Body) {
    let Ok(parsed) = mailparse::parse_mail(raw.as_bytes()) else {
        return (None, Body::default());
    };
    let subject = parsed.headers.get_first_value("Subject");
    let mut body = Body::default();
    collect_bodies(&parsed, &mut body);
    (subject, body)
}

fn collect_bodies(part: &ParsedMail<'_>, body: &mut Body) {
    if !part.subparts.is_empty() {
        for sub in &part.subparts {
            collect_bodies(sub, body);
        }
        return;
    }
    let slot = match part.ctype.mimetype.as_str() {
        "text/plain" => &mut body.text_part,
        "text/html" => &mut body.html_part,
        _ => return,
    };
    if slot.is_none() {
        *slot = part.get_body().ok();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn keeps_subject_and_both_bodies() {
        let raw = mail_builder::MessageBuilder::new()
            .from("a@example.com")
            .to("b@example.com")
            .subject("Hello")
            .text_body("plain 123456")
            .html_body("<b>html</b>")
            .write_to_string()
            .unwrap();
        let outbox = Outbox::new();
        let mailer = Mailer::new(outbox.clone(), None, Arc::new(ManualClock::new(0)));
        let id = mailer.send(OutgoingMail {
            region: "us-east-1".into(),
            source: "a@example.com".into(),
            destination: Destination {
                to_addresses: vec!["b@example.com".into()],
                ..Default::default()
            },
            raw,
        });
        let [m] = outbox.to("b@example.com").try_into().unwrap();
        assert_eq!(m.id, id);
        assert_eq!(m.subject.as_deref(), Some("Hello"));
        assert_eq!(
            m.body.text_part.as_deref().map(str::trim),
            Some("plain 123456")
        );
        assert_eq!(
            m.body.html_part.as_deref().map(str::trim),
            Some("<b>html</b>")
        );
        assert_eq!(m.timestamp, "1970-01-01T00:00:00.000Z");
    }
}
