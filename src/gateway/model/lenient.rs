//! Lenient decoders for the API's loose wire types: numbers as strings or integers, `null` for
//! absent, and every time format of api.md §10.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// `Display` as the status's wire text (`as_str`) and a lenient `Deserialize` through `parse`,
/// for a status enum that keeps the values it does not know.
macro_rules! wire_status {
    ($t:ty) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                Ok(<$t>::parse(&$crate::gateway::model::lenient::string(d)?))
            }
        }
    };
}
pub(crate) use wire_status;

/// One JSON value read without building a tree: scalars kept, arrays and objects skipped.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Str(String),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Bool(bool),
    /// `null` or absent.
    Null,
    /// An array or an object.
    Compound,
}

impl Scalar {
    /// The value as text (numbers and booleans written out); `None` for null and compounds.
    pub fn text(self) -> Option<String> {
        match self {
            Scalar::Str(s) => Some(s),
            Scalar::Unsigned(n) => Some(n.to_string()),
            Scalar::Signed(n) => Some(n.to_string()),
            Scalar::Float(f) => serde_json::Number::from_f64(f).map(|n| n.to_string()),
            Scalar::Bool(b) => Some(b.to_string()),
            Scalar::Null | Scalar::Compound => None,
        }
    }

    /// The value as an unsigned number (`4`, `"4"`, `4.0`); `None` otherwise.
    pub fn unsigned(&self) -> Option<u64> {
        let from_float = |f: f64| (f >= 0.0 && f.is_finite()).then_some(f as u64);
        match self {
            Scalar::Unsigned(n) => Some(*n),
            Scalar::Signed(n) => u64::try_from(*n).ok(),
            Scalar::Float(f) => from_float(*f),
            Scalar::Str(s) => {
                let s = s.trim();
                s.parse::<u64>()
                    .ok()
                    .or_else(|| s.parse::<f64>().ok().and_then(from_float))
            }
            _ => None,
        }
    }

    /// The value as a signed number (`-1` = unlimited in quotas).
    pub fn signed(&self) -> Option<i64> {
        match self {
            Scalar::Unsigned(n) => i64::try_from(*n).ok(),
            Scalar::Signed(n) => Some(*n),
            Scalar::Float(f) if f.is_finite() => Some(*f as i64),
            Scalar::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Unsigned(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Signed(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        Scalar::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Scalar, A::Error> {
        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Scalar::Compound)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Scalar, A::Error> {
        while a
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Scalar::Compound)
    }
}

/// A string field that may arrive as a string, a number, a boolean or `null`.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Scalar::deserialize(d)?.text().unwrap_or_default())
}

/// An optional string: `null` and `""` are `None`; numbers and booleans become text.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Scalar::deserialize(d)?.text().filter(|s| !s.is_empty()))
}

/// An unsigned number that may arrive as `4`, `"4"`, `4.0`, `""` or `null` (the last two: 0).
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(Scalar::deserialize(d)?.unsigned().unwrap_or(0))
}

/// An optional unsigned number: `None` when absent, `null`, empty or not a number.
pub fn opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(Scalar::deserialize(d)?.unsigned())
}

/// A number that may be negative (`-1` = unlimited), as integer or string.
pub fn signed<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Scalar::deserialize(d)?.signed())
}

/// A boolean that may arrive as `true`, `"true"`, `"True"`, `1` or `null` (false).
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Scalar::deserialize(d)? {
        Scalar::Bool(b) => b,
        Scalar::Str(s) => s.trim().eq_ignore_ascii_case("true") || s.trim() == "1",
        Scalar::Unsigned(n) => n != 0,
        Scalar::Signed(n) => n != 0,
        Scalar::Float(f) => f != 0.0,
        _ => false,
    })
}

/// A nested object that may arrive as `null` or in another shape: then its empty default, so
/// that one odd field never costs the whole object.
pub fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned + Default,
{
    Ok(T::deserialize(Value::deserialize(d)?).unwrap_or_default())
}

/// A list that may arrive as `null` (empty) or with items of the wrong shape (skipped).
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|v| serde_json::from_value(v).ok())
            .collect(),
        _ => Vec::new(),
    })
}

/// A string-to-string map whose values may be numbers, booleans or `null`; other shapes are empty.
pub fn string_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<std::collections::BTreeMap<String, String>, D::Error> {
    d.deserialize_any(MapVisitor)
}

struct MapVisitor;

impl<'de> serde::de::Visitor<'de> for MapVisitor {
    type Value = std::collections::BTreeMap<String, String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let mut out = std::collections::BTreeMap::new();
        while let Some((k, v)) = a.next_entry::<String, Scalar>()? {
            out.insert(k, v.text().unwrap_or_default());
        }
        Ok(out)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(Default::default())
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Default::default())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(MapVisitor)
    }
}

/// A time as the API wrote it, with its UTC instant when the text is one of the known formats.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Timestamp {
    /// The text as received (`""` for "not yet").
    pub text: String,
    /// The instant, when the text parsed (a time without a zone is UTC).
    pub utc: Option<DateTime<Utc>>,
}

impl Timestamp {
    pub fn parse(text: &str) -> Timestamp {
        Timestamp {
            text: text.to_owned(),
            utc: parse_time(text),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.utc {
            Some(t) => write!(f, "{}", t.format("%Y-%m-%d %H:%M:%S")),
            None => f.write_str(&self.text),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Timestamp::parse(&string(d)?))
    }
}

/// Parses the time formats of api.md §10: RFC 3339 (`…Z`, `…+08:00`, fractions), zone-less
/// ISO times (UTC), and the old IMS `04-Jun-2015 18:11:06:586`.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.fZ",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(t, fmt) {
            return Some(n.and_utc());
        }
    }
    // Old IMS jobs: `04-Jun-2015 18:11:06:586` (milliseconds after a colon).
    if let Some((head, ms)) = t.rsplit_once(':')
        && ms.len() == 3
        && ms.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = NaiveDateTime::parse_from_str(head, "%d-%b-%Y %H:%M:%S")
    {
        let millis: i64 = ms.parse().ok()?;
        return Some(n.and_utc() + chrono::Duration::milliseconds(millis));
    }
    None
}

pub fn value_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn value_to_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0 && f.is_finite())
                .map(|f| f as u64)
        }),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<u64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| *f >= 0.0 && f.is_finite())
                    .map(|f| f as u64)
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_time_format_parses() {
        let cases = [
            ("2019-05-22T03:19:19Z", "2019-05-22 03:19:19"),
            ("2018-06-19T07:47:17.173337", "2018-06-19 07:47:17"),
            ("2016-04-25T20:04:34.604Z", "2016-04-25 20:04:34"),
            ("2020-01-04T09:05:22.701000Z", "2020-01-04 09:05:22"),
            ("04-Jun-2015 18:11:06:586", "2015-06-04 18:11:06"),
            ("2019-05-22T11:19:19+08:00", "2019-05-22 03:19:19"),
        ];
        for (text, shown) in cases {
            let t = Timestamp::parse(text);
            assert!(t.utc.is_some(), "{text} did not parse");
            assert_eq!(t.to_string(), shown, "{text}");
        }
        let empty = Timestamp::parse("");
        assert!(empty.utc.is_none() && empty.is_empty());
        let odd = Timestamp::parse("yesterday");
        assert_eq!(odd.to_string(), "yesterday");
    }

    #[test]
    fn old_ims_time_keeps_milliseconds() {
        let t = parse_time("04-Jun-2015 18:11:06:586").unwrap();
        assert_eq!(t.timestamp_subsec_millis(), 586);
    }

    #[test]
    fn numbers_arrive_in_many_shapes() {
        for (v, want) in [
            (serde_json::json!(4), Some(4)),
            (serde_json::json!("4"), Some(4)),
            (serde_json::json!(4.0), Some(4)),
            (serde_json::json!(""), None),
            (serde_json::json!(null), None),
            (serde_json::json!(-1), None),
        ] {
            assert_eq!(value_to_u64(&v), want, "{v}");
        }
    }
}
