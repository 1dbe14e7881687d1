//! Byte strings in the state documents as base64 text rather than JSON arrays of numbers
//! (a quarter of the size): `#[serde(with = "crate::state::bytes")]`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Deserializer, Serializer};

/// Writes `bytes` as base64.
pub fn serialize<S: Serializer>(bytes: impl AsRef<[u8]>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&STANDARD.encode(bytes))
}

/// Reads base64 into a `Vec<u8>` or a fixed-size array of the right length.
pub fn deserialize<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<Vec<u8>>,
{
    let text = String::deserialize(d)?;
    let bytes = STANDARD.decode(text).map_err(serde::de::Error::custom)?;
    T::try_from(bytes).map_err(|_| serde::de::Error::custom("a byte string of the wrong length"))
}
