//! `hvecs sim` as a separate process (so `/_sim/stats` sees only what the binary under test sent),
//! with the address, keys and first region read from its banner; killed when dropped.
#![allow(dead_code)] // not every test binary that includes `support` starts a simulator

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use super::pty::Pty;

pub struct Sim {
    child: Child,
    pub base: String,
    pub ak: String,
    pub sk: String,
    pub region: String,
    pub project: String,
    /// Every region and its project, in the simulator's order (the first is `region`).
    pub regions: Vec<(String, String)>,
    _dir: tempfile::TempDir,
}

impl Sim {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The variables that point `hvecs` at this simulator.
    pub fn env(&self) -> [(&'static str, &str); 5] {
        [
            ("HVECS_ENDPOINT", self.base.as_str()),
            ("HVECS_REGION", self.region.as_str()),
            ("HVECS_AK", self.ak.as_str()),
            ("HVECS_SK", self.sk.as_str()),
            ("HVECS_PROJECT_ID", self.project.as_str()),
        ]
    }

    /// `/_sim/stats`, read over HTTP.
    pub fn stats(&self) -> serde_json::Value {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            reqwest::get(format!("{}/_sim/stats", self.base))
                .await
                .unwrap()
                .json()
                .await
                .unwrap()
        })
    }

    /// How many changes the simulator has accepted.
    pub fn mutations(&self) -> u64 {
        self.stats()["mutations"].as_u64().unwrap()
    }

    /// The console (`hvecs` with `extra` arguments) on this simulator, in a 140×40 pty.
    pub fn console(&self, extra: &[&str]) -> Pty {
        Pty::spawn(extra, &self.env(), 140, 40)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Starts `hvecs sim --seed 7` with `--speed` and `--servers`, state in a fresh folder.
pub fn start(speed: u32, servers: usize) -> Sim {
    start_with(speed, servers, &[])
}

/// `start`, with more flags of `hvecs sim` (`--image-quota 0`…).
pub fn start_with(speed: u32, servers: usize, extra: &[&str]) -> Sim {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hvecs"))
        .args(["sim", "--listen", "127.0.0.1:0", "--seed", "7"])
        .args(["--speed", &speed.to_string()])
        .args(["--servers", &servers.to_string()])
        .args(extra)
        .arg("--state")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut get = |prefix: &str| loop {
        let l = lines.next().expect("sim output").unwrap();
        if let Some(v) = l.strip_prefix(prefix) {
            return v.trim().to_owned();
        }
    };
    let base = get("listening on ");
    let ak = get("ak: ");
    let sk = get("sk: ");
    let count: usize = get("regions: ").parse().unwrap();
    let regions: Vec<(String, String)> = (0..count)
        .map(|_| {
            let line = get("region: ");
            let (r, p) = line.split_once(" project_id: ").unwrap();
            (r.to_owned(), p.to_owned())
        })
        .collect();
    let (region, project) = regions[0].clone();
    // Keep reading: a closed pipe would kill the simulator at its next line of output.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    Sim {
        child,
        base,
        ak,
        sk,
        region,
        project,
        regions,
        _dir: dir,
    }
}

/// How many requests `stats` (from `/_sim/stats`) counts for (method, route template) with a
/// 2xx status.
pub fn accepted(stats: &serde_json::Value, method: &str, route: &str) -> u64 {
    stats["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| {
            r["method"] == method
                && r["route"] == route
                && (200..300).contains(&r["status"].as_u64().unwrap())
        })
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}
