//! Snapshot keys through `AppState::update`: `n` on Servers, the Snapshots pane by set and its
//! describe, `b`, `D`, `e` on sets, `t` finishing a rollback that stopped, and each refusal
//! (read-only, several marked, a task under way, a disk not attached).

use std::sync::Arc;

use chrono::{Local, TimeDelta, TimeZone, Utc};
use crossterm::event::KeyCode;

use crate::gateway::model::Timestamp;
use crate::read::records::DiskFields;
use crate::read::snapshot_sets::{Member, SnapshotSet};
use crate::read::source::{Payload, View, What};
use crate::runner::snapshot::op::{AttachedDisk, SetMember, SnapshotOp};
use crate::runner::{EventKind, Op, Priority, ServerRef, Task, TaskState};
use crate::tui::app::{AppState, Mode, Msg};
use crate::tui::dialog::rollback_finish::RollbackFinish;
use crate::tui::dialog::snapshot_name::SnapshotName;
use crate::tui::dialog::snapshot_rename::SnapshotRename;
use crate::tui::dialog::snapshot_rollback::SnapshotRollback;
use crate::tui::dialog::typed_delete::TypedDelete;
use crate::tui::keymap::Key;
use crate::tui::test_console::{
    answer_read, assert_refused, assert_says, assert_sends_nothing, assert_snapshot, console,
    dialog_open, fetches, press, press_code, screen, stop_op, submitted, task_news, task_of,
    type_text,
};

fn member(id: &str, disk: &str, device: &str, size_gb: u64) -> Member {
    Member {
        snapshot_id: id.into(),
        name: format!("pre-patch-{}", device.rsplit('/').next().unwrap_or(device)),
        volume_id: disk.into(),
        device: Some(device.into()),
        size_gb,
        status: "available".into(),
    }
}

/// pre-patch of web-01 (id-1: its system disk d-sys at /dev/vda and d-data at /dev/vdb), and a
/// snapshot made elsewhere.
fn sets() -> Vec<SnapshotSet> {
    vec![
        SnapshotSet {
            set: "set-0a1b2c3d4e5f".into(),
            tagged: true,
            server_id: Some("id-1".into()),
            server: Some("web-01".into()),
            time: "2026-12-07 09:05:00".into(),
            taken: Timestamp {
                text: "2026-12-07 09:05".into(),
                utc: None,
            },
            size_gb: 60,
            status: "available".into(),
            members: vec![
                member("snap-a", "d-sys", "/dev/vda", 40),
                member("snap-b", "d-data", "/dev/vdb", 20),
            ],
        },
        SnapshotSet {
            set: "snap-lone".into(),
            tagged: false,
            server_id: None,
            server: None,
            time: "2026-12-01 10:00:00".into(),
            taken: Timestamp {
                text: "2026-12-01 10:00".into(),
                utc: None,
            },
            size_gb: 10,
            status: "available".into(),
            members: vec![Member {
                snapshot_id: "snap-lone".into(),
                name: "nightly".into(),
                volume_id: "d-other".into(),
                device: None,
                size_gb: 10,
                status: "available".into(),
            }],
        },
    ]
}

fn disk(id: &str, device: &str, bootable: bool, server_id: &str) -> DiskFields {
    DiskFields {
        id: id.into(),
        name: id.into(),
        status: "in-use".into(),
        size: if bootable { "40" } else { "20" }.into(),
        device: device.into(),
        bootable,
        server_id: server_id.into(),
        ..DiskFields::default()
    }
}

/// The console on Snapshots, its sets listed, pre-patch selected.
fn on_snapshots(read_only: bool) -> AppState {
    let mut app = console(read_only);
    let fx = press(&mut app, '3');
    answer_read(&mut app, &fx, &What::Snapshots, Payload::Snapshots(sets()));
    assert_eq!(app.view, View::Snapshots);
    app
}

fn server_disks(id: &str) -> What {
    What::ServerDisks(id.into())
}

#[test]
fn n_opens_the_name_dialog_reads_the_servers_disks_and_submits_the_set() {
    let mut app = console(false);
    let fx = press(&mut app, 'n');
    let d = dialog_open::<SnapshotName>(&app);
    assert_eq!(d.server, ServerRef::new("id-1", "web-01"));
    assert!(d.input.text.starts_with("web-01-"), "{}", d.input.text);
    assert!(d.set_id.starts_with("set-"));
    let reads = fetches(&fx);
    assert_eq!(reads.len(), 1);
    assert_eq!(
        (reads[0].region.as_str(), &reads[0].what),
        ("region-1", &server_disks("id-1"))
    );
    answer_read(
        &mut app,
        &fx,
        &server_disks("id-1"),
        Payload::Disks(vec![
            disk("d-data", "/dev/vdb", false, "id-1"),
            disk("d-sys", "/dev/vda", true, "id-1"),
        ]),
    );
    assert!(screen(&app).contains("/dev/vda  40 GB  d-sys (system)"));
    let fx = press_code(&mut app, KeyCode::Enter);
    let subs = submitted(&fx);
    let [(Op::Snapshot(SnapshotOp::Create { disks, .. }), known)] = subs.as_slice() else {
        panic!("the set's create: {fx:?}");
    };
    assert_eq!(disks.len(), 2);
    assert!(known.contains_key("id-1"));
}

/// `update` is pure for `n`: two consoles alike, the same keys, the same effects, dialog and
/// set (the time is the loop's `clock`; the set's id derived from it, not random).
#[test]
fn n_is_the_same_on_two_like_consoles_stamped_by_the_loops_clock() {
    let at = Local.with_ymd_and_hms(2026, 12, 7, 21, 5, 9).unwrap();
    let run = |clock| {
        let mut app = console(false);
        app.clock = clock;
        let mut fx = press(&mut app, 'n');
        let disks = Payload::Disks(vec![disk("d-sys", "/dev/vda", true, "id-1")]);
        fx.extend(answer_read(
            &mut app,
            &fx.clone(),
            &server_disks("id-1"),
            disks,
        ));
        let dialog = app
            .dialog::<SnapshotName>()
            .cloned()
            .expect("the name dialog");
        fx.extend(press_code(&mut app, KeyCode::Enter));
        (fx, dialog)
    };
    let (one, dialog) = run(at);
    assert_eq!((one.clone(), dialog.clone()), run(at));
    assert_eq!(dialog.input.text, "web-01-20261207-2105");
    assert_eq!(dialog.at, at);
    let subs = submitted(&one);
    let [
        (
            Op::Snapshot(SnapshotOp::Create {
                set_id, taken_at, ..
            }),
            _,
        ),
    ] = subs.as_slice()
    else {
        panic!("the set's create: {one:?}");
    };
    assert_eq!((set_id, taken_at), (&dialog.set_id, &at.to_utc()));
    let (_, later) = run(at + TimeDelta::seconds(1));
    assert_ne!(later.set_id, dialog.set_id, "another instant, another set");
}

#[test]
fn n_refuses_several_marked_read_only_and_a_server_with_a_task() {
    let mut app = console(false);
    press(&mut app, ' ');
    press(&mut app, ' ');
    assert_sends_nothing(&mut app, 'n', "one server at a time");
    assert_eq!(app.mode, Mode::Normal);

    let mut app = console(true);
    assert_sends_nothing(&mut app, 'n', "read-only");
    assert_eq!(app.mode, Mode::Normal);

    let mut app = console(false);
    let stop = stop_op(&[("id-1", "web-01")]);
    let mut t = task_of(stop, Priority::Interactive);
    t.state = TaskState::Running;
    task_news(&mut app, EventKind::Started, &t);
    assert_sends_nothing(&mut app, 'n', "has a task under way");
}

#[test]
fn the_snapshots_pane_lists_one_row_per_set_and_describes_its_snapshots() {
    let mut app = on_snapshots(false);
    app.update(Msg::Resize(120, 20));
    // Without the header line: it says when the list was read.
    let body: String = screen(&app)
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    assert_snapshot!("snapshot_sets_120x20", body);
    press_code(&mut app, KeyCode::Enter);
    let Mode::Describe(d) = &app.mode else {
        panic!("describe: {:?}", app.mode);
    };
    let text = format!("{:?}", d.detail);
    for want in [
        "pre-patch",
        "snap-a",
        "snap-b",
        "/dev/vdb",
        "d-data",
        "60 GB",
        "web-01",
    ] {
        assert!(text.contains(want), "{want}: {text}");
    }
}

#[test]
fn b_shows_the_plan_and_needs_the_servers_name() {
    let mut app = on_snapshots(false);
    let fx = press(&mut app, 'b');
    assert!(app.dialog::<SnapshotRollback>().is_some());
    assert!(screen(&app).contains("reading the disks of web-01"));
    answer_read(
        &mut app,
        &fx,
        &server_disks("id-1"),
        Payload::Disks(vec![
            disk("d-sys", "/dev/vda", true, "id-1"),
            disk("d-data", "/dev/vdb", false, "id-1"),
        ]),
    );
    let s = screen(&app);
    for want in [
        "roll web-01 back to pre-patch (taken 2026-12-07 09:05)?",
        "every change to its disks since then is discarded",
        "stop",
        "detach",
        "attach",
        "type the server's name (web-01)",
    ] {
        assert!(s.contains(want), "{want}: {s}");
    }
    type_text(&mut app, "web-02");
    assert!(press_code(&mut app, KeyCode::Enter).is_empty());
    assert_says(&app, "nothing was sent");
    for _ in 0..6 {
        press_code(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "web-01");
    let fx = press_code(&mut app, KeyCode::Enter);
    let subs = submitted(&fx);
    let [
        (
            Op::Snapshot(SnapshotOp::Rollback {
                members,
                was_running,
                set_id,
                ..
            }),
            _,
        ),
    ] = subs.as_slice()
    else {
        panic!("the rollback: {fx:?}");
    };
    assert!(*was_running, "web-01 is ACTIVE");
    assert_eq!(set_id, "set-0a1b2c3d4e5f");
    let at: Vec<(&str, &str, Option<&str>)> = members
        .iter()
        .map(|m| {
            (
                m.snapshot_id.as_str(),
                m.disk.device.as_str(),
                m.attached_to.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            ("snap-a", "/dev/vda", Some("id-1")),
            ("snap-b", "/dev/vdb", Some("id-1"))
        ]
    );
}

#[test]
fn b_refuses_a_set_whose_disk_is_not_attached_and_a_set_made_elsewhere() {
    let mut app = on_snapshots(false);
    let fx = press(&mut app, 'b');
    answer_read(
        &mut app,
        &fx,
        &server_disks("id-1"),
        Payload::Disks(vec![disk("d-sys", "/dev/vda", true, "id-1")]),
    );
    assert!(screen(&app).contains("d-data is not attached to web-01"));
    type_text(&mut app, "web-01");
    assert!(submitted(&press_code(&mut app, KeyCode::Enter)).is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_says(&app, "not attached to web-01");

    press(&mut app, 'j');
    assert_sends_nothing(&mut app, 'b', "--server");
}

#[test]
fn d_deletes_sets_by_name_or_count_one_task_each() {
    let mut app = on_snapshots(false);
    press(&mut app, 'D');
    let d = dialog_open::<TypedDelete>(&app);
    assert_eq!(d.expected, "pre-patch");
    type_text(&mut app, "pre-patch");
    let fx = press_code(&mut app, KeyCode::Enter);
    let ops: Vec<Op> = submitted(&fx).into_iter().map(|(o, _)| o).collect();
    let [Op::Snapshot(SnapshotOp::Delete { snapshots })] = ops.as_slice() else {
        panic!("one delete: {ops:?}");
    };
    let ids: Vec<&str> = snapshots.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["snap-a", "snap-b"]);

    press(&mut app, '*');
    press(&mut app, 'D');
    assert_eq!(
        app.dialog::<TypedDelete>().map(|d| d.expected.as_str()),
        Some("2")
    );
    type_text(&mut app, "2");
    assert_eq!(submitted(&press_code(&mut app, KeyCode::Enter)).len(), 2);
}

#[test]
fn e_renames_each_snapshot_of_the_set_by_its_device() {
    let mut app = on_snapshots(false);
    press(&mut app, 'e');
    assert_eq!(
        app.dialog::<SnapshotRename>()
            .map(|d| d.input.text.as_str()),
        Some("pre-patch")
    );
    app.update(Msg::Key(Key::ctrl('u')));
    type_text(&mut app, "before-upgrade");
    let fx = press_code(&mut app, KeyCode::Enter);
    let names: Vec<String> = submitted(&fx)
        .into_iter()
        .filter_map(|(o, _)| match o {
            Op::Snapshot(SnapshotOp::Rename { name, .. }) => Some(name),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["before-upgrade-vda", "before-upgrade-vdb"]);
}

#[test]
fn read_only_n_b_d_e_t_send_nothing_and_say_why() {
    let mut app = on_snapshots(true);
    assert_refused(&mut app, &['b', 'D', 'e'], "read-only");
    press(&mut app, '1');
    assert_sends_nothing(&mut app, 'n', "read-only");
    let mut app = jobs_with(true, failed_rollback(TaskState::Failed));
    assert_sends_nothing(&mut app, 't', "read-only");
}

/// A rollback of web-02 (SHUTOFF now; it ran before) that stopped after detaching both disks
/// and attaching the system disk again.
fn failed_rollback(state: TaskState) -> Task {
    let disk = |id: &str, device: &str, bootable: bool| AttachedDisk {
        volume_id: id.into(),
        name: id.into(),
        device: device.into(),
        bootable,
        size_gb: 20,
    };
    let member = |snap: &str, d: AttachedDisk| SetMember {
        snapshot_id: snap.into(),
        snapshot_status: "available".into(),
        disk: d,
        attached_to: Some("id-2".into()),
        disk_exists: true,
    };
    let op = Op::Snapshot(SnapshotOp::Rollback {
        server: ServerRef::new("id-2", "web-02"),
        set_id: "set-1".into(),
        members: vec![
            member("s-a", disk("d-sys2", "/dev/vda", true)),
            member("s-b", disk("d-data2", "/dev/vdb", false)),
        ],
        was_running: true,
        soft_stop_secs: 120,
    });
    let mut t = task_of(op, Priority::Interactive);
    t.created_at = Utc::now() - TimeDelta::seconds(30);
    t.state = state;
    t
}

fn jobs_with(read_only: bool, t: Task) -> AppState {
    let mut app = console(read_only);
    press(&mut app, '5');
    app.update(Msg::Tasks {
        result: Ok(vec![Arc::new(t)]),
        at: Local::now(),
    });
    app
}

#[test]
fn t_finishes_a_rollback_that_stopped_and_the_hint_says_so() {
    let mut app = jobs_with(false, failed_rollback(TaskState::Interrupted));
    assert!(
        app.hints(200).contains(&("t".to_owned(), "finish")),
        "{:?}",
        app.hints(200)
    );
    let fx = press(&mut app, 't');
    let d = dialog_open::<RollbackFinish>(&app);
    assert!(d.start, "web-02 ran before and is SHUTOFF now");
    answer_read(
        &mut app,
        &fx,
        &server_disks("id-2"),
        Payload::Disks(vec![disk("d-sys2", "/dev/vda", true, "id-2")]),
    );
    let s = screen(&app);
    assert!(s.contains("attach /dev/vdb  20 GB  d-data2"), "{s}");
    assert!(s.contains("start web-02"), "{s}");
    let fx = press(&mut app, 'y');
    let subs = submitted(&fx);
    let [
        (
            Op::Snapshot(SnapshotOp::Finish {
                attach,
                start,
                of_task,
                ..
            }),
            _,
        ),
    ] = subs.as_slice()
    else {
        panic!("the finish: {fx:?}");
    };
    assert!(*start);
    assert!(!of_task.is_empty());
    let ids: Vec<&str> = attach.iter().map(|d| d.volume_id.as_str()).collect();
    assert_eq!(ids, ["d-data2"], "the system disk is attached already");

    // a rollback that succeeded is not finished: `t` retries (nothing failed), the hint says retry
    let mut app = jobs_with(false, failed_rollback(TaskState::Succeeded));
    assert!(app.hints(200).contains(&("t".to_owned(), "retry")));
    press(&mut app, 't');
    assert!(app.dialog::<RollbackFinish>().is_none());
    assert!(!matches!(app.mode, Mode::Dialog(_)));
}

#[test]
fn a_snapshot_tasks_end_reads_the_sets_and_its_server_again() {
    let mut app = on_snapshots(false);
    let op = Op::Snapshot(SnapshotOp::Create {
        server: ServerRef::new("id-1", "web-01"),
        set_id: "set-1".into(),
        disks: Vec::new(),
        name: None,
        taken_at: Utc::now(),
    });
    let mut t = task_of(op, Priority::Interactive);
    t.state = TaskState::Succeeded;
    let fx = task_news(&mut app, EventKind::Succeeded, &t);
    let reads: Vec<What> = fetches(&fx).into_iter().map(|f| f.what).collect();
    assert_eq!(
        reads,
        [
            What::Snapshots,
            What::Servers(crate::read::source::Scope::Ids(vec!["id-1".into()]))
        ]
    );
}
