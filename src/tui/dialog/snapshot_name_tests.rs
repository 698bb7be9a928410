//! The snapshot-name dialog: its default name, the EVS name rules as it is typed, and, opened in a
//! console, Enter submitting the op made from the name and Esc sending nothing.

use chrono::{DateTime, Local, TimeZone};
use crossterm::event::KeyCode;

use super::{MAX_CHARS, SnapshotName, name_problem};
use crate::runner::{Known, Op, ServerRef};
use crate::tui::app::{Level, Mode};
use crate::tui::test_console::{console, message, press_code, screen, submitted, type_text};

/// Stands in for the snapshot op of issue 17: any op that carries the name typed.
fn named(server: &ServerRef, name: &str) -> Op {
    Op::Rename {
        server: server.clone(),
        name: name.to_owned(),
    }
}

fn at() -> DateTime<Local> {
    Local.with_ymd_and_hms(2026, 12, 7, 9, 5, 0).unwrap()
}

fn dialog(server: &str) -> SnapshotName {
    SnapshotName::new(ServerRef::new("id-1", server), Known::new(), at(), named)
}

#[test]
fn the_default_is_the_server_and_the_minute_and_fits_the_limit() {
    let d = dialog("web-01");
    assert_eq!(d.input.text, "web-01-20261207-0905");
    assert_eq!(d.problem, None);
    let long = "s".repeat(64);
    let d = dialog(&long);
    assert_eq!(d.input.text.chars().count(), MAX_CHARS);
    assert!(d.input.text.ends_with("-20261207-0905"), "{}", d.input.text);
    assert_eq!(d.problem, None);
}

#[test]
fn the_evs_name_rules_say_why() {
    assert_eq!(name_problem("pre-patch 2026.12"), None);
    for (name, why) in [
        (String::new(), "give the snapshot a name"),
        ("   ".to_owned(), "give the snapshot a name"),
        ("x".repeat(65), "65 characters: at most 64"),
        ("😀".repeat(64), "256 bytes: at most 255"),
        ("autobk_snapshot_web".to_owned(), "kept for EVS backups"),
        ("a\tb".to_owned(), "control character"),
    ] {
        let p = name_problem(&name).unwrap_or_default();
        assert!(p.contains(why), "{name:?}: {p}");
    }
}

#[test]
fn enter_submits_the_op_made_from_the_name() {
    let mut app = console(false);
    app.open(dialog("web-01"));
    let s = screen(&app);
    assert!(
        s.contains("snapshot web-01") && s.contains("> web-01-20261207-0905"),
        "{s}"
    );
    assert!(s.contains("enter snapshot  esc cancel"), "{s}");
    type_text(&mut app, "-pre");
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(
        submitted(&fx).first().map(|(op, _)| op.clone()),
        Some(named(
            &ServerRef::new("id-1", "web-01"),
            "web-01-20261207-0905-pre"
        ))
    );
}

#[test]
fn a_wrong_name_sends_nothing_and_esc_cancels_with_a_message() {
    let mut app = console(false);
    app.open(dialog("web-01"));
    app.update(crate::tui::app::Msg::Key(crate::tui::keymap::Key::ctrl(
        'u',
    )));
    type_text(&mut app, "autobk_snapshot_1");
    let Some(d) = app.dialog::<SnapshotName>() else {
        panic!("the dialog stays: {:?}", app.mode);
    };
    assert!(d.problem.is_some());
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert!(app.dialog::<SnapshotName>().is_some(), "it stays open");
    assert_eq!(app.message.as_ref().map(|m| m.0), Some(Level::Error));
    assert!(
        message(&app).contains("nothing was sent"),
        "{}",
        message(&app)
    );
    assert!(press_code(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.message.as_ref().map(|m| m.0), Some(Level::Info));
    assert!(message(&app).contains("cancelled; nothing was sent"));
}
