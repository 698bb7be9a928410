//! The console at 80 columns: the columns that stay, a running task's progress in its row, the
//! side panes folded with `Ctrl-b` (issue 19).

use chrono::{Local, TimeZone, Utc};

use crate::runner::{EventKind, Priority, Progress, TaskState};
use crate::tui::app::{AppState, Focus, Msg};
use crate::tui::keymap::Key;
use crate::tui::list::rows::ServerFields;
use crate::tui::mouse::{Mouse, MouseKind};
use crate::tui::test_console::{
    assert_snapshot, console, console_read, press, screen, stop_op, task_news, task_of,
};

/// Five servers with every column filled, as an admin's list has them.
fn rows() -> Vec<ServerFields> {
    let s =
        |i: usize, name: &str, status: &str, az: &str, flavor: &str, image: &str| ServerFields {
            id: format!("6d1e7a3c-0b7e-4c1d-9a55-{i:012}"),
            name: name.into(),
            status: status.into(),
            az: az.into(),
            flavor: flavor.into(),
            ip: format!("192.168.0.{}", 10 + i),
            image: image.into(),
            created: format!("2026-11-2{i} 09:1{i}"),
            ..Default::default()
        };
    vec![
        s(1, "web-01", "ACTIVE", "region-1a", "s3.large", "win2019"),
        s(2, "web-02", "SHUTOFF", "region-1b", "s3.large", "win2019"),
        s(
            3,
            "db-01",
            "ACTIVE",
            "region-1b",
            "m3.2xlarge",
            "win2022-sql",
        ),
        s(4, "web-03", "ACTIVE", "region-1a", "s3.xlarge", "win2022"),
        s(5, "cache-01", "BUILD", "region-1b", "s3.medium", "win2019"),
    ]
}

/// The console resized to `w`x`h`, web-01 and web-02 being stopped by one of its tasks (half
/// done).
fn stopping(w: u16, h: u16) -> AppState {
    let at = Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).single();
    let mut app = console_read(false, rows(), 5, at.unwrap_or_else(Local::now));
    app.update(Msg::Resize(w, h));
    let op = stop_op(&[
        ("6d1e7a3c-0b7e-4c1d-9a55-000000000001", "web-01"),
        ("6d1e7a3c-0b7e-4c1d-9a55-000000000002", "web-02"),
    ]);
    let mut running = task_of(op, Priority::Bulk);
    running.state = TaskState::Running;
    running.started_at = Some(Utc::now());
    running.progress = Progress {
        percent: None,
        sub_done: 1,
        sub_total: 2,
        steps_done: 0,
        steps_total: 1,
    };
    task_news(&mut app, EventKind::Progress, &running);
    app
}

/// The screen without the job strip's line (its elapsed time moves with the clock).
fn steady(app: &AppState) -> String {
    let strip = usize::from(app.size.1).saturating_sub(3);
    screen(app)
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == strip {
                "(job strip)\n".to_owned()
            } else {
                format!("{}\n", l.trim_end())
            }
        })
        .collect()
}

fn row<'a>(s: &'a str, name: &str) -> &'a str {
    s.lines().find(|l| l.contains(name)).unwrap_or_default()
}

#[test]
fn at_80x24_name_status_and_a_running_task_s_progress_stay_in_the_row() {
    let app = stopping(80, 24);
    let s = steady(&app);
    let header = s.lines().nth(2).unwrap_or_default();
    for h in ["NAME", "STATUS", "TASK"] {
        assert!(header.contains(h), "{header}");
    }
    assert!(row(&s, "web-01").contains("50% stop"), "{s}");
    assert!(row(&s, "web-02").contains("50% stop"), "{s}");
    assert_snapshot!("servers_stopping_80x24", s);
    assert_snapshot!("servers_stopping_100x30", steady(&stopping(100, 30)));
}

#[test]
fn ctrl_b_folds_the_side_panes_for_the_session_and_the_main_pane_takes_their_width() {
    let mut app = stopping(80, 24);
    app.focus = Focus::Azs;
    press_ctrl(&mut app, 'b');
    assert!(app.side_folded);
    assert_eq!(app.focus, Focus::Main, "the focus leaves the folded panes");
    assert_eq!(app.layout().side.width, 0);
    let s = steady(&app);
    assert!(!s.contains("Regions"), "{s}");
    assert_snapshot!("servers_folded_80x24", s);
    // Another list, and back: still folded.
    press(&mut app, '2');
    press(&mut app, '1');
    assert!(app.side_folded);
    // A click where the side panes were selects a row: the mouse and the views share the layout.
    let third = app.layout().rows().y + 2;
    app.update(Msg::Mouse(Mouse {
        kind: MouseKind::Click,
        column: 3,
        row: third,
    }));
    assert_eq!(app.servers.selected(), 2);
    press_ctrl(&mut app, 'b');
    assert!(!app.side_folded);
    assert!(steady(&app).contains("Regions"));
    // Moving to a side pane while they are folded unfolds them.
    press_ctrl(&mut app, 'b');
    press(&mut app, 'h');
    assert!(!app.side_folded);
    assert_eq!(app.focus, Focus::Azs);
}

#[test]
fn the_fold_key_is_in_help_and_hinted_where_there_is_room() {
    let app = console(false);
    let help = app.keymap.help(app.context(), false);
    assert!(
        help.iter()
            .any(|(k, i)| k == "ctrl-b" && i.description.contains("side panes"))
    );
    let wide = app.keymap.hints_fitting(app.context(), false, 400);
    assert!(wide.iter().any(|(k, w)| k == "ctrl-b" && *w == "panes"));
}

fn press_ctrl(app: &mut AppState, c: char) {
    app.update(Msg::Key(Key::ctrl(c)));
}
