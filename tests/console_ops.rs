//! Operations from the console end to end: the real binary in a pseudo-terminal against
//! `hvecs sim --speed 50` run as a separate process, so that `/_sim/stats` counts what was sent.

mod support;

use support::pty::Pty;
use support::sim_process;

/// Shows only ACTIVE servers, marks the first three and returns their names.
fn mark_three_active(p: &mut Pty) -> Vec<String> {
    p.wait_text("ACTIVE");
    p.keys("/status:active");
    p.send(b"\r");
    p.wait_text("filter \"status:active\"");
    p.keys("   ");
    let s = p.wait_for("three marks", |s| s.matches('●').count() >= 3);
    s.lines()
        .filter_map(|l| l.split_once('●'))
        .filter_map(|(_, rest)| rest.split_whitespace().next().map(str::to_owned))
        .collect()
}

#[test]
fn mark_three_servers_and_stop_them_with_one_batch_call() {
    let sim = sim_process::start(50, 40);
    let mut p = sim.console(&[]);
    let names = mark_three_active(&mut p);
    assert_eq!(names.len(), 3, "{names:?}");
    let before = sim.mutations();
    p.keys("x");
    let s = p.wait_text("confirm");
    assert!(s.contains("stop 3 servers in"), "{s}");
    assert_eq!(sim.mutations(), before, "nothing sent before y");
    p.keys("y");
    let s = p.wait_for("the stop to finish", |s| s.contains("✓ stop 3 servers"));
    assert!(!s.contains("✗"), "{s}");
    assert_eq!(
        sim.mutations(),
        before + 1,
        "one batch POST for three servers"
    );
    // the rows it touched were read again by themselves
    p.keys("/");
    p.send(b"\x15"); // clear the line
    p.keys("status:shutoff");
    p.send(b"\r");
    p.wait_for("three stopped servers", |s| {
        s.matches("SHUTOFF").count() >= 3
    });
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn in_read_only_the_same_keys_change_nothing() {
    let sim = sim_process::start(50, 40);
    let mut p = sim.console(&["--read-only"]);
    let s = p.wait_text("[READ-ONLY]");
    assert!(
        !s.contains("<x> stop"),
        "stop is hidden from the hints: {s}"
    );
    mark_three_active(&mut p);
    let before = sim.mutations();
    p.keys("xXrR");
    // keys are handled in order: once help shows, the ones before it were handled
    p.keys("?");
    let s = p.wait_text("Help");
    assert!(!s.contains("confirm"), "no dialog in read-only: {s}");
    assert!(!s.contains("stop (soft)"), "stop is hidden from help: {s}");
    assert_eq!(sim.mutations(), before, "read-only sent nothing");
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
