//! `hvecs demo` end to end: the real binary in a pseudo-terminal, the simulator inside it, keys
//! typed as a person would, the screen read back.

mod support;

use support::pty::Pty;

#[test]
fn browse_the_demo_cloud_like_a_person() {
    let mut p = Pty::spawn(&["demo", "--servers", "60"], &[], 120, 40);
    // servers appear, the first region chosen, focus on the first row
    let s = p.wait_text("  ecs-");
    assert!(
        s.contains("demo") && s.contains("cn-north-1"),
        "header: {s}"
    );
    assert!(s.contains("Servers"), "{s}");
    // `/web` filters as it is typed
    p.keys("/web");
    p.wait_for("only web servers", |s| {
        s.contains("ecs-web-") && !s.contains("ecs-db-") && s.contains("filter \"web\"")
    });
    p.send(b"\r");
    // `:region` switches: another region's servers
    p.keys(":region cn-east-2");
    p.send(b"\r");
    let s = p.wait_for("cn-east-2 servers", |s| {
        s.contains("· cn-east-2 ·") && s.contains("  ecs-") && !s.contains("filter \"web\"")
    });
    assert!(s.contains("Servers · az: all"), "{s}");
    // Enter describes the selected server: every field, its disks and addresses
    p.send(b"\r");
    let s = p.wait_text("All fields");
    assert!(
        s.contains("describe") && s.contains("Disks") && s.contains("Addresses"),
        "{s}"
    );
    // J shows the raw JSON, Esc goes back
    p.keys("J");
    p.wait_text("raw JSON");
    p.send(b"\x1b");
    p.wait_for("the list again", |s| s.contains("Servers · az: all"));
    // ? helps, from the keymap
    p.keys("?");
    let s = p.wait_text("Help");
    assert!(s.contains("j/down") && s.contains("move down"), "{s}");
    p.send(b"\x1b");
    // other panes
    p.keys("4");
    p.wait_text("Disks ·");
    p.keys("2");
    p.wait_text("Images ·");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}

#[test]
fn choosing_an_az_from_the_side_pane_filters_servers() {
    let mut p = Pty::spawn(&["demo", "--servers", "30"], &[], 120, 40);
    p.wait_text("  ecs-");
    p.wait_text("cn-north-1b");
    // to the AZs pane, down to the second AZ, choose it
    p.keys("hjj");
    p.send(b"\r");
    let s = p.wait_text("az: cn-north-1b");
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("  ecs-")).collect();
    assert!(!rows.is_empty(), "{s}");
    assert!(rows.iter().all(|l| l.contains("cn-north-1b")), "{s}");
    p.keys("q");
    assert_eq!(p.assert_terminal_restored(), 0);
}
