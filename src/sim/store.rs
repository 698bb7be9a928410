//! `--state DIR`: the world, tokens and generated credentials saved atomically (write, fsync,
//! rename) on change and at shutdown, and loaded at the next start.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::auth::{AuthState, TokenInfo};
use super::world::World;

const FILE: &str = "sim-state.json";

#[derive(Serialize)]
struct SavedRef<'a> {
    version: u32,
    world: &'a World,
    tokens: &'a HashMap<String, TokenInfo>,
    ak: &'a str,
    sk: &'a str,
    user: &'a str,
    password: &'a str,
    domain: &'a str,
}

#[derive(Deserialize)]
pub struct Saved {
    pub world: World,
    pub tokens: HashMap<String, TokenInfo>,
    pub ak: String,
    pub sk: String,
    pub user: String,
    pub password: String,
    pub domain: String,
}

pub fn path(dir: &Path) -> PathBuf {
    dir.join(FILE)
}

/// Serializes the state (under the caller's locks; the write happens later, outside them).
pub fn snapshot(
    world: &World,
    auth: &AuthState,
    creds: &super::auth::Credentials,
) -> Result<Vec<u8>, String> {
    serde_json::to_vec(&SavedRef {
        version: 1,
        world,
        tokens: &auth.tokens,
        ak: &creds.ak,
        sk: creds.sk.expose(),
        user: &creds.user,
        password: creds.password.expose(),
        domain: &creds.domain,
    })
    .map_err(|e| format!("cannot serialize the simulator state: {e}"))
}

/// Writes atomically: a temporary file in the same folder, fsync, rename. Owner-only (it holds
/// the simulator's credentials and tokens).
pub fn write(dir: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create state dir {}: {e}", dir.display()))?;
    let tmp = dir.join(format!("{FILE}.tmp"));
    let mut opts = std::fs::OpenOptions::new();
    opts.create(true).write(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(&tmp)
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path(dir))
        .map_err(|e| format!("cannot replace {}: {e}", path(dir).display()))
}

/// Loads a saved state; `Ok(None)` when there is none yet.
pub fn load(dir: &Path) -> Result<Option<Saved>, String> {
    let p = path(dir);
    let bytes = match std::fs::read(&p) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", p.display())),
    };
    let mut saved: Saved = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{} is not a simulator state file: {e}", p.display()))?;
    saved.world.reindex();
    Ok(Some(saved))
}
