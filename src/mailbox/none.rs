//! No mailbox: for targets whose mail the harness cannot read.

use super::{Mailbox, MailboxError, MailboxFuture, RawMail};

/// A mailbox that never has mail. The runner leaves `@mail` scenarios out when the
/// mailbox cannot receive; a step that reads mail anyway fails with
/// [`MailboxError::Unavailable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoMailbox {
    /// Why there is no mailbox (e.g. `--mailbox none`), repeated in errors.
    pub why: String,
}

impl NoMailbox {
    /// No mailbox, because of `why` (e.g. `"--mailbox none"`).
    pub fn new(why: impl Into<String>) -> Self {
        NoMailbox { why: why.into() }
    }
}

impl Default for NoMailbox {
    fn default() -> Self {
        NoMailbox::new("no mailbox configured")
    }
}

impl Mailbox for NoMailbox {
    fn describe(&self) -> String {
        "none".to_string()
    }

    fn messages_to<'a>(&'a self, address: &'a str) -> MailboxFuture<'a, Vec<RawMail>> {
        let reason = format!(
            "there is no mailbox ({}), so mail to {address} cannot be read; \
             use the SES outbox or a Mailpit instance",
            self.why
        );
        Box::pin(async move { Err(MailboxError::Unavailable { reason }) })
    }

    fn can_receive(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn never_receives() {
        let none = NoMailbox::new("--mailbox none");
        assert!(!none.can_receive());
        assert_eq!(none.describe(), "none");
        let err = none.messages_to("a@example.com").await.unwrap_err();
        assert!(matches!(err, MailboxError::Unavailable { .. }));
        let text = err.to_string();
        assert!(
            text.contains("a@example.com") && text.contains("--mailbox none"),
            "{text}"
        );
    }
}
