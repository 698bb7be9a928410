//! Regions end to end: the real binary in a pseudo-terminal against `hvecs sim` run as a separate
//! process, on a connection without a pinned project (each region's project is looked up).

mod support;

use support::pty::Pty;
use support::sim_process::{self, Sim};

/// The console on `sim` with no `HVECS_PROJECT_ID`.
fn console_without_project(sim: &Sim) -> Pty {
    let env: Vec<(&str, &str)> = sim
        .env()
        .into_iter()
        .filter(|(k, _)| *k != "HVECS_PROJECT_ID")
        .collect();
    Pty::spawn(&[], &env, 140, 40)
}

/// Whether some table row shows `region` in its REGION column next to one of its AZs.
fn row_in(screen: &str, region: &str) -> bool {
    screen.lines().any(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        words
            .windows(2)
            .any(|w| w[0] == region && w[1].starts_with(region) && w[1].len() == region.len() + 1)
    })
}

/// Every AZ name (`cn-north-1a`…) on the screen.
fn azs_on(screen: &str) -> Vec<String> {
    let regions = ["cn-north-1", "cn-east-2", "cn-south-1"];
    let mut out: Vec<String> = screen
        .split(|c: char| c.is_whitespace() || c == '│')
        .filter(|w| {
            regions
                .iter()
                .any(|r| w.starts_with(r) && w.len() == r.len() + 1)
        })
        .map(str::to_owned)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn a_region_shows_only_its_own_and_all_shows_every_region() {
    let sim = sim_process::start(50, 30);
    let mut p = console_without_project(&sim);
    let s = p.wait_for("cn-north-1's servers", |s| s.contains("cn-north-1a"));
    assert!(
        azs_on(&s).iter().all(|a| a.starts_with("cn-north-1")),
        "{s}"
    );

    p.keys(":region cn-east-2");
    p.send(b"\r");
    let s = p.wait_for("cn-east-2's AZs and servers", |s| {
        s.contains("· cn-east-2 ·") && s.contains("cn-east-2a") && s.contains("ACTIVE")
    });
    let azs = azs_on(&s);
    assert!(
        !azs.is_empty() && azs.iter().all(|a| a.starts_with("cn-east-2")),
        "only cn-east-2's AZs and servers: {azs:?}\n{s}"
    );

    p.keys(":region all");
    p.send(b"\r");
    let s = p.wait_for("the servers of the three regions", |s| {
        ["cn-north-1", "cn-east-2", "cn-south-1"]
            .iter()
            .all(|r| row_in(s, r))
    });
    assert!(s.contains("REGION") && s.contains("· all ·"), "{s}");
    assert!(!s.contains("stale"), "{s}");

    // region: narrows the one list to one region
    p.keys("/region:cn-south-1");
    p.send(b"\r");
    let s = p.wait_for("the filter", |s| s.contains("filter \"region:cn-south-1\""));
    assert!(
        row_in(&s, "cn-south-1") && !row_in(&s, "cn-north-1") && !row_in(&s, "cn-east-2"),
        "{s}"
    );
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
