//! Tests of filtering a long list a slice at a time: what shows while the view is on its way,
//! and that whatever acts on the rows sees all of them.

use chrono::Local;
use crossterm::event::KeyCode;

use crate::read::source::{Payload, Scope};
use crate::tui::app::{AppState, Mode, Msg};
use crate::tui::list::filtering::SLICE;
use crate::tui::test_console::{console_with, press, press_code, screen, server, shown, type_text};

/// Enough servers that a regex over them takes several slices; every seventh is a `db`, which the regexes
/// here (no literal to scan for) leave out.
const ROWS: usize = SLICE * 5;

fn long_console() -> AppState {
    let rows = (0..ROWS)
        .map(|i| {
            let name = if i % 7 == 0 { "db" } else { "web" };
            server(i, &format!("{name}-{i:05}"), "ACTIVE", "region-1a")
        })
        .collect();
    console_with(false, rows)
}

/// The names the whole filter would show, computed without slices.
fn expected(app: &AppState, re: &str) -> Vec<String> {
    let re = regex::Regex::new(re).unwrap();
    app.servers
        .all_rows()
        .iter()
        .map(|r| r.name().to_owned())
        .filter(|n| re.is_match(n))
        .collect()
}

/// `/`, the query, `Enter`: the filter is kept and its view goes on.
fn filter(app: &mut AppState, query: &str) {
    press(app, '/');
    type_text(app, query);
    press_code(app, KeyCode::Enter);
}

fn work_to_end(app: &mut AppState) -> usize {
    let mut slices = 0;
    while app.has_work() {
        app.update(Msg::Work);
        slices += 1;
        assert!(slices <= ROWS, "work always moves on");
    }
    slices
}

#[test]
fn a_long_filter_shows_its_first_rows_at_once_and_the_rest_slice_by_slice() {
    let mut app = long_console();
    press(&mut app, '/');
    type_text(&mut app, "~^\\w\\wb-\\d+$");
    let want = expected(&app, "^\\w\\wb-\\d+$");
    assert!(
        app.has_work(),
        "a regex over {ROWS} rows is not done in one slice"
    );
    let first = shown(&app);
    assert!(!first.is_empty() && first.len() < want.len());
    assert_eq!(
        first[..],
        want[..first.len()],
        "the rows found first are the view's first rows"
    );
    let text = screen(&app);
    assert!(
        text.contains("filtering "),
        "the title says the view is on its way:\n{text}"
    );
    assert!(work_to_end(&mut app) >= 2);
    assert_eq!(shown(&app), want);
    assert!(!screen(&app).contains("filtering"));
    assert!(
        matches!(app.mode, Mode::Filter(_)),
        "the filter line stays open"
    );
}

#[test]
fn the_next_keystroke_drops_the_view_on_its_way() {
    let mut app = long_console();
    press(&mut app, '/');
    type_text(&mut app, "~^\\w\\wb-\\d+");
    assert!(app.has_work());
    // `0$`: a growing regex is checked over every row again, whatever was found so far
    type_text(&mut app, "0$");
    work_to_end(&mut app);
    assert_eq!(shown(&app), expected(&app, "^\\w\\wb-\\d+0$"));
    // a backspace to a query whose view was never complete computes it again
    press_code(&mut app, KeyCode::Backspace);
    press_code(&mut app, KeyCode::Backspace);
    work_to_end(&mut app);
    assert_eq!(shown(&app), expected(&app, "^\\w\\wb-\\d+"));
}

#[test]
fn keys_that_act_on_the_rows_finish_the_view_first() {
    let mut app = long_console();
    filter(&mut app, "~^\\w\\wb-\\d+$");
    assert!(app.has_work(), "Enter keeps the filter; the view goes on");
    let want = expected(&app, "^\\w\\wb-\\d+$");
    // `*` marks every row the filter shows, not the rows found so far
    press(&mut app, '*');
    assert!(!app.has_work());
    assert_eq!(app.servers.marked(), want.len());
    // `G` goes to the last row of the whole view
    press_code(&mut app, KeyCode::Esc);
    // a trailing space: a query not in the history, so its view is computed again
    filter(&mut app, "~^\\w\\wb-\\d+$ ");
    press(&mut app, 'G');
    assert_eq!(app.servers.selected(), want.len() - 1);
}

#[test]
fn a_refresh_during_a_long_filter_keeps_the_selected_row() {
    let mut app = long_console();
    filter(&mut app, "~^\\w\\wb-\\d+$");
    press(&mut app, 'G');
    let last = app.servers.selected_id().unwrap();
    // the whole list again: the view is computed again, from the first slice
    let effects = app.update(Msg::Key(crate::tui::keymap::Key::ctrl('r')));
    let seq = effects
        .iter()
        .find_map(|e| match e {
            crate::tui::app::Effect::Fetch(f)
                if f.what == crate::read::source::What::Servers(Scope::All) =>
            {
                Some(f.seq)
            }
            _ => None,
        })
        .expect("Ctrl-r reads the servers again");
    // the same servers in the reverse order: the selected one is now the first that matches
    let mut rows: Vec<_> = app
        .servers
        .all_rows()
        .iter()
        .map(|r| r.record().clone())
        .collect();
    rows.reverse();
    app.update(Msg::Loaded {
        seq,
        result: Ok(Payload::Servers {
            scope: Scope::All,
            total: Some(rows.len()),
            rows,
        }),
        at: Local::now(),
    });
    assert!(app.has_work());
    assert_eq!(app.servers.selected_id(), Some(last.clone()));
    work_to_end(&mut app);
    assert_eq!(app.servers.selected_id(), Some(last));
    assert_eq!(app.servers.selected(), 0, "the selection followed its row");
}
