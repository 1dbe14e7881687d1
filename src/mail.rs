//! Reading a confirmation code (or a link) out of a raw mail.
//!
//! Cognito renders the pool's message template (for example
//! `Your verification code is {####}. `) into the mail it sends. Instead of
//! guessing ("the first 6 digits"), the harness turns that same template into a
//! regular expression and reads the code from the position the template puts it
//! in, so a date, an order number or a footer can never be mistaken for the code.
//!
//! Mails are parsed with [`mailparse`]: nested multipart bodies,
//! quoted-printable and base64 transfer encodings, charsets and RFC 2047
//! encoded headers are all decoded before searching.

use std::sync::LazyLock;

use mailparse::{MailHeaderMap, ParsedMail};
use regex::Regex;

/// How many characters of body text an error message may show.
const EXCERPT_CHARS: usize = 400;

/// Why a code, subject or link could not be read from a mail.
///
/// No variant ever carries a code in clear: body excerpts are passed through
/// [`redact_codes`] first.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The bytes are not a message mailparse can read, or a part's transfer
    /// encoding could not be undone.
    #[error("mail is unparseable: {reason}")]
    Unparseable {
        /// What mailparse reported.
        reason: String,
    },
    /// The message has no text/plain or text/html part to search.
    #[error("mail has no text/plain or text/html part (parts found: {parts})")]
    NoTextPart {
        /// The MIME types of the parts that were found, comma separated.
        parts: String,
    },
    /// The template has no `{####}` placeholder, so there is nothing to extract.
    #[error("message template {template:?} has no {{####}} placeholder for the code")]
    TemplateWithoutCode {
        /// The template as given.
        template: String,
    },
    /// The template's text was not found in any text part of the mail.
    #[error(
        "no code found: the mail does not contain the message template {template:?}; \
         mail text (numbers masked): {excerpt:?}"
    )]
    NoCode {
        /// The template as given.
        template: String,
        /// The start of the mail's text, with anything code-like masked by
        /// [`redact_codes`].
        excerpt: String,
    },
}

/// The decoded text bodies of a message, in document order.
#[derive(Debug, Default)]
struct Bodies {
    plain: Vec<String>,
    html: Vec<String>,
    /// MIME types of every leaf part, for error messages.
    seen: Vec<String>,
}

fn parse(raw: &[u8]) -> Result<ParsedMail<'_>, MailError> {
    mailparse::parse_mail(raw).map_err(|e| MailError::Unparseable {
        reason: e.to_string(),
    })
}

fn bodies(raw: &[u8]) -> Result<Bodies, MailError> {
    let mail = parse(raw)?;
    let mut out = Bodies::default();
    collect(&mail, &mut out)?;
    Ok(out)
}

/// Walks the MIME tree depth first, keeping inline text parts.
fn collect(part: &ParsedMail<'_>, out: &mut Bodies) -> Result<(), MailError> {
    let mimetype = part.ctype.mimetype.as_str();
    if mimetype.starts_with("multipart/") {
        for sub in &part.subparts {
            collect(sub, out)?;
        }
        return Ok(());
    }
    out.seen.push(mimetype.to_string());
    // A text attachment (a log, a CSV) is not the message the user reads.
    if part.get_content_disposition().disposition == mailparse::DispositionType::Attachment {
        return Ok(());
    }
    let is_plain = mimetype == "text/plain";
    let is_html = mimetype == "text/html";
    if !is_plain && !is_html {
        return Ok(());
    }
    let body = part.get_body().map_err(|e| MailError::Unparseable {
        reason: format!("cannot decode the {mimetype} part: {e}"),
    })?;
    if is_plain {
        out.plain.push(body);
    } else {
        out.html.push(body);
    }
    Ok(())
}

/// The decoded `Subject` header (RFC 2047 encoded words are decoded), if any.
///
/// # Errors
/// [`MailError::Unparseable`] when the header block cannot be parsed.
pub fn subject(raw: &[u8]) -> Result<Option<String>, MailError> {
    // Only the header block is needed; a broken body must not hide the subject.
    let (headers, _) = mailparse::parse_headers(raw).map_err(|e| MailError::Unparseable {
        reason: e.to_string(),
    })?;
    Ok(headers.get_first_value("Subject"))
}

/// All readable text of the mail: the text/plain parts, or, when there are none,
/// the text/html parts with tags stripped and entities decoded.
///
/// Meant for error messages and for finding links; it may contain codes, so
/// pass it through [`redact_codes`] before printing.
///
/// # Errors
/// [`MailError::Unparseable`] when the message or a text part cannot be decoded.
pub fn text_of(raw: &[u8]) -> Result<String, MailError> {
    let b = bodies(raw)?;
    let texts: Vec<String> = if b.plain.is_empty() {
        b.html.iter().map(|h| strip_html(h)).collect()
    } else {
        b.plain
    };
    Ok(texts.join("\n\n"))
}

/// The first `http(s)://` URL of the mail, for link-style verification mails
/// such as SES's "Email Address Verification Request".
///
/// Text parts are searched first (sentence punctuation after the URL is
/// dropped), then the `href` attributes of HTML parts (entities decoded), then
/// the visible text of HTML parts.
///
/// # Errors
/// [`MailError::Unparseable`] when the message or a text part cannot be decoded.
pub fn find_link(raw: &[u8]) -> Result<Option<String>, MailError> {
    static URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"https?://[^\s<>"']+"#).expect("static regex"));
    static HREF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)\bhref\s*=\s*["']?(https?://[^"'\s>]+)"#).expect("static regex")
    });
    let trim = |url: &str| {
        url.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']'])
            .to_string()
    };
    let b = bodies(raw)?;
    for text in &b.plain {
        if let Some(m) = URL.find(text) {
            return Ok(Some(trim(m.as_str())));
        }
    }
    for html in &b.html {
        if let Some(c) = HREF.captures(html) {
            return Ok(Some(decode_entities(&c[1])));
        }
    }
    for html in &b.html {
        if let Some(m) = URL.find(&strip_html(html)) {
            return Ok(Some(trim(m.as_str())));
        }
    }
    Ok(None)
}

/// Extracts the code that `template` (the pool's message template, with the
/// `{####}` placeholder) puts in the mail.
///
/// The template becomes a regular expression: literal text is matched exactly,
/// any whitespace run matches any whitespace run, `{username}` (and a
/// `{##link text##}` placeholder) matches any non-empty text, and `{####}`
/// captures the code: `\S+?` up to the literal text that follows it, or to the
/// next whitespace when it ends the template. Punctuation the template puts
/// right after the placeholder (`{####}.`) is part of the template, not of the
/// code: the match then requires whitespace, a tag or the end after it, so a
/// temporary password containing a `.` is still read whole. Leading and
/// trailing whitespace of the template is ignored.
///
/// Search order: the text/plain parts; then the text/html parts with tags
/// stripped and entities decoded (matched with the template stripped the same
/// way, so an HTML template also matches); last the raw HTML (for a code inside
/// an attribute), where the capture stops at the first `<` and has its
/// entities decoded. The first match wins.
///
/// # Errors
/// [`MailError::TemplateWithoutCode`] when the template has no `{####}`,
/// [`MailError::NoTextPart`] when the mail has no text, [`MailError::NoCode`]
/// when no text part matches the template (its excerpt is masked), and
/// [`MailError::Unparseable`] when the mail cannot be decoded.
pub fn extract_code(raw: &[u8], template: &str) -> Result<String, MailError> {
    let full = template_regex(template)?.ok_or_else(|| MailError::TemplateWithoutCode {
        template: template.to_string(),
    })?;
    let stripped_template = strip_html(template);
    // An HTML template whose placeholder sits in an attribute has no code left
    // once stripped; the full template still serves for the raw HTML.
    let stripped = match template_regex(&stripped_template)? {
        Some(re) if stripped_template.trim() != template.trim() => Some(re),
        _ => None,
    };
    let patterns: Vec<&Regex> = std::iter::once(&full).chain(stripped.as_ref()).collect();
    let patterns_stripped_first: Vec<&Regex> = stripped
        .as_ref()
        .into_iter()
        .chain(std::iter::once(&full))
        .collect();

    let b = bodies(raw)?;
    if b.plain.is_empty() && b.html.is_empty() {
        return Err(MailError::NoTextPart {
            parts: b.seen.join(", "),
        });
    }
    for text in &b.plain {
        if let Some(code) = first_capture(&patterns, text) {
            return Ok(code);
        }
    }
    let stripped_html: Vec<String> = b.html.iter().map(|h| strip_html(h)).collect();
    for text in &stripped_html {
        if let Some(code) = first_capture(&patterns_stripped_first, text) {
            return Ok(code);
        }
    }
    for html in &b.html {
        if let Some(code) = first_capture(&[&full], html) {
            let code = code.split('<').next().unwrap_or_default();
            let code = decode_entities(code);
            if !code.is_empty() {
                return Ok(code);
            }
        }
    }
    let text = if b.plain.is_empty() {
        stripped_html.join("\n\n")
    } else {
        b.plain.join("\n\n")
    };
    Err(MailError::NoCode {
        template: template.to_string(),
        excerpt: excerpt(&text),
    })
}

fn first_capture(patterns: &[&Regex], text: &str) -> Option<String> {
    patterns
        .iter()
        .find_map(|re| re.captures(text))
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().to_string())
}

/// One piece of a message template.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Literal(&'a str),
    Code,
    Any,
}

fn pieces(template: &str) -> Vec<Piece<'_>> {
    // `{##Verify Email##}` is Cognito's placeholder for a verification link's text.
    static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\{####\}|\{username\}|\{##[^}]*?##\}").expect("static regex")
    });
    let mut out = Vec::new();
    let mut at = 0;
    for m in PLACEHOLDER.find_iter(template) {
        if m.start() > at {
            out.push(Piece::Literal(&template[at..m.start()]));
        }
        out.push(if m.as_str() == "{####}" {
            Piece::Code
        } else {
            Piece::Any
        });
        at = m.end();
    }
    if at < template.len() {
        out.push(Piece::Literal(&template[at..]));
    }
    out
}

/// The regex for `template`, with the first `{####}` as capture group 1, or
/// `None` when the template has no `{####}`.
fn template_regex(template: &str) -> Result<Option<Regex>, MailError> {
    let pieces = pieces(template.trim());
    if !pieces.contains(&Piece::Code) {
        return Ok(None);
    }
    let last = pieces.len() - 1;
    let mut pattern = String::new();
    let mut captured = false;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Literal(text) => push_literal(&mut pattern, text),
            Piece::Any => pattern.push_str(".+?"),
            Piece::Code => {
                // Non-greedy so the following literal bounds the code; greedy
                // to the next whitespace when nothing follows.
                let body = if i == last { r"\S+" } else { r"\S+?" };
                if captured {
                    pattern.push_str(body);
                } else {
                    captured = true;
                    pattern.push('(');
                    pattern.push_str(body);
                    pattern.push(')');
                }
            }
        }
    }
    // `{####}.` at the end: without a boundary, `\S+?` would stop at the first
    // `.` inside a temporary password.
    if let [.., Piece::Code, Piece::Literal(tail)] = pieces.as_slice() {
        if !tail.chars().any(char::is_whitespace) {
            pattern.push_str(r"(?:\s|<|$)");
        }
    }
    Regex::new(&pattern)
        .map(Some)
        .map_err(|e| MailError::Unparseable {
            reason: format!("message template {template:?} gives no usable pattern: {e}"),
        })
}

/// Appends `text` escaped, with every whitespace run matching any whitespace run.
fn push_literal(pattern: &mut String, text: &str) {
    let mut word = String::new();
    let mut in_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !in_space {
                pattern.push_str(&regex::escape(&word));
                word.clear();
                pattern.push_str(r"\s+");
                in_space = true;
            }
        } else {
            in_space = false;
            word.push(ch);
        }
    }
    pattern.push_str(&regex::escape(&word));
}

/// Removes tags, comments, scripts and styles from HTML and decodes entities.
///
/// Deliberately tiny: block-level tags become a newline so words on either side
/// stay apart; inline tags vanish so `Code: <b>1234</b>` reads `Code: 1234`.
fn strip_html(html: &str) -> String {
    static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?is)<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>")
            .expect("static regex")
    });
    static TAG: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"<[!/?]?([a-zA-Z0-9]*)[^>]*>").expect("static regex"));
    const BLOCK: &[&str] = &[
        "p", "div", "br", "tr", "td", "th", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4",
        "h5", "h6", "title", "hr", "body", "html", "head",
    ];
    let visible = HIDDEN.replace_all(html, "");
    let text = TAG.replace_all(&visible, |c: &regex::Captures<'_>| {
        let name = c[1].to_ascii_lowercase();
        if BLOCK.contains(&name.as_str()) {
            "\n"
        } else {
            ""
        }
    });
    decode_entities(&text)
}

/// Decodes the common named entities and all numeric ones; unknown ones stay.
fn decode_entities(text: &str) -> String {
    static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);").expect("static regex")
    });
    ENTITY
        .replace_all(text, |c: &regex::Captures<'_>| {
            let name = &c[1];
            let decoded =
                if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    match name {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        // A plain space, so template whitespace matches it.
                        "nbsp" => Some(' '),
                        _ => None,
                    }
                };
            decoded.map_or_else(|| c[0].to_string(), String::from)
        })
        .into_owned()
}

/// Masks whatever could be a code or a temporary password in `text`, for
/// error messages and reports.
///
/// - every digit of a run of 4 or more digits becomes `•` (verification codes,
///   and also dates and order numbers, which is an acceptable loss);
/// - a word of 6 or more characters that mixes a digit with a letter or symbol
///   (a temporary password such as `Xy7#kq!P`) becomes `•`s, unless it looks
///   like an address or a URL (contains `@` or `://`), which stays readable.
pub fn redact_codes(text: &str) -> String {
    static DIGITS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[0-9]{4,}").expect("static regex"));
    static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S{6,}").expect("static regex"));
    let digits_masked = DIGITS.replace_all(text, |c: &regex::Captures<'_>| "•".repeat(c[0].len()));
    WORD.replace_all(&digits_masked, |c: &regex::Captures<'_>| {
        let word = &c[0];
        let has_digit = word.chars().any(|ch| ch.is_ascii_digit());
        let has_other = word.chars().any(|ch| !ch.is_ascii_digit() && ch != '•');
        if has_digit && has_other && !word.contains('@') && !word.contains("://") {
            "•".repeat(word.chars().count())
        } else {
            word.to_string()
        }
    })
    .into_owned()
}

/// The first [`EXCERPT_CHARS`] characters of `text`, masked, whitespace collapsed.
fn excerpt(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let masked = redact_codes(&collapsed);
    let mut out: String = masked.chars().take(EXCERPT_CHARS).collect();
    if masked.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_builder::headers::content_type::ContentType;
    use mail_builder::mime::{BodyPart, MimePart};
    use mail_builder::MessageBuilder;

    const VERIFY: &str = "Your verification code is {####}. ";
    const TEMP: &str = "Your username is {username} and temporary password is {####}.";

    fn built(text: Option<&str>, html: Option<&str>) -> Vec<u8> {
        let mut b = MessageBuilder::new()
            .from(("Pool", "no-reply@verificationemail.com"))
            .to("alice@example.com")
            .subject("Your verification code");
        if let Some(t) = text {
            b = b.text_body(t.to_string());
        }
        if let Some(h) = html {
            b = b.html_body(h.to_string());
        }
        b.write_to_vec().expect("build mail")
    }

    #[test]
    fn plain_builder_mail() {
        let raw = built(Some("Your verification code is 493817. "), None);
        assert_eq!(extract_code(&raw, VERIFY).unwrap(), "493817");
    }

    #[test]
    fn multipart_alternative_builder_mail() {
        let raw = built(
            Some("Your verification code is 120034. "),
            Some("<p>Your verification code is <b>120034</b>. </p>"),
        );
        assert_eq!(extract_code(&raw, VERIFY).unwrap(), "120034");
    }

    #[test]
    fn html_only_builder_mail_with_plain_template() {
        let raw = built(
            None,
            Some("<html><body><p>Your verification code is <b>777001</b>.</p></body></html>"),
        );
        assert_eq!(extract_code(&raw, VERIFY).unwrap(), "777001");
    }

    #[test]
    fn html_template() {
        let tpl = "<p>Code: <b>{####}</b></p>";
        let raw = built(
            None,
            Some("<!DOCTYPE html><html><head><style>b{color:red}</style></head><body><p>Code: <b>555123</b></p><p>Sent 20240611</p></body></html>"),
        );
        assert_eq!(extract_code(&raw, tpl).unwrap(), "555123");
    }

    #[test]
    fn code_inside_an_attribute_uses_raw_html() {
        let tpl = r#"<a href="https://app.example/confirm?code={####}&amp;u=1">Confirm</a>"#;
        let raw = built(
            None,
            Some(r#"<p><a href="https://app.example/confirm?code=8812&amp;u=1">Confirm</a></p>"#),
        );
        assert_eq!(extract_code(&raw, tpl).unwrap(), "8812");
    }

    #[test]
    fn nested_multipart_mixed_with_attachment() {
        let alternative = MimePart::new(
            ContentType::new("multipart/alternative"),
            BodyPart::Multipart(vec![
                MimePart::new(
                    ContentType::new("text/plain").attribute("charset", "utf-8"),
                    BodyPart::Text("Grüße! Your verification code is 310559. ".into()),
                ),
                MimePart::new(
                    ContentType::new("text/html").attribute("charset", "utf-8"),
                    BodyPart::Text("<p>Grüße! Your verification code is 310559.</p>".into()),
                ),
            ]),
        );
        let attachment = MimePart::new(
            ContentType::new("text/plain"),
            BodyPart::Text("Your verification code is 999999. ".into()),
        )
        .attachment("decoy.txt");
        let raw = MessageBuilder::new()
            .from("a@example.com")
            .to("b@example.com")
            .subject("Grüße")
            .body(MimePart::new(
                ContentType::new("multipart/mixed"),
                BodyPart::Multipart(vec![attachment, alternative]),
            ))
            .write_to_vec()
            .unwrap();
        assert_eq!(extract_code(&raw, VERIFY).unwrap(), "310559");
        assert_eq!(subject(&raw).unwrap().as_deref(), Some("Grüße"));
    }

    #[test]
    fn quoted_printable_crlf_with_soft_breaks_and_latin1() {
        let raw = "From: a@example.com\r\n\
To: b@example.com\r\n\
Subject: Code\r\n\
MIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=iso-8859-1\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Bonjour Ren=E9, order 482913 shipped.\r\n\
Your verification code is =\r\n\
604182. Thanks=3D)\r\n";
        assert_eq!(extract_code(raw.as_bytes(), VERIFY).unwrap(), "604182");
        assert!(text_of(raw.as_bytes()).unwrap().contains("René"));
    }

    #[test]
    fn base64_body_lf_and_encoded_subject() {
        use base64::Engine as _;
        let body = base64::engine::general_purpose::STANDARD
            .encode("Hello 😀\nYour verification code is 271828. \n");
        let raw = format!(
            "From: a@example.com\n\
To: b@example.com\n\
Subject: =?UTF-8?B?w4lwcmV1dmUgZGUgY29kZSDinJQ=?=\n\
MIME-Version: 1.0\n\
Content-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: base64\n\
\n\
{body}\n"
        );
        assert_eq!(extract_code(raw.as_bytes(), VERIFY).unwrap(), "271828");
        assert_eq!(
            subject(raw.as_bytes()).unwrap().as_deref(),
            Some("Épreuve de code ✔")
        );
    }

    #[test]
    fn hand_written_nested_multipart_html_qp() {
        let raw = "Subject: =?utf-8?Q?Votre_code?=\r\n\
Content-Type: multipart/mixed; boundary=\"outer\"\r\n\
\r\n\
--outer\r\n\
Content-Type: multipart/alternative; boundary=inner\r\n\
\r\n\
--inner\r\n\
Content-Type: text/html; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
<div style=3D\"x\">Your verification code is&nbsp;<strong>4321</strong>.</div>\r\n\
--inner--\r\n\
--outer--\r\n";
        assert_eq!(
            subject(raw.as_bytes()).unwrap().as_deref(),
            Some("Votre code")
        );
        assert_eq!(extract_code(raw.as_bytes(), VERIFY).unwrap(), "4321");
    }

    #[test]
    fn username_template_and_temporary_password_with_punctuation() {
        let raw = built(
            Some("Your username is alice.smith@example.com and temporary password is aB3.x!9q.\nWelcome, since 2024-01-15 (ticket 123456)."),
            None,
        );
        assert_eq!(extract_code(&raw, TEMP).unwrap(), "aB3.x!9q");
    }

    #[test]
    fn only_the_template_position_counts() {
        let raw = built(
            Some("Order 100200 placed on 20240611.\nRef 998877\nYour verification code is 424242. \nCall 555123 for help."),
            None,
        );
        assert_eq!(extract_code(&raw, VERIFY).unwrap(), "424242");
    }

    #[test]
    fn template_ending_in_placeholder_and_whitespace_runs() {
        let raw = built(Some("Hi!\nYour   code:\n\t 8675309\nBye"), None);
        assert_eq!(extract_code(&raw, "Your code: {####}").unwrap(), "8675309");
    }

    #[test]
    fn mismatching_template_gives_no_code_without_digits() {
        let raw = built(
            Some("Your verification code is 482910. Temporary password Xy7#kq!P."),
            None,
        );
        let err = extract_code(&raw, "Your confirmation code is {####}").unwrap_err();
        assert!(matches!(err, MailError::NoCode { .. }), "{err:?}");
        let shown = format!("{err} / {err:?}");
        assert!(
            shown.contains("Your confirmation code is {####}"),
            "{shown}"
        );
        for digit in ['4', '8', '2', '9', '1', '0'] {
            assert!(!shown.contains(digit), "digit {digit} leaked: {shown}");
        }
        assert!(!shown.contains("Xy7#kq!P"), "{shown}");
    }

    #[test]
    fn template_without_placeholder_is_rejected() {
        let raw = built(Some("Your verification code is 482910."), None);
        assert!(matches!(
            extract_code(&raw, "Welcome!"),
            Err(MailError::TemplateWithoutCode { .. })
        ));
    }

    #[test]
    fn no_text_part() {
        let raw =
            "Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n";
        let err = extract_code(raw.as_bytes(), VERIFY).unwrap_err();
        assert!(matches!(err, MailError::NoTextPart { .. }), "{err}");
        assert!(err.to_string().contains("image/png"));
    }

    #[test]
    fn broken_base64_is_unparseable() {
        let raw = "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64***\r\n";
        let err = extract_code(raw.as_bytes(), VERIFY).unwrap_err();
        assert!(matches!(err, MailError::Unparseable { .. }), "{err}");
    }

    #[test]
    fn ses_verification_link() {
        let text = "Dear Amazon Web Services Customer,\n\nWe have received a request to authorize this email address for use with Amazon SES in region US East (N. Virginia). To confirm, click the following link:\n\nhttps://email-verification.us-east-1.amazonaws.com/?Context=123&X-Amz-Date=20240611T000000Z&Signature=abc.\n\nThanks";
        let raw = built(Some(text), None);
        assert_eq!(
            find_link(&raw).unwrap().as_deref(),
            Some("https://email-verification.us-east-1.amazonaws.com/?Context=123&X-Amz-Date=20240611T000000Z&Signature=abc")
        );
        let html = built(
            None,
            Some(
                r#"<head><link href="x.css"></head><p>Click <a href="https://verify.example/?a=1&amp;b=2">here</a></p>"#,
            ),
        );
        assert_eq!(
            find_link(&html).unwrap().as_deref(),
            Some("https://verify.example/?a=1&b=2")
        );
        assert_eq!(find_link(&built(Some("no link"), None)).unwrap(), None);
    }

    #[test]
    fn text_of_html_only_strips_tags() {
        let raw = built(None, Some("<p>Hello&amp;bye</p><p>World</p>"));
        let text = text_of(&raw).unwrap();
        assert!(text.contains("Hello&bye\n"), "{text:?}");
        assert!(text.contains("World"));
    }

    #[test]
    fn redaction() {
        assert_eq!(redact_codes("code 123 4567 x"), "code 123 •••• x");
        assert_eq!(redact_codes("pw Ab9!xyz"), "pw •••••••");
        assert_eq!(
            redact_codes("mail bob99@example.com"),
            "mail bob99@example.com"
        );
    }
}
