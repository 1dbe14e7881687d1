//! Cognito's mail: the masked destination clients are told, and the RFC 5322 message
//! built from the pool's templates.

use mail_builder::headers::date::Date;
use mail_builder::MessageBuilder;

use super::pool::UserPool;
use crate::generated::cognito::shapes::{CodeDeliveryDetailsType, DeliveryMediumType};
use crate::mailer::OutgoingMail;
use crate::outbox::Destination;

/// `a***@e***`: the first letter of the local part and of the domain, as Cognito's
/// `CodeDeliveryDetails.Destination` shows an address today. (It used to keep the
/// top-level domain too, `a***@e***.com`; it no longer does.)
pub fn mask_email(address: &str) -> String {
    let Some((local, domain)) = address.rsplit_once('@') else {
        return "***".to_owned();
    };
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    format!("{}***@{}***", first(local), first(domain))
}

/// `CodeDeliveryDetails` for an e-mail sent to `address`.
pub fn email_delivery(address: &str) -> CodeDeliveryDetailsType {
    CodeDeliveryDetailsType {
        destination: Some(mask_email(address)),
        delivery_medium: Some(DeliveryMediumType::Email),
        attribute_name: Some("email".into()),
    }
}

/// Fills a template: `{####}` is the code, `{username}` the username.
pub fn fill(template: &str, code: &str, username: &str) -> String {
    template
        .replace("{####}", code)
        .replace("{username}", username)
}

/// Who a pool's mail comes from: its region, sender and reply-to address.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The pool's region (the outbox keeps mail by region).
    pub region: String,
    /// The sender.
    pub from: String,
    /// The pool's `ReplyToEmailAddress`.
    pub reply_to: Option<String>,
}

impl Envelope {
    /// The envelope of `pool`'s mail.
    pub fn of(pool: &UserPool) -> Self {
        Self {
            region: pool.region.clone(),
            from: pool.mail_from(),
            reply_to: pool.reply_to(),
        }
    }
}

/// Builds a message to `to` in `envelope`.
pub fn compose_with(
    envelope: &Envelope,
    to: &str,
    subject: &str,
    body: &str,
    now_secs: i64,
) -> OutgoingMail {
    let from = envelope.from.clone();
    let mut message = MessageBuilder::new()
        .message_id(format!("{}@email.amazonses.com", uuid::Uuid::new_v4()))
        .date(Date::new(now_secs))
        .from(from.as_str())
        .to(to)
        .subject(subject)
        // Cognito's messages are HTML: templates may carry markup. A text part is added
        // so plain-text readers see the same words.
        .text_body(body)
        .html_body(body);
    if let Some(reply_to) = &envelope.reply_to {
        message = message.reply_to(reply_to.as_str());
    }
    let raw = message.write_to_string().unwrap_or_default();
    OutgoingMail {
        region: envelope.region.clone(),
        source: from,
        destination: Destination {
            to_addresses: vec![to.to_owned()],
            ..Destination::default()
        },
        raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_cognito() {
        assert_eq!(mask_email("test@test.com"), "t***@t***");
        assert_eq!(mask_email("alice@example.com"), "a***@e***");
        assert_eq!(mask_email("allen.hsieh.aws@gmail.com"), "a***@g***");
        assert_eq!(mask_email("u@mail.example.co.uk"), "u***@m***");
        assert_eq!(mask_email("not-an-address"), "***");
    }

    #[test]
    fn fills_both_placeholders() {
        assert_eq!(
            fill(
                "Your username is {username} and temporary password is {####}. ",
                "Xy1!",
                "bob"
            ),
            "Your username is bob and temporary password is Xy1!. "
        );
    }
}
