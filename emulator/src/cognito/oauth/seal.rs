//! Values the login page hands to a browser and must get back unchanged: the session
//! cookie, and the "password already checked" token that lets a user who confirms their
//! account on the page be signed in without typing the password again. Each is JSON
//! with an `exp`, HMAC-SHA256 signed with a key made when the emulator starts (so a
//! restart signs everyone out of the page, as a lost cookie would).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde_json::Value;
use sha2::Sha256;

/// Signs and checks the page's values.
pub struct Seal {
    key: [u8; 32],
}

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seal")
    }
}

impl Default for Seal {
    fn default() -> Self {
        let mut key = [0; 32];
        rand::thread_rng().fill_bytes(&mut key);
        Self { key }
    }
}

impl Seal {
    fn mac(&self, payload: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key size");
        mac.update(payload.as_bytes());
        mac
    }

    /// `payload.signature`, both base64url.
    pub fn seal(&self, value: &Value) -> String {
        let payload = URL_SAFE_NO_PAD.encode(value.to_string());
        let tag = URL_SAFE_NO_PAD.encode(self.mac(&payload).finalize().into_bytes());
        format!("{payload}.{tag}")
    }

    /// The value sealed in `token`, if the signature holds and its `exp` (epoch seconds)
    /// is after `now`.
    pub fn open(&self, token: &str, now: i64) -> Option<Value> {
        let (payload, tag) = token.split_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        self.mac(payload).verify_slice(&tag).ok()?;
        let value: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
        (value.get("exp")?.as_i64()? > now).then_some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sealed_values_open_until_they_expire_and_resist_tampering() {
        let seal = Seal::default();
        let token = seal.seal(&json!({"u": "alice", "exp": 100}));
        assert_eq!(
            seal.open(&token, 99),
            Some(json!({"u": "alice", "exp": 100}))
        );
        assert_eq!(seal.open(&token, 100), None);
        let forged = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(json!({"u": "mallory", "exp": 100}).to_string()),
            token.split_once('.').unwrap().1
        );
        assert_eq!(seal.open(&forged, 0), None);
        assert_eq!(Seal::default().open(&token, 0), None);
        assert_eq!(seal.open("garbage", 0), None);
    }
}
