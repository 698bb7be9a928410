//! `hvecs disks …` through the real binary against `hvecs sim` run as a separate process: a disk's
//! whole life with `--wait` (create 20 GB, attach to a running server, expand to 40, detach,
//! delete), each step seen in `/_sim/stats`; refusals that send nothing (exit 4); create attached
//! at once; `show` and `-o json`; the journal and the audit log.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::cli_env::{Cli, code, text};
use support::sim_process::{self, accepted};

fn json_of(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// An ACTIVE idle server: (id, name, az).
fn running_server(cli: &Cli) -> (String, String, String) {
    let o = cli.run(&["servers", "list", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let list = json_of(&o);
    let s = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "ACTIVE" && s["OS-EXT-STS:task_state"].is_null())
        .expect("an ACTIVE server");
    let f = |k: &str| s[k].as_str().unwrap().to_owned();
    (f("id"), f("name"), f("OS-EXT-AZ:availability_zone"))
}

fn show(cli: &Cli, disk: &str) -> Value {
    let o = cli.run(&["disks", "show", disk, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    json_of(&o)
}

#[test]
fn a_disk_is_created_attached_expanded_detached_and_deleted_with_wait() {
    let sim = sim_process::start(100, 30);
    let cli = Cli::new(sim.env());
    let (sid, sname, az) = running_server(&cli);

    let o = cli.run(&[
        "disks", "create", "--name", "cli-data", "--size", "20", "--az", &az, "--wait", "-o",
        "json",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let task = json_of(&o);
    assert_eq!(task["state"], "succeeded", "{task}");
    let disk = task["targets"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    let d = show(&cli, &disk);
    assert_eq!(
        (d["status"].as_str(), d["size"].as_u64()),
        (Some("available"), Some(20))
    );
    let st = sim.stats();
    assert_eq!(accepted(&st, "POST", "/v2.1/{project_id}/cloudvolumes"), 1);

    let o = cli.run(&["disks", "attach", "cli-data", &sname, "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let d = show(&cli, "cli-data");
    assert_eq!(d["status"], "in-use");
    assert_eq!(d["attachments"][0]["server_id"], sid.as_str());

    let o = cli.run(&["disks", "expand", &disk, "--size", "40", "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let d = show(&cli, &disk);
    assert_eq!(
        (d["status"].as_str(), d["size"].as_u64()),
        (Some("in-use"), Some(40))
    );

    // Detach takes data away from a server: without a terminal it needs --yes.
    let before = sim.mutations();
    let o = cli.run(&["disks", "detach", &disk, "--wait"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(text(&o).contains("add --yes"), "{}", text(&o));
    assert_eq!(sim.mutations(), before);
    let o = cli.run(&["disks", "detach", &disk, "--yes", "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(show(&cli, &disk)["status"], "available");

    let o = cli.run(&["disks", "rename", &disk, "cli-old", "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = cli.run(&["disks", "delete", "cli-old", "--yes", "--wait"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = cli.run(&["disks", "show", &disk]);
    assert_eq!(code(&o), 3, "a deleted disk is not found: {}", text(&o));

    let st = sim.stats();
    let calls = [
        ("POST", "/v2.1/{project_id}/cloudvolumes"),
        (
            "POST",
            "/v1/{project_id}/cloudservers/{server_id}/attachvolume",
        ),
        ("POST", "/v2.1/{project_id}/cloudvolumes/{volume_id}/action"),
        (
            "DELETE",
            "/v1/{project_id}/cloudservers/{server_id}/detachvolume/{volume_id}",
        ),
        ("PUT", "/v2/{project_id}/cloudvolumes/{volume_id}"),
        ("DELETE", "/v2/{project_id}/cloudvolumes/{volume_id}"),
    ];
    for (m, r) in calls {
        assert_eq!(accepted(&st, m, r), 1, "{m} {r} once: {st}");
    }
    assert_eq!(st["mutations"], 6, "{st}");
    assert_eq!(st["jobs"]["FAIL"], 0, "{st}");

    let kinds: Vec<String> = cli
        .audit()
        .iter()
        .filter(|r| r["outcome"] == "accepted")
        .map(|r| r["op"].as_str().unwrap_or_default().to_owned())
        .collect();
    for k in [
        "disk-create",
        "disk-attach",
        "disk-expand",
        "disk-detach",
        "disk-rename",
        "disk-delete",
    ] {
        assert!(
            kinds.iter().any(|x| x == k),
            "{k} in the audit log: {kinds:?}"
        );
    }
}

#[test]
fn an_attach_to_another_az_is_refused_with_exit_4_and_sends_nothing() {
    let sim = sim_process::start(100, 30);
    let cli = Cli::new(sim.env());
    let (_, sname, az) = running_server(&cli);
    let o = cli.run(&["azs", "list", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let other = json_of(&o)
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|z| z["zoneName"].as_str())
        .find(|z| *z != az)
        .unwrap()
        .to_owned();
    let o = cli.run(&[
        "disks", "create", "--name", "far", "--size", "10", "--az", &other, "--wait",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));

    let before = sim.mutations();
    let requests_before = sim.stats()["requests"].clone();
    let o = cli.run(&["disks", "attach", "far", &sname, "--wait"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    let err = text(&o);
    assert!(
        err.contains(&other) && err.contains(&az) && err.contains("nothing was sent"),
        "{err}"
    );
    let st = sim.stats();
    assert_eq!(sim.mutations(), before, "no change reached the simulator");
    let attach = "/v1/{project_id}/cloudservers/{server_id}/attachvolume";
    assert_eq!(accepted(&st, "POST", attach), 0);
    let tried = |reqs: &Value| {
        reqs.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["route"] == attach)
            .count()
    };
    assert_eq!(
        tried(&st["requests"]),
        tried(&requests_before),
        "not even a refused one"
    );
    assert_eq!(show(&cli, "far")["status"], "available");

    // The same with --dry-run, and a create attached at once to a server of another AZ.
    let o = cli.run(&["disks", "attach", "far", &sname, "--dry-run"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    let o = cli.run(&[
        "disks", "create", "--name", "x", "--size", "10", "--az", &other, "--server", &sname,
    ]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(text(&o).contains("its AZ"), "{}", text(&o));
    // Shrinking, and deleting an attached disk: refused before sending.
    let o = cli.run(&["disks", "expand", "far", "--size", "5"]);
    assert_eq!(code(&o), 4, "{}", text(&o));
    assert!(text(&o).contains("only grows"), "{}", text(&o));
    assert_eq!(sim.mutations(), before);
}

#[test]
fn a_create_with_a_server_creates_and_attaches_in_one_task() {
    let sim = sim_process::start(100, 30);
    let cli = Cli::new(sim.env());
    let (sid, sname, _) = running_server(&cli);
    let o = cli.run(&[
        "disks", "create", "--name", "both", "--size", "10", "--type", "SSD", "--server", &sname,
        "--wait", "-o", "json",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let task = json_of(&o);
    assert_eq!(task["state"], "succeeded", "{task}");
    assert_eq!(task["steps"].as_array().unwrap().len(), 2, "{task}");
    let d = show(&cli, "both");
    assert_eq!(d["status"], "in-use");
    assert_eq!(d["attachments"][0]["server_id"], sid.as_str());
    assert_eq!(d["volume_type"], "SSD");
    let o = cli.run(&["disks", "show", "both"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(text(&o).contains("10 GB"), "{}", text(&o));
}
