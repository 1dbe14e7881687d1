//! Authorization codes: what a sign-in on the page entitles the app to, kept until the
//! app exchanges the code at the token endpoint, at most once and within five minutes.

use std::time::Duration;

use crate::cognito::tokens::Grant;
use crate::shape::Timestamp;

/// How long a code may wait for its exchange (AWS: five minutes).
pub const CODE_TTL: Duration = Duration::from_secs(300);

/// PKCE's `code_challenge_method` (RFC 7636).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeMethod {
    /// The verifier's SHA-256, base64url.
    S256,
    /// The verifier itself.
    Plain,
}

/// A PKCE code challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge {
    /// `code_challenge`.
    pub challenge: String,
    /// `code_challenge_method`.
    pub method: ChallengeMethod,
}

impl CodeChallenge {
    /// Whether `verifier` (`code_verifier`) answers the challenge.
    pub fn accepts(&self, verifier: &str) -> bool {
        use base64::Engine;
        use sha2::Digest;
        match self.method {
            ChallengeMethod::Plain => verifier == self.challenge,
            ChallengeMethod::S256 => {
                let digest = sha2::Sha256::digest(verifier.as_bytes());
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest) == self.challenge
            }
        }
    }
}

/// A code handed out and not yet exchanged.
#[derive(Debug, Clone)]
pub struct AuthorizationCode {
    /// The client it was issued to.
    pub client_id: String,
    /// The `redirect_uri` of the authorization request, which the exchange must repeat.
    pub redirect_uri: String,
    /// The tokens it is worth.
    pub grant: Grant,
    /// PKCE's challenge, when the request carried one.
    pub challenge: Option<CodeChallenge>,
    /// When it stops working.
    pub expires: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc_7636s_example() {
        // RFC 7636, appendix B.
        let c = CodeChallenge {
            challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".into(),
            method: ChallengeMethod::S256,
        };
        assert!(c.accepts("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert!(!c.accepts("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXl"));
        let plain = CodeChallenge {
            challenge: "abc".into(),
            method: ChallengeMethod::Plain,
        };
        assert!(plain.accepts("abc") && !plain.accepts("abd"));
    }
}
