//! The AWS query protocol, as SES (API version 2010-12-01) speaks it: a form-encoded body
//! (`Action=SendEmail&Version=2010-12-01&Source=...`) in, XML out.
//!
//! This layer only translates: form parameters become the operation's typed input, and
//! the operation's output or [`SesError`] becomes SES's XML. What the operations do is
//! `crate::ses`'s business.

use std::collections::BTreeMap;

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;

pub use super::query_codec::{xml_text, FromQuery, QueryParams, ToXml, XmlWriter};
use crate::context::RequestContext;
use crate::ses::{
    Body, Content, DeleteIdentityInput, DeleteVerifiedEmailAddressInput, Destination,
    GetIdentityVerificationAttributesInput, ListIdentitiesInput, Message, SendEmailInput,
    SendRawEmailInput, Ses, SesError, SesResult, VerifyDomainIdentityInput,
    VerifyEmailIdentityInput,
};

/// The XML namespace of every SES response.
const NAMESPACE: &str = "http://ses.amazonaws.com/doc/2010-12-01/";
/// The API version this emulates.
const VERSION: &str = "2010-12-01";

/// Decodes an AWS query-protocol request (form-encoded body with `Action=...&Version=...`),
/// runs the SES action, and encodes the XML response or the XML error envelope.
///
/// `base_url` is the emulator's own base URL as the client reached it; verification
/// links are built on it.
pub fn handle(ses: &Ses, ctx: &RequestContext, body: &[u8], base_url: &str) -> Response {
    respond(process(ses, ctx, body, base_url))
}

/// The XML error envelope for `error`, for failures before an action runs (an
/// oversized body).
pub fn error_response(error: &SesError) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    respond(Reply {
        status: error.http_status(),
        xml: error_xml(error, &request_id),
        request_id,
    })
}

fn respond(reply: Reply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = (status, reply.xml).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(id) = HeaderValue::from_str(&reply.request_id) {
        headers.insert(HeaderName::from_static("x-amzn-requestid"), id);
    }
    response
}

/// A response before it becomes HTTP.
#[derive(Debug)]
struct Reply {
    status: u16,
    request_id: String,
    xml: String,
}

fn process(ses: &Ses, ctx: &RequestContext, body: &[u8], base_url: &str) -> Reply {
    let request_id = uuid::Uuid::new_v4().to_string();
    let outcome = Params::decode(body).and_then(|params| dispatch(ses, ctx, &params, base_url));
    match outcome {
        Ok(success) => {
            tracing::debug!(action = success.action, request_id, "SES request served");
            Reply {
                status: 200,
                xml: success_xml(&success, &request_id),
                request_id,
            }
        }
        Err(error) => {
            tracing::debug!(
                code = error.code(),
                message = error.message(),
                request_id,
                "SES request refused"
            );
            Reply {
                status: error.http_status(),
                xml: error_xml(&error, &request_id),
                request_id,
            }
        }
    }
}

/// What a successful action answers: its name and the inside of its result element.
struct Success {
    action: &'static str,
    /// The `<{Action}Result>` element's content; `None` for actions without output, whose
    /// response has no result element at all.
    result: Option<String>,
}

impl Success {
    fn with(action: &'static str, result: XmlWriter) -> SesResult<Self> {
        Ok(Self {
            action,
            result: Some(result.finish()),
        })
    }

    fn empty(action: &'static str) -> SesResult<Self> {
        Self::with(action, XmlWriter::default())
    }

    fn no_output(action: &'static str) -> SesResult<Self> {
        Ok(Self {
            action,
            result: None,
        })
    }
}

fn dispatch(
    ses: &Ses,
    ctx: &RequestContext,
    params: &Params,
    base_url: &str,
) -> SesResult<Success> {
    let Some(action) = params.get("Action").filter(|a| !a.is_empty()) else {
        return Err(SesError::MissingAction(
            "The request is missing an action or a required parameter.".into(),
        ));
    };
    if let Some(version) = params.get("Version").filter(|v| *v != VERSION) {
        return Err(SesError::InvalidAction(format!(
            "Could not find operation {action} for version {version}"
        )));
    }
    match action {
        "VerifyEmailIdentity" => {
            ses.verify_email_identity(ctx, verify_email_input(params), base_url)?;
            Success::empty("VerifyEmailIdentity")
        }
        "VerifyEmailAddress" => {
            ses.verify_email_identity(ctx, verify_email_input(params), base_url)?;
            Success::no_output("VerifyEmailAddress")
        }
        "VerifyDomainIdentity" => {
            let input = VerifyDomainIdentityInput {
                domain: params.string("Domain"),
            };
            let out = ses.verify_domain_identity(ctx, input)?;
            let mut xml = XmlWriter::default();
            xml.leaf("VerificationToken", &out.verification_token);
            Success::with("VerifyDomainIdentity", xml)
        }
        "GetIdentityVerificationAttributes" => {
            let input = GetIdentityVerificationAttributesInput {
                identities: params.list("Identities"),
            };
            let out = ses.get_identity_verification_attributes(ctx, input)?;
            let mut xml = XmlWriter::default();
            xml.open("VerificationAttributes");
            for (identity, attributes) in &out.verification_attributes {
                xml.open("entry");
                xml.leaf("key", identity);
                xml.open("value");
                xml.leaf(
                    "VerificationStatus",
                    attributes.verification_status.as_str(),
                );
                if let Some(token) = &attributes.verification_token {
                    xml.leaf("VerificationToken", token);
                }
                xml.close("value");
                xml.close("entry");
            }
            xml.close("VerificationAttributes");
            Success::with("GetIdentityVerificationAttributes", xml)
        }
        "ListIdentities" => {
            let input = ListIdentitiesInput {
                identity_type: params.string("IdentityType"),
                max_items: params.integer("MaxItems", "maxItems")?,
                next_token: params.string("NextToken"),
            };
            let out = ses.list_identities(ctx, input)?;
            let mut xml = XmlWriter::default();
            xml.members("Identities", &out.identities);
            if let Some(token) = &out.next_token {
                xml.leaf("NextToken", token);
            }
            Success::with("ListIdentities", xml)
        }
        "ListVerifiedEmailAddresses" => {
            let out = ses.list_verified_email_addresses(ctx)?;
            let mut xml = XmlWriter::default();
            xml.members("VerifiedEmailAddresses", &out.verified_email_addresses);
            Success::with("ListVerifiedEmailAddresses", xml)
        }
        "DeleteIdentity" => {
            let input = DeleteIdentityInput {
                identity: params.string("Identity"),
            };
            ses.delete_identity(ctx, input)?;
            Success::empty("DeleteIdentity")
        }
        "DeleteVerifiedEmailAddress" => {
            let input = DeleteVerifiedEmailAddressInput {
                email_address: params.string("EmailAddress"),
            };
            ses.delete_verified_email_address(ctx, input)?;
            Success::no_output("DeleteVerifiedEmailAddress")
        }
        "SendEmail" => {
            let out = ses.send_email(ctx, send_email_input(params))?;
            let mut xml = XmlWriter::default();
            xml.leaf("MessageId", &out.message_id);
            Success::with("SendEmail", xml)
        }
        "SendRawEmail" => {
            let out = ses.send_raw_email(ctx, send_raw_email_input(params)?)?;
            let mut xml = XmlWriter::default();
            xml.leaf("MessageId", &out.message_id);
            Success::with("SendRawEmail", xml)
        }
        other if crate::generated::ses::OPERATIONS.contains(&other) => {
            Err(SesError::InvalidAction(format!(
                "The action {other} is not emulated by cognito-emulator"
            )))
        }
        other => Err(SesError::InvalidAction(format!(
            "Could not find operation {other} for version {VERSION}"
        ))),
    }
}

fn verify_email_input(params: &Params) -> VerifyEmailIdentityInput {
    VerifyEmailIdentityInput {
        email_address: params.string("EmailAddress"),
    }
}

fn content(params: &Params, prefix: &str) -> Option<Content> {
    params.has(prefix).then(|| Content {
        data: params.string(&format!("{prefix}.Data")),
        charset: params.string(&format!("{prefix}.Charset")),
    })
}

fn send_email_input(params: &Params) -> SendEmailInput {
    let destination = params.has("Destination").then(|| Destination {
        to_addresses: params.list("Destination.ToAddresses").unwrap_or_default(),
        cc_addresses: params.list("Destination.CcAddresses").unwrap_or_default(),
        bcc_addresses: params.list("Destination.BccAddresses").unwrap_or_default(),
    });
    let message = params.has("Message").then(|| Message {
        subject: content(params, "Message.Subject"),
        body: params.has("Message.Body").then(|| Body {
            text: content(params, "Message.Body.Text"),
            html: content(params, "Message.Body.Html"),
        }),
    });
    SendEmailInput {
        source: params.string("Source"),
        destination,
        message,
        reply_to_addresses: params.list("ReplyToAddresses").unwrap_or_default(),
        return_path: params.string("ReturnPath"),
    }
}

fn send_raw_email_input(params: &Params) -> SesResult<SendRawEmailInput> {
    let raw_message = match params.get("RawMessage.Data") {
        None => None,
        Some(data) => {
            // Blobs travel as base64; tolerate the line breaks some encoders insert.
            let compact: String = data.chars().filter(|c| !c.is_ascii_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|_| {
                    SesError::InvalidParameterValue(
                        "Invalid base64 value for parameter RawMessage.Data".into(),
                    )
                })?;
            Some(bytes)
        }
    };
    Ok(SendRawEmailInput {
        source: params.string("Source"),
        destinations: params.list("Destinations").unwrap_or_default(),
        raw_message,
    })
}

/// The form parameters of a request.
#[derive(Debug, Default)]
struct Params {
    /// By name; when a name repeats, the first value counts.
    values: BTreeMap<String, String>,
}

impl Params {
    fn decode(body: &[u8]) -> SesResult<Self> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|e| {
            SesError::MalformedQueryString(format!("The request body is not a valid form: {e}"))
        })?;
        let mut values = BTreeMap::new();
        for (name, value) in pairs {
            values.entry(name).or_insert(value);
        }
        Ok(Self { values })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    /// Whether the structure or list `prefix` was sent: the name itself (an empty list
    /// is sent as `Name=`) or any member under it.
    fn has(&self, prefix: &str) -> bool {
        let nested = format!("{prefix}.");
        self.values
            .keys()
            .any(|k| k == prefix || k.starts_with(&nested))
    }

    /// The list `prefix`, from `prefix.member.1`, `prefix.member.2`, ... in index order;
    /// `None` when the list was not sent at all.
    fn list(&self, prefix: &str) -> Option<Vec<String>> {
        if !self.has(prefix) {
            return None;
        }
        let member = format!("{prefix}.member.");
        let mut items: Vec<(u64, &String)> = self
            .values
            .iter()
            .filter_map(|(k, v)| {
                let index = k.strip_prefix(&member)?.parse::<u64>().ok()?;
                Some((index, v))
            })
            .collect();
        items.sort_by_key(|(index, _)| *index);
        Some(items.into_iter().map(|(_, v)| v.clone()).collect())
    }

    /// An integer parameter; `member` is its name in validation messages.
    fn integer(&self, name: &str, member: &str) -> SesResult<Option<i64>> {
        match self.get(name) {
            None => Ok(None),
            Some(value) => value
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| SesError::invalid_member(member, value, "Member must be a number")),
        }
    }
}

fn success_xml(success: &Success, request_id: &str) -> String {
    let action = success.action;
    let mut xml = format!("<{action}Response xmlns=\"{NAMESPACE}\">\n");
    match &success.result {
        Some(result) if result.is_empty() => xml.push_str(&format!("  <{action}Result/>\n")),
        Some(result) => xml.push_str(&format!("  <{action}Result>{result}</{action}Result>\n")),
        None => {}
    }
    xml.push_str(&format!(
        "  <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  </ResponseMetadata>\n</{action}Response>\n",
        xml_text(request_id)
    ));
    xml
}

fn error_xml(error: &SesError, request_id: &str) -> String {
    let fault = if error.is_sender_fault() {
        "Sender"
    } else {
        "Receiver"
    };
    format!(
        "<ErrorResponse xmlns=\"{NAMESPACE}\">\n  <Error>\n    <Type>{fault}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{}</RequestId>\n</ErrorResponse>\n",
        xml_text(error.code()),
        xml_text(error.message()),
        xml_text(request_id)
    )
}

#[cfg(test)]
mod tests {
    use quick_xml::events::Event;

    use super::*;
    use crate::ses::testing::{ctx, mailed_token, ses, verified_ses, BASE};

    fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
        serde_urlencoded::to_string(pairs).unwrap().into_bytes()
    }

    fn call(ses: &Ses, pairs: &[(&str, &str)]) -> Reply {
        process(ses, &ctx("us-east-1"), &form(pairs), BASE)
    }

    /// The texts of every `tag` element, unescaped; panics unless `xml` is well-formed.
    fn texts(xml: &str, tag: &str) -> Vec<String> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut found = Vec::new();
        let mut current: Option<String> = None;
        loop {
            match reader
                .read_event()
                .unwrap_or_else(|e| panic!("bad XML: {e}\n{xml}"))
            {
                Event::Start(e) if e.local_name().as_ref() == tag.as_bytes() => {
                    current = Some(String::new());
                }
                Event::Empty(e) if e.local_name().as_ref() == tag.as_bytes() => {
                    found.push(String::new());
                }
                Event::End(e) if e.local_name().as_ref() == tag.as_bytes() => {
                    found.extend(current.take());
                }
                Event::Text(t) => {
                    if let Some(text) = current.as_mut() {
                        text.push_str(&t.decode().unwrap());
                    }
                }
                Event::GeneralRef(r) => {
                    if let Some(text) = current.as_mut() {
                        match r.resolve_char_ref().unwrap() {
                            Some(c) => text.push(c),
                            None => text.push_str(
                                quick_xml::escape::resolve_predefined_entity(&r.decode().unwrap())
                                    .unwrap(),
                            ),
                        }
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        found
    }

    fn text(xml: &str, tag: &str) -> String {
        let all = texts(xml, tag);
        assert_eq!(all.len(), 1, "one <{tag}> in {xml}");
        all.into_iter().next().unwrap_or_default()
    }

    fn assert_error(reply: &Reply, status: u16, code: &str) {
        assert_eq!(reply.status, status, "{}", reply.xml);
        assert!(reply
            .xml
            .starts_with(&format!("<ErrorResponse xmlns=\"{NAMESPACE}\">")));
        assert_eq!(text(&reply.xml, "Code"), code, "{}", reply.xml);
        assert_eq!(text(&reply.xml, "RequestId"), reply.request_id);
    }

    #[test]
    fn verify_then_get_attributes_through_the_wire() {
        let (ses, outbox, _) = ses();
        let reply = call(
            &ses,
            &[
                ("Action", "VerifyEmailIdentity"),
                ("Version", VERSION),
                ("EmailAddress", "a@example.com"),
            ],
        );
        assert_eq!(reply.status, 200, "{}", reply.xml);
        assert!(reply.xml.starts_with(&format!(
            "<VerifyEmailIdentityResponse xmlns=\"{NAMESPACE}\">\n  <VerifyEmailIdentityResult/>"
        )));
        assert_eq!(text(&reply.xml, "RequestId"), reply.request_id);

        let attributes = |ses: &Ses| {
            call(
                ses,
                &[
                    ("Action", "GetIdentityVerificationAttributes"),
                    ("Version", VERSION),
                    ("Identities.member.1", "a@example.com"),
                    ("Identities.member.2", "unknown@example.com"),
                ],
            )
        };
        let reply = attributes(&ses);
        assert_eq!(reply.status, 200);
        assert_eq!(texts(&reply.xml, "key"), ["a@example.com"]);
        assert_eq!(text(&reply.xml, "VerificationStatus"), "Pending");

        assert!(ses.confirm_verification(&mailed_token(&outbox, "a@example.com")));
        let reply = attributes(&ses);
        assert_eq!(text(&reply.xml, "VerificationStatus"), "Success");
        assert!(reply.xml.contains(
            "<VerificationAttributes><entry><key>a@example.com</key><value><VerificationStatus>Success</VerificationStatus></value></entry></VerificationAttributes>"
        ));
    }

    #[test]
    fn the_old_verify_action_has_no_result_element() {
        let (ses, _, _) = ses();
        let reply = call(
            &ses,
            &[
                ("Action", "VerifyEmailAddress"),
                ("EmailAddress", "a@example.com"),
            ],
        );
        assert_eq!(reply.status, 200);
        assert!(!reply.xml.contains("Result"));
        assert!(reply.xml.starts_with("<VerifyEmailAddressResponse"));
    }

    #[test]
    fn send_email_answers_the_message_id() {
        let (ses, outbox, _) = verified_ses("us-east-1", "a@example.com");
        let reply = call(
            &ses,
            &[
                ("Action", "SendEmail"),
                ("Version", VERSION),
                ("Source", "Ann <a@example.com>"),
                ("Destination.ToAddresses.member.2", "c@example.com"),
                ("Destination.ToAddresses.member.1", "b@example.com"),
                ("Destination.BccAddresses.member.1", "d@example.com"),
                ("Message.Subject.Data", "Hi & <bye>"),
                ("Message.Subject.Charset", "UTF-8"),
                ("Message.Body.Text.Data", "code 123456"),
                ("ReplyToAddresses.member.1", "r@example.com"),
            ],
        );
        assert_eq!(reply.status, 200, "{}", reply.xml);
        let id = text(&reply.xml, "MessageId");
        let [mail] = outbox.to("c@example.com").try_into().unwrap();
        assert_eq!(mail.id, id);
        assert_eq!(
            mail.destination.to_addresses,
            ["b@example.com", "c@example.com"]
        );
        assert_eq!(mail.destination.bcc_addresses, ["d@example.com"]);
        assert_eq!(mail.subject.as_deref(), Some("Hi & <bye>"));
    }

    #[test]
    fn an_unverified_sender_gets_the_error_envelope() {
        let (ses, _, _) = ses();
        let reply = call(
            &ses,
            &[
                ("Action", "SendEmail"),
                ("Version", VERSION),
                ("Source", "a@example.com"),
                ("Destination.ToAddresses.member.1", "b@example.com"),
                ("Message.Subject.Data", "s"),
                ("Message.Body.Text.Data", "t"),
            ],
        );
        assert_error(&reply, 400, "MessageRejected");
        assert_eq!(text(&reply.xml, "Type"), "Sender");
        assert_eq!(
            text(&reply.xml, "Message"),
            "Email address is not verified. The following identities failed the check in region US-EAST-1: a@example.com"
        );
    }

    #[test]
    fn missing_members_are_a_validation_error() {
        let (ses, _, _) = ses();
        let reply = call(
            &ses,
            &[
                ("Action", "SendEmail"),
                ("Version", VERSION),
                ("Destination.ToAddresses.member.1", "b@example.com"),
                ("Message.Subject.Data", "s"),
                ("Message.Body.Text.Data", "t"),
            ],
        );
        assert_error(&reply, 400, "ValidationError");
        assert_eq!(
            text(&reply.xml, "Message"),
            "1 validation error detected: Value null at 'source' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn send_raw_email_decodes_base64_and_refuses_garbage() {
        let (ses, outbox, _) = verified_ses("us-east-1", "a@example.com");
        let message = "From: a@example.com\r\nTo: b@example.com\r\nSubject: raw\r\n\r\nhello\r\n";
        let data = base64::engine::general_purpose::STANDARD.encode(message);
        let reply = call(
            &ses,
            &[
                ("Action", "SendRawEmail"),
                ("Version", VERSION),
                ("RawMessage.Data", &data),
            ],
        );
        assert_eq!(reply.status, 200, "{}", reply.xml);
        let [mail] = outbox.to("b@example.com").try_into().unwrap();
        assert_eq!(mail.raw_data, message);
        assert_eq!(mail.id, text(&reply.xml, "MessageId"));

        let reply = call(
            &ses,
            &[
                ("Action", "SendRawEmail"),
                ("RawMessage.Data", "%%% not base64"),
            ],
        );
        assert_error(&reply, 400, "InvalidParameterValue");
        let reply = call(&ses, &[("Action", "SendRawEmail")]);
        assert_error(&reply, 400, "ValidationError");
    }

    #[test]
    fn list_identities_pages_with_next_token() {
        let (ses, _, _) = ses();
        for addr in ["a@example.com", "b@example.com", "c@example.com"] {
            let reply = call(
                &ses,
                &[("Action", "VerifyEmailIdentity"), ("EmailAddress", addr)],
            );
            assert_eq!(reply.status, 200);
        }
        let reply = call(
            &ses,
            &[
                ("Action", "ListIdentities"),
                ("IdentityType", "EmailAddress"),
                ("MaxItems", "2"),
            ],
        );
        assert_eq!(reply.status, 200, "{}", reply.xml);
        assert_eq!(
            texts(&reply.xml, "member"),
            ["a@example.com", "b@example.com"]
        );
        let token = text(&reply.xml, "NextToken");
        let reply = call(
            &ses,
            &[
                ("Action", "ListIdentities"),
                ("MaxItems", "2"),
                ("NextToken", &token),
            ],
        );
        assert_eq!(texts(&reply.xml, "member"), ["c@example.com"]);
        assert!(texts(&reply.xml, "NextToken").is_empty());

        let reply = call(&ses, &[("Action", "ListIdentities"), ("MaxItems", "lots")]);
        assert_error(&reply, 400, "ValidationError");
        let empty = process(
            &ses,
            &ctx("eu-west-1"),
            &form(&[("Action", "ListIdentities")]),
            BASE,
        );
        assert!(empty
            .xml
            .contains("<ListIdentitiesResult><Identities></Identities></ListIdentitiesResult>"));
    }

    #[test]
    fn delete_identity_answers_an_empty_result() {
        let (ses, _, _) = verified_ses("us-east-1", "a@example.com");
        let reply = call(
            &ses,
            &[("Action", "DeleteIdentity"), ("Identity", "a@example.com")],
        );
        assert_eq!(reply.status, 200);
        assert!(reply.xml.contains("<DeleteIdentityResult/>"));
        let reply = call(&ses, &[("Action", "ListIdentities")]);
        assert!(texts(&reply.xml, "member").is_empty());
    }

    #[test]
    fn text_is_escaped_and_stays_well_formed() {
        let (ses, _, _) = ses();
        let nasty = "<x&y>\"'\u{1}\r@";
        let reply = call(
            &ses,
            &[("Action", "VerifyEmailIdentity"), ("EmailAddress", nasty)],
        );
        assert_error(&reply, 400, "InvalidParameterValue");
        let reply = call(&ses, &[("Action", "Frob<&>\u{0}")]);
        assert_error(&reply, 400, "InvalidAction");
        assert_eq!(
            text(&reply.xml, "Message"),
            "Could not find operation Frob<&>\u{FFFD} for version 2010-12-01"
        );
        assert_eq!(xml_text("a\r\nb<"), "a&#13;\nb&lt;");
    }

    #[test]
    fn actions_that_are_not_emulated_say_so() {
        let (ses, _, _) = ses();
        let reply = call(&ses, &[("Action", "GetSendQuota"), ("Version", VERSION)]);
        assert_error(&reply, 400, "InvalidAction");
        assert_eq!(
            text(&reply.xml, "Message"),
            "The action GetSendQuota is not emulated by cognito-emulator"
        );
        let reply = call(&ses, &[("Action", "SendEmail"), ("Version", "2099-01-01")]);
        assert_error(&reply, 400, "InvalidAction");
    }

    #[test]
    fn garbage_bodies_get_an_error_never_a_panic() {
        let (ses, _, _) = ses();
        for body in [
            &b""[..],
            b"{\"Action\": \"SendEmail\"}",
            b"\xff\xfe\x00garbage=%zz&&==",
            b"Action=",
            b"Version=2010-12-01",
        ] {
            let reply = process(&ses, &ctx("us-east-1"), body, BASE);
            assert_error(&reply, 400, "MissingAction");
        }
    }

    #[tokio::test]
    async fn handle_sets_status_content_type_and_request_id() {
        let (ses, _, _) = ses();
        let response = handle(&ses, &ctx("us-east-1"), b"Action=Nope", BASE);
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/xml");
        let request_id = response.headers()["x-amzn-requestid"]
            .to_str()
            .unwrap()
            .to_owned();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let xml = String::from_utf8(body.to_vec()).unwrap();
        assert_eq!(text(&xml, "RequestId"), request_id);
        assert_eq!(text(&xml, "Code"), "InvalidAction");
    }
}
