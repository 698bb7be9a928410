//! `hvecs snapshots …` through the real binary against `hvecs sim` run as a separate process: a
//! running server with a data disk snapshotted as one set, the set listed, a member renamed, the
//! server rolled back (stopped, both disks detached, rolled back, attached at their devices,
//! started), the set deleted; a rollback without confirmation refused with nothing sent.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::cli_env::{
    Cli, code, disk_devices as devices, json_of, server_status as status_of, server_with_data_disk,
    text,
};
use support::sim_process::{self, accepted};

const ROLLBACK: &str = "/v2/{project_id}/cloudsnapshots/{snapshot_id}/rollback";

#[test]
fn a_server_is_snapshotted_rolled_back_and_its_set_deleted() {
    let sim = sim_process::start(100, 30);
    let cli = Cli::new(sim.env());
    let (sid, sname) = server_with_data_disk(&cli, "snap-data");
    let disks = devices(&cli, &sid);
    assert!(disks.len() >= 2, "{disks:?}");

    let o = cli.run(&["snapshots", "create", &sname, "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let task = json_of(&o);
    assert_eq!(task["state"], "succeeded", "{task}");

    let o = cli.run(&["snapshots", "list", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let sets = json_of(&o);
    let set = sets
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["server_id"] == sid.as_str())
        .expect("the set")
        .clone();
    assert_eq!(set["server"], sname.as_str());
    assert_eq!(set["status"], "available");
    let members = set["members"].as_array().unwrap();
    assert_eq!(members.len(), disks.len(), "{set}");
    assert!(
        members[0]["name"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{sname}-")),
        "{set}"
    );
    let set_id = set["set"].as_str().unwrap().to_owned();
    let table = cli.run(&["snapshots", "list"]);
    let t = String::from_utf8_lossy(&table.stdout).into_owned();
    assert!(t.starts_with("SET") && t.contains(&set_id), "{t}");

    let first = members[0]["snapshot_id"].as_str().unwrap();
    let o = cli.run(&["snapshots", "rename", first, "before-patch"]);
    assert_eq!(code(&o), 0, "{}", text(&o));

    let before = accepted(&sim.stats(), "POST", ROLLBACK);
    let o = cli.run(&["snapshots", "rollback", &set_id]);
    assert_eq!(
        code(&o),
        4,
        "without a terminal it needs --yes: {}",
        text(&o)
    );
    assert_eq!(accepted(&sim.stats(), "POST", ROLLBACK), before);

    let o = cli.run(&["snapshots", "rollback", &set_id, "--yes", "-o", "json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let task = json_of(&o);
    assert_eq!(task["state"], "succeeded", "{task}");
    assert_eq!(
        accepted(&sim.stats(), "POST", ROLLBACK),
        before + disks.len() as u64
    );
    assert_eq!(status_of(&cli, &sid), "ACTIVE");
    assert_eq!(devices(&cli, &sid), disks, "every disk back at its device");

    let o = cli.run(&["snapshots", "delete", &set_id, "--yes"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = cli.run(&["snapshots", "list", "-o", "json"]);
    assert!(
        !json_of(&o)
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["set"] == set_id.as_str()),
        "the set is gone"
    );
}
