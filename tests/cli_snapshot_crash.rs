//! A rollback killed (SIGKILL) at each kind of step in turn, once the gateway answered it, and taken up again with `hvecs jobs resume`:
//! the real binary against `hvecs sim` run as a separate process. Each time the resumed task ends
//! as the plan says (the server ACTIVE again, every disk in use at its own device) and no step
//! reached the gateway twice (`/_sim/stats`).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::time::{Duration, Instant};

use serde_json::Value;
use support::cli_env::{Cli, code, json_of, text};
use support::sim_process::{self, accepted};

const ROUTES: [(&str, &str); 4] = [
    ("POST", "/v1/{project_id}/cloudservers/action"),
    (
        "DELETE",
        "/v1/{project_id}/cloudservers/{server_id}/detachvolume/{volume_id}",
    ),
    (
        "POST",
        "/v2/{project_id}/cloudsnapshots/{snapshot_id}/rollback",
    ),
    (
        "POST",
        "/v1/{project_id}/cloudservers/{server_id}/attachvolume",
    ),
];

fn counts(stats: &Value) -> Vec<u64> {
    ROUTES.iter().map(|(m, r)| accepted(stats, m, r)).collect()
}

/// The tasks of the journal, each as written at one moment.
fn tasks(cli: &Cli) -> Vec<Value> {
    cli.journal()
        .into_iter()
        .map(|l| l["task"].clone())
        .collect()
}

/// A step's kind: `power/start`, `disk/detach`, `snapshot/rollback`, ….
fn kind(step: &Value) -> String {
    let c = &step["call"];
    let sub = c["snapshot_call"]
        .as_str()
        .or(c["disk_call"].as_str())
        .or(c["action"]["action"].as_str())
        .unwrap_or("");
    format!("{}/{sub}", c["call"].as_str().unwrap_or(""))
}

/// The disks of a server with their devices, sorted; every one in use.
fn devices(cli: &Cli, server: &str) -> Vec<(String, String)> {
    let o = cli.run(&["disks", "list", "--server", server, "-o", "json"]);
    let mut out: Vec<(String, String)> = json_of(&o)
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["status"], "in-use", "{d}");
            let dev = d["attachments"][0]["device"].as_str().unwrap().to_owned();
            (d["id"].as_str().unwrap().to_owned(), dev)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_rollback_killed_at_each_step_resumes_and_ends_as_planned_sending_each_step_once() {
    let sim = sim_process::start(100, 30);
    let cli = Cli::new(sim.env());
    let o = cli.run(&["servers", "list", "-o", "json"]);
    let server = json_of(&o)
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "ACTIVE" && s["OS-EXT-STS:task_state"].is_null())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let home = devices(&cli, &server);
    let n = home.len() as u64;
    let o = cli.run(&["snapshots", "create", &server, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let made = json_of(&o);
    let set = made["op"]["set_id"]
        .as_str()
        .unwrap_or_else(|| panic!("{made}"))
        .to_owned();

    // Where to kill: right after the gateway answered each kind of step (its answer in the
    // journal, its job or its status followed): the stop, a detach, a rollback, an attach, the
    // start. (A kill between the journal's "sending" and the answer leaves the outcome to a
    // look, which may not settle it: that is `interrupted`, tested in the runner.)
    let under_way: &[&str] = &["following", "confirming"];
    let points: [(&str, &[&str]); 5] = [
        ("snapshot/soft_stop", under_way),
        ("disk/detach", under_way),
        ("snapshot/rollback", under_way),
        ("disk/attach", under_way),
        ("power/start", under_way),
    ];
    for (at, states) in points {
        let before = counts(&sim.stats());
        let seen: Vec<String> = tasks(&cli)
            .iter()
            .map(|t| t["id"].as_str().unwrap().to_owned())
            .collect();
        let mut child = cli
            .command(&["snapshots", "rollback", &set, "--yes", "--soft-stop", "60"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        let task = loop {
            assert!(Instant::now() < deadline, "never reached {at}");
            let hit = tasks(&cli).into_iter().rev().find(|t| {
                !seen.contains(&t["id"].as_str().unwrap().to_owned())
                    && t["steps"].as_array().unwrap().iter().any(|s| {
                        kind(s) == at && states.contains(&s["state"].as_str().unwrap_or(""))
                    })
            });
            if let Some(t) = hit {
                break t["id"].as_str().unwrap().to_owned();
            }
            assert!(child.try_wait().unwrap().is_none(), "it ended before {at}");
            std::thread::sleep(Duration::from_millis(20));
        };
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();

        let o = cli.run(&["jobs", "resume", &task, "-o", "json"]);
        assert_eq!(code(&o), 0, "killed at {at}: {}", text(&o));
        let done = json_of(&o);
        assert_eq!(done["state"], "succeeded", "killed at {at}: {done}");
        let o = cli.run(&["servers", "show", &server, "-o", "json"]);
        assert_eq!(json_of(&o)["status"], "ACTIVE", "killed at {at}");
        assert_eq!(devices(&cli, &server), home, "killed at {at}");
        let after = counts(&sim.stats());
        let sent: Vec<u64> = after.iter().zip(&before).map(|(a, b)| a - b).collect();
        assert_eq!(
            sent,
            [2, n, n, n],
            "killed at {at}: stop+start, detach, rollback, attach"
        );
    }
}
