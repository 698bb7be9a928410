//! The snapshot-name dialog: its default name, the EVS name rules as it is typed, the disks it
//! lists once read, and, opened in a console, Enter submitting the set's create and Esc sending
//! nothing.

use chrono::{DateTime, Local, TimeZone, Utc};
use crossterm::event::KeyCode;

use super::{MAX_CHARS, SnapshotName, name_problem};
use crate::read::records::DiskFields;
use crate::read::source::{LoadError, Payload};
use crate::runner::snapshot::op::SnapshotOp;
use crate::runner::{KnownServer, Op, ServerRef};
use crate::tui::app::{Level, Mode};
use crate::tui::test_console::{
    assert_esc_closes, assert_says, console, dialog_open, press_code, screen, submitted, type_text,
};

fn at() -> DateTime<Local> {
    Local.with_ymd_and_hms(2026, 12, 7, 9, 5, 0).unwrap()
}

fn dialog(server: &str) -> SnapshotName {
    let known = KnownServer {
        id: "id-1".into(),
        name: server.into(),
        status: "ACTIVE".into(),
        task_state: None,
        flavor_id: None,
    };
    SnapshotName::new(
        ServerRef::new("id-1", server),
        [("id-1".to_owned(), known)].into(),
        at(),
        "set-000000000001".into(),
    )
}

pub fn attached(id: &str, device: &str, size: &str, bootable: bool) -> DiskFields {
    DiskFields {
        id: id.into(),
        name: format!("disk-{id}"),
        status: "in-use".into(),
        size: size.into(),
        device: device.into(),
        bootable,
        server_id: "id-1".into(),
        ..DiskFields::default()
    }
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
fn enter_waits_for_the_disks_then_submits_the_set_of_them_under_the_name() {
    let mut app = console(false);
    app.open(dialog("web-01"));
    assert!(screen(&app).contains("reading the disks of web-01"));
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "reading the disks");
    let Mode::Dialog(d) = &mut app.mode else {
        panic!("open: {:?}", app.mode);
    };
    // Another server's disk in the answer is not this one's.
    let mut other = attached("d-x", "/dev/vdc", "5", false);
    other.server_id = "id-9".into();
    d.answered(Ok(Payload::Disks(vec![
        attached("d-data", "/dev/vdb", "20", false),
        attached("d-sys", "/dev/vda", "40", true),
        other,
    ])));
    let s = screen(&app);
    assert!(
        s.contains("snapshot web-01") && s.contains("> web-01-20261207-0905"),
        "{s}"
    );
    assert!(s.contains("one snapshot of each of its 2 disk(s)"), "{s}");
    assert!(s.contains("/dev/vda  40 GB  disk-d-sys (system)"), "{s}");
    assert!(s.contains("/dev/vdb  20 GB  disk-d-data"), "{s}");
    assert!(s.contains("enter snapshot  esc cancel"), "{s}");
    type_text(&mut app, "-pre");
    let fx = press_code(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    let subs = submitted(&fx);
    let [
        (
            Op::Snapshot(SnapshotOp::Create {
                server,
                set_id,
                disks,
                name,
                taken_at,
            }),
            _,
        ),
    ] = subs.as_slice()
    else {
        panic!("one create: {fx:?}");
    };
    assert_eq!(server, &ServerRef::new("id-1", "web-01"));
    assert_eq!(set_id, "set-000000000001");
    assert_eq!(name.as_deref(), Some("web-01-20261207-0905-pre"));
    assert_eq!(*taken_at, at().with_timezone(&Utc));
    let devices: Vec<(&str, u64)> = disks
        .iter()
        .map(|d| (d.device.as_str(), d.size_gb))
        .collect();
    assert_eq!(devices, [("/dev/vda", 40), ("/dev/vdb", 20)]);
}

#[test]
fn no_disk_or_a_failed_read_sends_nothing() {
    let mut app = console(false);
    app.open(dialog("web-01"));
    if let Mode::Dialog(d) = &mut app.mode {
        d.answered(Ok(Payload::Disks(Vec::new())));
    }
    assert!(screen(&app).contains("no disk is attached"));
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "has no disk attached");
    assert_says(&app, "nothing was sent");

    app.open(dialog("web-01"));
    if let Mode::Dialog(d) = &mut app.mode {
        d.answered(Err(LoadError {
            message: "EVS is down".into(),
            request_id: Some("req-7".into()),
        }));
    }
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "EVS is down (request id req-7)");
    assert!(app.dialog::<SnapshotName>().is_some(), "it stays open");
}

#[test]
fn a_wrong_name_sends_nothing_and_esc_cancels_with_a_message() {
    let mut app = console(false);
    app.open(dialog("web-01"));
    app.update(crate::tui::app::Msg::Key(crate::tui::keymap::Key::ctrl(
        'u',
    )));
    type_text(&mut app, "autobk_snapshot_1");
    let d = dialog_open::<SnapshotName>(&app);
    assert!(d.problem.is_some());
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert!(app.dialog::<SnapshotName>().is_some(), "it stays open");
    assert_eq!(app.message.as_ref().map(|m| m.0), Some(Level::Error));
    assert_says(&app, "nothing was sent");
    assert_esc_closes(&mut app);
    assert_eq!(app.message.as_ref().map(|m| m.0), Some(Level::Info));
    assert_says(&app, "cancelled; nothing was sent");
}
