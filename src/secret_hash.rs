//! `SECRET_HASH` for app clients with a secret: Base64(HMAC-SHA256(secret, username +
//! client id)), sent with every call a user makes through such a client.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The hash a client with `secret` sends for `username`.
pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) else {
        // HMAC accepts keys of any length; this cannot happen.
        return String::new();
    };
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_an_independent_computation() {
        // printf 'alicecid' | openssl dgst -sha256 -hmac secret -binary | base64
        assert_eq!(
            super::secret_hash("secret", "alice", "cid"),
            "ehJDILrGiKJq6UvW/b01xXXIe38KX89hUdkBISQm/Pw="
        );
    }
}
