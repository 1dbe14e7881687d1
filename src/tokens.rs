//! Verifying Cognito JWTs (id and access tokens) against the pool's JWKS.
//!
//! A user pool publishes its signing keys at
//! `{issuer}/.well-known/jwks.json`; every token it issues is RS256-signed by
//! one of them, names it in the header's `kid`, and carries `iss`, `exp` and
//! `token_use`. Id tokens name the app client in `aud`; access tokens have no
//! `aud` and name it in `client_id` instead.
//!
//! [`verify`] accepts a token only when all of that holds. The algorithm is
//! checked from the header before any key is looked up, so `alg: none` and the
//! HS256-with-the-public-key confusion attack fail early and by name.
//!
//! Errors never contain a token; use [`redact`] to mention one in a report.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Clock leeway, in seconds, for `exp` (and `nbf` when present).
///
/// Zero: the harness checks tokens right after they are issued, so any skew
/// large enough to matter is itself a finding.
pub const LEEWAY_SECS: u64 = 0;

/// One RSA signing key of a JSON Web Key Set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key id, matched against a token header's `kid`.
    pub kid: String,
    /// Key type; only `RSA` keys can verify Cognito tokens.
    pub kty: String,
    /// Intended algorithm (`RS256` for Cognito), when the set states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// RSA public exponent, base64url without padding.
    #[serde(default)]
    pub e: String,
    /// RSA modulus, base64url without padding.
    #[serde(default)]
    pub n: String,
    /// Intended use (`sig`), when the set states it.
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
}

/// A JSON Web Key Set: `{"keys":[{"kid","kty","alg","e","n","use"}, ...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Jwks {
    /// The keys, in the order the server listed them.
    pub keys: Vec<Jwk>,
}

impl Jwks {
    /// The key with this `kid`, if the set has one.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid == kid)
    }

    /// The key ids of the set, for error messages.
    pub fn kids(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.kid.clone()).collect()
    }
}

/// Which kind of Cognito token is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    /// An id token: `token_use` is `id`, `aud` is the app client id.
    Id,
    /// An access token: `token_use` is `access`, `client_id` is the app client id.
    Access,
}

impl TokenUse {
    /// The value of the `token_use` claim for this kind of token.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }
}

impl std::fmt::Display for TokenUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a valid token must say about itself.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// `iss`: `https://cognito-idp.{region}.amazonaws.com/{pool id}` on AWS.
    pub issuer: &'a str,
    /// The app client id (`aud` of id tokens, `client_id` of access tokens).
    pub client_id: &'a str,
    /// Id or access token.
    pub token_use: TokenUse,
}

/// Why a token or a key set was rejected. Never contains a token.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The JWKS could not be fetched or is not a key set.
    #[error("cannot fetch the JWKS from {url}: {reason}")]
    Fetch {
        /// The JWKS URL.
        url: String,
        /// Transport error, HTTP status or JSON error.
        reason: String,
    },
    /// The token is not a well-formed JWT.
    #[error("malformed token: {reason}")]
    Malformed {
        /// What is wrong with its shape.
        reason: String,
    },
    /// The header names an algorithm other than RS256 (including `none` and
    /// the HMAC algorithms).
    #[error("token algorithm {alg:?} is not accepted: Cognito tokens are RS256")]
    UnsupportedAlgorithm {
        /// The header's `alg`.
        alg: String,
    },
    /// The header's `kid` is not in the key set.
    #[error(
        "token is signed with key id {kid:?}, which the JWKS does not have (it has {known:?})"
    )]
    UnknownKid {
        /// The header's `kid`.
        kid: String,
        /// The key ids of the set.
        known: Vec<String>,
    },
    /// The key named by `kid` cannot verify RS256 signatures.
    #[error("JWKS key {kid:?} cannot verify RS256 tokens: {reason}")]
    UnusableKey {
        /// The key id.
        kid: String,
        /// Why (wrong kty, alg or use, bad modulus...).
        reason: String,
    },
    /// The signature does not verify with the key named by `kid`.
    #[error("token signature does not verify with JWKS key {kid:?}")]
    BadSignature {
        /// The header's `kid`.
        kid: String,
    },
    /// `exp` is in the past.
    #[error("token expired at {exp} (now {now}, leeway {LEEWAY_SECS} s)")]
    Expired {
        /// The token's `exp`, in seconds since the epoch.
        exp: u64,
        /// The verifier's clock, in seconds since the epoch.
        now: u64,
    },
    /// `nbf` is in the future.
    #[error("token is not valid yet (nbf in the future)")]
    NotYetValid,
    /// A required claim is absent.
    #[error("token has no {claim:?} claim")]
    MissingClaim {
        /// The claim name.
        claim: String,
    },
    /// A claim has another value than expected.
    #[error("token claim {claim:?} is {got}, expected {expected:?}")]
    WrongClaim {
        /// The claim name.
        claim: String,
        /// The value that was expected.
        expected: String,
        /// The token's value, as JSON (or `absent`).
        got: String,
    },
    /// Any other failure reported by jsonwebtoken.
    #[error("token rejected: {reason}")]
    Rejected {
        /// jsonwebtoken's description (it never includes the token).
        reason: String,
    },
}

/// Downloads and parses a JWKS (`{issuer}/.well-known/jwks.json`).
///
/// # Errors
/// [`TokenError::Fetch`] on a transport error, a non-2xx status or a body
/// that is not a key set.
pub async fn fetch_jwks(client: &reqwest::Client, url: &str) -> Result<Jwks, TokenError> {
    let fail = |reason: String| TokenError::Fetch {
        url: url.to_string(),
        reason,
    };
    let body = crate::http::get_bytes(client, url).await.map_err(fail)?;
    serde_json::from_slice(&body).map_err(|e| fail(format!("not a JWKS: {e}")))
}

/// Decodes a token's claims WITHOUT VERIFYING ANYTHING.
///
/// This is not verification: the signature, expiry and claims are not checked,
/// and anyone can forge what it returns. Use it only to read a claim that
/// tells where to verify (such as `iss`, to build the JWKS URL), then call
/// [`verify`] before trusting any of it.
///
/// # Errors
/// [`TokenError::Malformed`] when the token is not three parts or its payload
/// is not a base64url JSON object.
pub fn decode_unverified_claims(token: &str) -> Result<Map<String, Value>, TokenError> {
    let [_, payload, _] = split(token)?;
    decode_part(payload, "payload")
}

/// Verifies `token` against `jwks` and `expected`; returns its claims.
///
/// Checks, in order: three parts; header `alg` is exactly `RS256` (before any
/// key lookup); `kid` is in the set and is an RSA signing key; the RS256
/// signature; `exp` present and not past (leeway [`LEEWAY_SECS`]), `nbf` if
/// present; `iss` present and equal to `expected.issuer`; `token_use` equal to
/// `id`/`access`; then for id tokens `aud` equal to the client id, for access
/// tokens (which have no `aud` at Cognito) `client_id` equal to it.
///
/// # Errors
/// The first check that fails, as the matching [`TokenError`] variant.
pub fn verify(
    token: &str,
    jwks: &Jwks,
    expected: &Expected<'_>,
) -> Result<Map<String, Value>, TokenError> {
    let [header, _, _] = split(token)?;
    let header = decode_part(header, "header")?;
    let alg = match header.get("alg") {
        Some(Value::String(alg)) => alg.clone(),
        Some(other) => other.to_string(),
        None => {
            return Err(TokenError::Malformed {
                reason: "header has no alg".into(),
            })
        }
    };
    // Refuse before touching a key: `none` and the HMAC family must never
    // reach signature checking with an RSA public key as the "secret".
    if alg != "RS256" {
        return Err(TokenError::UnsupportedAlgorithm { alg });
    }
    let kid = match header.get("kid") {
        Some(Value::String(kid)) => kid.clone(),
        _ => {
            return Err(TokenError::Malformed {
                reason: "header has no string kid".into(),
            })
        }
    };
    let jwk = jwks.find(&kid).ok_or_else(|| TokenError::UnknownKid {
        kid: kid.clone(),
        known: jwks.kids(),
    })?;
    let key = decoding_key(jwk)?;

    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = LEEWAY_SECS;
    validation.validate_exp = true;
    validation.validate_nbf = true;
    validation.set_required_spec_claims(&["exp", "iss"]);
    validation.set_issuer(&[expected.issuer]);
    // The audience is checked below, after `token_use`, so that an access token
    // offered as an id token is reported as such rather than as "no aud".
    validation.validate_aud = false;

    let claims = match jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation) {
        Ok(data) => data.claims,
        Err(e) => return Err(map_jwt_error(e.into_kind(), token, &kid, expected)),
    };

    check_claim(&claims, "token_use", expected.token_use.as_str())?;
    match expected.token_use {
        TokenUse::Id => check_claim(&claims, "aud", expected.client_id)?,
        TokenUse::Access => check_claim(&claims, "client_id", expected.client_id)?,
    }
    Ok(claims)
}

/// Shows only the start of a token: `eyJraWQi…(1024 chars)`.
///
/// The first 8 characters of a JWT are the start of its header, which is not
/// secret. A value of 16 characters or fewer is not a JWT and shows nothing.
pub fn redact(token: &str) -> String {
    let len = token.chars().count();
    let shown: String = if len > 16 {
        token.chars().take(8).collect()
    } else {
        String::new()
    };
    format!("{shown}…({len} chars)")
}

/// The three dot-separated parts of a compact JWS.
fn split(token: &str) -> Result<[&str; 3], TokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    match parts.as_slice() {
        [h, p, s] => Ok([*h, *p, *s]),
        _ => Err(TokenError::Malformed {
            reason: format!("expected 3 dot-separated parts, found {}", parts.len()),
        }),
    }
}

/// Decodes a base64url JSON object part (`what` is "header" or "payload").
fn decode_part(part: &str, what: &str) -> Result<Map<String, Value>, TokenError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|e| TokenError::Malformed {
            reason: format!("{what} is not base64url: {e}"),
        })?;
    // Only the position of a JSON error is reported: its message could quote
    // claim values.
    serde_json::from_slice(&bytes).map_err(|e| TokenError::Malformed {
        reason: format!(
            "{what} is not a JSON object ({:?} error at column {})",
            e.classify(),
            e.column()
        ),
    })
}

fn decoding_key(jwk: &Jwk) -> Result<DecodingKey, TokenError> {
    let unusable = |reason: String| TokenError::UnusableKey {
        kid: jwk.kid.clone(),
        reason,
    };
    if jwk.kty != "RSA" {
        return Err(unusable(format!("kty is {:?}", jwk.kty)));
    }
    if let Some(alg) = jwk.alg.as_deref() {
        if alg != "RS256" {
            return Err(unusable(format!("alg is {alg:?}")));
        }
    }
    if let Some(use_) = jwk.use_.as_deref() {
        if use_ != "sig" {
            return Err(unusable(format!("use is {use_:?}")));
        }
    }
    DecodingKey::from_rsa_components(&jwk.n, &jwk.e).map_err(|e| unusable(e.to_string()))
}

fn map_jwt_error(kind: ErrorKind, token: &str, kid: &str, expected: &Expected<'_>) -> TokenError {
    // jsonwebtoken checks the signature before the claims, so for the claim
    // errors below the (unverified) claims are the signed ones; they are read
    // again only to say what the token contained.
    let claims = || decode_unverified_claims(token).unwrap_or_default();
    match kind {
        ErrorKind::InvalidSignature => TokenError::BadSignature {
            kid: kid.to_string(),
        },
        ErrorKind::ExpiredSignature => TokenError::Expired {
            exp: claims().get("exp").and_then(Value::as_u64).unwrap_or(0),
            now: jsonwebtoken::get_current_timestamp(),
        },
        ErrorKind::ImmatureSignature => TokenError::NotYetValid,
        ErrorKind::MissingRequiredClaim(claim) => TokenError::MissingClaim { claim },
        ErrorKind::InvalidIssuer => TokenError::WrongClaim {
            claim: "iss".into(),
            expected: expected.issuer.to_string(),
            got: shown(claims().get("iss")),
        },
        ErrorKind::InvalidAlgorithm => TokenError::UnsupportedAlgorithm {
            alg: "not RS256".into(),
        },
        ErrorKind::InvalidToken
        | ErrorKind::Base64(_)
        | ErrorKind::Json(_)
        | ErrorKind::Utf8(_) => TokenError::Malformed {
            reason: format!("{kind:?}"),
        },
        other => TokenError::Rejected {
            reason: format!("{other:?}"),
        },
    }
}

fn check_claim(claims: &Map<String, Value>, claim: &str, want: &str) -> Result<(), TokenError> {
    match claims.get(claim) {
        Some(Value::String(got)) if got == want => Ok(()),
        None => Err(TokenError::MissingClaim {
            claim: claim.to_string(),
        }),
        got => Err(TokenError::WrongClaim {
            claim: claim.to_string(),
            expected: want.to_string(),
            got: shown(got),
        }),
    }
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "absent".to_string(), Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header};
    use rsa::pkcs1::{EncodeRsaPrivateKey, EncodeRsaPublicKey};
    use rsa::traits::PublicKeyParts;
    use rsa::RsaPrivateKey;
    use serde_json::json;
    use std::sync::OnceLock;

    const ISS: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool";
    const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
    const KID1: &str = "kid-one";
    const KID2: &str = "kid-two";

    struct Keys {
        one: RsaPrivateKey,
        two: RsaPrivateKey,
    }

    fn keys() -> &'static Keys {
        static KEYS: OnceLock<Keys> = OnceLock::new();
        KEYS.get_or_init(|| {
            let mut rng = rand::rngs::OsRng;
            Keys {
                one: RsaPrivateKey::new(&mut rng, 2048).expect("keygen"),
                two: RsaPrivateKey::new(&mut rng, 2048).expect("keygen"),
            }
        })
    }

    fn jwk(kid: &str, key: &RsaPrivateKey) -> Jwk {
        Jwk {
            kid: kid.into(),
            kty: "RSA".into(),
            alg: Some("RS256".into()),
            e: URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
            n: URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
            use_: Some("sig".into()),
        }
    }

    fn jwks() -> Jwks {
        Jwks {
            keys: vec![jwk(KID1, &keys().one), jwk(KID2, &keys().two)],
        }
    }

    fn now() -> u64 {
        jsonwebtoken::get_current_timestamp()
    }

    fn id_claims() -> Value {
        json!({
            "sub": "0f1e2d3c-aaaa-bbbb-cccc-111122223333",
            "aud": CLIENT,
            "email_verified": true,
            "token_use": "id",
            "auth_time": now(),
            "iss": ISS,
            "cognito:username": "alice",
            "exp": now() + 3600,
            "iat": now(),
            "email": "alice@example.com",
        })
    }

    fn access_claims() -> Value {
        json!({
            "sub": "0f1e2d3c-aaaa-bbbb-cccc-111122223333",
            "token_use": "access",
            "scope": "aws.cognito.signin.user.admin",
            "auth_time": now(),
            "iss": ISS,
            "exp": now() + 3600,
            "iat": now(),
            "jti": "6a9c9d2e-0000-4000-8000-000000000000",
            "client_id": CLIENT,
            "username": "alice",
        })
    }

    fn sign_with(kid: &str, key: &RsaPrivateKey, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(kid.into());
        let der = key.to_pkcs1_der().expect("pkcs1 der");
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(der.as_bytes()))
            .expect("sign")
    }

    fn sign(claims: &Value) -> String {
        sign_with(KID1, &keys().one, claims)
    }

    fn with(mut claims: Value, key: &str, value: Value) -> Value {
        claims[key] = value;
        claims
    }

    fn without(mut claims: Value, key: &str) -> Value {
        claims.as_object_mut().expect("object").remove(key);
        claims
    }

    const ID: Expected<'static> = Expected {
        issuer: ISS,
        client_id: CLIENT,
        token_use: TokenUse::Id,
    };
    const ACCESS: Expected<'static> = Expected {
        issuer: ISS,
        client_id: CLIENT,
        token_use: TokenUse::Access,
    };

    /// Verifies, expecting failure, and checks the error never shows the token.
    fn reject(token: &str, expected: &Expected<'_>) -> TokenError {
        let err = verify(token, &jwks(), expected).expect_err("forged token must be rejected");
        let shown = format!("{err} {err:?}");
        let signature = token.rsplit('.').next().unwrap_or_default();
        if token.len() > 8 {
            assert!(!shown.contains(token), "token leaked: {shown}");
        }
        if signature.len() > 8 {
            assert!(!shown.contains(signature), "signature leaked: {shown}");
        }
        err
    }

    fn b64(value: &Value) -> String {
        URL_SAFE_NO_PAD.encode(value.to_string())
    }

    #[test]
    fn valid_id_and_access_tokens_pass() {
        let claims = verify(&sign(&id_claims()), &jwks(), &ID).expect("valid id token");
        assert_eq!(claims["cognito:username"], "alice");
        let claims = verify(&sign(&access_claims()), &jwks(), &ACCESS).expect("valid access token");
        assert_eq!(claims["username"], "alice");
        // Signed by the second key under its own kid: fine too.
        verify(&sign_with(KID2, &keys().two, &id_claims()), &jwks(), &ID).expect("second key");
    }

    #[test]
    fn alg_none_is_rejected_before_key_lookup() {
        let header = json!({"alg": "none", "typ": "JWT", "kid": KID1});
        let token = format!("{}.{}.", b64(&header), b64(&id_claims()));
        match reject(&token, &ID) {
            TokenError::UnsupportedAlgorithm { alg } => assert_eq!(alg, "none"),
            other => panic!("{other:?}"),
        }
        // Unknown kid too: the algorithm is refused first.
        let header = json!({"alg": "none", "kid": "whatever"});
        let token = format!("{}.{}.", b64(&header), b64(&id_claims()));
        assert!(matches!(
            reject(&token, &ID),
            TokenError::UnsupportedAlgorithm { .. }
        ));
    }

    #[test]
    fn hs256_with_the_public_key_as_secret_is_rejected() {
        let public = keys().one.to_public_key();
        for secret in [
            public.to_pkcs1_der().expect("der").as_bytes().to_vec(),
            serde_json::to_vec(&jwk(KID1, &keys().one)).expect("json"),
            jwk(KID1, &keys().one).n.into_bytes(),
        ] {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = Some(KID1.into());
            let token =
                jsonwebtoken::encode(&header, &id_claims(), &EncodingKey::from_secret(&secret))
                    .expect("hs256");
            match reject(&token, &ID) {
                TokenError::UnsupportedAlgorithm { alg } => assert_eq!(alg, "HS256"),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn other_rsa_algorithms_are_rejected() {
        let mut header = Header::new(Algorithm::PS256);
        header.kid = Some(KID1.into());
        let der = keys().one.to_pkcs1_der().expect("der");
        let token = jsonwebtoken::encode(
            &header,
            &id_claims(),
            &EncodingKey::from_rsa_der(der.as_bytes()),
        )
        .expect("ps256");
        assert!(matches!(
            reject(&token, &ID),
            TokenError::UnsupportedAlgorithm { alg } if alg == "PS256"
        ));
    }

    #[test]
    fn unknown_kid_is_named() {
        let token = sign_with("kid-three", &keys().one, &id_claims());
        let err = reject(&token, &ID);
        assert!(matches!(&err, TokenError::UnknownKid { kid, .. } if kid == "kid-three"));
        assert!(err.to_string().contains("kid-three"));
        assert!(err.to_string().contains(KID1));
    }

    #[test]
    fn missing_kid_is_malformed() {
        let header = Header::new(Algorithm::RS256);
        let der = keys().one.to_pkcs1_der().expect("der");
        let token = jsonwebtoken::encode(
            &header,
            &id_claims(),
            &EncodingKey::from_rsa_der(der.as_bytes()),
        )
        .expect("sign");
        assert!(matches!(reject(&token, &ID), TokenError::Malformed { .. }));
    }

    #[test]
    fn expired_tokens_are_rejected_with_zero_leeway() {
        let err = reject(&sign(&with(id_claims(), "exp", json!(now() - 1))), &ID);
        assert!(matches!(err, TokenError::Expired { .. }), "{err:?}");
        let err = reject(
            &sign(&with(access_claims(), "exp", json!(now() - 3600))),
            &ACCESS,
        );
        assert!(
            matches!(err, TokenError::Expired { exp, now } if exp < now),
            "{err:?}"
        );
        let err = reject(&sign(&without(id_claims(), "exp")), &ID);
        assert!(matches!(err, TokenError::MissingClaim { claim } if claim == "exp"));
        let err = reject(&sign(&with(id_claims(), "nbf", json!(now() + 600))), &ID);
        assert!(matches!(err, TokenError::NotYetValid), "{err:?}");
    }

    #[test]
    fn wrong_audience_is_rejected() {
        let err = reject(&sign(&with(id_claims(), "aud", json!("other-client"))), &ID);
        match err {
            TokenError::WrongClaim {
                claim,
                expected,
                got,
            } => {
                assert_eq!(claim, "aud");
                assert_eq!(expected, CLIENT);
                assert_eq!(got, "\"other-client\"");
            }
            other => panic!("{other:?}"),
        }
        let err = reject(&sign(&with(id_claims(), "aud", json!([CLIENT, "x"]))), &ID);
        assert!(matches!(err, TokenError::WrongClaim { claim, .. } if claim == "aud"));
        let err = reject(&sign(&without(id_claims(), "aud")), &ID);
        assert!(matches!(err, TokenError::MissingClaim { claim } if claim == "aud"));
    }

    #[test]
    fn wrong_client_id_is_rejected() {
        let err = reject(
            &sign(&with(access_claims(), "client_id", json!("other-client"))),
            &ACCESS,
        );
        assert!(matches!(err, TokenError::WrongClaim { claim, .. } if claim == "client_id"));
        let err = reject(&sign(&without(access_claims(), "client_id")), &ACCESS);
        assert!(matches!(err, TokenError::MissingClaim { claim } if claim == "client_id"));
    }

    #[test]
    fn wrong_issuer_is_rejected() {
        let evil = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other";
        let err = reject(&sign(&with(id_claims(), "iss", json!(evil))), &ID);
        match &err {
            TokenError::WrongClaim { claim, got, .. } => {
                assert_eq!(claim, "iss");
                assert!(got.contains(evil));
            }
            other => panic!("{other:?}"),
        }
        let err = reject(&sign(&without(access_claims(), "iss")), &ACCESS);
        assert!(matches!(err, TokenError::MissingClaim { claim } if claim == "iss"));
    }

    #[test]
    fn wrong_token_use_is_rejected() {
        // A real access token offered as an id token.
        let err = reject(&sign(&access_claims()), &ID);
        assert!(
            matches!(&err, TokenError::WrongClaim { claim, expected, got }
                if claim == "token_use" && expected == "id" && got == "\"access\""),
            "{err:?}"
        );
        // An id token offered as an access token.
        let err = reject(&sign(&id_claims()), &ACCESS);
        assert!(matches!(err, TokenError::WrongClaim { claim, .. } if claim == "token_use"));
        // Id-shaped (right aud) but saying it is an access token.
        let err = reject(&sign(&with(id_claims(), "token_use", json!("access"))), &ID);
        assert!(matches!(err, TokenError::WrongClaim { claim, .. } if claim == "token_use"));
    }

    #[test]
    fn tampered_claims_are_rejected() {
        let token = sign(&id_claims());
        let [header, _, signature] = split(&token).expect("parts");
        let forged = with(id_claims(), "cognito:username", json!("admin"));
        let tampered = format!("{header}.{}.{signature}", b64(&forged));
        let err = reject(&tampered, &ID);
        assert!(
            matches!(&err, TokenError::BadSignature { kid } if kid == KID1),
            "{err:?}"
        );
        // Expired token with exp pushed forward: still a bad signature.
        let token = sign(&with(id_claims(), "exp", json!(now() - 10)));
        let [header, _, signature] = split(&token).expect("parts");
        let tampered = format!("{header}.{}.{signature}", b64(&id_claims()));
        assert!(matches!(
            reject(&tampered, &ID),
            TokenError::BadSignature { .. }
        ));
    }

    #[test]
    fn signature_by_the_other_key_is_rejected() {
        let token = sign_with(KID1, &keys().two, &id_claims());
        assert!(matches!(reject(&token, &ID), TokenError::BadSignature { kid } if kid == KID1));
    }

    #[test]
    fn malformed_tokens() {
        for token in [
            "",
            "abc",
            "a.b",
            "a.b.c.d",
            "!!!.e30.",
            "e30.!!!.",
            "bnVsbA.e30.",
        ] {
            assert!(
                matches!(reject(token, &ID), TokenError::Malformed { .. }),
                "{token:?}"
            );
        }
        let token = sign(&id_claims());
        let [header, _, signature] = split(&token).expect("parts");
        let bad = format!("{header}.bm90IGpzb24.{signature}");
        assert!(matches!(
            reject(&bad, &ID),
            TokenError::BadSignature { .. } | TokenError::Malformed { .. }
        ));
    }

    #[test]
    fn unusable_keys() {
        let token = sign(&id_claims());
        let mut set = jwks();
        set.keys[0].kty = "EC".into();
        let err = verify(&token, &set, &ID).expect_err("EC key");
        assert!(matches!(err, TokenError::UnusableKey { .. }), "{err:?}");
        let mut set = jwks();
        set.keys[0].alg = Some("HS256".into());
        assert!(matches!(
            verify(&token, &set, &ID),
            Err(TokenError::UnusableKey { .. })
        ));
    }

    #[test]
    fn unverified_claims_and_redaction() {
        let token = sign(&id_claims());
        let claims = decode_unverified_claims(&token).expect("claims");
        assert_eq!(claims["iss"], ISS);
        let shown = redact(&token);
        assert!(shown.starts_with(&token[..8]));
        assert!(shown.ends_with(&format!("…({} chars)", token.len())));
        assert!(!shown.contains(&token[8..16]));
        assert_eq!(redact("short"), "…(5 chars)");
    }

    #[test]
    fn jwks_deserializes_cognito_shape() {
        let text = r#"{"keys":[{"alg":"RS256","e":"AQAB","kid":"abc=","kty":"RSA","n":"sz9","use":"sig"},
                      {"kty":"EC","kid":"ec1","crv":"P-256","x":"1","y":"2"}]}"#;
        let set: Jwks = serde_json::from_str(text).expect("jwks");
        assert_eq!(set.kids(), vec!["abc=", "ec1"]);
        assert_eq!(
            set.find("abc=").and_then(|k| k.use_.as_deref()),
            Some("sig")
        );
    }

    #[tokio::test]
    async fn fetch_jwks_over_http() {
        use crate::mailbox::test_server::{Reply, TestServer};
        let _ = rustls::crypto::ring::default_provider().install_default();
        let body = serde_json::to_string(&jwks()).expect("json");
        let server = TestServer::start(move |path| match path {
            "/pool/.well-known/jwks.json" => Reply::json(&body),
            "/junk" => Reply::json("{\"nope\":1}"),
            _ => Reply::status(404, "Not Found"),
        })
        .await;
        let client = reqwest::Client::new();
        let got = fetch_jwks(&client, &server.url("/pool/.well-known/jwks.json"))
            .await
            .expect("fetch");
        assert_eq!(got, jwks());
        let err = fetch_jwks(&client, &server.url("/missing"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("404"), "{err}");
        assert!(err.to_string().contains("/missing"), "{err}");
        let err = fetch_jwks(&client, &server.url("/junk")).await.unwrap_err();
        assert!(err.to_string().contains("not a JWKS"), "{err}");
    }
}
