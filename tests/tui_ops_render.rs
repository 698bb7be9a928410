//! The operations' screens drawn into ratatui's TestBackend: the confirmation dialog of a bulk
//! stop, and the job strip with a running and a finished task.

mod support;

use chrono::{Local, TimeDelta, Utc};
use hvecs::read::source::{Payload, Scope, What};
use hvecs::runner::{
    EventKind, Hardness, Op, PowerAction, Priority, Progress, ServerRef, Task, TaskEvent, TaskState,
};
use hvecs::tui::app::{AppState, Effect, Msg, Session};
use hvecs::tui::dialog::confirm::Confirm;
use hvecs::tui::keymap::{Key, Keymap};
use hvecs::tui::list::rows::ServerFields;

fn app() -> AppState {
    let mut app = AppState::new(
        Session {
            profile: "lab".into(),
            user: "ops-admin".into(),
            region: "region-1".into(),
            read_only: false,
        },
        Keymap::default(),
        vec!["default".into()],
        (100, 30),
    );
    for e in app.start() {
        let Effect::Fetch(req) = e else { continue };
        if req.what != What::Servers(Scope::All) {
            continue;
        }
        let s = |i: usize, name: &str, az: &str| ServerFields {
            id: format!("id-{i}"),
            name: name.into(),
            status: "ACTIVE".into(),
            az: az.into(),
            ..Default::default()
        };
        app.update(Msg::Loaded {
            seq: req.seq,
            result: Ok(Payload::Servers {
                scope: Scope::All,
                total: Some(3),
                rows: vec![
                    s(1, "web-01", "region-1a"),
                    s(2, "web-02", "region-1b"),
                    s(3, "db-01", "region-1a"),
                ],
            }),
            at: Local::now(),
        });
    }
    app
}

fn draw(app: &AppState) -> String {
    support::screen::drawn(app, (100, 30))
}

#[test]
fn the_bulk_confirmation_names_count_azs_and_servers_with_cancel_the_default() {
    let mut app = app();
    app.update(Msg::Key(Key::char('*')));
    app.update(Msg::Key(Key::char('X')));
    assert!(app.dialog::<Confirm>().is_some());
    let s = draw(&app);
    assert!(
        s.contains("hard stop 3 servers in 2 AZs (region-1a, region-1b)?"),
        "{s}"
    );
    for name in ["web-01", "web-02", "db-01"] {
        assert!(
            s.lines().any(|l| l.contains(name) && l.contains("ACTIVE")),
            "{name} listed in the dialog: {s}"
        );
    }
    assert!(
        s.contains("y confirm") && s.contains("cancel (default)"),
        "{s}"
    );
}

#[test]
fn the_job_strip_shows_progress_step_elapsed_and_outcomes() {
    let mut app = app();
    let op = Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: vec![
            ServerRef::new("id-1", "web-01"),
            ServerRef::new("id-2", "web-02"),
        ],
    };
    let mut running = Task::new(op, Priority::Bulk, "lab", "region-1", "ops-admin");
    running.state = TaskState::Running;
    running.started_at = Some(Utc::now() - TimeDelta::seconds(75));
    running.progress = Progress {
        percent: None,
        sub_done: 1,
        sub_total: 2,
        steps_done: 0,
        steps_total: 1,
    };
    app.update(Msg::Task(TaskEvent::new(EventKind::Progress, &running)));
    let op = Op::Power {
        action: PowerAction::Start,
        servers: vec![ServerRef::new("id-3", "db-01")],
    };
    let mut done = Task::new(op, Priority::Interactive, "lab", "region-1", "ops-admin");
    done.state = TaskState::Succeeded;
    done.started_at = Some(Utc::now() - TimeDelta::seconds(10));
    done.finished_at = Some(Utc::now() - TimeDelta::seconds(6));
    app.update(Msg::Task(TaskEvent::new(EventKind::Succeeded, &done)));
    let s = draw(&app);
    let strip = s.lines().nth(27).unwrap_or_default();
    assert!(strip.contains("▶ stop 2 servers"), "{strip}");
    assert!(strip.contains("1/2 █████░░░░░ 50%"), "{strip}");
    assert!(strip.contains("stop 2 server(s) pending"), "{strip}");
    assert!(strip.contains("1m1"), "elapsed: {strip}");
    assert!(strip.contains("✓ start db-01 4s"), "{strip}");
    // rows whose server has a task show it; the others do not
    let row = |name: &str| {
        s.lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_owned()
    };
    assert!(row("web-01").contains("50% stop"), "{s}");
    assert!(row("web-02").contains("50%"), "{s}");
    assert!(!row("db-01").contains('%'), "{s}");
}
