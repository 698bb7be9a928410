//! The names the simulator makes up: UUIDs, 32-hex ids and MACs (deterministic from the seed and
//! a counter), IP addresses in a subnet and disk device names.

use std::fmt;
use std::net::Ipv4Addr;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

use super::uid::Uid;

/// A deterministic source of ids: the seed's RNG for the inventory, a hashed counter at run time
/// (so that ids made after a restart continue the same sequence).
pub struct IdGen {
    rng: StdRng,
}

impl IdGen {
    pub fn new(seed: u64) -> Self {
        IdGen {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    pub fn uuid(&mut self) -> String {
        uuid::Builder::from_random_bytes(self.rng.random())
            .into_uuid()
            .to_string()
    }

    pub fn uid(&mut self) -> Uid {
        Uid::from_bytes(
            *uuid::Builder::from_random_bytes(self.rng.random())
                .as_uuid()
                .as_bytes(),
        )
    }

    pub fn hex32(&mut self) -> String {
        let b: [u8; 16] = self.rng.random();
        hex::encode(b)
    }

    pub fn rng(&mut self) -> &mut StdRng {
        &mut self.rng
    }
}

/// The 16 bytes of id number `n` of the run-time sequence for `seed`.
fn counter_bytes(seed: u64, n: u64) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(seed.to_le_bytes());
    h.update(n.to_le_bytes());
    let d = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[..16]);
    out
}

pub fn uid_at(seed: u64, n: u64) -> Uid {
    Uid::from_bytes(
        *uuid::Builder::from_random_bytes(counter_bytes(seed, n))
            .as_uuid()
            .as_bytes(),
    )
}

pub fn hex32_at(seed: u64, n: u64) -> String {
    hex::encode(counter_bytes(seed, n))
}

/// A MAC address, 6 bytes, written `fa:16:3e:0a:1b:2c` (lowercase, as it was made).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Mac([u8; 6]);

impl Mac {
    /// Parses exactly the form `Display` writes; the error names the problem.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut out = [0u8; 6];
        let parts: Vec<&str> = s.split(':').collect();
        let hex = |p: &str| {
            (p.len() == 2 && p.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')))
                .then(|| u8::from_str_radix(p, 16).ok())
                .flatten()
        };
        if parts.len() != 6 {
            return Err(format!(
                "`{s}` is not a MAC address: 6 parts like fa:16:3e:0a:1b:2c"
            ));
        }
        for (o, p) in out.iter_mut().zip(&parts) {
            *o = hex(p).ok_or_else(|| {
                format!("`{s}` is not a MAC address: `{p}` is not 2 lowercase hex digits")
            })?;
        }
        Ok(Mac(out))
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        write!(
            f,
            "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
            b[0], b[1], b[2], b[3], b[4], b[5]
        )
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mac({self})")
    }
}

impl serde::Serialize for Mac {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Mac {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Mac::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A locally administered MAC from id bytes.
pub fn mac_from(bytes: &[u8]) -> Mac {
    let b = |i: usize| bytes.get(i).copied().unwrap_or(0);
    Mac([0xfa, 0x16, 0x3e, b(0), b(1), b(2)])
}

/// The address number `n` of a `/16` subnet (`10.1.0.0/16`, 300 → `10.1.1.44`).
pub fn ip_in(cidr: &str, n: u64) -> Ipv4Addr {
    let base: Vec<u64> = cidr
        .split('/')
        .next()
        .unwrap_or("10.0.0.0")
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    let part = |i: usize, default: u64| base.get(i).copied().unwrap_or(default) as u8;
    Ipv4Addr::new(
        part(0, 10),
        part(1, 0),
        (n / 256 % 256) as u8,
        (n % 256) as u8,
    )
}

/// Device name of the n-th disk: `/dev/vda`, `/dev/vdb`, …
pub fn device_name(n: usize) -> String {
    let c = (b'a' + (n as u8 % 26)) as char;
    format!("/dev/vd{c}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_deterministic_and_well_formed() {
        let (mut a, mut b) = (IdGen::new(7), IdGen::new(7));
        assert_eq!(a.uuid(), b.uuid());
        let h = a.hex32();
        assert_eq!(h.len(), 32);
        assert!(h.chars().all(|c| c.is_ascii_hexdigit()));
        // `uid` draws what `uuid` draws and writes the same string.
        let (mut c, mut d) = (IdGen::new(9), IdGen::new(9));
        assert_eq!(c.uid().to_string(), d.uuid());
        assert_eq!(c.uid().to_string(), d.uuid());
        assert_eq!(uid_at(1, 2), uid_at(1, 2));
        assert_ne!(uid_at(1, 2), uid_at(1, 3));
        assert_eq!(uid_at(1, 2).to_string().len(), 36);
    }

    #[test]
    fn addresses_count_within_the_subnet() {
        assert_eq!(ip_in("10.1.0.0/16", 300).to_string(), "10.1.1.44");
    }

    #[test]
    fn macs_round_trip_and_a_bad_one_is_refused() {
        let m = mac_from(b"0f8");
        assert_eq!(m.to_string(), "fa:16:3e:30:66:38");
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"fa:16:3e:30:66:38\"");
        let back: Mac = serde_json::from_str("\"fa:16:3e:30:66:38\"").unwrap();
        assert_eq!(back, m);
        assert_eq!(
            Mac::parse("FA:16:3e:30:66:38").unwrap_err(),
            "`FA:16:3e:30:66:38` is not a MAC address: `FA` is not 2 lowercase hex digits"
        );
        assert!(Mac::parse("fa:16:3e:30:66").is_err());
        assert!(serde_json::from_str::<Mac>("\"nope\"").is_err());
    }
}
