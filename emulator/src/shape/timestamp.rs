//! The one type for points in time, in state and on the wire.
//!
//! Cognito's JSON carries times as epoch seconds with a fraction (`1700000000.123`); SES's
//! XML as ISO 8601. Inside, a time is whole milliseconds since the epoch, so that
//! comparisons and arithmetic are exact.

use std::time::{Duration, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time, to the millisecond.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The time `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    /// The time `secs` seconds after the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        Self(secs * 1000)
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch, as JWT claims count them.
    pub const fn secs(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Seconds since the epoch with the milliseconds as a fraction: Cognito's wire form.
    pub fn epoch_seconds(self) -> f64 {
        self.0 as f64 / 1000.0
    }

    /// This time plus `d`.
    pub fn plus(self, d: Duration) -> Self {
        Self(
            self.0
                .saturating_add(d.as_millis().min(i64::MAX as u128) as i64),
        )
    }

    /// ISO 8601 in UTC with milliseconds (`2026-11-26T19:04:43.000Z`): the query protocol's
    /// wire form.
    pub fn iso8601(self) -> String {
        let t = if self.0 >= 0 {
            UNIX_EPOCH + Duration::from_millis(self.0 as u64)
        } else {
            UNIX_EPOCH
        };
        humantime::format_rfc3339_millis(t).to_string()
    }

    /// Parses ISO 8601 (`2026-11-26T19:04:43Z`, with or without fraction).
    pub fn parse_iso8601(text: &str) -> Option<Self> {
        let t = humantime::parse_rfc3339_weak(text.trim()).ok()?;
        let d = t.duration_since(UNIX_EPOCH).ok()?;
        Some(Self(d.as_millis() as i64))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 1000 == 0 {
            s.serialize_i64(self.secs())
        } else {
            s.serialize_f64(self.epoch_seconds())
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let secs = f64::deserialize(d)?;
        Ok(Self((secs * 1000.0).round() as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_forms() {
        let t = Timestamp::from_millis(1_700_000_000_123);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1700000000.123");
        assert_eq!(
            serde_json::from_str::<Timestamp>("1700000000.123").unwrap(),
            t
        );
        assert_eq!(t.iso8601(), "2023-11-14T22:13:20.123Z");
        assert_eq!(
            Timestamp::parse_iso8601("2023-11-14T22:13:20.123Z"),
            Some(t)
        );
        assert_eq!(t.secs(), 1_700_000_000);
    }
}
