//! The console drawn into ratatui's TestBackend at its edges: text from the gateway shows its
//! control characters as a visible placeholder and never reaches the screen raw; a failed first
//! load says so with its cause; every message is kept whole in `:messages`.

use chrono::{Local, TimeZone};
use crossterm::event::KeyCode;
use hvecs::read::source::{LoadError, Payload, Scope, What};
use hvecs::tui::app::{AppState, Effect, Msg, Session};
use hvecs::tui::keymap::{Key, Keymap};
use hvecs::tui::list::rows::ServerFields;
use hvecs::tui::theme::Styles;
use hvecs::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

const SIZE: (u16, u16) = (100, 30);

fn at() -> chrono::DateTime<Local> {
    Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).unwrap()
}

fn console() -> (AppState, Vec<Effect>) {
    let session = Session {
        profile: "lab".into(),
        user: "ops-admin".into(),
        region: "region-1".into(),
        read_only: false,
    };
    let mut app = AppState::new(session, Keymap::default(), vec!["default".into()], SIZE);
    let effects = app.start();
    (app, effects)
}

/// Answers every fetch of `effects` with `answer`.
fn answer(
    app: &mut AppState,
    effects: Vec<Effect>,
    answer: impl Fn(&What) -> Option<Result<Payload, LoadError>>,
) {
    for e in effects {
        let Effect::Fetch(req) = e else { continue };
        if let Some(result) = answer(&req.what) {
            app.update(Msg::Loaded {
                seq: req.seq,
                result,
                at: at(),
            });
        }
    }
}

fn server(name: &str) -> ServerFields {
    ServerFields {
        id: "6d1e7a3c-0b7e-4c1d-9a55-000000000001".into(),
        name: name.into(),
        region: String::new(),
        status: "ACTIVE".into(),
        task_state: String::new(),
        az: "region-1a".into(),
        flavor: "s3.large".into(),
        ip: "192.168.0.11".into(),
        image: "win2019".into(),
        created: "2026-11-25 09:10".into(),
        image_id: String::new(),
        ..ServerFields::default()
    }
}

fn draw(app: &AppState) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap();
    let styles = Styles::builtin("default", false);
    t.draw(|f| {
        let area = f.area();
        views::draw(app, &styles, area, f.buffer_mut());
    })
    .unwrap();
    t.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn assert_no_controls(screen: &str) {
    let bad: Vec<char> = screen
        .chars()
        .filter(|c| *c != '\n' && hvecs::terminal_text::is_unsafe(*c))
        .collect();
    assert!(bad.is_empty(), "controls on screen: {bad:?}\n{screen}");
}

#[test]
fn a_name_with_control_characters_shows_them_as_placeholders() {
    let (mut app, effects) = console();
    answer(&mut app, effects, |w| match w {
        What::Servers(_) => Some(Ok(Payload::Servers {
            scope: Scope::All,
            rows: vec![server("\x1b[2J\x07evil\u{202e}exe.txt")],
            total: Some(1),
        })),
        _ => None,
    });
    let screen = text(&draw(&app));
    assert_no_controls(&screen);
    assert!(
        screen.contains("\u{fffd}[2J\u{fffd}evil\u{fffd}exe.txt"),
        "the controls are shown, not hidden:\n{screen}"
    );
}

/// An error as long as a real one, its cause at the very end.
const LONG: &str = "ECS list servers: no answer from the gateway: error sending request for url (http://127.0.0.1:1/v1/0123456789abcdef0123456789abcdef/cloudservers/detail?offset=1&limit=100): client error (Connect): tcp connect error: Connection refused (os error 111) [client request id 5c2b0d7e-9d6a-4a53-8f1c-2f0c7d4c9b11]";

fn failed_start() -> AppState {
    let (mut app, effects) = console();
    answer(&mut app, effects, |_| {
        Some(Err(LoadError {
            message: LONG.to_owned(),
            request_id: None,
        }))
    });
    app
}

fn typed(app: &mut AppState, s: &str) {
    for c in s.chars() {
        app.update(Msg::Key(Key::char(c)));
    }
}

/// The screen's text with its lines joined, so that wrapped text reads as one.
fn joined(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_failed_first_load_says_it_failed_not_loading() {
    let app = failed_start();
    let screen = text(&draw(&app));
    let header = screen.lines().next().unwrap();
    assert!(!header.contains("loading"), "{header}");
    assert!(header.contains("failed"), "{header}");
}

#[test]
fn every_message_is_readable_whole_in_the_message_log() {
    let mut app = failed_start();
    let screen = text(&draw(&app));
    assert!(
        !screen.contains("Connection refused"),
        "the premise: the status line cannot hold it all:\n{screen}"
    );
    assert!(
        screen.contains("... (:messages)"),
        "a cut message says where it is whole:\n{screen}"
    );
    typed(&mut app, ":messages");
    app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    let screen = text(&draw(&app));
    assert!(screen.contains("Messages"), "{screen}");
    let all = joined(&screen);
    assert!(
        all.contains("Connection refused (os error 111)"),
        "{screen}"
    );
    assert!(
        all.contains("5c2b0d7e-9d6a-4a53-8f1c-2f0c7d4c9b11"),
        "{screen}"
    );
    assert_no_controls(&screen);
    // Esc closes it.
    app.update(Msg::Key(Key::plain(KeyCode::Esc)));
    assert!(!text(&draw(&app)).contains("Messages"));
}

#[test]
fn the_message_log_scrolls_and_keeps_messages_whole() {
    let mut app = failed_start();
    // Many messages: the log holds more than the screen.
    for i in 0..40 {
        typed(&mut app, &format!(":nosuchcommand{i}"));
        app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    }
    typed(&mut app, ":messages");
    app.update(Msg::Key(Key::plain(KeyCode::Enter)));
    let screen = text(&draw(&app));
    assert!(
        screen.contains("nosuchcommand39"),
        "newest first in view:\n{screen}"
    );
    assert!(!joined(&screen).contains("Connection refused"), "{screen}");
    app.update(Msg::Key(Key::char('g')));
    let screen = text(&draw(&app));
    assert!(
        joined(&screen).contains("Connection refused (os error 111)"),
        "{screen}"
    );
    app.update(Msg::Key(Key::char('G')));
    assert!(text(&draw(&app)).contains("nosuchcommand39"));
}

#[test]
fn a_failed_job_tells_the_console_what_failed_with_its_ids() {
    use hvecs::runner::{
        EventKind, Hardness, Op, PowerAction, Priority, ServerRef, TargetOutcome, Task, TaskEvent,
        TaskState,
    };
    let (mut app, _) = console();
    let op = Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: vec![ServerRef::new("id-3", "db-01")],
    };
    let mut t = Task::new(op, Priority::Interactive, "lab", "region-1", "ops-admin");
    t.state = TaskState::Failed;
    t.set_outcome(
        "id-3",
        TargetOutcome::Failed {
            code: Some("Ecs.0204".into()),
            reason: "Task-fail: VMM cannot complete the WMI operation".into(),
        },
    );
    t.steps[0].job_id = Some("job-77".into());
    t.steps[0].request_id = Some("req-abc".into());
    app.update(Msg::Task(TaskEvent::new(EventKind::Failed, &t)));
    let logged: Vec<String> = app.messages.entries().map(|e| e.text.clone()).collect();
    let last = logged.last().expect("a message");
    for part in [
        "db-01",
        "Ecs.0204",
        "VMM cannot complete",
        "job-77",
        "req-abc",
    ] {
        assert!(last.contains(part), "{part} missing: {last}");
    }
}
