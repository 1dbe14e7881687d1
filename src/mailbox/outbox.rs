//! A LocalStack-style SES outbox: `GET {base_url}/_aws/ses`.
//!
//! The answer is `{"messages":[{"Id","Region","Source",
//! "Destination":{"ToAddresses":[...]},"Subject","Body":{"text_part",
//! "html_part"},"RawData","Timestamp"}]}`, oldest first. LocalStack and the
//! emulator both serve it.

use base64::Engine as _;
use serde::Deserialize;

use super::{http_get_json, same_address, MailSummary, Mailbox, MailboxFuture, RawMail};

/// Reads an SES outbox over HTTP.
#[derive(Debug, Clone)]
pub struct OutboxMailbox {
    /// The HTTP client (its rustls provider must be installed).
    pub client: reqwest::Client,
    /// Where the outbox is served, e.g. `http://localhost:4566` (no `/_aws/ses`).
    pub base_url: String,
}

impl OutboxMailbox {
    /// An outbox reader for the server at `base_url`.
    pub fn new(client: reqwest::Client, base_url: impl Into<String>) -> Self {
        OutboxMailbox {
            client,
            base_url: base_url.into(),
        }
    }

    fn endpoint(&self) -> String {
        format!("{}/_aws/ses", self.base_url.trim_end_matches('/'))
    }

    /// Every message of the outbox, oldest first (the server's order).
    ///
    /// # Errors
    /// [`super::MailboxError::Http`] or [`super::MailboxError::BadResponse`]
    /// when the outbox cannot be read.
    pub async fn all(&self) -> Result<Vec<RawMail>, super::MailboxError> {
        // No `?email=` filter: LocalStack matches it against the sender, not the
        // recipient, so recipients are filtered here.
        let list: OutboxList = http_get_json(&self.client, self, &self.endpoint()).await?;
        Ok(list
            .messages
            .into_iter()
            .map(OutboxMessage::into_raw_mail)
            .collect())
    }
}

impl Mailbox for OutboxMailbox {
    fn describe(&self) -> String {
        format!("outbox {}", self.base_url)
    }

    fn messages_to<'a>(&'a self, address: &'a str) -> MailboxFuture<'a, Vec<RawMail>> {
        Box::pin(async move {
            Ok(self
                .all()
                .await?
                .into_iter()
                .filter(|m| m.to.iter().any(|to| same_address(to, address)))
                .collect())
        })
    }

    fn summary(&self) -> MailboxFuture<'_, Vec<MailSummary>> {
        Box::pin(async move { Ok(self.all().await?.iter().map(MailSummary::from).collect()) })
    }
}

/// Converts one outbox message in LocalStack's shape (`{"Id","Destination",
/// "Subject","Body","RawData",...}`, e.g. the emulator's `OutboxMessage`
/// serialized with serde_json) into a [`RawMail`], exactly as
/// [`OutboxMailbox`] does: recipients from `Destination` (else from the raw
/// headers), the raw message from `RawData` (else synthesized from Subject and
/// Body).
///
/// # Errors
/// The serde error when `message` is not an outbox message object.
pub fn raw_mail_from_json(message: serde_json::Value) -> Result<RawMail, serde_json::Error> {
    serde_json::from_value::<OutboxMessage>(message).map(OutboxMessage::into_raw_mail)
}

#[derive(Debug, Deserialize)]
struct OutboxList {
    #[serde(default)]
    messages: Vec<OutboxMessage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OutboxMessage {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    destination: Option<Destination>,
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    body: Option<OutboxBody>,
    #[serde(default)]
    raw_data: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Destination {
    #[serde(default)]
    to_addresses: Vec<String>,
    #[serde(default)]
    cc_addresses: Vec<String>,
    #[serde(default)]
    bcc_addresses: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct OutboxBody {
    #[serde(default)]
    text_part: Option<String>,
    #[serde(default)]
    html_part: Option<String>,
}

impl OutboxMessage {
    fn into_raw_mail(self) -> RawMail {
        let raw = match self.raw_data.as_deref() {
            Some(data) if !data.trim().is_empty() => raw_data_bytes(data),
            // SendEmail (what Cognito uses) is stored as Subject + Body only.
            _ => self.synthesize(),
        };
        let mut to: Vec<String> = self
            .destination
            .map(|d| {
                d.to_addresses
                    .into_iter()
                    .chain(d.cc_addresses)
                    .chain(d.bcc_addresses)
                    .collect()
            })
            .unwrap_or_default();
        if to.is_empty() {
            // SendRawEmail without Destinations: the headers say who.
            to = header_recipients(&raw);
        }
        let subject = self
            .subject
            .or_else(|| crate::mail::subject(&raw).ok().flatten());
        RawMail {
            id: self.id.unwrap_or_default(),
            to,
            subject,
            raw,
        }
    }

    /// A minimal RFC 5322 message from Subject and Body, so that
    /// [`crate::mail::extract_code`] reads outboxes that keep no raw message
    /// (LocalStack stores SendEmail this way).
    ///
    /// Parts are base64 encoded UTF-8, so any text survives; a subject that is
    /// not plain ASCII is an RFC 2047 encoded word; with both a text and an
    /// HTML body the message is multipart/alternative.
    fn synthesize(&self) -> Vec<u8> {
        const BOUNDARY: &str = "=_outbox_synthesized_boundary";
        let b64 = |text: &str| {
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            // 76-character lines, as RFC 2045 asks.
            encoded
                .as_bytes()
                .chunks(76)
                .map(|line| String::from_utf8_lossy(line).into_owned())
                .collect::<Vec<_>>()
                .join("\r\n")
        };
        let part = |mime: &str, text: &str| {
            format!(
                "Content-Type: {mime}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
                b64(text)
            )
        };
        let mut out = String::new();
        if let Some(source) = &self.source {
            out.push_str(&format!("From: {}\r\n", one_line(source)));
        }
        if let Some(d) = &self.destination {
            if !d.to_addresses.is_empty() {
                out.push_str(&format!("To: {}\r\n", one_line(&d.to_addresses.join(", "))));
            }
        }
        if let Some(subject) = &self.subject {
            let subject = one_line(subject);
            if subject.is_ascii() {
                out.push_str(&format!("Subject: {subject}\r\n"));
            } else {
                let encoded = base64::engine::general_purpose::STANDARD.encode(&subject);
                out.push_str(&format!("Subject: =?UTF-8?B?{encoded}?=\r\n"));
            }
        }
        out.push_str("MIME-Version: 1.0\r\n");
        let body = self.body.as_ref();
        let text = body.and_then(|b| b.text_part.as_deref());
        let html = body.and_then(|b| b.html_part.as_deref());
        match (text, html) {
            (Some(text), Some(html)) => {
                out.push_str(&format!(
                    "Content-Type: multipart/alternative; boundary=\"{BOUNDARY}\"\r\n\r\n"
                ));
                out.push_str(&format!("--{BOUNDARY}\r\n{}", part("text/plain", text)));
                out.push_str(&format!("--{BOUNDARY}\r\n{}", part("text/html", html)));
                out.push_str(&format!("--{BOUNDARY}--\r\n"));
            }
            (None, Some(html)) => out.push_str(&part("text/html", html)),
            (text, None) => out.push_str(&part("text/plain", text.unwrap_or_default())),
        }
        out.into_bytes()
    }
}

/// Header values must not contain line breaks.
fn one_line(value: &str) -> String {
    value
        .split(['\r', '\n'])
        .filter(|piece| !piece.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `RawData` is normally the message text; accept a base64-encoded message too
/// (a message always has a `:` in its headers, base64 never does).
fn raw_data_bytes(data: &str) -> Vec<u8> {
    if !data.contains(':') {
        let compact: String = data.split_whitespace().collect();
        if let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(compact) {
            return decoded;
        }
    }
    data.as_bytes().to_vec()
}

/// The addresses of the To and Cc headers of a raw message.
fn header_recipients(raw: &[u8]) -> Vec<String> {
    let Ok((headers, _)) = mailparse::parse_headers(raw) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for header in headers.iter().filter(|h| {
        let key = h.get_key_ref();
        key.eq_ignore_ascii_case("to") || key.eq_ignore_ascii_case("cc")
    }) {
        if let Ok(list) = mailparse::addrparse_header(header) {
            for addr in list.iter() {
                match addr {
                    mailparse::MailAddr::Single(single) => out.push(single.addr.clone()),
                    mailparse::MailAddr::Group(group) => {
                        out.extend(group.addrs.iter().map(|s| s.addr.clone()))
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mailbox::test_server::{Reply, TestServer};
    use crate::mailbox::{wait_for_mail, MailboxError};
    use serde_json::json;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    fn client() -> reqwest::Client {
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::new()
    }

    fn cognito_message(id: &str, to: &str, code: &str) -> serde_json::Value {
        json!({
            "Id": id,
            "Region": "us-east-1",
            "Source": "no-reply@verificationemail.com",
            "Destination": {"ToAddresses": [to]},
            "Subject": "Your verification code",
            "Body": {"text_part": null, "html_part": format!("Your verification code is {code}. ")},
            "Timestamp": "2024-06-11T10:00:00.000Z"
        })
    }

    async fn serve(messages: Arc<Mutex<Vec<serde_json::Value>>>) -> TestServer {
        TestServer::start(move |path| {
            if path == "/_aws/ses" {
                let list = messages.lock().expect("lock").clone();
                Reply::json(&json!({ "messages": list }).to_string())
            } else {
                Reply::status(404, "Not Found")
            }
        })
        .await
    }

    #[tokio::test]
    async fn filters_by_recipient_and_synthesizes_raw() {
        let messages = Arc::new(Mutex::new(vec![
            cognito_message("m1", "alice@example.com", "111111"),
            cognito_message("m2", "bob@example.com", "222222"),
            cognito_message("m3", "Alice@Example.com", "333333"),
            json!({
                "Id": "m4",
                "Region": "us-east-1",
                "Source": "alice@example.com",
                "RawData": "From: x@example.com\r\nTo: Bob <bob@example.com>\r\nSubject: =?UTF-8?B?w4lwcmV1dmU=?=\r\n\r\nYour verification code is 444444. \r\n",
                "Timestamp": "2024-06-11T10:00:01.000Z"
            }),
        ]));
        let server = serve(messages).await;
        let outbox = OutboxMailbox::new(client(), format!("{}/", server.base()));
        assert_eq!(outbox.describe(), format!("outbox {}/", server.base()));

        let alice = outbox
            .messages_to("alice@example.com")
            .await
            .expect("alice");
        let ids: Vec<&str> = alice.iter().map(|m| m.id.as_str()).collect();
        // m4 is *from* alice: LocalStack's ?email= would have matched it.
        assert_eq!(ids, ["m1", "m3"]);
        let code = crate::mail::extract_code(&alice[1].raw, "Your verification code is {####}. ")
            .expect("code");
        assert_eq!(code, "333333");
        assert_eq!(alice[1].subject.as_deref(), Some("Your verification code"));

        let bob = outbox.messages_to("bob@example.com").await.expect("bob");
        let ids: Vec<&str> = bob.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m2", "m4"]);
        assert_eq!(bob[1].subject.as_deref(), Some("Épreuve"));
        let code = crate::mail::extract_code(&bob[1].raw, "Your verification code is {####}. ")
            .expect("code");
        assert_eq!(code, "444444");

        assert!(outbox
            .messages_to("carol@example.com")
            .await
            .expect("none")
            .is_empty());
    }

    #[test]
    fn synthesized_multipart_with_unicode_subject() {
        let message = OutboxMessage {
            id: Some("x".into()),
            source: Some("s@example.com".into()),
            destination: Some(Destination {
                to_addresses: vec!["t@example.com".into()],
                ..Destination::default()
            }),
            subject: Some("Código\r\nBcc: evil@example.com".into()),
            body: Some(OutboxBody {
                text_part: Some("Tu código es 123987. ".into()),
                html_part: Some("<p>Tu código es <b>123987</b>.</p>".into()),
            }),
            raw_data: None,
        };
        let mail = message.into_raw_mail();
        assert_eq!(
            crate::mail::subject(&mail.raw).expect("subject").as_deref(),
            Some("Código Bcc: evil@example.com")
        );
        assert_eq!(
            crate::mail::extract_code(&mail.raw, "Tu código es {####}.").expect("code"),
            "123987"
        );
        let text = crate::mail::text_of(&mail.raw).expect("text");
        assert!(text.contains("Tu código es"), "{text}");
    }

    #[test]
    fn single_message_from_json() {
        let mail = raw_mail_from_json(cognito_message("j1", "dan@example.com", "515151"))
            .expect("message");
        assert_eq!(mail.id, "j1");
        assert_eq!(mail.to, ["dan@example.com"]);
        assert_eq!(
            crate::mail::extract_code(&mail.raw, "Your verification code is {####}. ")
                .expect("code"),
            "515151"
        );
        assert!(raw_mail_from_json(json!([1])).is_err());
    }

    #[test]
    fn base64_raw_data() {
        let raw = "To: z@example.com\r\nSubject: hi\r\n\r\nbody\r\n";
        let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
        let mail = OutboxMessage {
            raw_data: Some(encoded),
            ..OutboxMessage::default()
        }
        .into_raw_mail();
        assert_eq!(mail.raw, raw.as_bytes());
        assert_eq!(mail.to, ["z@example.com"]);
        assert_eq!(mail.subject.as_deref(), Some("hi"));
    }

    #[tokio::test]
    async fn waits_with_backoff_until_the_mail_appears() {
        let messages = Arc::new(Mutex::new(vec![cognito_message(
            "old",
            "alice@example.com",
            "000001",
        )]));
        let server = serve(messages.clone()).await;
        let outbox = OutboxMailbox::new(client(), server.base());
        let later = messages.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(250)).await;
            later
                .lock()
                .expect("lock")
                .push(cognito_message("new", "alice@example.com", "765432"));
        });
        let start = std::time::Instant::now();
        let got = wait_for_mail(&outbox, "alice@example.com", 1, Duration::from_secs(10))
            .await
            .expect("mail");
        assert_eq!(got.id, "new");
        assert!(start.elapsed() >= Duration::from_millis(250));
        assert!(start.elapsed() < Duration::from_secs(3));
        // 20, 40, 80, 160 ms pauses: about 5 polls, not one per 20 ms.
        let polls = server.requests();
        assert!((3..=9).contains(&polls), "{polls} polls");
    }

    #[tokio::test]
    async fn timeout_names_the_address_and_what_was_there() {
        let messages = Arc::new(Mutex::new(vec![
            cognito_message("m1", "alice@example.com", "111111"),
            json!({"Id": "m2", "Destination": {"ToAddresses": ["bob@example.com"]},
                   "Subject": "Your code 987654", "Body": {"text_part": "x"}}),
        ]));
        let server = serve(messages).await;
        let outbox = OutboxMailbox::new(client(), server.base());
        let start = std::time::Instant::now();
        let err = wait_for_mail(&outbox, "alice@example.com", 1, Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(start.elapsed() >= Duration::from_millis(300));
        assert!(start.elapsed() < Duration::from_secs(3));
        assert!(matches!(err, MailboxError::Timeout { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("alice@example.com"), "{text}");
        assert!(
            text.contains(&format!("outbox {}", server.base())),
            "{text}"
        );
        assert!(text.contains("2 message(s)"), "{text}");
        assert!(
            text.contains("to bob@example.com: \"Your code ••••••\""),
            "{text}"
        );
        assert!(
            text.contains("to alice@example.com: \"Your verification code\""),
            "{text}"
        );
        assert!(
            !text.contains("987654") && !text.contains("111111"),
            "{text}"
        );
    }

    #[tokio::test]
    async fn server_errors_are_reported() {
        let server = TestServer::start(|_| Reply::status(500, "Internal Server Error")).await;
        let outbox = OutboxMailbox::new(client(), server.base());
        let err = outbox.messages_to("a@example.com").await.unwrap_err();
        assert!(err.to_string().contains("500"), "{err}");
        assert!(err.to_string().contains("/_aws/ses"), "{err}");

        let err = wait_for_mail(&outbox, "a@example.com", 0, Duration::from_millis(100))
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("last poll failed") && text.contains("500"),
            "{text}"
        );

        let junk = TestServer::start(|_| Reply::json("[1,2")).await;
        let outbox = OutboxMailbox::new(client(), junk.base());
        let err = outbox.messages_to("a@example.com").await.unwrap_err();
        assert!(matches!(err, MailboxError::BadResponse { .. }), "{err}");
    }
}
