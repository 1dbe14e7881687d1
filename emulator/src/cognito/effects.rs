//! What an operation leaves to do once its write is committed and the state lock is
//! released: mails to send, some of them worded first by the pool's CustomMessage
//! trigger. Keeping them out of the lock means one slow delivery or trigger never holds
//! up other requests (and a trigger may call the emulator back without a deadlock).

use serde_json::Value;

use super::delivery::{compose_with, fill, Envelope};
use super::error::CognitoResult;
use super::triggers::{self, Invoker, Trigger};
use crate::generated::cognito::shapes::LambdaConfigType;
use crate::mailer::Mailer;

/// A mail with a code, from templates whose `{####}` (and `{username}`) are filled in
/// only when it is sent, after a CustomMessage trigger has had its say.
#[derive(Debug)]
pub struct Message {
    /// The recipient.
    pub to: String,
    /// The subject template.
    pub subject: String,
    /// The body template.
    pub body: String,
    /// The code (or temporary password).
    pub code: String,
    /// The username, for `{username}`.
    pub username: String,
    /// Who the mail comes from.
    pub envelope: Envelope,
    /// When it is sent, in seconds.
    pub now_secs: i64,
    /// The pool's triggers and the CustomMessage event, where the pool has that trigger.
    pub custom: Option<(LambdaConfigType, Value)>,
}

/// The effects of one committed write.
#[derive(Debug, Default)]
#[must_use = "effects do nothing until run"]
pub struct Effects {
    messages: Vec<Message>,
}

impl Effects {
    /// Sends `message` once the write is committed, worded by the CustomMessage trigger
    /// where the pool has one.
    pub fn message(&mut self, message: Message) {
        self.messages.push(message);
    }

    /// Runs the effects (the state lock must not be held). A failing CustomMessage
    /// trigger fails the operation, as on AWS; the write stays committed.
    pub fn run(self, mailer: &Mailer, invoker: &Invoker) -> CognitoResult<()> {
        for m in self.messages {
            let (mut subject, mut body) = (m.subject, m.body);
            if let Some((config, event)) = m.custom {
                if let Some(returned) =
                    triggers::fire(invoker, Some(&config), Trigger::CustomMessage, event)?
                {
                    let response = &returned["response"];
                    if let Some(s) = response["emailSubject"].as_str() {
                        subject = s.to_owned();
                    }
                    if let Some(b) = response["emailMessage"].as_str() {
                        body = b.to_owned();
                    }
                }
            }
            let subject = fill(&subject, &m.code, &m.username);
            let body = fill(&body, &m.code, &m.username);
            mailer.send(compose_with(
                &m.envelope,
                &m.to,
                &subject,
                &body,
                m.now_secs,
            ));
        }
        Ok(())
    }
}
