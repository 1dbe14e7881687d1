//! `SECRET_HASH`: clients with a secret prove they hold it by sending
//! Base64(HMAC-SHA256(secret, username + client id)) with each user call.

use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::client::AppClient;
use super::error::{CognitoError, CognitoResult};

/// The hash a client with `secret` sends for `username`.
pub fn compute(secret: &str, username: &str, client_id: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Checks the hash sent for `username` (as the caller typed it); clients without a
/// secret need none.
pub fn check(client: &AppClient, username: &str, sent: Option<&str>) -> CognitoResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    match sent {
        None => Err(CognitoError::NotAuthorizedException(format!(
            "Client {} is configured for secret but secret was not received",
            client.id
        ))),
        Some(hash) if hash == compute(secret, username, &client.id) => Ok(()),
        Some(_) => Err(CognitoError::NotAuthorizedException(format!(
            "Unable to verify secret hash for client {}",
            client.id
        ))),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_a_known_value() {
        // Computed independently: printf 'alicecid' | openssl dgst -sha256 -hmac secret -binary | base64
        assert_eq!(
            super::compute("secret", "alice", "cid"),
            "ehJDILrGiKJq6UvW/b01xXXIe38KX89hUdkBISQm/Pw="
        );
    }
}
