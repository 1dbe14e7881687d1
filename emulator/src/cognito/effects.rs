//! What an operation leaves to do once its write is committed and the state lock is
//! released: mails to send now; triggers to call and records to persist will join them.
//! Keeping them out of the lock means one slow delivery never holds up other requests.

use crate::mailer::{Mailer, OutgoingMail};

/// The effects of one committed write.
#[derive(Debug, Default)]
#[must_use = "effects do nothing until run"]
pub struct Effects {
    mails: Vec<OutgoingMail>,
}

impl Effects {
    /// Sends `mail` once the write is committed.
    pub fn mail(&mut self, mail: OutgoingMail) {
        self.mails.push(mail);
    }

    /// Runs the effects (the state lock must not be held).
    pub fn run(self, mailer: &Mailer) {
        for mail in self.mails {
            mailer.send(mail);
        }
    }
}
