//! A real inbox on AWS: SES receives mail for a test subdomain and, through a receipt
//! rule's SNS action, drops each message (raw MIME included) into an SQS queue
//! (`infra/aws/inbox.yaml`). This reader drains the queue into memory, keeps the
//! messages addressed to this run (the run id is in every scenario's address), deletes
//! those from the queue, and hands others straight back for the runs they belong to.

use aws_sdk_sqs::Client;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::Value;
use tokio::sync::Mutex;

use super::{same_address, MailSummary, Mailbox, MailboxError, MailboxFuture, RawMail};

/// Reads an SQS queue fed by SES (through SNS).
pub struct SqsMailbox {
    client: Client,
    queue_url: String,
    marker: String,
    held: Mutex<Vec<RawMail>>,
}

impl std::fmt::Debug for SqsMailbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqsMailbox")
            .field("queue_url", &self.queue_url)
            .finish_non_exhaustive()
    }
}

/// One SES notification, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// SES's message id.
    pub id: String,
    /// Who SES received it for (the rule's recipients), else the message's destination.
    pub recipients: Vec<String>,
    /// The raw RFC 5322 message.
    pub raw: String,
}

/// Reads an SQS message body: an SNS envelope (`{"Type": "Notification", "Message": ...}`)
/// around SES's notification, or SES's notification itself (raw message delivery).
/// `None` for anything else, or a notification without content.
pub fn parse_notification(body: &str) -> Option<Received> {
    let outer: Value = serde_json::from_str(body).ok()?;
    let ses: Value = match outer.get("Type").and_then(Value::as_str) {
        Some("Notification") => serde_json::from_str(outer.get("Message")?.as_str()?).ok()?,
        _ => outer,
    };
    if ses.get("notificationType").and_then(Value::as_str) != Some("Received") {
        return None;
    }
    let content = ses.get("content")?.as_str()?;
    let encoding = ses
        .pointer("/receipt/action/encoding")
        .and_then(Value::as_str)
        .unwrap_or("UTF8");
    let raw = if encoding.eq_ignore_ascii_case("BASE64") {
        String::from_utf8_lossy(&STANDARD.decode(content.trim()).ok()?).into_owned()
    } else {
        content.to_owned()
    };
    let list = |pointer: &str| -> Vec<String> {
        ses.pointer(pointer)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut recipients = list("/receipt/recipients");
    if recipients.is_empty() {
        recipients = list("/mail/destination");
    }
    Some(Received {
        id: ses
            .pointer("/mail/messageId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        recipients,
        raw,
    })
}

impl SqsMailbox {
    /// A reader of `queue_url` that keeps messages whose recipients contain `marker`
    /// (the run id).
    pub fn new(client: Client, queue_url: impl Into<String>, marker: impl Into<String>) -> Self {
        Self {
            client,
            queue_url: queue_url.into(),
            marker: marker.into(),
            held: Mutex::default(),
        }
    }

    fn error(&self, reason: impl std::fmt::Display) -> MailboxError {
        MailboxError::Http {
            mailbox: self.describe(),
            url: self.queue_url.clone(),
            reason: reason.to_string(),
        }
    }

    /// Moves what the queue holds for this run into memory. One drain at a time: the
    /// lock is held across the calls so concurrent scenarios do not race for messages.
    async fn drain(&self) -> Result<tokio::sync::MutexGuard<'_, Vec<RawMail>>, MailboxError> {
        let mut held = self.held.lock().await;
        for _ in 0..10 {
            let out = self
                .client
                .receive_message()
                .queue_url(&self.queue_url)
                .max_number_of_messages(10)
                .visibility_timeout(30)
                .wait_time_seconds(0)
                .send()
                .await
                .map_err(|e| self.error(aws_sdk_sqs::error::DisplayErrorContext(e)))?;
            let messages = out.messages();
            if messages.is_empty() {
                break;
            }
            for message in messages {
                let handle = message.receipt_handle().unwrap_or_default();
                let received = message.body().and_then(parse_notification);
                let ours = received
                    .as_ref()
                    .is_some_and(|r| r.recipients.iter().any(|a| a.contains(&self.marker)));
                if let (true, Some(r)) = (ours, received) {
                    held.push(RawMail {
                        subject: crate::mail::subject(r.raw.as_bytes()).ok().flatten(),
                        id: r.id,
                        to: r.recipients,
                        raw: r.raw.into_bytes(),
                    });
                    self.client
                        .delete_message()
                        .queue_url(&self.queue_url)
                        .receipt_handle(handle)
                        .send()
                        .await
                        .map_err(|e| self.error(aws_sdk_sqs::error::DisplayErrorContext(e)))?;
                } else {
                    // Another run's mail (or not mail at all): visible again at once.
                    self.client
                        .change_message_visibility()
                        .queue_url(&self.queue_url)
                        .receipt_handle(handle)
                        .visibility_timeout(0)
                        .send()
                        .await
                        .map_err(|e| self.error(aws_sdk_sqs::error::DisplayErrorContext(e)))?;
                }
            }
        }
        Ok(held)
    }
}

impl Mailbox for SqsMailbox {
    fn describe(&self) -> String {
        format!("SQS inbox {}", self.queue_url)
    }

    fn messages_to<'a>(&'a self, address: &'a str) -> MailboxFuture<'a, Vec<RawMail>> {
        Box::pin(async move {
            let held = self.drain().await?;
            Ok(held
                .iter()
                .filter(|m| m.to.iter().any(|to| same_address(to, address)))
                .cloned()
                .collect())
        })
    }

    fn summary(&self) -> MailboxFuture<'_, Vec<MailSummary>> {
        Box::pin(async move {
            let held = self.held.lock().await;
            Ok(held.iter().map(MailSummary::from).collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ses_json(recipients: &[&str], raw: &str) -> Value {
        serde_json::json!({
            "notificationType": "Received",
            "mail": {"messageId": "m1", "destination": recipients, "source": "no-reply@verificationemail.com"},
            "receipt": {"recipients": recipients, "action": {"type": "SNS", "encoding": "UTF8"}},
            "content": raw,
        })
    }

    #[test]
    fn reads_an_sns_envelope_and_raw_delivery() {
        let ses = ses_json(&["a@e2e.example.com"], "Subject: x\r\n\r\nbody");
        let envelope = serde_json::json!({"Type": "Notification", "Message": ses.to_string()});
        for body in [envelope.to_string(), ses.to_string()] {
            let r = parse_notification(&body).unwrap();
            assert_eq!(r.recipients, ["a@e2e.example.com"]);
            assert_eq!(r.raw, "Subject: x\r\n\r\nbody");
            assert_eq!(r.id, "m1");
        }
    }

    #[test]
    fn decodes_base64_content() {
        let mut ses = ses_json(&["a@x.com"], &STANDARD.encode("Subject: y\r\n\r\nz"));
        ses["receipt"]["action"]["encoding"] = "BASE64".into();
        assert_eq!(
            parse_notification(&ses.to_string()).unwrap().raw,
            "Subject: y\r\n\r\nz"
        );
    }

    #[test]
    fn ignores_what_is_not_received_mail() {
        for body in [
            "not json",
            r#"{"Type":"SubscriptionConfirmation"}"#,
            r#"{"notificationType":"Bounce"}"#,
        ] {
            assert_eq!(parse_notification(body), None);
        }
    }
}
