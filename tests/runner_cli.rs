//! The changing CLI commands through the real binary against `hvecs sim` run as a separate
//! process: exit codes, refusals that send nothing, names and ids, `--wait`, `jobs`, and survival:
//! the CLI killed with SIGKILL in the middle of a task, started again, the change seen once.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::cli_env::{Cli, code, find_subnet, text};
use support::sim_process::{self, Sim};

/// The region's servers as `servers list -o json` gives them.
fn servers(cli: &Cli) -> Vec<Value> {
    let o = cli.run(&["servers", "list", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    serde_json::from_slice::<Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn with_status(cli: &Cli, status: &str) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = servers(cli)
        .iter()
        .filter(|s| s["status"] == status && s["OS-EXT-STS:task_state"].is_null())
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

fn status_of(cli: &Cli, id: &str) -> Option<String> {
    servers(cli)
        .iter()
        .find(|s| s["id"] == id)
        .map(|s| s["status"].as_str().unwrap().to_owned())
}

#[test]
fn changing_commands_refuse_confirm_run_and_report() {
    let sim = sim_process::start(100, 60);
    let cli = Cli::new(sim.env());
    let on = with_status(&cli, "ACTIVE");
    let off = with_status(&cli, "SHUTOFF");
    let before = sim.mutations();
    // Destructive without a terminal and without --yes: refused, nothing sent.
    let o = cli.run(&["servers", "stop", &on[0].1]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(text(&o).contains("add --yes"), "{}", text(&o));
    // A stopped server asked to stop: its end state holds, so nothing to do (exit 0, for scripts
    // that run again); `--strict` keeps the precondition's refusal.
    let o = cli.run(&["servers", "stop", "--yes", &off[0].1]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("is already SHUTOFF: skipped"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("nothing to do"), "{}", text(&o));
    let o = cli.run(&["servers", "stop", "--yes", "-o", "json", &off[0].1]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["state"], "nothing_to_do", "{j}");
    let o = cli.run(&["servers", "stop", "--yes", "--strict", &off[0].1]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(
        text(&o).contains("is SHUTOFF: nothing to stop"),
        "{}",
        text(&o)
    );
    // One already stopped among two: only the running one is sent (one task of one server).
    let last = on.last().unwrap();
    let o = cli.run(&["servers", "stop", "--yes", "--wait", &off[1].1, &last.1]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains(&format!("{} is already SHUTOFF: skipped", off[1].1)),
        "{}",
        text(&o)
    );
    assert_eq!(status_of(&cli, &last.0).as_deref(), Some("SHUTOFF"));
    assert_eq!(
        sim.mutations(),
        before + 1,
        "only the running server's stop was sent"
    );
    let before = sim.mutations();
    // Read-only refuses.
    let o = cli.run(&["--read-only", "servers", "start", &off[0].0]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(text(&o).contains("read-only"), "{}", text(&o));
    // A name nobody has: the API has no such server (exit 3).
    let o = cli.run(&["servers", "start", "no-such-server"]);
    assert_eq!(code(&o), 3, "{}", text(&o));
    assert_eq!(sim.mutations(), before, "refusals sent no change");
    // A dry run checks with the API (the simulator counts its 202) and changes nothing.
    let flavor = |cli: &Cli| {
        servers(cli)
            .iter()
            .find(|s| s["id"] == off[0].0.as_str())
            .unwrap()["flavor"]["id"]
            .clone()
    };
    let was = flavor(&cli);
    let o = cli.run(&[
        "servers",
        "resize",
        &off[0].1,
        "--flavor",
        "hv1.large.4",
        "--dry-run",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("dry run"), "{}", text(&o));
    assert_eq!(flavor(&cli), was);

    // --wait follows to the end: exit 0, and the server is stopped.
    let o = cli.run(&["servers", "stop", "--yes", "--wait", &on[0].1]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(status_of(&cli, &on[0].0).as_deref(), Some("SHUTOFF"));
    // Without --wait: the task and job ids, then `jobs show --wait` follows it.
    let o = cli.run(&["servers", "start", &off[0].1]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let task = out.split_whitespace().nth(1).unwrap().to_owned();
    assert!(out.starts_with("task t") && out.contains(" job "), "{out}");
    let o = cli.run(&["jobs", "show", &task, "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(status_of(&cli, &off[0].0).as_deref(), Some("ACTIVE"));
    // Rename one server to another's name: then that name is ambiguous.
    let o = cli.run(&["servers", "rename", &on[1].0, &on[2].1, "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = cli.run(&["servers", "reboot", "--yes", &on[2].1]);
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(
        text(&o).contains("2 servers are named") && text(&o).contains(&on[1].0),
        "{}",
        text(&o)
    );
    // Reboot hard and delete by id, with --wait.
    let o = cli.run(&["servers", "reboot", "--hard", "--yes", "--wait", &on[1].0]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = cli.run(&[
        "servers",
        "delete",
        "--yes",
        "--wait",
        "--with-disks",
        &on[1].0,
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(status_of(&cli, &on[1].0), None);
    // The journal lists every task.
    let o = cli.run(&["jobs", "list"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let list = String::from_utf8_lossy(&o.stdout);
    // (the stop of one of two servers, the other already SHUTOFF, is the sixth)
    assert_eq!(list.matches("succeeded").count(), 6, "{list}");
}

/// Starts `args` and kills it with SIGKILL once the journal shows its job id.
fn kill_mid_task(cli: &Cli, args: &[&str]) -> String {
    let old: Vec<String> = cli
        .journal()
        .iter()
        .filter_map(|l| l["task"]["id"].as_str().map(str::to_owned))
        .collect();
    let mut child = cli
        .command(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let task = loop {
        assert!(
            Instant::now() < deadline,
            "no job id in the journal after 60 s"
        );
        let found = cli.journal().into_iter().rev().find_map(|l| {
            let t = &l["task"];
            let new = t["id"]
                .as_str()
                .is_some_and(|id| !old.iter().any(|o| o == id));
            let open = new && t["state"] == "running";
            (open && t["steps"][0]["job_id"].is_string())
                .then(|| t["id"].as_str().unwrap().to_owned())
        });
        if let Some(t) = found {
            break t;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    task
}

fn posts(sim: &Sim, route_part: &str) -> u64 {
    sim.stats()["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == "POST" && r["route"].as_str().unwrap().ends_with(route_part))
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

fn survives(cli: &Cli, sim: &Sim, args: &[&str], route: &str) -> Value {
    let before = posts(sim, route);
    let task = kill_mid_task(cli, args);
    let o = cli.run(&["jobs", "show", &task, "--wait", "-o", "json"]);
    assert_eq!(code(&o), 0, "{:?}: {}", args, text(&o));
    assert_eq!(
        posts(sim, route) - before,
        1,
        "{args:?} reached the cloud once"
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn a_killed_cli_is_reattached_and_each_change_happens_once() {
    let sim = sim_process::start(100, 60);
    let cli = Cli::new(sim.env());
    let on = with_status(&cli, "ACTIVE");
    let id = on[0].0.as_str();
    let task = survives(
        &cli,
        &sim,
        &["servers", "stop", "--yes", "--wait", id],
        "/action",
    );
    assert_eq!(task["state"], "succeeded", "{task}");
    assert_eq!(status_of(&cli, id).as_deref(), Some("SHUTOFF"));
    survives(
        &cli,
        &sim,
        &[
            "servers",
            "resize",
            "--yes",
            "--wait",
            id,
            "--flavor",
            "hv1.large.4",
        ],
        "/resize",
    );
    survives(&cli, &sim, &["servers", "start", "--wait", id], "/action");
    assert_eq!(status_of(&cli, id).as_deref(), Some("ACTIVE"));
    survives(
        &cli,
        &sim,
        &["servers", "reboot", "--yes", "--wait", id],
        "/action",
    );
    let before = servers(&cli).len();
    let image = servers(&cli)[0]["image"]["id"].as_str().unwrap().to_owned();
    let first = &servers(&cli)[0];
    let vpc = first["metadata"]["vpc_id"].as_str().unwrap().to_owned();
    let az = first["OS-EXT-AZ:availability_zone"]
        .as_str()
        .unwrap()
        .to_owned();
    let o = cli.run(&["networks", "list", "-o", "json"]);
    let nets: Value = serde_json::from_slice(&o.stdout).unwrap();
    let subnet = find_subnet(&nets, &vpc, &az).expect("a subnet of the VPC in the AZ");
    let created = survives(
        &cli,
        &sim,
        &[
            "servers",
            "create",
            "--wait",
            "--name",
            "survivor",
            "--image",
            &image,
            "--flavor",
            "hv1.medium.2",
            "--vpc",
            &vpc,
            "--subnet",
            &subnet,
            "--az",
            &az,
            "--disk-size",
            "60",
            "--count",
            "2",
        ],
        "/cloudservers",
    );
    assert_eq!(created["state"], "succeeded", "{created}");
    assert_eq!(servers(&cli).len(), before + 2, "two servers, not four");
    survives(
        &cli,
        &sim,
        &["servers", "delete", "--yes", "--wait", id],
        "/delete",
    );
    assert_eq!(status_of(&cli, id), None);
}
