//! Tokens: each pool signs id tokens with one RSA key and access tokens with another
//! (two `kid`s, RS256), publishes both as a JWKS, and hands out refresh tokens that are
//! opaque to clients — JWEs (RSA-OAEP + A256GCM) only the emulator can open, as AWS's are.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::claim_context::ClaimContext;
use super::key_stash::KeyStash;
use crate::state::snapshot::{StoredKey, StoredKeys};
use std::sync::Arc;

/// One RSA signing key with its `kid` and JWK.
pub struct SigningKey {
    /// Key id: Base64 of the SHA-256 of the public key, in AWS's 44-character shape.
    pub kid: String,
    /// The private key as PKCS#8 DER, kept for the state directory and exports.
    der: Vec<u8>,
    signer: Option<ring::signature::RsaKeyPair>,
    header: String,
    decoding: DecodingKey,
    jwk: Value,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A signing key made from `private`.
    pub fn from_private(private: &RsaPrivateKey) -> Self {
        let public = RsaPublicKey::from(private);
        let n = URL_SAFE_NO_PAD.encode(public.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(public.e().to_bytes_be());
        let kid = STANDARD.encode(Sha256::digest(public.n().to_bytes_be()));
        let der = private
            .to_pkcs8_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default();
        Self {
            signer: ring::signature::RsaKeyPair::from_pkcs8(&der).ok(),
            der,
            // AWS's header: the key id and the algorithm, nothing else.
            header: URL_SAFE_NO_PAD.encode(json!({"kid": kid, "alg": "RS256"}).to_string()),
            decoding: DecodingKey::from_rsa_components(&n, &e)
                .unwrap_or_else(|_| DecodingKey::from_secret(&[])),
            jwk: json!({"alg": "RS256", "e": e, "kid": kid, "kty": "RSA", "n": n, "use": "sig"}),
            kid,
        }
    }

    /// Signs `claims`: a compact JWS, RS256, header `{"kid", "alg"}` as AWS's.
    ///
    /// Signing is ring's, with the key parsed once for the pool's life: signatures are
    /// most of the cost of a sign-in, and jsonwebtoken's `encode` re-parses the key and
    /// uses the slower pure-Rust RSA on every call. Tokens are checked with jsonwebtoken
    /// (here and in the harness), so the format is held to that library's reading.
    pub fn sign(&self, claims: &Map<String, Value>) -> String {
        let payload = URL_SAFE_NO_PAD.encode(Value::Object(claims.clone()).to_string());
        let message = format!("{}.{payload}", self.header);
        let Some(signer) = &self.signer else {
            return String::new();
        };
        let mut signature = vec![0; signer.public().modulus_len()];
        let rng = ring::rand::SystemRandom::new();
        if signer
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &rng,
                message.as_bytes(),
                &mut signature,
            )
            .is_err()
        {
            return String::new();
        }
        format!("{message}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// Verifies the signature and `iss` of `token`; returns its claims. Expiry is left to
    /// the caller, which knows the emulator's clock.
    pub fn verify(&self, token: &str, issuer: &str) -> Option<Map<String, Value>> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        if header.alg != Algorithm::RS256 || header.kid.as_deref() != Some(&self.kid) {
            return None;
        }
        let mut v = Validation::new(Algorithm::RS256);
        v.validate_exp = false;
        v.validate_aud = false;
        v.required_spec_claims.clear();
        v.set_issuer(&[issuer]);
        jsonwebtoken::decode::<Map<String, Value>>(token, &self.decoding, &v)
            .ok()
            .map(|d| d.claims)
    }
}

/// A pool's two signing keys.
#[derive(Debug)]
pub struct PoolKeys {
    /// Signs id tokens.
    pub id: SigningKey,
    /// Signs access tokens.
    pub access: SigningKey,
}

impl PoolKeys {
    /// Two fresh keys from `stash`.
    pub fn from_stash(stash: &Arc<KeyStash>) -> Self {
        Self {
            id: SigningKey::from_private(&stash.take()),
            access: SigningKey::from_private(&stash.take()),
        }
    }

    /// The keys, to keep.
    pub fn stored(&self) -> StoredKeys {
        StoredKeys {
            id: StoredKey(self.id.der.clone()),
            access: StoredKey(self.access.der.clone()),
        }
    }

    /// The keys kept as `stored`; `None` when they are not RSA private keys.
    pub fn from_stored(stored: &StoredKeys) -> Option<Self> {
        let read = |k: &StoredKey| RsaPrivateKey::from_pkcs8_der(&k.0).ok();
        Some(Self {
            id: SigningKey::from_private(&read(&stored.id)?),
            access: SigningKey::from_private(&read(&stored.access)?),
        })
    }

    /// The pool's JWKS document.
    pub fn jwks(&self) -> Value {
        json!({"keys": [self.id.jwk, self.access.jwk]})
    }
}

/// Seals and opens refresh tokens.
pub struct RefreshSealer {
    private: RsaPrivateKey,
    public: RsaPublicKey,
}

impl std::fmt::Debug for RefreshSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshSealer")
    }
}

const JWE_HEADER: &str = r#"{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}"#;

impl RefreshSealer {
    /// A sealer with the key `private`.
    pub fn new(private: RsaPrivateKey) -> Self {
        Self {
            public: RsaPublicKey::from(&private),
            private,
        }
    }

    /// The key, to keep.
    pub fn stored(&self) -> StoredKey {
        StoredKey(
            self.private
                .to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .unwrap_or_default(),
        )
    }

    /// The sealer whose key was kept as `stored`.
    pub fn from_stored(stored: &StoredKey) -> Option<Self> {
        RsaPrivateKey::from_pkcs8_der(&stored.0).ok().map(Self::new)
    }

    /// Encrypts `payload` into a five-part compact JWE.
    pub fn seal(&self, payload: &Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(JWE_HEADER);
        let cek: [u8; 32] = rand::random();
        let iv: [u8; 12] = rand::random();
        let encrypted_key = self
            .public
            .encrypt(&mut rand::rngs::OsRng, Oaep::new::<sha1::Sha1>(), &cek)
            .unwrap_or_default();
        let plaintext = payload.to_string();
        let sealed = Aes256Gcm::new(&cek.into())
            .encrypt(
                &Nonce::from(iv),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: header.as_bytes(),
                },
            )
            .unwrap_or_default();
        // AES-GCM appends its 16-byte tag; JWE carries it as the fifth part.
        let (ciphertext, tag) = sealed.split_at(sealed.len().saturating_sub(16));
        [
            header,
            URL_SAFE_NO_PAD.encode(encrypted_key),
            URL_SAFE_NO_PAD.encode(iv),
            URL_SAFE_NO_PAD.encode(ciphertext),
            URL_SAFE_NO_PAD.encode(tag),
        ]
        .join(".")
    }

    /// Decrypts a token made by [`RefreshSealer::seal`]; `None` for anything else.
    pub fn open(&self, token: &str) -> Option<Value> {
        let parts: Vec<&str> = token.split('.').collect();
        let [header, key, iv, ciphertext, tag] = parts.as_slice() else {
            return None;
        };
        let decode = |s: &str| URL_SAFE_NO_PAD.decode(s).ok();
        let cek = self
            .private
            .decrypt(Oaep::new::<sha1::Sha1>(), &decode(key)?)
            .ok()?;
        let iv: [u8; 12] = decode(iv)?.try_into().ok()?;
        if cek.len() != 32 {
            return None;
        }
        let mut sealed = decode(ciphertext)?;
        sealed.extend(decode(tag)?);
        let cipher = Aes256Gcm::new_from_slice(&cek).ok()?;
        let plain = cipher
            .decrypt(
                &Nonce::from(iv),
                Payload {
                    msg: &sealed,
                    aad: header.as_bytes(),
                },
            )
            .ok()?;
        serde_json::from_slice(&plain).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::super::key_stash;
    use super::*;

    #[test]
    fn signed_tokens_verify_only_with_their_own_key() {
        let keys = PoolKeys::from_stash(&KeyStash::new(0));
        assert_ne!(keys.id.kid, keys.access.kid);
        assert_eq!(keys.id.kid.len(), 44);
        let mut claims = Map::new();
        claims.insert("iss".into(), json!("https://issuer"));
        claims.insert("token_use".into(), json!("id"));
        let token = keys.id.sign(&claims);
        assert!(keys.id.verify(&token, "https://issuer").is_some());
        assert!(keys.id.verify(&token, "https://other").is_none());
        assert!(keys.access.verify(&token, "https://issuer").is_none());
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.typ, None);
    }

    #[test]
    fn refresh_tokens_round_trip_and_resist_tampering() {
        let sealer = RefreshSealer::new(key_stash::generate());
        let token = sealer.seal(&json!({"origin_jti": "abc"}));
        assert_eq!(token.split('.').count(), 5);
        let header = URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap();
        assert_eq!(header, JWE_HEADER.as_bytes());
        assert_eq!(sealer.open(&token), Some(json!({"origin_jti": "abc"})));
        let mut tampered = token.clone();
        tampered.pop();
        tampered.push(if token.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(sealer.open(&tampered), None);
        assert_eq!(sealer.open("a.b.c"), None);
    }
}

/// What a successful sign-in (or refresh) entitles the user to: decided under the state
/// lock, signed after it. Claims are built here and nowhere else, so that one place
/// decides what a token carries.
#[derive(Debug, Clone)]
pub struct Grant {
    /// The pool.
    pub pool_id: String,
    /// The pool's region.
    pub region: String,
    /// The client signed in through.
    pub client_id: String,
    /// The stored username.
    pub username: String,
    /// The user's `sub`.
    pub sub: String,
    /// The user's attributes.
    pub attributes: Vec<(String, String)>,
    /// When the user authenticated, epoch seconds.
    pub auth_time: i64,
    /// The sign-in session the tokens belong to (revoked together).
    pub origin_jti: String,
    /// Id token lifetime, seconds.
    pub id_validity: i64,
    /// Access token lifetime, seconds.
    pub access_validity: i64,
    /// `Some(lifetime)` when a refresh token is issued too.
    pub refresh_validity: Option<i64>,
    /// The user's groups and what the client may read.
    pub context: ClaimContext,
    /// What made the tokens, as a pre-token-generation trigger is told
    /// (`TokenGeneration_Authentication`, `_NewPasswordChallenge`, `_RefreshTokens`,
    /// `_HostedAuth`).
    pub source: &'static str,
    /// The OAuth scopes granted, for tokens from the OAuth endpoints; `None` for the
    /// API's sign-ins, whose access tokens carry `aws.cognito.signin.user.admin` only.
    pub scopes: Option<Vec<String>>,
    /// The `nonce` the authorization request carried, for the id token.
    pub nonce: Option<String>,
}

impl Grant {
    /// The id token's claims, issued at `now` (epoch seconds) for event `event_id`. The
    /// attributes are those the client may read; the groups, when the user is in any,
    /// with their roles.
    pub fn id_claims(&self, iss: &str, now: i64, event_id: &str) -> Map<String, Value> {
        let mut id = Map::new();
        id.insert("sub".into(), json!(self.sub));
        self.insert_groups(&mut id);
        let groups = &self.context.groups;
        let roles = groups.roles();
        if !roles.is_empty() {
            id.insert("cognito:roles".into(), json!(roles));
        }
        if let Some(role) = groups.preferred_role() {
            id.insert("cognito:preferred_role".into(), json!(role));
        }
        for (name, value) in &self.attributes {
            if name == "sub" || !self.context.may_read(name) {
                continue;
            }
            let v = match name.as_str() {
                "email_verified" | "phone_number_verified" => {
                    json!(value.eq_ignore_ascii_case("true"))
                }
                _ => json!(value),
            };
            id.insert(name.clone(), v);
        }
        id.insert("iss".into(), json!(iss));
        id.insert("cognito:username".into(), json!(self.username));
        id.insert("origin_jti".into(), json!(self.origin_jti));
        id.insert("aud".into(), json!(self.client_id));
        id.insert("event_id".into(), json!(event_id));
        id.insert("token_use".into(), json!("id"));
        id.insert("auth_time".into(), json!(self.auth_time));
        id.insert("exp".into(), json!(now + self.id_validity));
        id.insert("iat".into(), json!(now));
        id.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
        if let Some(nonce) = &self.nonce {
            id.insert("nonce".into(), json!(nonce));
        }
        id
    }

    /// The access token's claims.
    pub fn access_claims(&self, iss: &str, now: i64, event_id: &str) -> Map<String, Value> {
        let mut access = Map::new();
        access.insert("sub".into(), json!(self.sub));
        self.insert_groups(&mut access);
        access.insert("iss".into(), json!(iss));
        access.insert("client_id".into(), json!(self.client_id));
        access.insert("origin_jti".into(), json!(self.origin_jti));
        access.insert("event_id".into(), json!(event_id));
        access.insert("token_use".into(), json!("access"));
        access.insert("scope".into(), json!(self.scope()));
        access.insert("auth_time".into(), json!(self.auth_time));
        access.insert("exp".into(), json!(now + self.access_validity));
        access.insert("iat".into(), json!(now));
        access.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
        access.insert("username".into(), json!(self.username));
        // Access tokens from the OAuth endpoints carry `version` 2, as AWS's do; the API's
        // sign-ins' tokens have none.
        if self.scopes.is_some() {
            access.insert("version".into(), json!(2));
        }
        access
    }

    /// The access token's `scope`: the OAuth scopes granted, space-separated.
    pub fn scope(&self) -> String {
        match &self.scopes {
            Some(scopes) => scopes.join(" "),
            None => "aws.cognito.signin.user.admin".to_owned(),
        }
    }

    /// `cognito:groups`, in both tokens of a user in at least one group.
    fn insert_groups(&self, claims: &mut Map<String, Value>) {
        if !self.context.groups.is_empty() {
            claims.insert("cognito:groups".into(), json!(self.context.groups.names()));
        }
    }

    /// What the refresh token seals, valid for `validity` seconds from `now`.
    pub fn refresh_payload(&self, now: i64, validity: i64) -> Value {
        json!({
            "pool": self.pool_id,
            "client": self.client_id,
            "username": self.username,
            "origin_jti": self.origin_jti,
            // Each refresh token is told apart from its session's others, for rotation.
            "jti": uuid::Uuid::new_v4().to_string(),
            "auth_time": self.auth_time,
            "exp": now + validity,
            // OAuth's tokens keep their scopes through refreshes.
            "scope": self.scopes,
        })
    }
}
