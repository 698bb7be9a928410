//! Server snapshots from the console, end to end: the real binary in a pseudo-terminal against
//! `hvecs sim --speed 50` run as a separate process. A running server with a data disk is
//! snapshotted (`n`), the set renamed (`e`), the server rolled back to it (`b`, its name typed)
//! and seen ACTIVE with both disks at their devices, the set deleted (`D`): each step on screen,
//! in `/_sim/stats` and in the simulator (read over HTTP by the CLI); in read-only `n`, `b`, `D`
//! (and `e`) send nothing.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use serde_json::Value;
use support::cli_env::{
    Cli, code, disk_devices as devices, json_of, server_status as status_of, server_with_data_disk,
    text,
};
use support::pty::Pty;
use support::sim_process::{self, Sim};

const CREATE: (&str, &str) = ("POST", "/v2/{project_id}/cloudsnapshots");
const RENAME: (&str, &str) = ("PUT", "/v2/{project_id}/cloudsnapshots/{snapshot_id}");
const ROLLBACK: (&str, &str) = (
    "POST",
    "/v2/{project_id}/cloudsnapshots/{snapshot_id}/rollback",
);
const DELETE: (&str, &str) = ("DELETE", "/v2/{project_id}/cloudsnapshots/{snapshot_id}");
const DETACH: (&str, &str) = (
    "DELETE",
    "/v1/{project_id}/cloudservers/{server_id}/detachvolume/{volume_id}",
);
const ATTACH: (&str, &str) = (
    "POST",
    "/v1/{project_id}/cloudservers/{server_id}/attachvolume",
);

/// How many changes the simulator accepted on (method, route template).
fn accepted(sim: &Sim, (method, route): (&str, &str)) -> u64 {
    sim_process::accepted(&sim.stats(), method, route)
}

/// The sets of `server`, as `snapshots list -o json` gives them.
fn sets_of(cli: &Cli, server: &str) -> Vec<Value> {
    let o = cli.run(&["snapshots", "list", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    json_of(&o)
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["server_id"] == server)
        .cloned()
        .collect()
}

/// The row of the main pane whose first cell is `name`.
fn row<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen
        .lines()
        .filter_map(|l| l.split_once("││").map(|(_, main)| main))
        .find(|main| main.split_whitespace().next() == Some(name))
}

/// Shows only the rows whose first cell is `name` (a `~regex` filter).
fn only(p: &mut Pty, name: &str) {
    p.keys(&format!("/~^{name}$"));
    p.send(b"\r");
}

#[test]
fn snapshot_rename_roll_back_and_delete_a_servers_set_from_the_console() {
    let sim = sim_process::start(50, 20);
    let cli = Cli::new(sim.env());
    let (sid, sname) = server_with_data_disk(&cli, "e2e-data");
    let disks = devices(&cli, &sid);
    assert_eq!(disks.len(), 2, "a system and a data disk: {disks:?}");
    let (attached, detached) = (accepted(&sim, ATTACH), accepted(&sim, DETACH));

    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");
    only(&mut p, &sname);
    p.wait_for("the server alone", |s| row(s, &sname).is_some());

    // n: the name dialog lists the disks read, Enter takes the set
    p.keys("n");
    let s = p.wait_text("one snapshot of each of its 2 disk(s)");
    assert!(s.contains(&format!("> {sname}-")), "{s}");
    for (_, device) in &disks {
        assert!(s.contains(device.as_str()), "{device}: {s}");
    }
    assert_eq!(accepted(&sim, CREATE), 0, "nothing before Enter");
    p.send(b"\r");
    p.wait_text(&format!("✓ snapshot {sname} (2 disk(s))"));
    assert_eq!(accepted(&sim, CREATE), 2);
    let sets = sets_of(&cli, &sid);
    assert_eq!(sets.len(), 1, "{sets:?}");
    assert_eq!(sets[0]["status"], "available");
    let set_id = sets[0]["set"].as_str().unwrap().to_owned();

    // the Snapshots pane: one row for the set (named after the server and the minute), its
    // server and its disks; the filter finds it by its id (a column narrow screens drop)
    p.keys("3");
    p.keys(&format!("/{set_id}"));
    p.send(b"\r");
    let s = p.wait_for("the set's row", |s| {
        s.contains("Snapshots · 1")
            && s.lines().any(|l| {
                l.contains(&format!("{sname}-"))
                    && l.contains(&format!(" {sname} "))
                    && l.contains(" 2 ")
            })
    });
    assert!(s.contains("available"), "{s}");

    // e: rename the set (each snapshot, by its device)
    p.keys("e");
    p.wait_text("rename snapshot set");
    p.send(b"\x15"); // Ctrl-u clears the line
    p.keys("e2e-before");
    p.send(b"\r");
    p.wait_for("the renamed set", |s| row(s, "e2e-before").is_some());
    assert_eq!(accepted(&sim, RENAME), 2);
    let names: Vec<String> = sets_of(&cli, &sid)[0]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        names.iter().all(|n| n.starts_with("e2e-before-vd")),
        "{names:?}"
    );

    // b: the plan, the server's name typed; a wrong name sends nothing
    p.keys("b");
    let s = p.wait_text("1. stop the server");
    assert!(
        s.contains("every change to its disks since then is discarded"),
        "{s}"
    );
    assert!(
        s.contains(&format!("type the server's name ({sname})")),
        "{s}"
    );
    p.keys("not-it");
    p.send(b"\r");
    p.wait_text("is not the server's name");
    assert_eq!(accepted(&sim, ROLLBACK), 0);
    p.send(b"\x15");
    p.keys(&sname);
    p.send(b"\r");
    p.wait_text(&format!("✓ roll {sname} back"));
    assert_eq!(accepted(&sim, ROLLBACK), 2);
    assert_eq!(accepted(&sim, DETACH) - detached, 2);
    assert_eq!(accepted(&sim, ATTACH) - attached, 2);
    assert_eq!(status_of(&cli, &sid), "ACTIVE");
    assert_eq!(devices(&cli, &sid), disks, "every disk back at its device");

    // D: the set's name typed
    p.keys("D");
    p.wait_text("type the set's name (e2e-before)");
    p.keys("e2e-before");
    p.send(b"\r");
    p.wait_text("✓ delete 2 snapshots");
    assert_eq!(accepted(&sim, DELETE), 2);
    assert!(sets_of(&cli, &sid).is_empty(), "the set is gone");
    p.wait_for("the row to go", |s| row(s, "e2e-before").is_none());
    assert_eq!(sim.stats()["jobs"]["FAIL"], 0, "{}", sim.stats());

    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn in_read_only_the_snapshot_keys_send_nothing_and_say_why() {
    let sim = sim_process::start(50, 20);
    let cli = Cli::new(sim.env());
    let (sid, sname) = server_with_data_disk(&cli, "e2e-data");
    let o = cli.run(&["snapshots", "create", &sname]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(sets_of(&cli, &sid).len(), 1);

    let mut p = sim.console(&["--read-only"]);
    p.wait_text("[READ-ONLY]");
    p.wait_text("ACTIVE");
    let before = sim.mutations();
    p.keys("n");
    let s = p.wait_text("read-only: refusing to snapshot a server");
    assert!(!s.contains("esc cancel"), "no dialog in read-only: {s}");
    p.keys("3");
    p.wait_text(&sname);
    for (key, said) in [
        ("b", "read-only: rollback is off"),
        ("D", "read-only: delete is off"),
        ("e", "read-only: refusing to rename a snapshot set"),
    ] {
        p.keys(key);
        let s = p.wait_text(said);
        assert!(!s.contains("esc cancel"), "no dialog in read-only: {s}");
    }
    assert_eq!(sim.mutations(), before, "read-only sent nothing");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
