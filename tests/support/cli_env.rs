//! The real `hvecs` binary in an environment of its own: the gateway's variables, and a fresh
//! home whose state folder holds the profile's journal and audit log (profile `env`).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(dead_code)] // each test binary uses a part

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

pub struct Cli {
    env: Vec<(&'static str, String)>,
    home: tempfile::TempDir,
}

impl Cli {
    /// `env`: HVECS_ENDPOINT, HVECS_REGION, HVECS_AK, HVECS_SK, HVECS_PROJECT_ID.
    pub fn new<'a>(env: impl IntoIterator<Item = (&'static str, &'a str)>) -> Self {
        Cli {
            env: env.into_iter().map(|(k, v)| (k, v.to_owned())).collect(),
            home: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_hvecs"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join("config"))
            .env("XDG_STATE_HOME", self.home.path().join("state"))
            .envs(self.env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null());
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("hvecs runs")
    }

    /// The profile's state folder: journal and audit log.
    pub fn state(&self) -> PathBuf {
        self.home.path().join("state").join("hvecs").join("env")
    }

    fn lines(&self, file: &str) -> Vec<Value> {
        std::fs::read_to_string(self.state().join(file))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    pub fn journal(&self) -> Vec<Value> {
        self.lines("journal.jsonl")
    }

    pub fn audit(&self) -> Vec<Value> {
        self.lines("audit.jsonl")
    }
}

/// Stdout read as JSON (a test failure naming what it was otherwise).
pub fn json_of(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// The exit code (-1 for a signal).
pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Both outputs, for assertion messages.
pub fn text(o: &Output) -> String {
    format!(
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A subnet of `vpc` that serves `az`, from `networks list -o json` (whatever its shape).
pub fn find_subnet(nets: &Value, vpc: &str, az: &str) -> Option<String> {
    let mut found = Vec::new();
    collect(nets, &mut found);
    found
        .into_iter()
        .find(|s| {
            s["vpc_id"] == vpc
                && s["availability_zone"]
                    .as_str()
                    .is_none_or(|a| a.is_empty() || a == az)
        })
        .and_then(|s| s["id"].as_str().map(str::to_owned))
}

fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            if m.contains_key("vpc_id") && m.contains_key("id") {
                out.push(v);
            }
            m.values().for_each(|x| collect(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
        _ => {}
    }
}

/// The servers with this status and no task under way, as `servers list -o json` gives them.
pub fn servers_with(cli: &Cli, status: &str) -> Vec<hvecs::runner::ServerRef> {
    let o = cli.run(&["servers", "list", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == status && s["OS-EXT-STS:task_state"].is_null())
        .map(|s| {
            hvecs::runner::ServerRef::new(s["id"].as_str().unwrap(), s["name"].as_str().unwrap())
        })
        .collect()
}

/// The ACTIVE servers with no task under way.
pub fn active_servers(cli: &Cli) -> Vec<hvecs::runner::ServerRef> {
    servers_with(cli, "ACTIVE")
}

/// The first server with this status and no task under way: (id, name).
pub fn server_with(cli: &Cli, status: &str) -> (String, String) {
    let s = servers_with(cli, status)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {status} server without a task"));
    (s.id, s.name)
}

/// The private image named `name`, as `images list --type private -o json` gives it.
pub fn private_image_named(cli: &Cli, name: &str) -> Option<Value> {
    let o = cli.run(&["images", "list", "--type", "private", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let list: Value = serde_json::from_slice(&o.stdout).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == name)
        .cloned()
}

/// An ACTIVE idle server with a new data disk (`name`, 10 GB) attached too: (id, name).
pub fn server_with_data_disk(cli: &Cli, name: &str) -> (String, String) {
    let (id, server) = server_with(cli, "ACTIVE");
    let o = cli.run(&[
        "disks", "create", "--name", name, "--size", "10", "--server", &id, "--wait",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    (id, server)
}

/// The disks of a server (each `in-use`) with their devices there, sorted.
pub fn disk_devices(cli: &Cli, server: &str) -> Vec<(String, String)> {
    let o = cli.run(&["disks", "list", "--server", server, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let mut out: Vec<(String, String)> = json_of(&o)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let at = d["attachments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["server_id"] == server)
                .map(|a| a["device"].as_str().unwrap().to_owned())
                .unwrap_or_default();
            assert_eq!(d["status"], "in-use", "{d}");
            (d["id"].as_str().unwrap().to_owned(), at)
        })
        .collect();
    out.sort();
    out
}

/// A server's status, as `servers show` gives it.
pub fn server_status(cli: &Cli, server: &str) -> String {
    let o = cli.run(&["servers", "show", server, "-o", "json"]);
    json_of(&o)["status"].as_str().unwrap().to_owned()
}
