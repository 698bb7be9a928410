//! Simulator time: wall-clock milliseconds since the epoch, and the API's several time formats.

use chrono::{DateTime, TimeZone, Utc};

/// Milliseconds since the Unix epoch, UTC.
pub type Millis = i64;

pub fn now_ms() -> Millis {
    Utc::now().timestamp_millis()
}

fn dt(ms: Millis) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// `2019-05-22T03:19:19Z` (ECS `created`/`updated`, IMS times).
pub fn iso_seconds(ms: Millis) -> String {
    dt(ms).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `2016-04-25T20:04:34.604Z` (job times).
pub fn iso_millis(ms: Millis) -> String {
    dt(ms).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// `2018-06-19T07:47:17.173337` (no zone: UTC; `launched_at`, EVS times).
pub fn iso_micros_nozone(ms: Millis) -> String {
    dt(ms).format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// `2020-01-04T09:05:22.701000Z` (IAM token times).
pub fn iso_micros_z(ms: Millis) -> String {
    dt(ms).format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parses `X-Sdk-Date` (`20191115T033655Z`).
pub fn parse_sdk_date(s: &str) -> Option<Millis> {
    chrono::NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|n| n.and_utc().timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_the_documented_shapes() {
        let t = 1_461_614_674_604; // 2016-04-25T20:04:34.604Z
        assert_eq!(iso_millis(t), "2016-04-25T20:04:34.604Z");
        assert_eq!(iso_seconds(t), "2016-04-25T20:04:34Z");
        assert_eq!(iso_micros_nozone(t), "2016-04-25T20:04:34.604000");
        assert_eq!(iso_micros_z(t), "2016-04-25T20:04:34.604000Z");
        assert_eq!(parse_sdk_date("20191115T033655Z"), Some(1_573_789_015_000));
        assert_eq!(parse_sdk_date("2019-11-15"), None);
    }
}
