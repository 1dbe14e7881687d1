//! A Mailpit SMTP catcher, through its HTTP API (v1).
//!
//! - `GET {base}/api/v1/search?query=to:"{address}"` lists matching messages,
//!   newest first: `{"messages":[{"ID","To":[{"Name","Address"}],"Subject","Created"}]}`;
//! - `GET {base}/api/v1/message/{ID}/raw` returns one message as sent.

use serde::Deserialize;

use super::{
    http_get, http_get_json, same_address, MailSummary, Mailbox, MailboxError, MailboxFuture,
    RawMail,
};

/// How many messages one search asks for (Mailpit's default page is 50).
const PAGE: &str = "500";

/// Reads a Mailpit instance over HTTP.
#[derive(Debug, Clone)]
pub struct MailpitMailbox {
    /// The HTTP client (its rustls provider must be installed).
    pub client: reqwest::Client,
    /// Mailpit's web/API address, e.g. `http://localhost:8025`.
    pub base_url: String,
}

impl MailpitMailbox {
    /// A Mailpit reader for the instance at `base_url`.
    pub fn new(client: reqwest::Client, base_url: impl Into<String>) -> Self {
        MailpitMailbox {
            client,
            base_url: base_url.into(),
        }
    }

    fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    fn search_url(&self, address: &str) -> Result<String, MailboxError> {
        let endpoint = format!("{}/api/v1/search", self.base());
        let mut url = reqwest::Url::parse(&endpoint).map_err(|e| MailboxError::Http {
            mailbox: self.describe(),
            url: endpoint.clone(),
            reason: format!("not a URL: {e}"),
        })?;
        // Quotes would end Mailpit's quoted term early; addresses have none.
        let term = address.replace('"', "");
        url.query_pairs_mut()
            .append_pair("query", &format!("to:\"{term}\""))
            .append_pair("limit", PAGE);
        Ok(url.into())
    }

    async fn list(&self, url: &str) -> Result<Vec<MailpitMessage>, MailboxError> {
        let list: MailpitList = http_get_json(&self.client, self, url).await?;
        let mut messages = list.messages;
        // Mailpit lists newest first; callers want oldest first.
        messages.reverse();
        Ok(messages)
    }
}

impl Mailbox for MailpitMailbox {
    fn describe(&self) -> String {
        format!("mailpit {}", self.base_url)
    }

    fn messages_to<'a>(&'a self, address: &'a str) -> MailboxFuture<'a, Vec<RawMail>> {
        Box::pin(async move {
            let url = self.search_url(address)?;
            let mut out = Vec::new();
            for message in self.list(&url).await? {
                let to = message.recipients();
                // Mailpit's `to:` matches substrings (`bob@x` finds `jimbob@x`).
                if !to.iter().any(|t| same_address(t, address)) {
                    continue;
                }
                let raw_url = format!("{}/api/v1/message/{}/raw", self.base(), message.id);
                let raw = http_get(&self.client, self, &raw_url).await?;
                out.push(RawMail {
                    id: message.id,
                    to,
                    subject: message.subject,
                    raw,
                });
            }
            Ok(out)
        })
    }

    fn summary(&self) -> MailboxFuture<'_, Vec<MailSummary>> {
        Box::pin(async move {
            let url = format!("{}/api/v1/messages?limit={PAGE}", self.base());
            Ok(self
                .list(&url)
                .await?
                .into_iter()
                .map(|m| MailSummary {
                    to: m.recipients(),
                    subject: m.subject,
                })
                .collect())
        })
    }
}

#[derive(Debug, Deserialize)]
struct MailpitList {
    #[serde(default)]
    messages: Vec<MailpitMessage>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MailpitMessage {
    #[serde(rename = "ID")]
    id: String,
    #[serde(default)]
    to: Option<Vec<MailpitAddress>>,
    #[serde(default)]
    cc: Option<Vec<MailpitAddress>>,
    #[serde(default)]
    bcc: Option<Vec<MailpitAddress>>,
    #[serde(default)]
    subject: Option<String>,
}

impl MailpitMessage {
    fn recipients(&self) -> Vec<String> {
        [&self.to, &self.cc, &self.bcc]
            .into_iter()
            .flatten()
            .flatten()
            .map(|a| a.address.clone())
            .collect()
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MailpitAddress {
    #[serde(default)]
    address: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mailbox::test_server::{Reply, TestServer};
    use serde_json::json;

    #[tokio::test]
    async fn searches_filters_and_fetches_raw_oldest_first() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let server = TestServer::start(|path| {
            if path.starts_with("/api/v1/search?") {
                assert!(
                    path.contains("query=to%3A%22alice%40example.com%22"),
                    "{path}"
                );
                Reply::json(
                    &json!({"total": 3, "messages": [
                        {"ID": "new", "To": [{"Name": "", "Address": "Alice@example.com"}],
                         "Subject": "Second", "Created": "2024-06-11T10:00:02Z"},
                        {"ID": "other", "To": [{"Name": "", "Address": "malice@example.com"}],
                         "Subject": "Not hers", "Created": "2024-06-11T10:00:01Z"},
                        {"ID": "old", "To": null, "Cc": [{"Name": "A", "Address": "alice@example.com"}],
                         "Subject": "First", "Created": "2024-06-11T10:00:00Z"}
                    ]})
                    .to_string(),
                )
            } else if let Some(id) = path
                .strip_prefix("/api/v1/message/")
                .and_then(|p| p.strip_suffix("/raw"))
            {
                Reply::text(&format!(
                    "Subject: {id}\r\n\r\nYour verification code is {}. \r\n",
                    if id == "new" { "222222" } else { "111111" }
                ))
            } else if path.starts_with("/api/v1/messages") {
                Reply::json(
                    &json!({"messages": [
                        {"ID": "b", "To": [{"Address": "b@example.com"}], "Subject": "B"},
                        {"ID": "a", "To": [{"Address": "a@example.com"}], "Subject": "A"}
                    ]})
                    .to_string(),
                )
            } else {
                Reply::status(404, "Not Found")
            }
        })
        .await;
        let mailpit = MailpitMailbox::new(reqwest::Client::new(), server.base());
        let got = mailpit
            .messages_to("alice@example.com")
            .await
            .expect("messages");
        let ids: Vec<&str> = got.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["old", "new"]);
        assert_eq!(got[0].subject.as_deref(), Some("First"));
        assert_eq!(
            crate::mail::extract_code(&got[1].raw, "Your verification code is {####}. ")
                .expect("code"),
            "222222"
        );
        let summary = mailpit.summary().await.expect("summary");
        assert_eq!(summary[0].to, ["a@example.com"]);
        assert_eq!(summary[1].subject.as_deref(), Some("B"));
    }
}
