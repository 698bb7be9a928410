//! The create form and resize end to end: the real binary in a pseudo-terminal against
//! `hvecs sim --speed 50` run as a separate process (so `/_sim/stats` counts what was sent),
//! keys typed as a person would.

mod support;

use std::time::{Duration, Instant};

use support::pty::Pty;
use support::sim_process;

fn tabs(p: &mut Pty, n: usize) {
    for _ in 0..n {
        p.send(b"\t");
    }
}

/// The list row of server `name` (not the job strip's line), if shown.
fn row_of(screen: &str, name: &str) -> Option<String> {
    screen
        .lines()
        .find(|l| l.split_whitespace().any(|w| w == name) && !l.contains(&format!("create {name}")))
        .map(str::to_owned)
}

/// Presses Ctrl-r now and then until the job strip says the create ended; returns the statuses
/// the row of `name` showed, in order, and whether the strip showed the create's progress.
fn watch_until_done(p: &mut Pty, name: &str) -> (Vec<&'static str>, bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut saw_progress = false;
    let mut saw: Vec<&'static str> = Vec::new();
    let mut refreshed = Instant::now();
    loop {
        let s = p.screen();
        if let Some(r) = row_of(&s, name) {
            let status = ["BUILD", "ACTIVE", "ERROR"]
                .into_iter()
                .find(|st| r.contains(st))
                .unwrap_or("?");
            if saw.last() != Some(&status) {
                saw.push(status);
            }
        }
        if s.lines()
            .any(|l| l.contains(&format!("create {name}")) && l.contains('%'))
        {
            saw_progress = true;
        }
        if s.contains(&format!("✓ create {name}")) || s.contains(&format!("✗ create {name}")) {
            return (saw, saw_progress);
        }
        assert!(
            Instant::now() < deadline,
            "the create did not end; saw {saw:?}:\n{s}"
        );
        if refreshed.elapsed() > Duration::from_millis(250) {
            p.send(b"\x12");
            refreshed = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(40));
    }
}

#[test]
fn create_a_server_through_the_form_and_watch_it_become_active() {
    let sim = sim_process::start(50, 40);
    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");
    let before = sim.mutations();
    p.keys("c");
    p.wait_text("quota left");
    // name, then on to the data disks (AZ, flavor, image, disk type and size keep their
    // defaults), then to the password (VPC, subnet, count and login keep theirs)
    p.keys("e2e-web-01");
    tabs(&mut p, 6);
    p.keys("SSD:20");
    tabs(&mut p, 5);
    p.keys("Ops-2026!x");
    let s = p.wait_for("every field valid", |s| {
        s.contains("**********") && !s.contains('✗')
    });
    assert!(!s.contains("Ops-2026"), "the password is masked: {s}");
    assert!(s.contains("e2e-web-01"), "{s}");
    assert_eq!(
        sim.mutations(),
        before,
        "nothing is sent while the form is filled in"
    );
    p.send(b"\r");
    // progress on screen while it runs
    let s = p.wait_for("the create running in the job strip", |s| {
        s.contains("create e2e-web-01")
    });
    assert!(!s.contains("create server ·"), "the form closed: {s}");
    // the new server shows in the list: BUILD while the create runs, then ACTIVE (Ctrl-r reads
    // the list at once, as a person watching would press it)
    let (saw, progress) = watch_until_done(&mut p, "e2e-web-01");
    eprintln!("the row of e2e-web-01 showed: {saw:?}");
    assert!(
        progress,
        "the job strip showed the create's progress (percent)"
    );
    assert_eq!(saw.first(), Some(&"BUILD"), "the row's statuses: {saw:?}");
    let s = p.wait_for("the new server ACTIVE in the list", |s| {
        row_of(s, "e2e-web-01").is_some_and(|r| r.contains("ACTIVE"))
    });
    assert!(s.contains("✓ create e2e-web-01"), "{s}");
    assert!(sim.mutations() > before, "the create was sent");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn resize_a_running_server_after_its_confirmation() {
    let sim = sim_process::start(50, 40);
    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");
    // a running server in the first AZ (where the biggest flavor is on sale), not that big yet
    p.keys(&format!("/status:active az:{}a !4xlarge", sim.region));
    p.send(b"\r");
    p.wait_text("filter \"status:active");
    let before = sim.mutations();
    p.keys("z");
    p.wait_text("(current)");
    p.wait_text("the platform stops it, resizes it and starts it again");
    p.keys("G");
    p.send(b"\r");
    let s = p.wait_text("confirm");
    let title = s
        .lines()
        .find(|l| l.contains("resize ") && l.contains(" from "))
        .unwrap_or_else(|| panic!("no resize question: {s}"));
    assert!(title.contains("to hv1.4xlarge.4"), "{title}");
    let name = title
        .split("resize ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .unwrap()
        .to_owned();
    assert_eq!(sim.mutations(), before, "nothing sent before y");
    p.keys("y");
    let s = p.wait_for("the resize to end", |s| {
        s.contains(&format!("✓ resize {name}")) || s.contains(&format!("✗ resize {name}"))
    });
    assert!(s.contains(&format!("✓ resize {name}")), "{s}");
    assert!(sim.mutations() > before, "the resize was sent");
    // the row was read again by itself: the new flavor, running again
    p.send(b"\x1b");
    p.wait_for("the resized server in the list", |s| {
        row_of(s, &name).is_some_and(|r| r.contains("hv1.4xlarge.4") && r.contains("ACTIVE"))
    });
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn in_read_only_c_and_z_send_nothing() {
    let sim = sim_process::start(50, 40);
    let mut p = sim.console(&["--read-only"]);
    let s = p.wait_text("[READ-ONLY]");
    assert!(s.contains("ACTIVE") || p.wait_text("ACTIVE").contains("ACTIVE"));
    let before = sim.mutations();
    p.keys("c");
    let s = p.wait_text("read-only: refusing to create a server");
    assert!(!s.contains("quota left"), "no form opens: {s}");
    p.keys("z");
    // keys are handled in order: once help shows, z was handled
    p.keys("?");
    let s = p.wait_text("Help");
    assert!(
        !s.contains("(current)"),
        "no resize picker in read-only: {s}"
    );
    assert_eq!(sim.mutations(), before, "read-only sent nothing");
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn create_with_a_key_pair_chosen_from_the_projects_list() {
    let sim = sim_process::start(50, 40);
    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");
    p.keys("c");
    p.wait_text("quota left");
    // name, then on to the login (ten fields down), switched to the key pair, then onto it
    p.keys("e2e-key-01");
    tabs(&mut p, 10);
    p.send(b"\x1b[C");
    tabs(&mut p, 1);
    // the simulator seeds admin-laptop, deploy-ci, ops-key: the first is chosen, → the next
    p.wait_text("< admin-laptop >");
    p.send(b"\x1b[C");
    p.wait_for("deploy-ci chosen, every field valid", |s| {
        s.contains("< deploy-ci >") && !s.contains('✗')
    });
    p.send(b"\r");
    let (_, _) = watch_until_done(&mut p, "e2e-key-01");
    let s = p.screen();
    assert!(s.contains("✓ create e2e-key-01"), "{s}");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_hvecs"))
        .args(["servers", "show", "e2e-key-01"])
        .envs(sim.env())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("key") && l.contains("deploy-ci")),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
