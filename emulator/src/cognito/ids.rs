//! Identifiers in AWS's shapes.

use rand::distributions::{Alphanumeric, DistString};
use rand::Rng;

/// A pool id: the region, an underscore, 9 letters and digits (`us-east-1_DpExb5BW8`).
pub fn pool_id(region: &str) -> String {
    format!(
        "{region}_{}",
        Alphanumeric.sample_string(&mut rand::thread_rng(), 9)
    )
}

/// `len` lowercase letters and digits: client ids (26) and secrets (51).
pub fn lower_alnum(len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

/// A client id.
pub fn client_id() -> String {
    lower_alnum(26)
}

/// A client secret.
pub fn client_secret() -> String {
    lower_alnum(51)
}

/// A temporary password that meets any policy AWS allows: long, with every class.
pub fn temporary_password() -> String {
    let mut p = Alphanumeric.sample_string(&mut rand::thread_rng(), 12);
    p.push_str("Aa1!");
    p
}

/// A fresh, unguessable `Session` (or SRP `SECRET_BLOCK`): 48 random bytes in base64.
pub fn session() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 48];
    rand::thread_rng().fill(&mut bytes[..]);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
