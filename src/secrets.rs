//! Keeping secrets out of output. Every password, code and token the harness handles is
//! registered here; [`redact`] replaces them in any text, and the run's own test checks
//! that none of them reached the console or a report.

use std::sync::{Mutex, OnceLock};

fn registry() -> &'static Mutex<Vec<String>> {
    static SECRETS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    SECRETS.get_or_init(Mutex::default)
}

/// Remembers `secret` as something that must never be printed. Returns it for chaining.
pub fn register(secret: impl Into<String>) -> String {
    let secret = secret.into();
    // Very short strings would redact ordinary text; nothing the harness keeps secret
    // is shorter than a 6-digit code.
    if secret.len() >= 6 {
        let mut all = registry().lock().unwrap_or_else(|e| e.into_inner());
        if !all.contains(&secret) {
            all.push(secret.clone());
        }
    }
    secret
}

/// Every secret registered so far.
pub fn all() -> Vec<String> {
    registry().lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// `text` with every registered secret replaced by `[redacted]`.
pub fn redact(text: &str) -> String {
    let mut out = text.to_owned();
    for secret in all() {
        if out.contains(&secret) {
            out = out.replace(&secret, "[redacted]");
        }
    }
    out
}

/// A secret value that prints as `[redacted]` in `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps and registers `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(register(value))
    }

    /// The value, for passing to an API. Never print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("Sup3r-secret!");
        assert_eq!(format!("{s} {s:?}"), "[redacted] [redacted]");
        assert_eq!(redact("pw=Sup3r-secret! ok"), "pw=[redacted] ok");
    }
}
