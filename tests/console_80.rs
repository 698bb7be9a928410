//! The console in an 80×24 terminal, end to end: the real binary in a pseudo-terminal against
//! `hvecs sim` run as a separate process. NAME, STATUS and TASK stay; `Ctrl-b` folds the side
//! panes; a bulk stop over 20 marked servers (2 already stopped) sends one batch of 18, whose
//! progress shows in the rows.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use support::pty::Pty;
use support::sim_process;

/// The table's header line.
fn header(s: &str) -> String {
    s.lines()
        .find(|l| l.contains("NAME") && l.contains("STATUS"))
        .unwrap_or_default()
        .to_owned()
}

/// Filters the list by `query` (the line cleared first) and waits for it in the title.
fn filter(p: &mut Pty, query: &str) {
    p.keys("/");
    p.send(b"\x15");
    p.keys(query);
    p.send(b"\r");
    p.wait_text(&format!("filter \"{query}\""));
}

#[test]
fn at_80x24_a_bulk_stop_of_20_marked_sends_18_and_its_progress_shows_in_the_rows() {
    // Slow enough that a stop's progress is on screen for a while.
    let sim = sim_process::start(5, 200);
    let mut p = Pty::spawn(&[], &sim.env(), 80, 24);
    let s = p.wait_text("ACTIVE");
    let h = header(&s);
    for col in ["NAME", "STATUS", "TASK"] {
        assert!(h.contains(col), "{col} at 80 columns: {s}");
    }
    assert!(s.contains("Regions"), "{s}");
    // Ctrl-b folds the side panes: the list takes their width.
    p.send(b"\x02");
    let folded = p.wait_for("the side panes folded", |s| !s.contains("Regions"));
    assert!(header(&folded).starts_with("│  NAME"), "{folded}");
    // Two stopped servers, then eighteen running ones.
    filter(&mut p, "status:shutoff");
    p.keys("  ");
    p.wait_text("2 marked");
    filter(&mut p, "status:active");
    p.keys(&" ".repeat(18));
    p.wait_text("20 marked");
    let before = sim.mutations();
    p.keys("x");
    // The question wraps at a space, whole: "… (18 of" / "20; 2 skipped)".
    let s = p.wait_text("2 skipped)");
    assert!(s.contains("stop 18 servers in"), "{s}");
    assert!(s.contains("(18 of"), "{s}");
    assert!(s.contains("20; 2 skipped)"), "{s}");
    assert_eq!(sim.mutations(), before, "nothing sent before y");
    p.keys("y");
    let s = p.wait_for("a stop's progress in a row", |s| {
        s.lines()
            .any(|l| l.contains("% stop") && l.contains("ACTIVE"))
    });
    assert!(
        s.lines().filter(|l| l.contains("% stop")).count() >= 2,
        "every marked row on screen shows the task: {s}"
    );
    p.wait_for("the stop to finish", |s| s.contains("✓ stop 18"));
    assert_eq!(sim.mutations(), before + 1, "one batch POST for the 18");
    assert_eq!(
        sim.posts("/cloudservers/action"),
        1,
        "one batch action: {}",
        sim.stats()
    );
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
