//! The runner's faults of issue 14, through the real binary: a corrupt journal, a create whose
//! resend is refused after a lost answer, the audit intent written before a send that a kill -9
//! cuts short, and a change never sent that waits for a person instead of going out on its own.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use hvecs::runner::ServerRef;
use serde_json::{Value, json};
use support::cli_env::{Cli, active_servers as active, code, text};
use support::raw_http::{self, Reply, Seen};
use support::sim_process;

/// A CLI on a local server that answers what its handler says.
fn on(server: &raw_http::Server) -> Cli {
    let url = server.url("http");
    Cli::new([
        ("HVECS_ENDPOINT", url.as_str()),
        ("HVECS_REGION", "region-1"),
        ("HVECS_AK", "AKIDEXAMPLE"),
        ("HVECS_SK", "not-a-secret"),
        ("HVECS_PROJECT_ID", "0123456789abcdef0123456789abcdef"),
    ])
}

/// A runtime for the local servers (their handlers may block a worker on purpose).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap()
}

/// The create arguments (the ids mean nothing to a local server).
const CREATE: [&str; 13] = [
    "servers",
    "create",
    "--wait",
    "--name",
    "made-once",
    "--image",
    "0b6e6d0c-0000-4000-8000-00000000000a",
    "--flavor",
    "ai1.2xlarge.4",
    "--vpc",
    "0b6e6d0c-0000-4000-8000-00000000000b",
    "--subnet",
    "0b6e6d0c-0000-4000-8000-00000000000c",
];

/// A server list of the documented shape with one ACTIVE server named `name`.
fn one_server(name: &str) -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ecs_list_servers_detail.response.json"
    ))
    .unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    let mut s = fixture["servers"][0].clone();
    s["id"] = json!("0b6e6d0c-0000-4000-8000-000000000001");
    s["name"] = json!(name);
    s["status"] = json!("ACTIVE");
    s["OS-EXT-STS:task_state"] = Value::Null;
    json!({"count": 1, "servers": [s]}).to_string()
}

/// The STATE column of `jobs list`.
fn states(listed: &str) -> Vec<String> {
    listed
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_owned))
        .collect()
}

fn is_create(r: &Seen) -> bool {
    r.method == "POST" && r.target.ends_with("/cloudservers")
}

#[test]
fn a_corrupt_journal_is_set_aside_and_its_readable_tasks_kept() {
    let sim = sim_process::start(100, 20);
    let cli = Cli::new(sim.env());
    let on: Vec<String> = active(&cli).into_iter().map(|s| s.id).collect();
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
    let o = cli.run(&["servers", "start", "--wait", &on[0]]);
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

/// A local gateway: the `n`th create (0-based) is answered by `create(n)`, the server list by
/// `listing`, anything else 404.
fn gateway(
    rt: &tokio::runtime::Runtime,
    create: impl Fn(usize) -> Reply + Send + Sync + 'static,
    listing: String,
) -> raw_http::Server {
    let creates = std::sync::atomic::AtomicUsize::new(0);
    let flavors = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ecs_list_flavors.response.json"
    ))
    .unwrap();
    rt.block_on(raw_http::start(move |r, _| {
        if is_create(r) {
            return create(creates.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
        }
        if r.method == "GET" && r.target.contains("/cloudservers/detail") {
            return Reply::json(200, &listing);
        }
        // `--flavor` is looked up by name or id.
        if r.method == "GET" && r.target.contains("/cloudservers/flavors") {
            return Reply::json(200, &flavors);
        }
        Reply::json(404, r#"{"error":{"code":"Ecs.0114","message":"not here"}}"#)
    }))
}

fn refused(status: u16) -> Reply {
    Reply::json(
        status,
        r#"{"error":{"code":"Ecs.0005","message":"refused on purpose"}}"#,
    )
}

const NO_SERVERS: &str = r#"{"count":0,"servers":[]}"#;

#[test]
fn a_create_whose_resend_is_refused_is_settled_by_looking() {
    let rt = runtime();
    // The first create is received and its answer lost; the resend is refused.
    let lost_then = |status| {
        move |n| {
            if n == 0 {
                Reply::Reset
            } else {
                refused(status)
            }
        }
    };
    let server = gateway(&rt, lost_then(500), one_server("made-once"));
    let cli = on(&server);
    let o = cli.run(&CREATE);
    let seen = server.seen.lock().unwrap().clone();
    let tokens: Vec<&str> = seen
        .iter()
        .filter(|r| is_create(r))
        .filter_map(|r| r.header("x-client-token"))
        .collect();
    assert_eq!(tokens.len(), 2, "{}", text(&o));
    assert_eq!(tokens[0], tokens[1], "the resend carries the same token");
    assert!(
        !text(&o).contains("nothing was changed"),
        "the first send made the server: {}",
        text(&o)
    );
    assert_eq!(code(&o), 0, "found by its name and ACTIVE: {}", text(&o));

    // Not found by its name: the outcome is unknown (exit 5), never "nothing was changed".
    let server = gateway(&rt, lost_then(400), NO_SERVERS.into());
    let o = on(&server).run(&CREATE);
    assert_eq!(code(&o), 5, "the first send may have made it: {}", text(&o));
    assert!(!text(&o).contains("nothing was changed"), "{}", text(&o));

    // A first send refused outright changed nothing: exit 3.
    let server = gateway(&rt, |_| refused(400), NO_SERVERS.into());
    let o = on(&server).run(&CREATE);
    assert_eq!(code(&o), 3, "{}", text(&o));
    assert!(text(&o).contains("nothing was changed"), "{}", text(&o));
    rt.shutdown_background();
}

#[test]
fn the_audit_intent_is_written_before_a_send_a_kill_cuts_short() {
    let rt = runtime();
    // Holds the request: the CLI is killed while it waits for the answer.
    let hold = |_| {
        std::thread::sleep(Duration::from_secs(60));
        refused(500)
    };
    let server = gateway(&rt, hold, NO_SERVERS.into());
    let cli = on(&server);
    let mut child = cli
        .command(&CREATE)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while server.hits("POST", "/") == 0 {
        assert!(Instant::now() < deadline, "the create never arrived");
        std::thread::sleep(Duration::from_millis(10));
    }
    // While the CLI lives its task is running; once it is killed, no process follows it.
    let o = cli.run(&["jobs", "list"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("running"),
        "{}",
        text(&o)
    );
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let o = cli.run(&["jobs", "list"]);
    assert_eq!(
        states(&String::from_utf8_lossy(&o.stdout)),
        ["unfollowed"],
        "{}",
        text(&o)
    );
    let audit = cli.audit();
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0]["op"], "create", "{audit:?}");
    assert_eq!(audit[0]["outcome"], "sending", "{audit:?}");
    assert_eq!(audit[0]["targets"], json!(["new:made-once"]), "{audit:?}");
    rt.shutdown_background();
}

#[test]
fn a_change_never_sent_waits_for_a_person() {
    use hvecs::runner::journal::Journal;
    use hvecs::runner::{Hardness, Op, PowerAction, Priority, Task, TaskState};

    let sim = sim_process::start(100, 20);
    let cli = Cli::new(sim.env());
    let on = active(&cli);
    let stop = |s: &ServerRef| Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: vec![s.clone()],
    };
    // What a CLI killed before its request left leaves in the journal (written by the journal
    // itself): a task queued, and a task running whose step was never sent.
    let journal = Journal::open(&cli.state()).unwrap();
    let queued = Task::new(stop(&on[0]), Priority::Interactive, "env", &sim.region, "u");
    journal.append(&queued).unwrap();
    let mut running = Task::new(stop(&on[1]), Priority::Interactive, "env", &sim.region, "u");
    journal.append(&running).unwrap();
    running
        .become_(TaskState::Running, chrono::Utc::now())
        .unwrap();
    journal.append(&running).unwrap();
    let before = sim.mutations();

    let o = cli.run(&["jobs", "list"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let listed = String::from_utf8_lossy(&o.stdout);
    assert_eq!(listed.matches("not sent").count(), 2, "{}", text(&o));
    assert!(
        !listed.contains("running") && !listed.contains("queued"),
        "{listed}"
    );
    for t in [&queued, &running] {
        let o = cli.run(&["jobs", "show", t.id.as_str(), "--wait"]);
        assert_eq!(code(&o), 4, "{}", text(&o));
        assert!(text(&o).contains("jobs send"), "{}", text(&o));
    }
    assert_eq!(sim.mutations(), before, "nothing was sent without asking");
    // The journal says so too, for the console's next start.
    let o = cli.run(&["jobs", "list", "-o", "json"]);
    let tasks: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        tasks
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["state"] == "not_sent"),
        "{tasks}"
    );

    let o = cli.run(&["jobs", "send", queued.id.as_str(), "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(sim.mutations(), before + 1, "sent once, when asked");
    let o = cli.run(&["jobs", "list"]);
    let listed = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        (
            listed.matches("succeeded").count(),
            listed.matches("not sent").count()
        ),
        (1, 1),
        "{listed}"
    );
    // A task that was sent is not sent again.
    let o = cli.run(&["jobs", "send", queued.id.as_str()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(sim.mutations(), before + 1);
}

#[test]
fn jobs_list_looks_at_the_cloud_for_a_task_no_process_follows() {
    let sim = sim_process::start(5, 20);
    let cli = Cli::new(sim.env());
    let id = active(&cli)[0].id.clone();
    let mut child = cli
        .command(&["servers", "stop", "--yes", "--wait", &id])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the journal has the job id.
    let journal = cli.state().join("journal.jsonl");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(&journal)
        .unwrap_or_default()
        .contains("\"job_id\"")
    {
        assert!(Instant::now() < deadline, "no job id in the journal");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let o = cli.run(&["jobs", "list"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let listed = String::from_utf8_lossy(&o.stdout);
    assert_eq!(states(&listed), ["unfollowed"], "{}", text(&o));
    assert!(listed.contains("in the cloud its job"), "{}", text(&o));
}
