//! Delete from the console end to end: the real binary in a pseudo-terminal against
//! `hvecs sim --speed 50` run as a separate process, so that `/_sim/stats` counts what was sent.
//! The server is deleted with its name typed, its row goes, and the Jobs pane (`5`) shows the
//! task succeeded; in read-only `D` changes nothing.

mod support;

use support::sim_process;

/// The first word of each row of the main pane's table (the name), below its column headers.
fn table_names(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| l.split_once("││").map(|(_, main)| main))
        .skip_while(|main| !main.contains("NAME"))
        .skip(1)
        .filter_map(|main| {
            main.trim_start_matches(['●', ' '])
                .split_whitespace()
                .next()
                .filter(|w| !w.starts_with('│'))
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn delete_one_server_with_its_name_typed_and_see_the_task_in_jobs() {
    let sim = sim_process::start(50, 40);
    let mut p = sim.console(&[]);
    p.wait_text("ACTIVE");
    p.keys("/status:active");
    p.send(b"\r");
    let s = p.wait_text("filter \"status:active\"");
    let names = table_names(&s);
    let name = names.first().cloned().expect("a server listed");
    let before = sim.mutations();
    p.keys("D");
    let s = p.wait_text("type the server's name");
    assert!(s.contains(&format!("delete {name} (")), "{s}");
    assert!(s.contains("[ ] also delete data disks"), "{s}");
    // a wrong name sends nothing and says so
    p.keys("nope");
    p.send(b"\r");
    p.wait_text("\"nope\" is not the server's name");
    assert_eq!(sim.mutations(), before, "a wrong name sent nothing");
    p.send(b"\x15"); // Ctrl-u clears the line
    p.keys(&name);
    p.send(b"\r");
    p.wait_for("the delete to finish", |s| {
        s.contains(&format!("✓ delete {name}"))
    });
    assert_eq!(sim.mutations(), before + 1, "one DELETE call");
    // the row goes by itself, whatever the filter
    p.send(b"\x1b");
    p.wait_for("the row to go", |s| {
        !s.contains("filter \"") && !table_names(s).contains(&name)
    });
    p.keys("5");
    let s = p.wait_for("the task in the Jobs pane", |s| {
        s.lines()
            .any(|l| l.contains(&format!("delete {name}")) && l.contains("succeeded"))
    });
    assert!(s.contains("Jobs"), "{s}");
    // its details
    p.send(b"\r");
    p.wait_text("request id");
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn in_read_only_d_changes_nothing() {
    let sim = sim_process::start(50, 40);
    let mut p = sim.console(&["--read-only"]);
    let s = p.wait_text("[READ-ONLY]");
    p.wait_text("ACTIVE");
    assert!(
        !s.contains("<D> delete"),
        "delete is hidden from the hints: {s}"
    );
    let before = sim.mutations();
    p.keys("D");
    p.keys("web");
    p.send(b"\r");
    // keys are handled in order: once help shows, the ones before it were handled
    p.keys("?");
    let s = p.wait_text("Help");
    assert!(!s.contains("type the server's name"), "no dialog: {s}");
    assert!(
        !s.contains("delete (type"),
        "delete is hidden from help: {s}"
    );
    assert_eq!(sim.mutations(), before, "read-only sent nothing");
    p.send(b"\x1b");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
