//! The CLI in every region, through the real binary against `hvecs sim` as a separate process: a
//! pinned project is never used in another region (exit 2, nothing sent), `--region all` lists
//! every region's servers, changes refuse `all`, `doctor` reports each region's project.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::process::{Command, Output, Stdio};

use serde_json::Value;
use support::sim_process::{self, Sim};

/// `hvecs ARGS` on the simulator with its first region's project pinned (HVECS_PROJECT_ID), or
/// without a pin when `pin` is false; a state folder of its own.
fn hvecs(sim: &Sim, home: &std::path::Path, pin: bool, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_hvecs"));
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1")
        .env("HVECS_ENDPOINT", &sim.base)
        .env("HVECS_REGION", &sim.region)
        .env("HVECS_AK", &sim.ak)
        .env("HVECS_SK", &sim.sk)
        .stdin(Stdio::null());
    if pin {
        c.env("HVECS_PROJECT_ID", &sim.project);
    }
    c.output().unwrap()
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

fn json(o: &Output) -> Vec<Value> {
    assert_eq!(code(o), 0, "{}", text(o));
    serde_json::from_slice::<Value>(&o.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Requests and mutations the simulator counted under one project.
fn under(sim: &Sim, project: &str) -> (u64, u64) {
    let s = sim.stats();
    let p = &s["projects"][project];
    (
        p["requests"].as_u64().unwrap_or(0),
        p["mutations"].as_u64().unwrap_or(0),
    )
}

/// Requests the simulator answered, but for its own `/_sim/` routes.
fn api_requests(stats: &Value) -> u64 {
    stats["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["route"].as_str().unwrap().starts_with("/_sim/"))
        .map(|r| r["count"].as_u64().unwrap())
        .sum()
}

#[test]
fn a_pinned_project_is_refused_in_another_region_and_nothing_is_sent() {
    let sim = sim_process::start(100, 20);
    let home = tempfile::tempdir().unwrap();
    let (east, east_project) = sim.regions[1].clone();
    // An active server of the pinned project's own region: today's bug stopped it.
    let north = json(&hvecs(
        &sim,
        home.path(),
        true,
        &["servers", "list", "-o", "json"],
    ));
    let victim = north
        .iter()
        .find(|s| s["status"] == "ACTIVE")
        .and_then(|s| s["name"].as_str())
        .unwrap()
        .to_owned();
    let before = sim.mutations();
    let o = hvecs(
        &sim,
        home.path(),
        true,
        &["servers", "stop", &victim, "--region", &east, "--yes"],
    );
    assert_eq!(code(&o), 2, "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&east) && err.contains(&sim.project),
        "the error names the region and the project: {err}"
    );
    assert_eq!(sim.mutations(), before, "nothing was sent");
    assert_eq!(
        under(&sim, &east_project),
        (0, 0),
        "nothing reached cn-east-2"
    );
    // A read is refused the same way.
    let o = hvecs(
        &sim,
        home.path(),
        true,
        &["servers", "list", "--region", &east],
    );
    assert_eq!(code(&o), 2, "{}", text(&o));
    // Without the pin, the region's own project is found through IAM and used.
    let o = hvecs(
        &sim,
        home.path(),
        false,
        &["servers", "list", "--region", &east, "-o", "json"],
    );
    assert!(!json(&o).is_empty());
    assert!(under(&sim, &east_project).0 > 0, "{}", sim.stats());
}

#[test]
fn region_all_lists_every_region_and_changes_refuse_it() {
    let sim = sim_process::start(100, 20);
    let home = tempfile::tempdir().unwrap();
    let all = json(&hvecs(
        &sim,
        home.path(),
        false,
        &["servers", "list", "--region", "all", "-o", "json"],
    ));
    for (region, _) in &sim.regions {
        let mine: Vec<&Value> = all.iter().filter(|s| &s["region"] == region).collect();
        assert!(!mine.is_empty(), "no server of {region}");
        assert!(
            mine.iter().all(|s| s["OS-EXT-AZ:availability_zone"]
                .as_str()
                .unwrap()
                .starts_with(region.as_str())),
            "{region}'s items are its own servers"
        );
    }
    assert!(all.iter().all(|s| s["region"].is_string()));
    // The table has a REGION column.
    let o = hvecs(
        &sim,
        home.path(),
        false,
        &["disks", "list", "--region", "all"],
    );
    assert_eq!(code(&o), 0, "{}", text(&o));
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.starts_with("REGION"), "{table}");
    for (region, _) in &sim.regions {
        assert!(table.contains(region.as_str()), "{table}");
    }
    // A change acts in one region: `all` is refused before anything is read or sent.
    let before = sim.stats();
    let o = hvecs(
        &sim,
        home.path(),
        false,
        &["servers", "stop", "any", "--region", "all", "--yes"],
    );
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert!(text(&o).contains("--region all"), "{}", text(&o));
    let o = hvecs(
        &sim,
        home.path(),
        false,
        &["azs", "list", "--region", "all"],
    );
    assert_eq!(code(&o), 2, "{}", text(&o));
    assert_eq!(
        api_requests(&sim.stats()),
        api_requests(&before),
        "nothing was sent"
    );
}

#[test]
fn doctor_reports_each_regions_project_and_a_pinned_one_in_the_wrong_region() {
    let sim = sim_process::start(100, 5);
    let home = tempfile::tempdir().unwrap();
    let o = hvecs(&sim, home.path(), true, &["doctor"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let (north, north_project) = &sim.regions[0];
    assert!(
        out.contains(&format!("region {north} → project {north_project}"))
            && out.contains("(pinned)"),
        "{out}"
    );
    for (region, project) in &sim.regions[1..] {
        assert!(
            out.contains(&format!("region {region} → project {project}")),
            "{out}"
        );
    }
    assert!(out.contains("(looked up)"), "{out}");
    // cn-north-1's project pinned, used in cn-east-2: the mismatch is reported, and it fails.
    let (east, _) = &sim.regions[1];
    let o = hvecs(&sim, home.path(), true, &["doctor", "--region", east]);
    assert_ne!(code(&o), 0, "{}", text(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    let line = out
        .lines()
        .find(|l| l.starts_with("FAIL") && l.contains("project"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains(east.as_str()) && line.contains(north_project.as_str()),
        "{line}"
    );
}
