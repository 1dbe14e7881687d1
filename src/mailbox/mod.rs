//! Where the harness reads the mail a user pool sends.
//!
//! A [`Mailbox`] lists the raw messages held for a recipient; [`wait_for_mail`]
//! polls it until a new one arrives. Implementations:
//!
//! - [`embedded::EmbeddedMailbox`]: the embedded emulator's outbox, read in process
//!   (`--mailbox outbox` on the embedded target);
//! - [`OutboxMailbox`]: a LocalStack-style SES outbox (`GET /_aws/ses`), as
//!   served by LocalStack and by the emulator (`--mailbox outbox` on the endpoint and
//!   container targets);
//! - [`MailpitMailbox`]: a Mailpit SMTP catcher, through its HTTP API
//!   (`--mailbox mailpit:URL`);
//! - `sqs::SqsMailbox` (feature `aws`): a real inbox, an SQS queue that SES receiving
//!   fills through SNS (`--mailbox sqs:URL` on the aws target);
//! - [`NoMailbox`]: no mailbox at all (`--mailbox none`, and any combination that
//!   cannot be read, such as an outbox on AWS).

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::time::Instant;

pub mod embedded;
pub mod mailpit;
pub mod none;
pub mod outbox;
#[cfg(feature = "aws")]
pub mod sqs;
#[cfg(test)]
pub(crate) mod test_server;

pub use mailpit::MailpitMailbox;
pub use none::NoMailbox;
pub use outbox::{raw_mail_from_json, OutboxMailbox};

/// First pause between two polls of [`wait_for_mail`].
pub const FIRST_POLL_DELAY: Duration = Duration::from_millis(20);
/// Longest pause between two polls of [`wait_for_mail`].
pub const MAX_POLL_DELAY: Duration = Duration::from_millis(500);
/// How long one poll of [`wait_for_mail`] may run past the deadline before
/// the wait gives up on it (a mailbox that hangs).
pub const POLL_GRACE: Duration = Duration::from_secs(1);
/// How long [`wait_for_mail`] waits for [`Mailbox::summary`] after a timeout.
const SUMMARY_TIMEOUT: Duration = Duration::from_secs(2);

/// The future a [`Mailbox`] method returns.
pub type MailboxFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, MailboxError>> + Send + 'a>>;

/// One message as the mailbox holds it.
#[derive(Clone, PartialEq, Eq)]
pub struct RawMail {
    /// The mailbox's id for the message.
    pub id: String,
    /// Its recipients (To, and Cc/Bcc where the mailbox knows them).
    pub to: Vec<String>,
    /// Its subject, decoded, if any.
    pub subject: Option<String>,
    /// The RFC 5322 message, for [`crate::mail`].
    pub raw: Vec<u8>,
}

impl std::fmt::Debug for RawMail {
    // The raw message holds codes and passwords: show only its size.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawMail")
            .field("id", &self.id)
            .field("to", &self.to)
            .field(
                "subject",
                &self.subject.as_deref().map(crate::mail::redact_codes),
            )
            .field("raw", &format_args!("<{} bytes>", self.raw.len()))
            .finish()
    }
}

/// Recipients and subject of a message, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSummary {
    /// Its recipients.
    pub to: Vec<String>,
    /// Its subject, decoded, if any.
    pub subject: Option<String>,
}

impl From<&RawMail> for MailSummary {
    fn from(mail: &RawMail) -> Self {
        MailSummary {
            to: mail.to.clone(),
            subject: mail.subject.clone(),
        }
    }
}

impl std::fmt::Display for MailSummary {
    /// `to a@x, b@x: "Subject"`, with code-like text of the subject masked.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let subject = self.subject.as_deref().map_or_else(
            || "(no subject)".to_string(),
            |s| format!("{:?}", crate::mail::redact_codes(s)),
        );
        write!(f, "to {}: {subject}", self.to.join(", "))
    }
}

/// Why mail could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    /// This mailbox cannot receive mail at all.
    #[error("no mail can be read: {reason}")]
    Unavailable {
        /// Why, and what to configure instead.
        reason: String,
    },
    /// The mailbox's HTTP API could not be reached or answered with an error.
    #[error("{mailbox}: request to {url} failed: {reason}")]
    Http {
        /// [`Mailbox::describe`].
        mailbox: String,
        /// The URL requested.
        url: String,
        /// Transport error or HTTP status.
        reason: String,
    },
    /// The mailbox answered something this reader does not understand.
    #[error("{mailbox}: unexpected answer from {url}: {reason}")]
    BadResponse {
        /// [`Mailbox::describe`].
        mailbox: String,
        /// The URL requested.
        url: String,
        /// What did not parse.
        reason: String,
    },
    /// No new message arrived in time.
    #[error(
        "no new mail to {address} within {waited:?} in {mailbox} (waited for more than {after} \
         message(s) to it){}; {}",
        last_error.as_deref().map(|e| format!(", last poll failed: {e}")).unwrap_or_default(),
        seen_list(seen)
    )]
    Timeout {
        /// The recipient waited for.
        address: String,
        /// How long it waited.
        waited: Duration,
        /// The number of messages to `address` already seen before waiting.
        after: usize,
        /// [`Mailbox::describe`].
        mailbox: String,
        /// What the mailbox held (all of it when it can list everything,
        /// otherwise the messages to `address`), as `to ...: "subject"` with
        /// code-like text masked.
        seen: Vec<String>,
        /// The error of the last poll, if the last poll failed.
        last_error: Option<String>,
    },
}

fn seen_list(seen: &[String]) -> String {
    if seen.is_empty() {
        "the mailbox held no messages".to_string()
    } else {
        format!(
            "the mailbox held {} message(s): [{}]",
            seen.len(),
            seen.join("; ")
        )
    }
}

/// A place the harness reads mail from.
pub trait Mailbox: Send + Sync {
    /// A short name for reports: "the embedded emulator's outbox", "outbox http://..",
    /// "mailpit http://..", "SQS inbox https://..", "none".
    fn describe(&self) -> String;

    /// Messages currently held for `address` (a recipient), oldest first.
    fn messages_to<'a>(&'a self, address: &'a str) -> MailboxFuture<'a, Vec<RawMail>>;

    /// Whether this mailbox can receive at all (false for `none`).
    fn can_receive(&self) -> bool {
        true
    }

    /// Recipients and subjects of everything the mailbox holds, oldest first,
    /// for error reports. The default lists nothing (not every mailbox can
    /// list all messages cheaply).
    fn summary(&self) -> MailboxFuture<'_, Vec<MailSummary>> {
        Box::pin(async { Ok(Vec::new()) })
    }
}

/// Whether two addresses are the same mailbox: compared case-insensitively,
/// ignoring a display name (`Alice <alice@x>`) and surrounding whitespace.
pub fn same_address(a: &str, b: &str) -> bool {
    bare_address(a).eq_ignore_ascii_case(bare_address(b))
}

fn bare_address(address: &str) -> &str {
    let address = address.trim();
    match (address.rfind('<'), address.rfind('>')) {
        (Some(open), Some(close)) if open < close => address[open + 1..close].trim(),
        _ => address,
    }
}

/// Waits until `mailbox` holds more than `after` messages to `address`, and
/// returns the newest.
///
/// `after` is the number of messages to `address` already seen (count them
/// with [`Mailbox::messages_to`] before triggering the mail). Polls with
/// exponential backoff, from [`FIRST_POLL_DELAY`] doubling up to
/// [`MAX_POLL_DELAY`], with one last poll at the deadline; a poll that hangs
/// is abandoned [`POLL_GRACE`] after the deadline. A failed poll is
/// retried (a server may be starting) and reported in the timeout error;
/// [`MailboxError::Unavailable`] fails at once.
///
/// # Errors
/// [`MailboxError::Unavailable`] for a mailbox that cannot receive, and
/// [`MailboxError::Timeout`] (listing what the mailbox held) when no new
/// message arrived in time.
pub async fn wait_for_mail(
    mailbox: &dyn Mailbox,
    address: &str,
    after: usize,
    timeout: Duration,
) -> Result<RawMail, MailboxError> {
    if !mailbox.can_receive() {
        // Its own error says why (NoMailbox names the setting that chose it).
        return match mailbox.messages_to(address).await {
            Err(e @ MailboxError::Unavailable { .. }) => Err(e),
            _ => Err(MailboxError::Unavailable {
                reason: format!(
                    "mailbox {} cannot receive mail, so no mail to {address} can arrive",
                    mailbox.describe()
                ),
            }),
        };
    }
    let start = Instant::now();
    let deadline = start + timeout;
    let mut delay = FIRST_POLL_DELAY;
    let mut last_seen: Vec<MailSummary> = Vec::new();
    let mut last_error: Option<String>;
    loop {
        // A hung request must not hold the wait much past its deadline.
        match tokio::time::timeout_at(deadline + POLL_GRACE, mailbox.messages_to(address)).await {
            Ok(Ok(mut messages)) => {
                if messages.len() > after {
                    if let Some(newest) = messages.pop() {
                        return Ok(newest);
                    }
                }
                last_seen = messages.iter().map(MailSummary::from).collect();
                last_error = None;
            }
            Ok(Err(e @ MailboxError::Unavailable { .. })) => return Err(e),
            Ok(Err(e)) => last_error = Some(e.to_string()),
            Err(_elapsed) => {
                last_error = Some(format!(
                    "a poll was still unanswered {POLL_GRACE:?} after the deadline"
                ));
                break;
            }
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        tokio::time::sleep(delay.min(deadline - now)).await;
        delay = (delay * 2).min(MAX_POLL_DELAY);
    }
    // Everything the mailbox holds says more (a typo in the address, mail to
    // another user) than the messages to this address alone.
    let everything = match tokio::time::timeout(SUMMARY_TIMEOUT, mailbox.summary()).await {
        Ok(Ok(all)) if !all.is_empty() => all,
        _ => last_seen,
    };
    Err(MailboxError::Timeout {
        address: address.to_string(),
        waited: start.elapsed(),
        after,
        mailbox: mailbox.describe(),
        seen: everything.iter().map(ToString::to_string).collect(),
        last_error,
    })
}

/// GETs `url` and returns the body; non-2xx statuses are errors.
async fn http_get(
    client: &reqwest::Client,
    mailbox: &dyn Mailbox,
    url: &str,
) -> Result<Vec<u8>, MailboxError> {
    crate::http::get_bytes(client, url)
        .await
        .map_err(|reason| MailboxError::Http {
            mailbox: mailbox.describe(),
            url: url.to_string(),
            reason,
        })
}

/// GETs `url` and parses the JSON body as `T`.
async fn http_get_json<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    mailbox: &dyn Mailbox,
    url: &str,
) -> Result<T, MailboxError> {
    let body = http_get(client, mailbox, url).await?;
    serde_json::from_slice(&body).map_err(|e| MailboxError::BadResponse {
        mailbox: mailbox.describe(),
        url: url.to_string(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    /// A mailbox whose contents the test sets.
    struct Fake {
        mails: Arc<Mutex<Vec<RawMail>>>,
        polls: AtomicUsize,
    }

    impl Mailbox for Fake {
        fn describe(&self) -> String {
            "fake".into()
        }
        fn messages_to<'a>(&'a self, address: &'a str) -> MailboxFuture<'a, Vec<RawMail>> {
            self.polls.fetch_add(1, Ordering::SeqCst);
            let mails = self.mails.lock().expect("lock").clone();
            Box::pin(async move {
                Ok(mails
                    .into_iter()
                    .filter(|m| m.to.iter().any(|t| same_address(t, address)))
                    .collect())
            })
        }
    }

    fn mail(id: &str, to: &str, subject: &str) -> RawMail {
        RawMail {
            id: id.into(),
            to: vec![to.into()],
            subject: Some(subject.into()),
            raw: b"Subject: x\r\n\r\nYour code is 123456".to_vec(),
        }
    }

    #[test]
    fn addresses_compare_loosely() {
        assert!(same_address("Alice@Example.com", " alice@example.COM "));
        assert!(same_address(
            "Alice <alice@example.com>",
            "alice@example.com"
        ));
        assert!(!same_address("alice@example.com", "malice@example.com"));
    }

    #[test]
    fn raw_mail_debug_hides_the_body() {
        let shown = format!("{:?}", mail("1", "a@x", "Code 654321"));
        assert!(
            !shown.contains("123456") && !shown.contains("654321"),
            "{shown}"
        );
        assert!(shown.contains("bytes"));
    }

    #[tokio::test]
    async fn returns_newest_beyond_after() {
        let fake = Fake {
            mails: Arc::new(Mutex::new(vec![
                mail("1", "a@x", "one"),
                mail("2", "b@x", "other"),
                mail("3", "A@X", "two"),
            ])),
            polls: AtomicUsize::new(0),
        };
        let got = wait_for_mail(&fake, "a@x", 1, Duration::from_secs(1))
            .await
            .expect("mail");
        assert_eq!(got.id, "3");
        assert_eq!(fake.polls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn backoff_until_the_mail_arrives() {
        let mails = Arc::new(Mutex::new(Vec::new()));
        let fake = Fake {
            mails: mails.clone(),
            polls: AtomicUsize::new(0),
        };
        let later = mails.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            later.lock().expect("lock").push(mail("9", "a@x", "late"));
        });
        let start = std::time::Instant::now();
        let got = wait_for_mail(&fake, "a@x", 0, Duration::from_secs(5))
            .await
            .expect("mail");
        assert_eq!(got.id, "9");
        assert!(start.elapsed() >= Duration::from_millis(300));
        // 20+40+80+160 ms reach 300 ms at the 5th or 6th poll; a fixed 20 ms
        // period would poll 15 times.
        let polls = fake.polls.load(Ordering::SeqCst);
        assert!((4..=8).contains(&polls), "{polls} polls");
    }

    struct Hangs;

    impl Mailbox for Hangs {
        fn describe(&self) -> String {
            "hangs".into()
        }
        fn messages_to<'a>(&'a self, _: &'a str) -> MailboxFuture<'a, Vec<RawMail>> {
            Box::pin(std::future::pending())
        }
    }

    #[tokio::test]
    async fn a_hanging_poll_is_abandoned_after_the_grace() {
        let start = std::time::Instant::now();
        let err = wait_for_mail(&Hangs, "a@x", 0, Duration::from_millis(50))
            .await
            .unwrap_err();
        let waited = start.elapsed();
        assert!(
            waited >= POLL_GRACE && waited < POLL_GRACE * 3,
            "{waited:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("unanswered") && text.contains("hangs"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn unavailable_fails_at_once() {
        let err = wait_for_mail(
            &NoMailbox::new("--mailbox none"),
            "a@x",
            0,
            Duration::from_secs(10),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, MailboxError::Unavailable { .. }), "{err}");
        assert!(err.to_string().contains("--mailbox none"), "{err}");
    }
}
