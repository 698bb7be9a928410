//! The names the simulator makes up: UUIDs, 32-hex ids and MACs (deterministic from the seed and
//! a counter), IP addresses in a subnet and disk device names.

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

/// A locally administered MAC from id bytes.
pub fn mac_from(bytes: &[u8]) -> String {
    let b = |i: usize| bytes.get(i).copied().unwrap_or(0);
    format!("fa:16:3e:{:02x}:{:02x}:{:02x}", b(0), b(1), b(2))
}

/// The address number `n` of a `/16` subnet (`10.1.0.0/16`, 300 → `10.1.1.44`).
pub fn ip_in(cidr: &str, n: u64) -> String {
    let base: Vec<u64> = cidr
        .split('/')
        .next()
        .unwrap_or("10.0.0.0")
        .split('.')
        .map(|p| p.parse().unwrap_or(0))
        .collect();
    let (a, b) = (
        base.first().copied().unwrap_or(10),
        base.get(1).copied().unwrap_or(0),
    );
    format!("{a}.{b}.{}.{}", (n / 256) % 256, n % 256)
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
        assert_eq!(ip_in("10.1.0.0/16", 300), "10.1.1.44");
    }
}
