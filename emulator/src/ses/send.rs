//! Sending: `SendEmail` builds a MIME message from its parts, `SendRawEmail` takes one
//! ready-made. Either way the sender must be a verified identity of the region, and the
//! message goes out through the [`Mailer`](crate::mailer::Mailer).

use mail_builder::headers::address::Address;
use mail_builder::headers::date::Date;
use mail_builder::MessageBuilder;
use mailparse::MailHeaderMap;

use super::address::{parse_header_mailboxes, parse_mailbox, Mailbox};
use super::error::{SesError, SesResult};
use super::Ses;
use crate::context::RequestContext;
use crate::generated::ses::shapes::{
    SendEmailRequest, SendEmailResponse, SendRawEmailRequest, SendRawEmailResponse,
};
use crate::mailer::OutgoingMail;
use crate::outbox::Destination as OutboxDestination;

fn parse_all(addresses: &[String]) -> SesResult<Vec<Mailbox>> {
    addresses.iter().map(|a| parse_mailbox(a)).collect()
}

fn addrs(mailboxes: &[Mailbox]) -> Vec<String> {
    mailboxes.iter().map(|m| m.addr.clone()).collect()
}

fn address_list(mailboxes: &[Mailbox]) -> Address<'_> {
    Address::new_list(
        mailboxes
            .iter()
            .map(|m| Address::new_address(m.name.as_deref(), m.addr.as_str()))
            .collect(),
    )
}

fn missing_to() -> SesError {
    SesError::InvalidParameterValue("Missing required header 'To'.".into())
}

impl Ses {
    /// `SendEmail`: builds a MIME message (From, To, Cc, Reply-To, Subject, text and/or
    /// HTML body; Bcc recipients are not named) and sends it, if the source is verified.
    pub(crate) fn send_email(
        &self,
        ctx: &RequestContext,
        input: SendEmailRequest,
    ) -> SesResult<SendEmailResponse> {
        // The model's required members (source, destination, message, its subject and
        // body) were checked before the call.
        let source = input.source().to_owned();
        let destination = input.destination.unwrap_or_default();
        let message = input.message.unwrap_or_default();
        let subject = message.subject.unwrap_or_default().data.unwrap_or_default();
        let body = message.body.unwrap_or_default();
        let list = |l: Option<Vec<String>>| l.unwrap_or_default();

        let from = parse_mailbox(&source)?;
        let to = parse_all(&list(destination.to_addresses))?;
        let cc = parse_all(&list(destination.cc_addresses))?;
        let bcc = parse_all(&list(destination.bcc_addresses))?;
        let reply_to = parse_all(&list(input.reply_to_addresses))?;
        if to.is_empty() && cc.is_empty() && bcc.is_empty() {
            return Err(missing_to());
        }
        self.check_senders(&ctx.region, std::slice::from_ref(&from.addr))?;

        // SES accepts a body whose Data is null and sends it empty.
        let text = body.text.map(|c| c.data.unwrap_or_default());
        let html = body.html.map(|c| c.data.unwrap_or_default());
        let mut builder = MessageBuilder::new()
            .message_id(format!("{}@email.amazonses.com", uuid::Uuid::new_v4()))
            .date(Date::new(self.clock.now().secs()))
            .from(Address::new_address(
                from.name.as_deref(),
                from.addr.as_str(),
            ))
            .subject(subject.as_str());
        if !to.is_empty() {
            builder = builder.to(address_list(&to));
        }
        if !cc.is_empty() {
            builder = builder.cc(address_list(&cc));
        }
        if !reply_to.is_empty() {
            builder = builder.reply_to(address_list(&reply_to));
        }
        builder = match (text.as_deref(), html.as_deref()) {
            (None, None) => builder.text_body(""),
            (text, html) => {
                let builder = match text {
                    Some(t) => builder.text_body(t),
                    None => builder,
                };
                match html {
                    Some(h) => builder.html_body(h),
                    None => builder,
                }
            }
        };
        let raw = builder
            .write_to_string()
            .map_err(|e| SesError::InternalFailure(format!("cannot write the message: {e}")))?;

        let message_id = self.mailer.send(OutgoingMail {
            region: ctx.region.clone(),
            source: from.addr,
            destination: OutboxDestination {
                to_addresses: addrs(&to),
                cc_addresses: addrs(&cc),
                bcc_addresses: addrs(&bcc),
            },
            raw,
        });
        Ok(SendEmailResponse {
            message_id: Some(message_id),
        })
    }

    /// `SendRawEmail`: sends a ready-made message, exactly as given. The recipients are
    /// `destinations`, or else the message's `To:`, `Cc:` and `Bcc:`; the sender is
    /// `source`, or else the message's `From:`. Every sender named must be verified.
    pub(crate) fn send_raw_email(
        &self,
        ctx: &RequestContext,
        input: SendRawEmailRequest,
    ) -> SesResult<SendRawEmailResponse> {
        let data = input
            .raw_message
            .and_then(|m| m.data)
            .map(|b| b.0)
            .unwrap_or_default();
        let (headers, _) = mailparse::parse_headers(&data).map_err(|e| {
            SesError::InvalidParameterValue(format!("Could not parse the message: {e}"))
        })?;
        let mailboxes = |name: &str| -> SesResult<Vec<Mailbox>> {
            let mut all = Vec::new();
            for header in headers.get_all_headers(name) {
                all.extend(parse_header_mailboxes(header)?);
            }
            Ok(all)
        };

        let from_header = mailboxes("From")?;
        let source = match &input.source {
            Some(source) => parse_mailbox(source)?.addr,
            None => match from_header.first() {
                Some(from) => from.addr.clone(),
                None => {
                    return Err(SesError::InvalidParameterValue(
                        "Missing required header 'From'.".into(),
                    ))
                }
            },
        };
        let empty_to = headers
            .get_all_headers("To")
            .iter()
            .any(|h| h.get_value().trim().is_empty());
        if empty_to {
            return Err(SesError::InvalidParameterValue(
                "Empty required header 'To'.".into(),
            ));
        }
        let destinations = input.destinations.unwrap_or_default();
        let recipients = if destinations.is_empty() {
            let mut all = mailboxes("To")?;
            all.extend(mailboxes("Cc")?);
            all.extend(mailboxes("Bcc")?);
            all
        } else {
            parse_all(&destinations)?
        };
        if recipients.is_empty() {
            return Err(missing_to());
        }
        let mut senders = vec![source.clone()];
        senders.extend(addrs(&from_header));
        self.check_senders(&ctx.region, &senders)?;

        // The message is kept as given; text that is not UTF-8 cannot be kept byte for
        // byte in a `String`, so such bytes become U+FFFD.
        let raw = match String::from_utf8(data) {
            Ok(raw) => raw,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        let mut to_addresses = Vec::new();
        for addr in addrs(&recipients) {
            if !to_addresses.contains(&addr) {
                to_addresses.push(addr);
            }
        }
        let message_id = self.mailer.send(OutgoingMail {
            region: ctx.region.clone(),
            source,
            destination: OutboxDestination {
                to_addresses,
                ..OutboxDestination::default()
            },
            raw,
        });
        Ok(SendRawEmailResponse {
            message_id: Some(message_id),
        })
    }

    /// Refuses with `MessageRejected` unless every sender is verified in `region`.
    fn check_senders(&self, region: &str, senders: &[String]) -> SesResult<()> {
        let now = self.clock.now();
        let store = self.store();
        let mut failed: Vec<String> = Vec::new();
        for sender in senders {
            let known = failed.iter().any(|f| f.eq_ignore_ascii_case(sender));
            if !known && !store.is_verified_sender(region, sender, now) {
                failed.push(sender.clone());
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(SesError::not_verified(region, &failed))
        }
    }
}

#[cfg(test)]
mod tests {
    use mailparse::MailHeaderMap;

    use super::*;
    use crate::generated::ses::shapes::*;
    use crate::generated::ses::SesApi;
    use crate::ses::testing::{checked, ctx, ses, verified_ses};

    /// `SendEmail` in us-east-1, validated as the protocol layer validates it.
    fn send(ses: &Ses, input: SendEmailRequest) -> SesResult<SendEmailResponse> {
        ses.send_email(&ctx("us-east-1"), checked(input)?)
    }

    fn content(data: &str) -> Option<Content> {
        Some(Content {
            data: Some(data.into()),
            charset: None,
        })
    }

    fn simple(source: &str, to: &str) -> SendEmailRequest {
        SendEmailRequest {
            source: Some(source.into()),
            destination: Some(Destination {
                to_addresses: Some(vec![to.into()]),
                ..Destination::default()
            }),
            message: Some(Message {
                subject: content("Hello"),
                body: Some(Body {
                    text: content("Your code is 123456"),
                    html: None,
                }),
            }),
            ..SendEmailRequest::default()
        }
    }

    #[test]
    fn an_unverified_source_is_rejected() {
        let (ses, outbox, _) = ses();
        let e = ses
            .send_email(&ctx("us-east-1"), simple("a@example.com", "b@example.com"))
            .unwrap_err();
        assert_eq!(e.code(), "MessageRejected");
        assert_eq!(
            e.message(),
            "Email address is not verified. The following identities failed the check in region US-EAST-1: a@example.com"
        );
        assert!(outbox.all().is_empty());
    }

    #[test]
    fn a_source_verified_in_another_region_is_rejected() {
        let (ses, _, _) = verified_ses("eu-west-1", "a@example.com");
        let e = ses
            .send_email(&ctx("us-east-1"), simple("a@example.com", "b@example.com"))
            .unwrap_err();
        assert_eq!(e.code(), "MessageRejected");
    }

    #[test]
    fn sends_a_parseable_mime_message() {
        let (ses, outbox, _) = verified_ses("us-east-1", "a@example.com");
        let input = SendEmailRequest {
            source: Some("Ann Example <a@example.com>".into()),
            destination: Some(Destination {
                to_addresses: Some(vec!["Bob <b@example.com>".into()]),
                cc_addresses: Some(vec!["c@example.com".into()]),
                bcc_addresses: Some(vec!["secret@example.com".into()]),
            }),
            message: Some(Message {
                subject: content("Caf\u{e9} \u{2013} code"),
                body: Some(Body {
                    text: content("Your code is 123456"),
                    html: content("<p>Your code is <b>123456</b></p>"),
                }),
            }),
            reply_to_addresses: Some(vec!["help@example.com".into()]),
            ..SendEmailRequest::default()
        };
        let out = ses.send_email(&ctx("us-east-1"), input).unwrap();
        let [mail] = outbox.to("b@example.com").try_into().unwrap();
        assert_eq!(Some(mail.id), out.message_id);
        assert_eq!(mail.source, "a@example.com");
        assert_eq!(mail.destination.to_addresses, ["b@example.com"]);
        assert_eq!(mail.destination.cc_addresses, ["c@example.com"]);
        assert_eq!(mail.destination.bcc_addresses, ["secret@example.com"]);
        assert_eq!(mail.subject.as_deref(), Some("Caf\u{e9} \u{2013} code"));
        assert_eq!(
            mail.body.text_part.as_deref().map(str::trim),
            Some("Your code is 123456")
        );
        assert_eq!(
            mail.body.html_part.as_deref().map(str::trim),
            Some("<p>Your code is <b>123456</b></p>")
        );

        let parsed = mailparse::parse_mail(mail.raw_data.as_bytes()).unwrap();
        let single = |name: &str| {
            let header = parsed.headers.get_first_header(name).unwrap();
            mailparse::addrparse_header(header)
                .unwrap()
                .extract_single_info()
                .unwrap()
        };
        let from = single("From");
        assert_eq!(from.addr, "a@example.com");
        assert_eq!(from.display_name.as_deref(), Some("Ann Example"));
        assert_eq!(single("To").addr, "b@example.com");
        assert_eq!(single("Cc").addr, "c@example.com");
        assert_eq!(single("Reply-To").addr, "help@example.com");
        assert!(parsed.headers.get_first_header("Bcc").is_none());
        assert!(!mail.raw_data.contains("secret@example.com"));
        assert!(parsed.headers.get_first_header("Date").is_some());
        assert!(parsed.headers.get_first_header("Message-ID").is_some());
    }

    #[test]
    fn a_verified_domain_covers_its_addresses() {
        let (ses, outbox, _) = ses();
        let token = ses
            .verify_domain_identity(
                &ctx("us-east-1"),
                VerifyDomainIdentityRequest {
                    domain: Some("example.com".into()),
                },
            )
            .unwrap()
            .verification_token
            .unwrap();
        assert!(ses.confirm_verification(&token));
        ses.send_email(
            &ctx("us-east-1"),
            simple("anyone@example.com", "b@example.net"),
        )
        .unwrap();
        assert_eq!(outbox.to("b@example.net").len(), 1);
    }

    #[test]
    fn missing_members_are_named_as_ses_names_them() {
        let (ses, _, _) = ses();
        let e = send(&ses, SendEmailRequest::default()).unwrap_err();
        assert_eq!(e.code(), "ValidationError");
        // Members in AWS's order: alphabetical by name.
        assert_eq!(
            e.message(),
            "3 validation errors detected: \
             Value null at 'destination' failed to satisfy constraint: Member must not be null; \
             Value null at 'message' failed to satisfy constraint: Member must not be null; \
             Value null at 'source' failed to satisfy constraint: Member must not be null"
        );
        let mut input = simple("a@example.com", "b@example.com");
        input.source = None;
        let e = send(&ses, input).unwrap_err();
        assert_eq!(
            e.message(),
            "1 validation error detected: Value null at 'source' failed to satisfy constraint: Member must not be null"
        );
        let mut input = simple("a@example.com", "b@example.com");
        input.message = Some(Message {
            subject: Some(Content::default()),
            body: None,
        });
        let e = send(&ses, input).unwrap_err();
        assert!(e.message().contains("'message.subject.data'"), "{e}");
        assert!(e.message().contains("'message.body'"), "{e}");
    }

    #[test]
    fn needs_a_recipient_with_a_valid_address() {
        let (ses, _, _) = verified_ses("us-east-1", "a@example.com");
        let mut input = simple("a@example.com", "b@example.com");
        input.destination = Some(Destination::default());
        let e = ses.send_email(&ctx("us-east-1"), input).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterValue");
        let e = ses
            .send_email(&ctx("us-east-1"), simple("a@example.com", "nobody"))
            .unwrap_err();
        assert_eq!(e.message(), "Missing final '@domain'");
    }

    fn raw(
        ses: &Ses,
        source: Option<&str>,
        destinations: &[&str],
        text: &str,
    ) -> SesResult<String> {
        ses.send_raw_email(
            &ctx("us-east-1"),
            SendRawEmailRequest {
                source: source.map(Into::into),
                destinations: Some(destinations.iter().map(|d| d.to_string()).collect()),
                raw_message: Some(RawMessage {
                    data: Some(crate::shape::Blob(text.as_bytes().to_vec())),
                }),
                ..SendRawEmailRequest::default()
            },
        )
        .map(|out| out.message_id.unwrap_or_default())
    }

    const RAW: &str = "From: Ann <a@example.com>\r\n\
                       To: b@example.com, Carl <c@example.com>\r\n\
                       Cc: d@example.com\r\n\
                       Bcc: e@example.com\r\n\
                       Subject: Raw\r\n\
                       \r\n\
                       Body 123456\r\n";

    #[test]
    fn raw_mail_goes_to_its_header_recipients_as_given() {
        let (ses, outbox, _) = verified_ses("us-east-1", "a@example.com");
        let id = raw(&ses, None, &[], RAW).unwrap();
        let filter = crate::outbox::OutboxFilter {
            id: Some(id),
            ..Default::default()
        };
        let [mail] = outbox.messages(&filter).try_into().unwrap();
        assert_eq!(mail.raw_data, RAW);
        assert_eq!(mail.source, "a@example.com");
        assert_eq!(
            mail.destination.to_addresses,
            [
                "b@example.com",
                "c@example.com",
                "d@example.com",
                "e@example.com"
            ]
        );
        assert_eq!(mail.subject.as_deref(), Some("Raw"));
    }

    #[test]
    fn raw_destinations_override_the_headers() {
        let (ses, outbox, _) = verified_ses("us-east-1", "a@example.com");
        raw(&ses, Some("a@example.com"), &["z@example.com"], RAW).unwrap();
        let [mail] = outbox.to("z@example.com").try_into().unwrap();
        assert_eq!(mail.destination.to_addresses, ["z@example.com"]);
        assert!(outbox.to("b@example.com").is_empty());
    }

    #[test]
    fn raw_mail_checks_its_senders() {
        let (ses, outbox, _) = verified_ses("us-east-1", "a@example.com");
        let spoofed = RAW.replace("From: Ann <a@example.com>", "From: x@example.com");
        let e = raw(&ses, None, &[], &spoofed).unwrap_err();
        assert_eq!(
            e.message(),
            "Email address is not verified. The following identities failed the check in region US-EAST-1: x@example.com"
        );
        // A verified Source does not cover an unverified From.
        let e = raw(&ses, Some("a@example.com"), &[], &spoofed).unwrap_err();
        assert_eq!(e.code(), "MessageRejected");
        assert!(outbox.to("b@example.com").is_empty());
    }

    #[test]
    fn raw_mail_needs_a_sender_and_a_recipient() {
        let (ses, _, _) = verified_ses("us-east-1", "a@example.com");
        let e = raw(&ses, None, &[], "To: b@example.com\r\n\r\nhi\r\n").unwrap_err();
        assert_eq!(e.message(), "Missing required header 'From'.");
        let e = raw(&ses, None, &[], "From: a@example.com\r\n\r\nhi\r\n").unwrap_err();
        assert_eq!(e.message(), "Missing required header 'To'.");
        let e = raw(
            &ses,
            None,
            &["b@example.com"],
            "From: a@example.com\r\nTo: \r\n\r\nhi\r\n",
        )
        .unwrap_err();
        assert_eq!(e.message(), "Empty required header 'To'.");
        let e = checked(SendRawEmailRequest::default()).unwrap_err();
        assert_eq!(e.code(), "ValidationError");
        // Garbage is refused, never a panic.
        for garbage in ["", "\u{0}\u{1}\u{2}", "no headers at all", ":\r\n\r\n"] {
            assert!(raw(&ses, None, &[], garbage).is_err(), "{garbage:?}");
        }
    }

    #[test]
    fn raw_mail_with_only_a_source_parameter_is_sent() {
        let (ses, outbox, _) = verified_ses("us-east-1", "a@example.com");
        let text = "To: b@example.com\r\nSubject: s\r\n\r\nhi\r\n";
        raw(&ses, Some("Ann <a@example.com>"), &[], text).unwrap();
        let [mail] = outbox.to("b@example.com").try_into().unwrap();
        assert_eq!(mail.source, "a@example.com");
        let parsed = mailparse::parse_mail(mail.raw_data.as_bytes()).unwrap();
        assert_eq!(
            parsed.headers.get_first_value("Subject").as_deref(),
            Some("s")
        );
    }
}
