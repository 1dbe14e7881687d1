//! The server side of Cognito's SRP sign-in (`USER_SRP_AUTH`), as Amplify,
//! amazon-cognito-identity-js, pycognito and the `aws-cognito-srp` crate speak it.
//!
//! Cognito's variant of SRP-6a: the 3072-bit group of RFC 5054 with g = 2 and SHA-256;
//! `x = H(salt | H(poolName | userId | ":" | password))`, where `poolName` is the pool
//! id's part after `_`; the session key is HKDF-SHA256 of `S` with salt `u` and info
//! `"Caldera Derived Key"`, 16 bytes; and the client proves it holds the key by an
//! HMAC-SHA256 of `poolName | userId | secretBlock | timestamp`. Every number is hashed
//! in its "padded hex" form: big-endian bytes, with a zero byte in front when the top
//! bit is set, because the JavaScript client hashes hex strings that way and every
//! other client copies it.
//!
//! Only the verifier `v = g^x` and the salt are stored per user, never the password.

use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use num_bigint_dig::BigUint;
use num_traits::Zero;
use sha2::{Digest, Sha256};

/// RFC 5054's 3072-bit prime, as Cognito's clients write it.
const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9",
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B",
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31",
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The group: N, g and the multiplier k = H(N | g).
struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap_or_default();
        let g = BigUint::from(2u32);
        let k = hash_numbers(&[&n, &g]);
        Group { n, g, k }
    })
}

/// A number's bytes as the clients hash them (see the module comment).
fn padded(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    bytes
}

fn hash_numbers(numbers: &[&BigUint]) -> BigUint {
    let mut h = Sha256::new();
    for n in numbers {
        h.update(padded(n));
    }
    BigUint::from_bytes_be(&h.finalize())
}

/// x = H(salt | H(poolName | userId | ":" | password)).
fn private_x(salt: &[u8], pool_name: &str, user_id: &str, password: &str) -> BigUint {
    let inner = Sha256::new()
        .chain_update(pool_name.as_bytes())
        .chain_update(user_id.as_bytes())
        .chain_update(b":")
        .chain_update(password.as_bytes())
        .finalize();
    let outer = Sha256::new()
        .chain_update(salt)
        .chain_update(inner)
        .finalize();
    BigUint::from_bytes_be(&outer)
}

/// The part of a pool id after the region: what SRP hashes as the pool's name.
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// A user's SRP verifier and its salt.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Verifier {
    #[serde(with = "crate::state::bytes")]
    salt: [u8; 16],
    #[serde(with = "big_bytes")]
    v: BigUint,
}

/// The verifier in state documents: big-endian bytes in base64.
mod big_bytes {
    use num_bigint_dig::BigUint;

    pub fn serialize<S: serde::Serializer>(v: &BigUint, s: S) -> Result<S::Ok, S::Error> {
        crate::state::bytes::serialize(v.to_bytes_be(), s)
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<BigUint, D::Error> {
        let bytes: Vec<u8> = crate::state::bytes::deserialize(d)?;
        Ok(BigUint::from_bytes_be(&bytes))
    }
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier(redacted)")
    }
}

impl Verifier {
    /// The verifier of `password` for the user whose SRP id is `user_id` in pool
    /// `pool_id`, with a fresh salt.
    pub fn new(pool_id: &str, user_id: &str, password: &str) -> Self {
        let mut salt: [u8; 16] = rand::random();
        // Clients hash the salt as they received it, in hex; one whose first byte is
        // 0x01..=0x7F reads the same as a string and as a number, padded or not.
        salt[0] = salt[0] % 0x7f + 1;
        let x = private_x(&salt, pool_name(pool_id), user_id, password);
        let group = group();
        Self {
            v: group.g.modpow(&x, &group.n),
            salt,
        }
    }

    /// `SALT`, as the challenge carries it.
    pub fn salt_hex(&self) -> String {
        hex(&self.salt)
    }

    /// Starts a sign-in: the server's secret `b` and its public `B = k·v + g^b`.
    pub fn start(&self) -> ServerHalf {
        let group = group();
        loop {
            let b = BigUint::from_bytes_be(&rand::random::<[u8; 32]>());
            let big_b = (&group.k * &self.v + group.g.modpow(&b, &group.n)) % &group.n;
            if !big_b.is_zero() {
                return ServerHalf { b, big_b };
            }
        }
    }
}

/// The server's half of one SRP exchange, kept until the client answers.
#[derive(Clone, PartialEq, Eq)]
pub struct ServerHalf {
    b: BigUint,
    big_b: BigUint,
}

impl std::fmt::Debug for ServerHalf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerHalf(redacted)")
    }
}

/// What the client sent and signed, to check against the server's half.
pub struct Claim<'a> {
    /// The client's public `A`, in hex, from `InitiateAuth`'s `SRP_A`.
    pub a_hex: &'a str,
    /// The pool id.
    pub pool_id: &'a str,
    /// The user's SRP id (`USER_ID_FOR_SRP`).
    pub user_id: &'a str,
    /// `SECRET_BLOCK`, base64, as the challenge carried it.
    pub secret_block: &'a str,
    /// `TIMESTAMP`, as the client signed it.
    pub timestamp: &'a str,
    /// `PASSWORD_CLAIM_SIGNATURE`, base64.
    pub signature: &'a str,
}

impl ServerHalf {
    /// `SRP_B`, as the challenge carries it.
    pub fn b_hex(&self) -> String {
        self.big_b.to_str_radix(16)
    }

    /// Whether `claim` was signed with the key that only the password's holder can
    /// compute.
    pub fn verifies(&self, verifier: &Verifier, claim: &Claim<'_>) -> bool {
        let group = group();
        let Some(a) = parse_public(claim.a_hex) else {
            return false;
        };
        let u = hash_numbers(&[&a, &self.big_b]);
        if u.is_zero() {
            return false;
        }
        // S = (A · v^u)^b
        let s = (a * verifier.v.modpow(&u, &group.n) % &group.n).modpow(&self.b, &group.n);
        let mut key = [0u8; 16];
        let hkdf = hkdf::Hkdf::<Sha256>::new(Some(&padded(&u)), &padded(&s));
        if hkdf.expand(b"Caldera Derived Key", &mut key).is_err() {
            return false;
        }
        let Ok(block) = STANDARD.decode(claim.secret_block) else {
            return false;
        };
        let Ok(sent) = STANDARD.decode(claim.signature) else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
            return false;
        };
        mac.update(pool_name(claim.pool_id).as_bytes());
        mac.update(claim.user_id.as_bytes());
        mac.update(&block);
        mac.update(claim.timestamp.as_bytes());
        mac.verify_slice(&sent).is_ok()
    }
}

/// A client's public `A`: hex, and not 0 mod N (which would let anyone in).
pub fn parse_public(a_hex: &str) -> Option<BigUint> {
    let a = BigUint::parse_bytes(a_hex.as_bytes(), 16)?;
    if (&a % &group().n).is_zero() {
        return None;
    }
    Some(a)
}

/// The `TIMESTAMP` a client signs, in the one form Cognito accepts it in: Java's
/// `EEE MMM d HH:mm:ss z yyyy`, in English and UTC (`Tue Nov 26 19:04:43 UTC 2026`).
/// `None` when it cannot be read as a time at all. A readable time is given back as
/// Cognito writes it, with the weekday of its date and the day unpadded: Cognito checks
/// the signature over that form, so a client that pads the day (`Nov 05`) or names the
/// wrong weekday fails the signature, as it does on AWS.
pub fn canonical_timestamp(text: &str) -> Option<String> {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    static FORM: OnceLock<regex::Regex> = OnceLock::new();
    let form = FORM.get_or_init(|| {
        regex::Regex::new(
            r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (UTC|GMT) (\d{4})$",
        )
        .expect("a constant pattern")
    });
    let c = form.captures(text)?;
    let month = MONTHS.iter().position(|m| *m == &c[2])? + 1;
    let day: u32 = c[3].parse().ok()?;
    let rfc3339 = format!(
        "{}-{month:02}-{day:02}T{}:{}:{}Z",
        &c[8], &c[4], &c[5], &c[6]
    );
    let time = humantime::parse_rfc3339(&rfc3339).ok()?;
    let secs = time.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    // 1970-01-01 was a Thursday.
    let weekday = DAYS[((secs / 86_400) % 7) as usize];
    Some(format!(
        "{weekday} {} {day} {}:{}:{} UTC {}",
        &c[2], &c[4], &c[5], &c[6], &c[8]
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The client's side, for the emulator's own tests: what a client computes from the
/// challenge. (The integration tests use independent clients: the `aws-cognito-srp`
/// crate and pycognito.)
#[cfg(test)]
pub(crate) mod client {
    use super::*;

    /// A client's secret `a` and public `A`.
    pub fn start() -> (BigUint, String) {
        let group = group();
        let a = BigUint::from_bytes_be(&rand::random::<[u8; 32]>());
        let big_a = group.g.modpow(&a, &group.n);
        (a, big_a.to_str_radix(16))
    }

    /// The signature a client sends.
    #[allow(clippy::too_many_arguments)]
    pub fn sign(
        a: &BigUint,
        a_hex: &str,
        b_hex: &str,
        salt_hex: &str,
        pool_id: &str,
        user_id: &str,
        password: &str,
        secret_block: &str,
        timestamp: &str,
    ) -> String {
        let group = group();
        let big_a = BigUint::parse_bytes(a_hex.as_bytes(), 16).unwrap();
        let big_b = BigUint::parse_bytes(b_hex.as_bytes(), 16).unwrap();
        let salt = BigUint::parse_bytes(salt_hex.as_bytes(), 16).unwrap();
        let u = hash_numbers(&[&big_a, &big_b]);
        let x = private_x(&padded(&salt), pool_name(pool_id), user_id, password);
        let gx = group.g.modpow(&x, &group.n);
        let base = (&big_b + &group.n * &group.k - (&group.k * gx) % &group.n) % &group.n;
        let s = base.modpow(&(a + &u * &x), &group.n);
        let mut key = [0u8; 16];
        hkdf::Hkdf::<Sha256>::new(Some(&padded(&u)), &padded(&s))
            .expand(b"Caldera Derived Key", &mut key)
            .unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(pool_name(pool_id).as_bytes());
        mac.update(user_id.as_bytes());
        mac.update(&STANDARD.decode(secret_block).unwrap());
        mac.update(timestamp.as_bytes());
        STANDARD.encode(mac.finalize().into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POOL: &str = "us-east-1_AbCdEf123";

    fn exchange(password_set: &str, password_typed: &str) -> bool {
        let verifier = Verifier::new(POOL, "alice", password_set);
        let server = verifier.start();
        let (a, a_hex) = client::start();
        let block = STANDARD.encode([7u8; 48]);
        let timestamp = "Tue Nov 26 19:04:43 UTC 2026";
        let signature = client::sign(
            &a,
            &a_hex,
            &server.b_hex(),
            &verifier.salt_hex(),
            POOL,
            "alice",
            password_typed,
            &block,
            timestamp,
        );
        server.verifies(
            &verifier,
            &Claim {
                a_hex: &a_hex,
                pool_id: POOL,
                user_id: "alice",
                secret_block: &block,
                timestamp,
                signature: &signature,
            },
        )
    }

    #[test]
    fn the_right_password_verifies_and_a_wrong_one_does_not() {
        assert!(exchange("Passw0rd!", "Passw0rd!"));
        assert!(!exchange("Passw0rd!", "Passw0rd?"));
    }

    #[test]
    fn the_group_is_rfc_5054s_3072_bit_prime_with_its_known_multiplier() {
        assert_eq!(group().n.bits(), 3072);
        // k = H(N | g) for this group, as every Cognito client computes it.
        assert_eq!(
            group().k.to_str_radix(16),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }

    #[test]
    fn a_public_value_of_zero_mod_n_is_refused() {
        assert!(parse_public("0").is_none());
        assert!(parse_public(N_HEX).is_none());
        assert!(parse_public("not hex").is_none());
        assert!(parse_public("2").is_some());
    }

    #[test]
    fn timestamps_are_read_in_javas_english_form_and_given_back_canonical() {
        let canonical = |t| canonical_timestamp(t);
        assert_eq!(
            canonical("Tue Nov 26 19:04:43 UTC 2026").as_deref(),
            Some("Thu Nov 26 19:04:43 UTC 2026")
        );
        assert_eq!(
            canonical("Thu Nov 5 09:04:43 UTC 2026").as_deref(),
            Some("Thu Nov 5 09:04:43 UTC 2026")
        );
        // A padded day reads, but is given back unpadded: its signature will not match.
        assert_eq!(
            canonical("Thu Nov 05 09:04:43 UTC 2026").as_deref(),
            Some("Thu Nov 5 09:04:43 UTC 2026")
        );
        for bad in [
            "2026-11-26T19:04:43Z",
            "Thu Nov 26 19:04:43 +0100 2026",
            "Thu Foo 26 19:04:43 UTC 2026",
            "Thu Feb 30 19:04:43 UTC 2026",
            "",
        ] {
            assert_eq!(canonical(bad), None, "{bad}");
        }
    }

    #[test]
    fn salts_read_the_same_as_text_and_as_numbers() {
        for _ in 0..100 {
            let v = Verifier::new(POOL, "bob", "pw");
            assert!(v.salt[0] >= 1 && v.salt[0] <= 0x7f);
            assert_eq!(v.salt_hex().len(), 32);
        }
    }
}
