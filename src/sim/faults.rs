//! Injected faults (`--faults latency=200ms,5xx=0.05,429=0.02,reset=0.01,truncate=0.01,jobfail=0.1`),
//! drawn from an RNG seeded by `--seed` so that a failing run can be replayed.

use std::sync::Mutex;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultSpec {
    pub latency: Duration,
    pub error_5xx: f64,
    pub throttle_429: f64,
    pub reset: f64,
    pub truncate: f64,
    pub jobfail: f64,
}

impl FaultSpec {
    /// Parses the `--faults` value; an unknown key or a bad number is an error that names it.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut f = FaultSpec::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("--faults: `{part}` is not KEY=VALUE"))?;
            if k == "latency" {
                f.latency = parse_duration(v).ok_or_else(|| {
                    format!("--faults: latency `{v}` is not a duration like 200ms or 1s")
                })?;
                continue;
            }
            let p: f64 = v
                .parse()
                .ok()
                .filter(|p: &f64| (0.0..=1.0).contains(p))
                .ok_or_else(|| {
                    format!("--faults: {k}={v}: the share must be a number from 0 to 1")
                })?;
            match k {
                "5xx" => f.error_5xx = p,
                "429" => f.throttle_429 = p,
                "reset" => f.reset = p,
                "truncate" => f.truncate = p,
                "jobfail" => f.jobfail = p,
                _ => {
                    return Err(format!(
                        "--faults: unknown fault `{k}` (known: latency, 5xx, 429, reset, truncate, jobfail)"
                    ));
                }
            }
        }
        Ok(f)
    }
}

fn parse_duration(v: &str) -> Option<Duration> {
    if let Some(ms) = v.strip_suffix("ms") {
        return ms.parse().ok().map(Duration::from_millis);
    }
    if let Some(s) = v.strip_suffix('s') {
        return s
            .parse::<f64>()
            .ok()
            .filter(|s| *s >= 0.0)
            .map(Duration::from_secs_f64);
    }
    v.parse().ok().map(Duration::from_millis)
}

/// What happens to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Normal,
    /// Answered 500/502/503 before it reaches the API: nothing happened.
    ServerError(u16),
    /// Answered 429 before it reaches the API: nothing happened.
    Throttled,
    /// The connection drops before the API sees the request: nothing happened.
    DropBefore,
    /// The API handles it completely, then the connection drops before the answer.
    DropAfter,
    /// The API handles it completely; the answer's body is cut short.
    Truncate,
}

pub struct Faults {
    pub spec: FaultSpec,
    rng: Mutex<StdRng>,
}

impl Faults {
    pub fn new(spec: FaultSpec, seed: u64) -> Self {
        Faults {
            spec,
            rng: Mutex::new(StdRng::seed_from_u64(seed ^ 0xfa17_5eed)),
        }
    }

    pub fn active(&self) -> bool {
        self.spec != FaultSpec::default()
    }

    /// Draws the fate of the next request (one draw per request, in arrival order).
    pub fn fate(&self) -> Fate {
        let s = &self.spec;
        if s.error_5xx + s.throttle_429 + s.reset + s.truncate == 0.0 {
            return Fate::Normal;
        }
        let Ok(mut rng) = self.rng.lock() else {
            return Fate::Normal;
        };
        let x: f64 = rng.random();
        let which: u32 = rng.random();
        let mut edge = s.error_5xx;
        if x < edge {
            return Fate::ServerError([500, 502, 503][(which % 3) as usize]);
        }
        edge += s.throttle_429;
        if x < edge {
            return Fate::Throttled;
        }
        edge += s.reset;
        if x < edge {
            return if which.is_multiple_of(2) {
                Fate::DropBefore
            } else {
                Fate::DropAfter
            };
        }
        edge += s.truncate;
        if x < edge {
            return Fate::Truncate;
        }
        Fate::Normal
    }

    /// For a sub-job with `steps` steps: the step an injected failure hits, if any.
    pub fn job_failure(&self, steps: usize) -> Option<usize> {
        if self.spec.jobfail == 0.0 || steps == 0 {
            return None;
        }
        let mut rng = self.rng.lock().ok()?;
        let x: f64 = rng.random();
        let at = rng.random_range(0..steps);
        (x < self.spec.jobfail).then_some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_spec_and_names_bad_parts() {
        let f = FaultSpec::parse(
            "latency=200ms,5xx=0.05,429=0.02,reset=0.01,truncate=0.01,jobfail=0.1",
        )
        .unwrap();
        assert_eq!(f.latency, Duration::from_millis(200));
        assert_eq!((f.error_5xx, f.throttle_429, f.jobfail), (0.05, 0.02, 0.1));
        assert!(
            FaultSpec::parse("boom=1")
                .unwrap_err()
                .contains("unknown fault `boom`")
        );
        assert!(FaultSpec::parse("5xx=2").unwrap_err().contains("0 to 1"));
        assert!(
            FaultSpec::parse("latency=fast")
                .unwrap_err()
                .contains("latency")
        );
    }

    #[test]
    fn the_same_seed_replays_the_same_fates() {
        let spec = FaultSpec::parse("5xx=0.2,429=0.2,reset=0.2,truncate=0.1").unwrap();
        let (a, b) = (Faults::new(spec.clone(), 9), Faults::new(spec, 9));
        let fa: Vec<Fate> = (0..200).map(|_| a.fate()).collect();
        let fb: Vec<Fate> = (0..200).map(|_| b.fate()).collect();
        assert_eq!(fa, fb);
        assert!(fa.contains(&Fate::Throttled) && fa.contains(&Fate::Normal));
    }
}
