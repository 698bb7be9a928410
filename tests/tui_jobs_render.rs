//! The Jobs pane, a task's details and the delete dialog drawn into ratatui's TestBackend
//! (insta snapshots).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;

use chrono::{FixedOffset, Local, TimeDelta, TimeZone, Utc};
use crossterm::event::KeyCode;
use hvecs::read::source::{Payload, Scope, What};
use hvecs::runner::task::StepState;
use hvecs::runner::{
    Hardness, Op, PowerAction, Priority, ServerRef, TargetOutcome, Task, TaskId, TaskState,
};
use hvecs::tui::app::{AppState, Effect, Msg, Session};
use hvecs::tui::keymap::{Key, Keymap};
use hvecs::tui::list::rows::ServerFields;

fn at() -> chrono::DateTime<Local> {
    Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).unwrap()
}

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
        (120, 30),
    );
    app.jobs.tz = FixedOffset::east_opt(0).unwrap();
    for e in app.start() {
        let Effect::Fetch(req) = e else { continue };
        if req.what != What::Servers(Scope::All) {
            continue;
        }
        let s = |i: usize, name: &str, status: &str, az: &str| ServerFields {
            id: format!("id-{i}"),
            name: name.into(),
            status: status.into(),
            az: az.into(),
            ..Default::default()
        };
        app.update(Msg::Loaded {
            seq: req.seq,
            result: Ok(Payload::Servers {
                scope: Scope::All,
                total: Some(3),
                rows: vec![
                    s(1, "web-01", "ACTIVE", "region-1a"),
                    s(2, "web-02", "SHUTOFF", "region-1b"),
                    s(3, "db-01", "ACTIVE", "region-1a"),
                ],
            }),
            at: at(),
        });
    }
    app
}

fn draw(app: &AppState) -> String {
    support::screen::drawn(app, (120, 30))
}

fn key(app: &mut AppState, k: Key) {
    app.update(Msg::Key(k));
}

fn tasks() -> Vec<Arc<Task>> {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 25, 13, 0, 0).unwrap();
    let op = |servers: &[(&str, &str)]| Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: servers
            .iter()
            .map(|(i, n)| ServerRef::new(*i, *n))
            .collect(),
    };
    let mut failed = Task::new(
        op(&[("id-1", "web-01"), ("id-3", "db-01")]),
        Priority::Bulk,
        "lab",
        "region-1",
        "ops-admin",
    );
    failed.created_at = t0;
    failed.started_at = Some(t0);
    failed.finished_at = Some(t0 + TimeDelta::seconds(75));
    failed.state = TaskState::Failed;
    failed.set_outcome("id-1", TargetOutcome::Succeeded);
    failed.set_outcome(
        "id-3",
        TargetOutcome::Failed {
            code: Some("Ecs.0204".into()),
            reason: "host not responding".into(),
        },
    );
    failed.steps[0].state = StepState::Failed;
    failed.steps[0].job_id = Some("ff8080817b1a2c3d".into());
    failed.steps[0].request_id = Some("req-5f2e".into());
    failed.steps[0].started_at = failed.started_at;
    failed.steps[0].finished_at = failed.finished_at;
    failed.steps[0].error = Some("Ecs.0204: host not responding".into());
    let mut deleted = Task::new(
        Op::Delete {
            servers: vec![ServerRef::new("id-9", "old-01")],
            delete_volumes: true,
        },
        Priority::Interactive,
        "lab",
        "region-1",
        "ops-admin",
    );
    deleted.created_at = t0 + TimeDelta::minutes(5);
    deleted.started_at = Some(deleted.created_at);
    deleted.finished_at = Some(deleted.created_at + TimeDelta::seconds(9));
    deleted.state = TaskState::Succeeded;
    deleted.progress.steps_done = 1;
    let mut queued = Task::new(
        Op::Rename {
            server: ServerRef::new("id-2", "web-02"),
            name: "web-02b".into(),
        },
        Priority::Interactive,
        "lab",
        "region-1",
        "ops-admin",
    );
    queued.created_at = t0 + TimeDelta::minutes(9);
    queued.note = Some("waits for stop web-02 (same server)".into());
    // ids are random: fixed ones keep the snapshot stable
    failed.id = TaskId::parse("t00000000f1").unwrap();
    deleted.id = TaskId::parse("t00000000d2").unwrap();
    queued.id = TaskId::parse("t00000000e3").unwrap();
    vec![Arc::new(failed), Arc::new(deleted), Arc::new(queued)]
}

fn jobs_app() -> AppState {
    let mut a = app();
    key(&mut a, Key::char('5'));
    a.update(Msg::Tasks {
        result: Ok(tasks()),
        at: at(),
    });
    a
}

#[test]
fn jobs_pane_lists_what_state_progress_on_who_when() {
    let a = jobs_app();
    let s = draw(&a);
    assert!(s.contains("Jobs"), "{s}");
    insta::assert_snapshot!("jobs_120x30", s);
}

#[test]
fn a_task_s_details_show_steps_ids_and_per_server_results() {
    let mut a = jobs_app();
    key(&mut a, Key::char('j'));
    key(&mut a, Key::char('j'));
    key(&mut a, Key::plain(KeyCode::Enter));
    let s = draw(&a);
    assert!(
        s.contains("ff8080817b1a2c3d") && s.contains("req-5f2e"),
        "{s}"
    );
    insta::assert_snapshot!("job_detail_120x30", s);
}

#[test]
fn the_bulk_delete_dialog_names_servers_azs_and_the_data_disks_choice() {
    let mut a = app();
    key(&mut a, Key::char('*'));
    key(&mut a, Key::char('D'));
    key(&mut a, Key::plain(KeyCode::Tab));
    for c in "2".chars() {
        key(&mut a, Key::char(c));
    }
    key(&mut a, Key::plain(KeyCode::Enter));
    let s = draw(&a);
    assert!(
        s.contains("delete 3 servers in 2 AZs (region-1a, region-1b)?"),
        "{s}"
    );
    assert!(s.contains("ALSO DELETE THEIR DATA DISKS"), "{s}");
    assert!(s.contains("\"2\" is not the number of servers (3)"), "{s}");
    insta::assert_snapshot!("delete_dialog_120x30", s);
}

#[test]
fn the_rename_dialog_says_why_a_name_is_refused() {
    let mut a = app();
    key(&mut a, Key::char('e'));
    key(&mut a, Key::char('!'));
    let s = draw(&a);
    assert!(s.contains("only letters, digits"), "{s}");
    insta::assert_snapshot!("rename_dialog_120x30", s);
}
