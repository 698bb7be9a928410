//! Timing as plain data: the job poll interval (about 1 s rising to 5 s) and the region
//! throttle (a 429 pauses that region's requests, longer each time, shorter after successes).

use std::time::Duration;

use tokio::time::Instant;

/// The poll interval of one job: `first`, then ×1.5 per poll up to `max`.
#[derive(Debug, Clone)]
pub struct PollBackoff {
    next: Duration,
    max: Duration,
}

impl PollBackoff {
    pub fn new(first: Duration, max: Duration) -> Self {
        PollBackoff {
            next: first.min(max),
            max,
        }
    }

    /// How long to wait before the next poll.
    pub fn next_delay(&mut self) -> Duration {
        let d = self.next;
        self.next = self.next.mul_f64(1.5).min(self.max);
        d
    }
}

/// One region's throttle. A 429 (APIGW.0308) is not a failure: the request waits and goes again.
#[derive(Debug, Clone, Default)]
pub struct Throttle {
    delay: Duration,
    until: Option<Instant>,
    /// 429s seen, for the figures.
    pub hits: u64,
}

/// The first pause after a 429 (api.md §8: "start around 2 s").
pub const THROTTLE_FIRST: Duration = Duration::from_secs(2);
pub const THROTTLE_MAX: Duration = Duration::from_secs(60);

impl Throttle {
    /// A 429: pause the region, twice as long as last time. `jitter` in 0..1 spreads consoles apart.
    pub fn on_throttled(&mut self, now: Instant, jitter: f64) {
        self.hits += 1;
        self.delay = if self.delay.is_zero() {
            THROTTLE_FIRST
        } else {
            (self.delay * 2).min(THROTTLE_MAX)
        };
        let pause = self.delay.mul_f64(1.0 + jitter.clamp(0.0, 1.0) * 0.25);
        let until = now + pause;
        self.until = Some(self.until.map_or(until, |u| u.max(until)));
    }

    /// A request got through: the next 429 starts from a shorter pause.
    pub fn on_success(&mut self) {
        self.delay /= 2;
        if self.delay < THROTTLE_FIRST {
            self.delay = Duration::ZERO;
        }
    }

    /// How long a request must wait before it may go.
    pub fn wait(&self, now: Instant) -> Duration {
        self.until
            .map(|u| u.saturating_duration_since(now))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polls_start_near_a_second_and_rise_to_five() {
        let mut b = PollBackoff::new(Duration::from_secs(1), Duration::from_secs(5));
        let delays: Vec<u64> = (0..7).map(|_| b.next_delay().as_millis() as u64).collect();
        assert_eq!(delays, [1000, 1500, 2250, 3375, 5000, 5000, 5000]);
    }

    #[test]
    fn a_429_pauses_the_region_longer_each_time() {
        let t0 = Instant::now();
        let mut t = Throttle::default();
        assert_eq!(t.wait(t0), Duration::ZERO);
        t.on_throttled(t0, 0.0);
        assert_eq!(t.wait(t0), Duration::from_secs(2));
        t.on_throttled(t0, 0.0);
        assert_eq!(t.wait(t0), Duration::from_secs(4));
        assert_eq!(t.wait(t0 + Duration::from_secs(3)), Duration::from_secs(1));
        for _ in 0..10 {
            t.on_throttled(t0, 1.0);
        }
        assert_eq!(t.wait(t0), THROTTLE_MAX.mul_f64(1.25), "capped");
        t.on_success();
        t.on_success();
        t.on_throttled(t0 + Duration::from_secs(600), 0.0);
        assert_eq!(
            t.wait(t0 + Duration::from_secs(600)),
            Duration::from_secs(30)
        );
        assert_eq!(t.hits, 13);
    }
}
