//! The console's region and read-only switch end to end: the real binary in a pseudo-terminal,
//! against `hvecs sim` as a separate process (its `/_sim/stats` counts changes per project) or
//! `hvecs demo` (its `--trace-http` file shows every request).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::pty::Pty;
use support::sim_process::{self, Sim};

/// Shows only ACTIVE servers and leaves the first one selected.
fn select_an_active_server(p: &mut Pty) {
    p.wait_text("ACTIVE");
    p.keys("/status:active");
    p.send(b"\r");
    p.wait_text("filter \"status:active\"");
}

/// Stops the selected server (`x`, confirmed with `y`); the screen once the task has ended.
fn stop_selected(p: &mut Pty) -> String {
    p.keys("x");
    p.wait_text("confirm");
    p.keys("y");
    p.wait_for("the stop to end", |s| {
        s.contains("✓ stop") || s.contains("✗")
    })
}

/// A config file with one profile on the simulator; `extra` goes into the profile's table, and
/// `projects` (region = project) into its `[projects]` table.
fn config(sim: &Sim, dir: &std::path::Path, extra: &str, projects: &[(&str, &str)]) -> String {
    let mut text = format!(
        "[profiles.lab]\nendpoint = \"{}\"\nregion = \"{}\"\n{extra}\n[profiles.lab.auth]\nmethod = \"aksk\"\nak = \"{}\"\nsk_env = \"LAB_SK\"\n",
        sim.base, sim.region, sim.ak
    );
    if !projects.is_empty() {
        text.push_str("[profiles.lab.projects]\n");
        for (r, p) in projects {
            text.push_str(&format!("{r} = \"{p}\"\n"));
        }
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn mutations_under(sim: &Sim, project: &str) -> u64 {
    sim.stats()["projects"][project]["mutations"]
        .as_u64()
        .unwrap_or(0)
}

#[test]
fn demo_honours_read_only_and_region() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.jsonl");
    let trace_arg = trace.display().to_string();
    let mut p = Pty::spawn(
        &[
            "demo",
            "--servers",
            "30",
            "--read-only",
            "--region",
            "cn-east-2",
            "--trace-http",
            &trace_arg,
        ],
        &[],
        140,
        40,
    );
    let s = p.wait_text("[READ-ONLY]");
    assert!(s.contains("cn-east-2"), "the demo opens in --region: {s}");
    select_an_active_server(&mut p);
    p.keys("xy");
    // Keys are handled in order: once help shows, `x` and `y` were handled.
    p.keys("?");
    p.wait_text("Help");
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
    let lines = std::fs::read_to_string(&trace).unwrap();
    assert!(lines.contains("cn-east-2a"), "the demo read cn-east-2");
    let changes = lines
        .lines()
        .filter(|l| l.contains("\"method\":\"POST\"") && !l.contains("/v3/auth/tokens"))
        .count();
    assert_eq!(changes, 0, "read-only sent no change");
}

#[test]
fn demo_region_all_opens_on_every_region() {
    let mut p = Pty::spawn(
        &["demo", "--servers", "30", "--region", "all"],
        &[],
        160,
        44,
    );
    let has_az_of = |s: &str, region: &str| {
        ["a", "b", "c"]
            .iter()
            .any(|z| s.contains(&format!("{region}{z} ")))
    };
    let s = p.wait_for("the servers of the three regions", |s| {
        ["cn-north-1", "cn-east-2", "cn-south-1"]
            .iter()
            .all(|r| has_az_of(s, r))
    });
    assert!(s.contains("all regions") && s.contains("REGION"), "{s}");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn a_read_only_profile_made_read_write_sends_exactly_one_change() {
    let sim = sim_process::start(50, 30);
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&sim, dir.path(), "read_only = true", &[]);
    let mut p = Pty::spawn(&["--config", &cfg], &[("LAB_SK", &sim.sk)], 140, 40);
    p.wait_text("[READ-ONLY]");
    p.keys(":rw");
    p.send(b"\r");
    p.wait_for("read-write", |s| !s.contains("[READ-ONLY]"));
    select_an_active_server(&mut p);
    let before = sim.mutations();
    let s = stop_selected(&mut p);
    assert!(!s.contains("✗") && !s.contains("read-only"), "{s}");
    assert_eq!(sim.mutations(), before + 1, "exactly one change");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn a_stop_in_another_region_reaches_that_regions_project() {
    let sim = sim_process::start(50, 30);
    let (north, north_project) = sim.regions[0].clone();
    let (east, east_project) = sim.regions[1].clone();
    let dir = tempfile::tempdir().unwrap();
    // cn-north-1's project pinned; the console opens in cn-east-2, whose project is looked up.
    let cfg = config(&sim, dir.path(), "", &[(&north, &north_project)]);
    let mut p = Pty::spawn(
        &["--config", &cfg, "--region", &east],
        &[("LAB_SK", &sim.sk)],
        140,
        40,
    );
    p.wait_text(&format!("{east}a"));
    select_an_active_server(&mut p);
    let s = stop_selected(&mut p);
    assert!(!s.contains("✗"), "{s}");
    assert_eq!(mutations_under(&sim, &east_project), 1, "{}", sim.stats());
    assert_eq!(mutations_under(&sim, &north_project), 0, "{}", sim.stats());
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn a_pinned_project_is_not_borrowed_by_another_region() {
    let sim = sim_process::start(50, 30);
    let (east, east_project) = sim.regions[1].clone();
    // HVECS_PROJECT_ID pins cn-north-1's project (sim.console's environment).
    let mut p = sim.console(&[]);
    p.wait_text(&format!("{}a", sim.region));
    p.keys(&format!(":region {east}"));
    p.send(b"\r");
    // cn-east-2's own servers (its AZs), read under its own project.
    p.wait_for("cn-east-2's servers", |s| {
        s.contains(&format!("{east}a")) && !s.contains(&format!("{}a ", sim.region))
    });
    let stats = sim.stats();
    assert!(
        stats["projects"][&east_project]["requests"]
            .as_u64()
            .unwrap_or(0)
            > 0,
        "{stats}"
    );
    // A stop of one of cn-east-2's servers, after the switch, reaches cn-east-2's project.
    let north_project = sim.regions[0].1.clone();
    select_an_active_server(&mut p);
    let s = stop_selected(&mut p);
    assert!(!s.contains("✗"), "{s}");
    assert_eq!(mutations_under(&sim, &east_project), 1, "{}", sim.stats());
    assert_eq!(mutations_under(&sim, &north_project), 0, "{}", sim.stats());
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
    // Opened in cn-east-2 with cn-north-1's project pinned: refused, naming both; nothing sent.
    let before = sim.mutations();
    let mut p = sim.console(&["--region", &east]);
    p.wait_text("the pinned project");
    // The whole message, as long as it is, in the message log.
    p.keys(":messages");
    p.send(b"\r");
    let s = p.wait_text("is not a project of region");
    assert!(s.contains(&east), "{s}");
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
    assert_eq!(sim.mutations(), before);
}
