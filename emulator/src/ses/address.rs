//! E-mail addresses as SES takes them: `a@example.com` or `Name <a@example.com>`.
//! SES checks addresses with JavaMail's rules, so a malformed one is refused with
//! JavaMail's wording ("Missing final '@domain'", "Missing local name", ...).

use super::error::SesError;

/// One mailbox: an optional display name and the address proper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mailbox {
    /// The display name, decoded.
    pub name: Option<String>,
    /// The addr-spec, `local@domain`.
    pub addr: String,
}

/// Parses `input` as one mailbox, with or without a display name.
pub(crate) fn parse_mailbox(input: &str) -> Result<Mailbox, SesError> {
    let input = input.trim();
    // Parsed as a header value, so a display name in MIME encoded words
    // (`=?utf-8?B?...?= <a@example.com>`, as SES asks non-ASCII names to be given) is
    // decoded.
    // A line break would end the header early and hide what follows it.
    let line = format!("From: {input}");
    let parsed = (!input.contains(|c: char| c.is_control()))
        .then(|| mailparse::parse_header(line.as_bytes()).ok())
        .flatten()
        .and_then(|(header, _)| mailparse::addrparse_header(&header).ok())
        .map(|list| list.into_inner())
        .filter(|list| list.len() == 1)
        .and_then(|mut list| list.pop());
    let mailbox = match parsed {
        Some(mailparse::MailAddr::Single(info)) => Mailbox {
            name: info.display_name.filter(|n| !n.trim().is_empty()),
            addr: info.addr,
        },
        Some(mailparse::MailAddr::Group(_)) => return Err(illegal("Illegal address")),
        // Not parseable as a mailbox: check it as a bare address, which says what is wrong.
        None => Mailbox {
            name: None,
            addr: input.to_owned(),
        },
    };
    check_addr_spec(&mailbox.addr)?;
    Ok(mailbox)
}

/// The mailboxes of an address header (`From`, `To`, ...), groups flattened.
pub(crate) fn parse_header_mailboxes(
    header: &mailparse::MailHeader<'_>,
) -> Result<Vec<Mailbox>, SesError> {
    let list = match mailparse::addrparse_header(header) {
        Ok(list) => list,
        // Let the single-address check say what is wrong, in SES's words.
        Err(_) => {
            parse_mailbox(&header.get_value())?;
            return Err(illegal("Illegal address"));
        }
    };
    let mut mailboxes = Vec::new();
    for addr in list.into_inner() {
        let singles = match addr {
            mailparse::MailAddr::Single(info) => vec![info],
            mailparse::MailAddr::Group(group) => group.addrs,
        };
        for info in singles {
            check_addr_spec(&info.addr)?;
            mailboxes.push(Mailbox {
                name: info.display_name.filter(|n| !n.trim().is_empty()),
                addr: info.addr,
            });
        }
    }
    Ok(mailboxes)
}

/// Parses `input` as a bare address (no display name), as identities are given.
pub(crate) fn parse_addr_spec(input: &str) -> Result<String, SesError> {
    let input = input.trim();
    if input.contains(['<', '>']) {
        return Err(illegal("Illegal address"));
    }
    check_addr_spec(input)?;
    Ok(input.to_owned())
}

/// The domain part of an address, lowercased (domains are case-insensitive).
pub(crate) fn domain_of(addr: &str) -> Option<String> {
    addr.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase())
}

fn check_addr_spec(addr: &str) -> Result<(), SesError> {
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return Err(illegal("Missing final '@domain'"));
    };
    if local.is_empty() {
        return Err(illegal("Missing local name"));
    }
    if local.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(illegal("Local address contains control or whitespace"));
    }
    if domain.is_empty() {
        return Err(illegal("Missing domain"));
    }
    check_domain(domain)
}

/// Checks a domain name as SES does for addresses and domain identities.
pub(crate) fn check_domain(domain: &str) -> Result<(), SesError> {
    if domain.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(illegal("Domain contains control or whitespace"));
    }
    // SES does not support SMTPUTF8: a Unicode domain must be given in punycode.
    if !domain
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Err(illegal("Domain contains illegal character"));
    }
    if domain.starts_with('.') {
        return Err(illegal("Domain starts with dot"));
    }
    if domain.ends_with('.') {
        return Err(illegal("Domain ends with dot"));
    }
    if domain.contains("..") {
        return Err(illegal("Domain contains dot-dot"));
    }
    Ok(())
}

fn illegal(message: &str) -> SesError {
    SesError::InvalidParameterValue(message.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_bare_and_named_addresses() {
        assert_eq!(
            parse_mailbox("a@example.com").unwrap(),
            Mailbox {
                name: None,
                addr: "a@example.com".into()
            }
        );
        assert_eq!(
            parse_mailbox(" Ann Example <ann@example.com> ").unwrap(),
            Mailbox {
                name: Some("Ann Example".into()),
                addr: "ann@example.com".into()
            }
        );
        let encoded = parse_mailbox("=?utf-8?B?w4Zyw7g=?= <ae@example.com>").unwrap();
        assert_eq!(encoded.name.as_deref(), Some("Ærø"));
    }

    #[test]
    fn refuses_malformed_addresses_in_javamail_words() {
        for (input, message) in [
            ("nobody", "Missing final '@domain'"),
            ("", "Missing final '@domain'"),
            ("@example.com", "Missing local name"),
            ("a@", "Missing domain"),
            ("a@exa mple.com", "Domain contains control or whitespace"),
            ("a@exa_mple.com", "Domain contains illegal character"),
            ("a@example..com", "Domain contains dot-dot"),
            ("Group: a@example.com, b@example.com;", "Illegal address"),
            (
                "a@example.com\r\nBcc: x@example.com",
                "Local address contains control or whitespace",
            ),
        ] {
            let e = parse_mailbox(input).unwrap_err();
            assert_eq!(e.code(), "InvalidParameterValue", "{input}");
            assert_eq!(e.message(), message, "{input}");
        }
    }

    #[test]
    fn identities_are_bare_addresses() {
        assert_eq!(parse_addr_spec("a@example.com").unwrap(), "a@example.com");
        assert!(parse_addr_spec("A <a@example.com>").is_err());
        assert_eq!(domain_of("a@Example.COM").as_deref(), Some("example.com"));
    }
}
