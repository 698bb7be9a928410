//! SSH key pairs: the few every simulated project starts with, and their Nova wire shape.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The names every project's key pairs start with (`ops-key` is the one the examples use).
pub const SEEDED: [&str; 3] = ["ops-key", "deploy-ci", "admin-laptop"];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Keypair {
    pub name: String,
    pub fingerprint: String,
    pub public_key: String,
}

/// The seeded key pairs of one project, derived from its id (no draw from the seed's sequence,
/// so the rest of the inventory keeps its ids).
pub fn seeded(project_id: &str) -> Vec<Keypair> {
    SEEDED
        .iter()
        .map(|name| {
            let digest = Sha256::new()
                .chain_update(project_id.as_bytes())
                .chain_update(name.as_bytes())
                .finalize();
            let fingerprint = digest[..16]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(":");
            // An ed25519 public key blob: type string, then the 32 key bytes.
            let mut blob = Vec::with_capacity(51);
            blob.extend_from_slice(&11u32.to_be_bytes());
            blob.extend_from_slice(b"ssh-ed25519");
            blob.extend_from_slice(&32u32.to_be_bytes());
            blob.extend_from_slice(&digest);
            let b64 = base64::engine::general_purpose::STANDARD.encode(blob);
            Keypair {
                name: (*name).to_owned(),
                fingerprint,
                public_key: format!("ssh-ed25519 {b64} {name}\n"),
            }
        })
        .collect()
}

/// One entry of `GET /v2.1/{project_id}/os-keypairs`.
pub fn render(k: &Keypair) -> Value {
    json!({"keypair": {"name": k.name, "fingerprint": k.fingerprint,
        "public_key": k.public_key, "type": "ssh"}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_pairs_differ_per_project_and_repeat_per_id() {
        let a = seeded("0123456789abcdef0123456789abcdef");
        let b = seeded("fedcba9876543210fedcba9876543210");
        assert_eq!(a.len(), SEEDED.len());
        assert_eq!(
            a[0].fingerprint,
            seeded("0123456789abcdef0123456789abcdef")[0].fingerprint
        );
        assert_ne!(a[0].fingerprint, b[0].fingerprint);
        assert_eq!(a[0].fingerprint.split(':').count(), 16);
        assert!(
            a[1].public_key
                .starts_with("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")
        );
    }
}
