//! When a read is tried again: which failures, how long to wait (exponential backoff with
//! jitter, `Retry-After` honoured), bounded in count and total time. Changes are never retried.

use std::time::Duration;

/// The retry budget of reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first wait; each later one doubles, up to `max_delay`.
    pub base_delay: Duration,
    /// The first wait after a 429 (the gateway's limits are per second or per minute).
    pub throttle_delay: Duration,
    pub max_delay: Duration,
    /// No new attempt starts once this much time has passed since the first.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            throttle_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(10),
            max_total: Duration::from_secs(45),
        }
    }
}

/// Why an attempt of a read failed in a way worth another try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transient {
    /// No answer (connect error, reset, timeout).
    Network,
    /// An answer cut short, empty or not JSON.
    Body,
    /// 429.
    Throttled,
    /// 500, 502, 503, 504.
    ServerError,
}

/// Whether an HTTP status is worth another try for a read.
pub fn transient_status(status: u16) -> Option<Transient> {
    match status {
        429 => Some(Transient::Throttled),
        500 | 502 | 503 | 504 => Some(Transient::ServerError),
        _ => None,
    }
}

impl RetryPolicy {
    /// Policy for tests and for callers that must not wait: one attempt.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before attempt `attempt + 1` (attempt counts from 1), or `None` when the budget
    /// is spent. `jitter` in [0, 1) picks a point in the upper half of the backoff window.
    pub fn delay(
        &self,
        attempt: u32,
        why: Transient,
        retry_after: Option<Duration>,
        elapsed: Duration,
        jitter: f64,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let first = if why == Transient::Throttled {
            self.throttle_delay
        } else {
            self.base_delay
        };
        let exp = first.saturating_mul(1u32 << (attempt - 1).min(16));
        let window = exp.min(self.max_delay);
        let jitter = jitter.clamp(0.0, 1.0);
        let mut wait = window.mul_f64(0.5 + jitter / 2.0);
        if let Some(ra) = retry_after {
            wait = wait.max(ra);
        }
        (elapsed + wait <= self.max_total).then_some(wait)
    }
}

/// Reads `Retry-After` as seconds or as an HTTP date.
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(v).ok()?;
    let d = when.with_timezone(&chrono::Utc) - now;
    Some(d.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops() {
        let p = RetryPolicy::default();
        let d1 = p
            .delay(1, Transient::ServerError, None, Duration::ZERO, 0.999)
            .unwrap();
        let d2 = p
            .delay(2, Transient::ServerError, None, Duration::ZERO, 0.999)
            .unwrap();
        assert!(d2 > d1);
        assert!(
            p.delay(5, Transient::ServerError, None, Duration::ZERO, 0.0)
                .is_none()
        );
        assert!(
            p.delay(1, Transient::Network, None, Duration::from_secs(45), 0.0)
                .is_none()
        );
        let t = p
            .delay(1, Transient::Throttled, None, Duration::ZERO, 0.0)
            .unwrap();
        assert!(t >= Duration::from_secs(1));
        let ra = p.delay(
            1,
            Transient::Throttled,
            Some(Duration::from_secs(7)),
            Duration::ZERO,
            0.0,
        );
        assert_eq!(ra, Some(Duration::from_secs(7)));
    }

    #[test]
    fn retry_after_as_seconds_or_date() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Thu, 01 Jan 2026 00:00:05 GMT", now),
            Some(Duration::from_secs(5))
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
