//! A data disk's life from the console, end to end: the real binary in a pseudo-terminal against
//! `hvecs sim --speed 50` run as a separate process. Create a 20 GB disk, attach it to a running
//! server, expand it to 40 GB, detach it, delete it: each step seen on screen, in `/_sim/stats`
//! and in the simulator's disk (read over HTTP by `hvecs disks show`); in read-only the same keys
//! send nothing.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::cli_env::{Cli, active_servers, code, text};
use support::pty::Pty;
use support::sim_process::{self, Sim};

/// How many changes the simulator accepted on (method, route template).
fn accepted(sim: &Sim, (method, route): (&str, &str)) -> u64 {
    sim_process::accepted(&sim.stats(), method, route)
}

/// The disk as the simulator has it, or `None` once it is gone.
fn disk(cli: &Cli, name: &str) -> Option<Value> {
    let o = cli.run(&["disks", "show", name, "-o", "json"]);
    match code(&o) {
        0 => Some(serde_json::from_slice(&o.stdout).unwrap()),
        3 => None,
        _ => panic!("{}", text(&o)),
    }
}

/// The row of the main pane that names `name`.
fn row<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen
        .lines()
        .filter_map(|l| l.split_once("││").map(|(_, main)| main))
        .find(|main| main.split_whitespace().next() == Some(name))
}

/// Waits until the row of `name` reads `status` (the list re-read by itself).
fn wait_row(p: &Pty, name: &str, status: &str) {
    p.wait_for(&format!("{name} {status}"), |s| {
        row(s, name).is_some_and(|r| r.contains(status))
    });
}

const CREATE: (&str, &str) = ("POST", "/v2.1/{project_id}/cloudvolumes");
const ATTACH: (&str, &str) = (
    "POST",
    "/v1/{project_id}/cloudservers/{server_id}/attachvolume",
);
const EXPAND: (&str, &str) = ("POST", "/v2.1/{project_id}/cloudvolumes/{volume_id}/action");
const DETACH: (&str, &str) = (
    "DELETE",
    "/v1/{project_id}/cloudservers/{server_id}/detachvolume/{volume_id}",
);
const DELETE: (&str, &str) = ("DELETE", "/v2/{project_id}/cloudvolumes/{volume_id}");

#[test]
fn create_attach_expand_detach_and_delete_a_disk_from_the_console() {
    let sim = sim_process::start(50, 20);
    let cli = Cli::new(sim.env());
    let server = active_servers(&cli)
        .into_iter()
        .next()
        .expect("an ACTIVE server");
    let o = cli.run(&["servers", "show", &server.id, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let shown: Value = serde_json::from_slice(&o.stdout).unwrap();
    let az = shown["OS-EXT-AZ:availability_zone"]
        .as_str()
        .unwrap()
        .to_owned();
    let name = "e2e-data";

    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");
    // the disks of the server's AZ: the form starts in it
    p.keys("4");
    p.keys(&format!(":az {az}"));
    p.send(b"\r");
    p.wait_text(&format!("az: {az}"));

    // create: the form, its quota line, Enter
    p.keys("c");
    let s = p.wait_text("quota: disks");
    assert!(
        s.contains(&format!("< {az} >")) || s.contains(&format!("AZ         {az}")),
        "{s}"
    );
    assert_eq!(accepted(&sim, CREATE), 0);
    p.keys(name);
    p.send(b"\r");
    p.wait_text(&format!("✓ create disk {name} (20 GB"));
    assert_eq!(accepted(&sim, CREATE), 1);
    let d = disk(&cli, name).expect("the disk was made");
    assert_eq!(
        (d["status"].as_str(), d["size"].as_u64()),
        (Some("available"), Some(20))
    );
    wait_row(&p, name, "available");

    // attach: the picker of the servers of its AZ, narrowed by typing the server's name
    p.keys(&format!("/{name}"));
    p.send(b"\r");
    p.keys("a");
    p.wait_text("attach disk");
    p.keys(&server.name);
    p.send(b"\r");
    p.wait_text(&format!("✓ attach disk {name} to {}", server.name));
    assert_eq!(accepted(&sim, ATTACH), 1);
    let d = disk(&cli, name).unwrap();
    assert_eq!(d["status"], "in-use");
    assert_eq!(d["attachments"][0]["server_id"], server.id.as_str());
    wait_row(&p, name, "in-use");

    // expand: a size that only grows
    p.keys("+");
    p.wait_text(&format!("expand {name} (20 GB now"));
    p.send(b"\x15"); // Ctrl-u clears the line
    p.keys("40");
    p.send(b"\r");
    p.wait_text(&format!("✓ expand disk {name} from 20 to 40 GB"));
    assert_eq!(accepted(&sim, EXPAND), 1);
    assert_eq!(disk(&cli, name).unwrap()["size"], 40);
    p.wait_for("the row at 40 GB", |s| {
        row(s, name).is_some_and(|r| r.contains(" 40 "))
    });

    // detach: confirmed with y (Cancel is the default)
    p.keys("d");
    p.wait_text(&format!("detach disk {name} from {}?", server.name));
    assert_eq!(accepted(&sim, DETACH), 0, "nothing before y");
    p.keys("y");
    p.wait_text(&format!("✓ detach disk {name} from {}", server.name));
    assert_eq!(accepted(&sim, DETACH), 1);
    assert_eq!(disk(&cli, name).unwrap()["status"], "available");
    wait_row(&p, name, "available");

    // delete: its name typed
    p.keys("D");
    p.wait_text("type the disk's name");
    p.keys(name);
    p.send(b"\r");
    p.wait_text(&format!("✓ delete disk {name}"));
    assert_eq!(accepted(&sim, DELETE), 1);
    assert!(disk(&cli, name).is_none(), "the disk is gone");
    p.wait_for("the row to go", |s| row(s, name).is_none());
    assert_eq!(sim.mutations(), 5, "{}", sim.stats());
    assert_eq!(sim.stats()["jobs"]["FAIL"], 0, "{}", sim.stats());

    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn in_read_only_the_disk_keys_send_nothing_and_say_why() {
    let sim = sim_process::start(50, 20);
    let mut p = sim.console(&["--read-only"]);
    p.wait_text("[READ-ONLY]");
    p.wait_text("ACTIVE");
    let before = sim.mutations();
    // on Servers: attach and detach
    p.keys("a");
    p.wait_text("read-only: refusing to attach a disk");
    p.keys("d");
    p.wait_text("read-only: refusing to detach a disk");
    // on Disks, every disk key
    p.keys("4");
    p.wait_text("in-use");
    for (key, what) in [
        ("c", "create a disk"),
        ("a", "attach a disk"),
        ("d", "detach a disk"),
        ("+", "expand a disk"),
        ("e", "rename a disk"),
        ("D", "delete a disk"),
    ] {
        p.keys(key);
        let s = p.wait_text(&format!("read-only: refusing to {what}"));
        assert!(!s.contains("esc cancel"), "no dialog in read-only: {s}");
    }
    assert_eq!(sim.mutations(), before, "read-only sent nothing");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
