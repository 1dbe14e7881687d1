//! The AWS query protocol, as SES (API version 2010-12-01) speaks it: a form-encoded body
//! (`Action=SendEmail&Version=2010-12-01&Source=...`) in, XML out.
//!
//! This layer only frames: the envelope (`Action`, `Version`, the response and error
//! documents). The generated dispatch (`crate::generated::ses`) reads the form parameters
//! into the action's typed input, validates it against the model and writes its output
//! as XML; what the actions do is `crate::ses`'s business.

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub use super::query_codec::{xml_text, FromQuery, QueryError, QueryParams, ToXml, XmlWriter};
use crate::context::RequestContext;
use crate::generated::ses::operations::QueryOutput;
use crate::ses::{Ses, SesError, SesResult, EMULATED};

/// The XML namespace of every SES response.
const NAMESPACE: &str = "http://ses.amazonaws.com/doc/2010-12-01/";
/// The API version this emulates.
const VERSION: &str = "2010-12-01";

/// Decodes an AWS query-protocol request (form-encoded body with `Action=...&Version=...`),
/// runs the SES action, and encodes the XML response or the XML error envelope.
pub fn handle(ses: &Ses, ctx: &RequestContext, body: &[u8]) -> Response {
    respond(process(ses, ctx, body))
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

fn process(ses: &Ses, ctx: &RequestContext, body: &[u8]) -> Reply {
    let request_id = uuid::Uuid::new_v4().to_string();
    let outcome = decode(body).and_then(|params| dispatch(ses, ctx, &params));
    match outcome {
        Ok((action, output)) => {
            tracing::debug!(action, request_id, "SES request served");
            Reply {
                status: 200,
                xml: success_xml(&action, &output, &request_id),
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

fn decode(body: &[u8]) -> SesResult<QueryParams> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|e| {
        SesError::MalformedQueryString(format!("The request body is not a valid form: {e}"))
    })?;
    Ok(QueryParams::new(pairs))
}

impl From<QueryError> for SesError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::NotANumber { key, value } => {
                // `Message.Body` -> `message.body`: the model's member path, as
                // validation names it.
                let path: Vec<String> = key
                    .split('.')
                    .map(|part| {
                        let mut chars = part.chars();
                        chars
                            .next()
                            .map(|c| c.to_lowercase().chain(chars).collect())
                            .unwrap_or_default()
                    })
                    .collect();
                SesError::invalid_member(&path.join("."), &value, "Member must be a number")
            }
            QueryError::Invalid(message) => SesError::InvalidParameterValue(message),
        }
    }
}

/// Runs the action the parameters name: its name and what it answered.
fn dispatch(
    ses: &Ses,
    ctx: &RequestContext,
    params: &QueryParams,
) -> SesResult<(String, QueryOutput)> {
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
    let unknown = || {
        SesError::InvalidAction(format!(
            "Could not find operation {action} for version {VERSION}"
        ))
    };
    // Not emulated comes before validation: the caller learns what matters first.
    if crate::generated::ses::OPERATIONS.contains(&action) && !EMULATED.contains(&action) {
        return Err(SesError::not_emulated(action));
    }
    let output =
        crate::generated::ses::dispatch(ses, ctx, action, params).ok_or_else(unknown)??;
    Ok((action.to_owned(), output))
}

fn success_xml(action: &str, output: &QueryOutput, request_id: &str) -> String {
    let mut xml = format!("<{action}Response xmlns=\"{NAMESPACE}\">\n");
    match output.result_element {
        Some(element) if output.xml.is_empty() => xml.push_str(&format!("  <{element}/>\n")),
        Some(element) => xml.push_str(&format!("  <{element}>{}</{element}>\n", output.xml)),
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
    use base64::Engine;

    use crate::ses::testing::{ctx, mailed_token, ses, verified_ses};

    fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
        serde_urlencoded::to_string(pairs).unwrap().into_bytes()
    }

    fn call(ses: &Ses, pairs: &[(&str, &str)]) -> Reply {
        process(ses, &ctx("us-east-1"), &form(pairs))
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
            let reply = process(&ses, &ctx("us-east-1"), body);
            assert_error(&reply, 400, "MissingAction");
        }
    }

    #[tokio::test]
    async fn handle_sets_status_content_type_and_request_id() {
        let (ses, _, _) = ses();
        let response = handle(&ses, &ctx("us-east-1"), b"Action=Nope");
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
