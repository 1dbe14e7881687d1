//! What a scenario saw, for the HTML report: every mail it read (headers, text and HTML
//! parts), every token it verified (decoded header and claims, and the verdict), and
//! every AWS error it received. Steps record it in the World; when a scenario ends the
//! runner files it here under the scenario's feature file and line, where the report
//! finds it. Secrets are masked when the report is written (by then every secret the run
//! handled is registered).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use serde_json::Value;

/// A mail as it arrived.
#[derive(Debug, Clone, Default)]
pub struct MailSeen {
    /// `From`.
    pub from: String,
    /// `To`.
    pub to: String,
    /// `Subject`.
    pub subject: String,
    /// `Date`.
    pub date: String,
    /// The text part.
    pub text: Option<String>,
    /// The HTML part.
    pub html: Option<String>,
}

impl MailSeen {
    /// The headers and parts of a raw RFC 5322 message.
    pub fn parse(raw: &[u8]) -> Option<Self> {
        use mailparse::MailHeaderMap;
        let mail = mailparse::parse_mail(raw).ok()?;
        let header = |name: &str| mail.headers.get_first_value(name).unwrap_or_default();
        let mut seen = Self {
            from: header("From"),
            to: header("To"),
            subject: header("Subject"),
            date: header("Date"),
            ..Self::default()
        };
        let mut parts = vec![&mail];
        while let Some(part) = parts.pop() {
            parts.extend(part.subparts.iter());
            let body = || part.get_body().ok();
            match part.ctype.mimetype.as_str() {
                "text/plain" if seen.text.is_none() => seen.text = body(),
                "text/html" if seen.html.is_none() => seen.html = body(),
                _ => {}
            }
        }
        Some(seen)
    }
}

/// A token, decoded.
#[derive(Debug, Clone)]
pub struct TokenSeen {
    /// What it is: "id token", "access token", "the service's access token".
    pub kind: String,
    /// The JOSE header.
    pub header: Value,
    /// The claims.
    pub claims: Value,
    /// Whether it verified against the pool's JWKS.
    pub verified: bool,
}

/// An AWS error, as the SDK reported it.
#[derive(Debug, Clone)]
pub struct ErrorSeen {
    /// The operation.
    pub operation: String,
    /// The error code.
    pub code: String,
    /// The message.
    pub message: String,
}

/// What one scenario saw.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// Mails read.
    pub mails: Vec<MailSeen>,
    /// Tokens verified.
    pub tokens: Vec<TokenSeen>,
    /// AWS errors received.
    pub errors: Vec<ErrorSeen>,
    /// Every API response, normalized (for `compare`).
    pub responses: Vec<crate::responses::ResponseSeen>,
}

impl Evidence {
    /// Whether nothing was seen.
    pub fn is_empty(&self) -> bool {
        self.mails.is_empty()
            && self.tokens.is_empty()
            && self.errors.is_empty()
            && self.responses.is_empty()
    }

    /// Records a token and its claims, once: a token already recorded (the same `jti`)
    /// is not recorded again when a later step verifies it too.
    pub fn token(&mut self, kind: &str, token: &str, claims: &serde_json::Map<String, Value>) {
        if self
            .tokens
            .iter()
            .any(|t| t.claims.get("jti").is_some() && t.claims.get("jti") == claims.get("jti"))
        {
            return;
        }
        let header = jsonwebtoken::decode_header(token)
            .ok()
            .and_then(|h| serde_json::to_value(h).ok())
            .unwrap_or(Value::Null);
        self.tokens.push(TokenSeen {
            kind: kind.to_owned(),
            header,
            claims: Value::Object(claims.clone()),
            verified: true,
        });
    }
}

type Filed = HashMap<(String, usize), Evidence>;

fn filed() -> &'static Mutex<Filed> {
    static FILED: OnceLock<Mutex<Filed>> = OnceLock::new();
    FILED.get_or_init(Mutex::default)
}

/// The key of a scenario: its feature file (canonical where possible) and line.
fn key(path: &Path, line: usize) -> (String, usize) {
    let path = path.canonicalize().unwrap_or_else(|_| path.to_owned());
    (path.display().to_string(), line)
}

/// Files what the scenario at `line` of `path` saw.
pub fn file(path: &Path, line: usize, evidence: Evidence) {
    if evidence.is_empty() {
        return;
    }
    filed()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key(path, line), evidence);
}

/// What the scenario at `line` of `path` saw, taken out of the file.
pub fn take(path: &Path, line: usize) -> Option<Evidence> {
    filed()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&key(path, line))
}

/// Forgets everything filed (a new run starts).
pub fn clear() {
    filed().lock().unwrap_or_else(|e| e.into_inner()).clear();
}
