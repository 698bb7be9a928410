//! The console drawn into ratatui's TestBackend at its edges: text from the gateway shows its
//! control characters as a visible placeholder and never reaches the screen raw; a failed first
//! load says so with its cause; every message is kept whole in `:messages`.

use chrono::{Local, TimeZone};
use hvecs::tui::app::{AppState, Effect, Msg, Session};
use hvecs::tui::keymap::Keymap;
use hvecs::tui::rows::{ServerFields, ServerRow};
use hvecs::tui::source::{LoadError, Payload, Scope, What};
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

fn server(name: &str) -> ServerRow {
    ServerRow::new(&ServerFields {
        id: "6d1e7a3c-0b7e-4c1d-9a55-000000000001".into(),
        name: name.into(),
        status: "ACTIVE".into(),
        task_state: String::new(),
        az: "region-1a".into(),
        flavor: "s3.large".into(),
        ip: "192.168.0.11".into(),
        image: "win2019".into(),
        created: "2026-11-25 09:10".into(),
    })
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
