//! Test fixture: a console with five servers listed in region-1 (web-01 ACTIVE selected), and
//! helpers to press keys and read what it says.

use chrono::{DateTime, Local};
use crossterm::event::KeyCode;

use super::app::{AppState, Effect, Mode, Msg, Session};
use super::dialog::Dialog;
use super::keymap::{Key, Keymap};
use super::list::rows::{ServerFields, ServerRow};
use crate::read::source::{FetchRequest, LoadError, Payload, Scope, What};
use crate::runner::{
    EventKind, Hardness, Known, Op, PowerAction, Priority, ServerRef, Task, TaskEvent,
};

/// The crate's one snapshot folder, where the integration tests keep theirs too.
const SNAPSHOTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots");

/// `insta::assert_snapshot!(name, text)` kept in `tests/snapshots` (a snapshot test in `src` goes
/// through this; `every_snapshot_lives_in_tests_snapshots` fails on one kept anywhere else).
macro_rules! assert_snapshot {
    ($name:expr, $text:expr $(,)?) => {
        $crate::tui::test_console::snapshot_settings()
            .bind(|| insta::assert_snapshot!($name, $text))
    };
}
pub(crate) use assert_snapshot;

/// insta's settings of the test, its snapshots in `tests/snapshots`.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(SNAPSHOTS);
    settings
}

pub fn server(i: usize, name: &str, status: &str, az: &str) -> ServerFields {
    ServerFields {
        id: format!("id-{i}"),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        ..Default::default()
    }
}

/// A server's row, known by its name (its id `id-NAME`).
pub fn server_row(name: &str, status: &str, az: &str) -> ServerRow {
    ServerRow::new(ServerFields {
        id: format!("id-{name}"),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        ..Default::default()
    })
}

/// web-01 ACTIVE 1a, web-02 SHUTOFF 1b, db-01 ACTIVE 1b, web-03 ACTIVE 1a, cache-01 BUILD 1b.
pub fn console(read_only: bool) -> AppState {
    console_with(
        read_only,
        vec![
            server(1, "web-01", "ACTIVE", "region-1a"),
            server(2, "web-02", "SHUTOFF", "region-1b"),
            server(3, "db-01", "ACTIVE", "region-1b"),
            server(4, "web-03", "ACTIVE", "region-1a"),
            server(5, "cache-01", "BUILD", "region-1b"),
        ],
    )
}

/// A console (100x30) in region-1 with `rows` listed, the first selected.
pub fn console_with(read_only: bool, rows: Vec<ServerFields>) -> AppState {
    let total = rows.len();
    console_read(read_only, rows, total, Local::now())
}

/// `console_with`, the read saying the region holds `total` servers, read `at`.
pub fn console_read(
    read_only: bool,
    rows: Vec<ServerFields>,
    total: usize,
    at: DateTime<Local>,
) -> AppState {
    let mut app = AppState::new(
        Session {
            profile: "lab".into(),
            user: "ops-admin".into(),
            region: "region-1".into(),
            read_only,
        },
        Keymap::default(),
        vec!["default".into()],
        (100, 30),
    );
    let start = app.start();
    let Some(Effect::Fetch(req)) = start
        .iter()
        .find(|e| matches!(e, Effect::Fetch(f) if f.what == What::Servers(Scope::All)))
        .cloned()
    else {
        panic!("no servers fetch in {start:?}");
    };
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(Payload::Servers {
            scope: Scope::All,
            total: Some(total),
            rows,
        }),
        at,
    });
    app
}

pub fn press(app: &mut AppState, c: char) -> Vec<Effect> {
    app.update(Msg::Key(Key::char(c)))
}

pub fn press_code(app: &mut AppState, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(Key::plain(code)))
}

pub fn type_text(app: &mut AppState, text: &str) {
    for c in text.chars() {
        let fx = press(app, c);
        assert!(fx.is_empty(), "typing sends nothing: {fx:?}");
    }
}

/// The names of the servers the list shows, in order.
pub fn shown(app: &AppState) -> Vec<String> {
    app.servers
        .page(usize::MAX)
        .map(|(_, r)| r.name().to_owned())
        .collect()
}

/// The first word of each of a dialog's `lines` (the servers' names).
pub fn first_words(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect()
}

pub fn message(app: &AppState) -> String {
    app.message.clone().map(|(_, m)| m).unwrap_or_default()
}

/// The status line says `text` (else the test fails, showing what it says).
#[track_caller]
pub fn assert_says(app: &AppState, text: &str) {
    let said = message(app);
    assert!(said.contains(text), "{said}");
}

/// The open dialog, a `T` (else the test fails, showing what is open and what the status line
/// says).
#[track_caller]
pub fn dialog_open<T: Dialog>(app: &AppState) -> &T {
    match app.dialog::<T>() {
        Some(d) => d,
        None => panic!(
            "no {}: {:?}, {:?}",
            std::any::type_name::<T>(),
            app.mode,
            app.message
        ),
    }
}

/// A dialog's `problem` (why its line cannot be sent) names `text`.
#[track_caller]
pub fn assert_problem(problem: &Option<String>, text: &str) {
    let said = problem.as_deref().unwrap_or_default();
    assert!(said.contains(text), "{problem:?}");
}

/// `Esc` sends nothing and closes the dialog.
#[track_caller]
pub fn assert_esc_closes(app: &mut AppState) {
    let fx = press_code(app, KeyCode::Esc);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(app.mode, Mode::Normal);
}

/// `c` sends nothing and the status line says `text`.
#[track_caller]
pub fn assert_sends_nothing(app: &mut AppState, c: char, text: &str) {
    let fx = press(app, c);
    assert!(fx.is_empty(), "{c}: {fx:?}");
    assert_says(app, text);
}

/// Each of `keys`, pressed in turn, sends nothing, opens no dialog, and the status line starts
/// with `why` (read-only says so).
#[track_caller]
pub fn assert_refused(app: &mut AppState, keys: &[char], why: &str) {
    for &c in keys {
        let fx = press(app, c);
        assert!(fx.is_empty(), "{c}: {fx:?}");
        assert_eq!(app.mode, Mode::Normal, "{c}: no dialog");
        let said = message(app);
        assert!(said.starts_with(why), "{c}: {said}");
    }
}

/// A soft stop of `servers` (id, name).
pub fn stop_op(servers: &[(&str, &str)]) -> Op {
    Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: servers
            .iter()
            .map(|(i, n)| ServerRef::new(*i, *n))
            .collect(),
    }
}

/// A task of `op` as the fixture's console asks it (profile lab, region-1, user ops-admin).
pub fn task_of(op: Op, priority: Priority) -> Task {
    Task::new(op, priority, "lab", "region-1", "ops-admin")
}

/// The runner's news of `task` (`kind`): what the console asks for then.
pub fn task_news(app: &mut AppState, kind: EventKind, task: &Task) -> Vec<Effect> {
    app.update(Msg::Task(TaskEvent::new(kind, task)))
}

/// The reads the effects ask for.
pub fn fetches(effects: &[Effect]) -> Vec<FetchRequest> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Fetch(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

/// Answers the read of `what` among `effects` with `payload`, read now; what the console does next.
pub fn answer_read(
    app: &mut AppState,
    effects: &[Effect],
    what: &What,
    payload: Payload,
) -> Vec<Effect> {
    let Some(req) = fetches(effects).into_iter().find(|f| &f.what == what) else {
        panic!("no read of {what:?} in {effects:?}");
    };
    answer(app, &req, payload)
}

/// Answers `req` with `payload`, read now; what the console does next.
pub fn answer(app: &mut AppState, req: &FetchRequest, payload: Payload) -> Vec<Effect> {
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(payload),
        at: Local::now(),
    })
}

/// Answers `req` with a failure: `message`, request id `id`; what the console does next.
pub fn fail(app: &mut AppState, req: &FetchRequest, message: &str, id: &str) -> Vec<Effect> {
    app.update(Msg::Loaded {
        seq: req.seq,
        result: Err(LoadError {
            message: message.into(),
            request_id: Some(id.into()),
        }),
        at: Local::now(),
    })
}

/// The ops the effects submit to the runner.
pub fn submitted(effects: &[Effect]) -> Vec<(Op, Known)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Submit { op, known, .. } => Some(((**op).clone(), known.clone())),
            _ => None,
        })
        .collect()
}

/// The screen's text as the console draws it, one line per row.
pub fn screen(app: &AppState) -> String {
    let area = ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    let styles = crate::tui::theme::Styles::builtin("default", false);
    crate::tui::views::draw(app, &styles, area, &mut buf);
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buf[(x, y)].symbol().to_owned())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// Snapshots written beside a test in `src` (insta's default) would be a second place: none.
#[test]
fn every_snapshot_lives_in_tests_snapshots() {
    fn stray(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stray(&path, found);
            } else if [".snap", ".snap.new"]
                .iter()
                .any(|end| path.to_string_lossy().ends_with(end))
            {
                found.push(path.display().to_string());
            }
        }
    }
    let mut found = Vec::new();
    stray(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut found,
    );
    assert!(
        found.is_empty(),
        "snapshots outside tests/snapshots (use test_console::assert_snapshot!): {found:?}"
    );
}
