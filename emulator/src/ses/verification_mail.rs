//! The message SES mails to an address given to `VerifyEmailIdentity`: who it is from,
//! its subject naming the region, and a body carrying the verification link.

use mail_builder::headers::date::Date;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;

use super::error::SesError;

/// The sender of SES's verification messages.
pub(crate) const SENDER: &str = "no-reply-aws@amazon.com";

/// The RFC 5322 text of the verification message for `to` in `region`.
pub(crate) fn build(to: &str, region: &str, link: &str, now_secs: i64) -> Result<String, SesError> {
    let region_name = region_name(region);
    let body = format!(
        "Dear Amazon Web Services Customer,\r\n\
         \r\n\
         We have received a request to authorize this email address for use with\r\n\
         Amazon SES and Amazon Pinpoint in region {region_name}.\r\n\
         If you requested this verification, please go to the following URL to\r\n\
         confirm that you are authorized to use this email address:\r\n\
         \r\n\
         {link}\r\n\
         \r\n\
         Your request will not be processed unless you confirm the address using\r\n\
         this URL. This link expires 24 hours after your original verification\r\n\
         request.\r\n\
         \r\n\
         If you did NOT request to verify this email address, do not click on the\r\n\
         link.\r\n\
         \r\n\
         Sincerely,\r\n\
         \r\n\
         The Amazon Web Services Team.\r\n"
    );
    // Sent as 7-bit text when it can be, so the link is readable in the raw message as
    // well (quoted-printable would turn its `=` into `=3D` and may break the line).
    let seven_bit = body.is_ascii() && body.lines().all(|l| l.len() <= 998);
    let mut part = MimePart::new("text/plain", body);
    if seven_bit {
        part = part.transfer_encoding("7bit");
    }
    MessageBuilder::new()
        .message_id(format!("{}@email.amazonses.com", uuid::Uuid::new_v4()))
        .date(Date::new(now_secs))
        .from(("Amazon Web Services", SENDER))
        .to(to)
        .subject(format!(
            "Amazon Web Services \u{2013} Email Address Verification Request in region {region_name}"
        ))
        .body(part)
        .write_to_string()
        .map_err(|e| SesError::InternalFailure(format!("cannot write the verification mail: {e}")))
}

/// The name AWS gives `region` in its console and mails, or the code itself for a region
/// this table does not know.
pub(crate) fn region_name(region: &str) -> &str {
    match region {
        "us-east-1" => "US East (N. Virginia)",
        "us-east-2" => "US East (Ohio)",
        "us-west-1" => "US West (N. California)",
        "us-west-2" => "US West (Oregon)",
        "af-south-1" => "Africa (Cape Town)",
        "ap-east-1" => "Asia Pacific (Hong Kong)",
        "ap-south-1" => "Asia Pacific (Mumbai)",
        "ap-south-2" => "Asia Pacific (Hyderabad)",
        "ap-southeast-1" => "Asia Pacific (Singapore)",
        "ap-southeast-2" => "Asia Pacific (Sydney)",
        "ap-southeast-3" => "Asia Pacific (Jakarta)",
        "ap-southeast-4" => "Asia Pacific (Melbourne)",
        "ap-southeast-5" => "Asia Pacific (Malaysia)",
        "ap-southeast-7" => "Asia Pacific (Thailand)",
        "ap-northeast-1" => "Asia Pacific (Tokyo)",
        "ap-northeast-2" => "Asia Pacific (Seoul)",
        "ap-northeast-3" => "Asia Pacific (Osaka)",
        "ca-central-1" => "Canada (Central)",
        "ca-west-1" => "Canada West (Calgary)",
        "eu-central-1" => "Europe (Frankfurt)",
        "eu-central-2" => "Europe (Zurich)",
        "eu-west-1" => "Europe (Ireland)",
        "eu-west-2" => "Europe (London)",
        "eu-west-3" => "Europe (Paris)",
        "eu-south-1" => "Europe (Milan)",
        "eu-south-2" => "Europe (Spain)",
        "eu-north-1" => "Europe (Stockholm)",
        "il-central-1" => "Israel (Tel Aviv)",
        "me-south-1" => "Middle East (Bahrain)",
        "me-central-1" => "Middle East (UAE)",
        "mx-central-1" => "Mexico (Central)",
        "sa-east-1" => "South America (S\u{e3}o Paulo)",
        "us-gov-east-1" => "AWS GovCloud (US-East)",
        "us-gov-west-1" => "AWS GovCloud (US-West)",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mailparse::MailHeaderMap;

    #[test]
    fn names_the_region_and_carries_the_link_on_its_own_line() {
        let link = "http://127.0.0.1:4566/_aws/ses/verify?token=abc";
        let raw = build("a@example.com", "us-east-1", link, 0).unwrap();
        let parsed = mailparse::parse_mail(raw.as_bytes()).unwrap();
        assert_eq!(
            parsed.headers.get_first_value("Subject").as_deref(),
            Some("Amazon Web Services \u{2013} Email Address Verification Request in region US East (N. Virginia)")
        );
        let from = parsed.headers.get_first_header("From").unwrap();
        let from = mailparse::addrparse_header(from)
            .unwrap()
            .extract_single_info()
            .unwrap();
        assert_eq!(from.addr, SENDER);
        let body = parsed.get_body().unwrap();
        assert!(body.lines().any(|l| l.trim() == link), "{body}");
        // The link is readable in the raw text as well.
        assert!(raw.contains(link), "{raw}");
    }

    #[test]
    fn a_long_link_stays_whole_in_the_raw_text() {
        let link = format!(
            "http://{}.example:4566/_aws/ses/verify?token=abc",
            "h".repeat(80)
        );
        let raw = build("a@example.com", "ap-southeast-2", &link, 0).unwrap();
        assert!(raw.contains(&format!("\r\n{link}\r\n")), "{raw}");
    }

    #[test]
    fn unknown_regions_are_named_by_their_code() {
        assert_eq!(region_name("xx-test-9"), "xx-test-9");
        assert_eq!(region_name("eu-west-1"), "Europe (Ireland)");
    }
}
