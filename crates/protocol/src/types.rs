//! Scalar wire types the model uses beyond JSON's own: timestamps, blobs, and the
//! per-request context every handler receives.

use std::fmt;

use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as AWS JSON 1.1 carries it: epoch seconds as a JSON number,
/// with millisecond precision on the way out (`1659318206.102`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// The time now, truncated to milliseconds (the precision the wire keeps).
    pub fn now() -> Self {
        Self::from_millis(Utc::now().timestamp_millis())
    }

    /// Builds a timestamp from milliseconds since the epoch.
    pub fn from_millis(ms: i64) -> Self {
        Timestamp(Utc.timestamp_millis_opt(ms).single().unwrap_or_default())
    }

    /// Milliseconds since the epoch.
    pub fn millis(self) -> i64 {
        self.0.timestamp_millis()
    }

    /// `YYYYMMDDTHHMMSSZ`, the form flywheel iteration ids and lake folders use.
    pub fn compact(self) -> String {
        self.0.format("%Y%m%dT%H%M%SZ").to_string()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ms = self.millis();
        if ms % 1000 == 0 {
            serializer.serialize_i64(ms / 1000)
        } else {
            serializer.serialize_f64(ms as f64 / 1000.0)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EpochSeconds;
        impl Visitor<'_> for EpochSeconds {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("epoch seconds as a number")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
                v.checked_mul(1000)
                    .map(Timestamp::from_millis)
                    .ok_or_else(|| E::custom("timestamp out of range"))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
                i64::try_from(v)
                    .map_err(|_| E::custom("timestamp out of range"))
                    .and_then(|v| self.visit_i64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
                if !v.is_finite() || v.abs() > 1e14 {
                    return Err(E::custom("timestamp out of range"));
                }
                Ok(Timestamp::from_millis((v * 1000.0).round() as i64))
            }
        }
        deserializer.deserialize_any(EpochSeconds)
    }
}

/// Binary data, base64-encoded in JSON (`ClassifyDocument.Bytes`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Blob(pub Vec<u8>);

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Blob)
            .map_err(|e| de::Error::custom(format!("invalid base64 blob: {e}")))
    }
}

/// Who is calling and where: every resource lives in one (account, region).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    /// The 12-digit account id, from the access key id or the default account.
    pub account_id: String,
    /// The region from the SigV4 credential scope, or the default region.
    pub region: String,
    /// The id sent back in `x-amzn-RequestId`.
    pub request_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_with_millisecond_precision() {
        let t: Timestamp = serde_json::from_str("1659318206.102").unwrap();
        assert_eq!(t.millis(), 1_659_318_206_102);
        assert_eq!(serde_json::to_string(&t).unwrap(), "1659318206.102");
        let whole: Timestamp = serde_json::from_str("1672531200").unwrap();
        assert_eq!(serde_json::to_string(&whole).unwrap(), "1672531200");
        assert_eq!(whole.compact(), "20230101T000000Z");
    }

    #[test]
    fn timestamps_reject_strings_and_absurd_values() {
        assert!(serde_json::from_str::<Timestamp>("\"2023-01-01\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("1e300").is_err());
    }

    #[test]
    fn blobs_are_base64() {
        let b: Blob = serde_json::from_str("\"YWJj\"").unwrap();
        assert_eq!(b.0, b"abc");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"YWJj\"");
        assert!(serde_json::from_str::<Blob>("\"not base64!\"").is_err());
    }
}
