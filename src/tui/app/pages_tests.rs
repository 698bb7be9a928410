//! A full servers read that arrives page by page: a first read shows each page at once with the
//! filter, the sort and the selection kept; a read of rows already shown replaces them whole.

use chrono::Local;
use crossterm::event::KeyCode;

use crate::read::source::{LoadError, Payload, Scope, What};
use crate::tui::app::{AppState, Effect, Msg, Session};
use crate::tui::keymap::{Key, Keymap};
use crate::tui::list::rows::ServerFields;
use crate::tui::test_console::{fetches, press, press_code, screen, server, type_text};

/// A console (100x30) in region-1 that asked for its servers: the read's number.
fn opened() -> (AppState, u64) {
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
    let start = app.start();
    let seq = servers_read(&start);
    (app, seq)
}

/// The number of the full servers read among `effects`.
fn servers_read(effects: &[Effect]) -> u64 {
    fetches(effects)
        .into_iter()
        .find(|f| f.what == What::Servers(Scope::All))
        .map(|f| f.seq)
        .expect("a full servers read")
}

fn page(app: &mut AppState, seq: u64, rows: Vec<ServerFields>, total: usize) {
    app.update(Msg::Loaded {
        seq,
        result: Ok(Payload::ServerPage {
            rows,
            total: Some(total),
        }),
        at: Local::now(),
    });
}

fn end(app: &mut AppState, seq: u64, total: usize) {
    app.update(Msg::Loaded {
        seq,
        result: Ok(Payload::ServerPagesEnd { total: Some(total) }),
        at: Local::now(),
    });
}

/// Servers `from..to`, named so that later pages sort between the earlier ones: `web-…` and
/// `db-…` in turn, each with its number spelled backwards.
fn servers(from: usize, to: usize) -> Vec<ServerFields> {
    (from..to)
        .map(|i| {
            let kind = if i % 2 == 0 { "web" } else { "db" };
            let n: String = format!("{i:04}").chars().rev().collect();
            server(i, &format!("{kind}-{n}"), "ACTIVE", "region-1a")
        })
        .collect()
}

/// The names of every row shown, in order.
fn names(app: &AppState) -> Vec<String> {
    let mut list = app.servers.clone();
    list.select(0, 1);
    list.page(list.len())
        .map(|(_, r)| r.name().to_owned())
        .collect()
}

fn selected(app: &AppState) -> Option<String> {
    app.servers.selected_row().map(|r| r.name().to_owned())
}

/// The screen line that shows `text`.
fn line_of(app: &AppState, text: &str) -> Option<usize> {
    screen(app).lines().position(|l| l.contains(text))
}

#[test]
fn a_first_read_shows_each_page_at_once_and_says_how_far_it_has_got() {
    let (mut app, seq) = opened();
    page(&mut app, seq, servers(0, 20), 60);
    assert_eq!(app.servers.total(), 20, "the first page is listed at once");
    let text = screen(&app);
    assert!(text.contains("20 of 60…"), "{text}");
    assert!(!text.contains("loading servers"), "{text}");
    assert!(!app.servers.is_loaded(), "the read is not whole yet");

    page(&mut app, seq, servers(20, 40), 60);
    page(&mut app, seq, servers(40, 60), 60);
    assert!(screen(&app).contains("60 of 60…"));
    end(&mut app, seq, 60);
    assert!(app.servers.is_loaded() && !app.servers.loading);
    let text = screen(&app);
    assert!(!text.contains(" of 60"), "{text}");
    // The same list as one answer of every row gives.
    let whole = crate::tui::test_console::console_with(false, servers(0, 60));
    assert_eq!(names(&app), names(&whole));
}

#[test]
fn pages_keep_the_sort_the_filter_and_the_selection() {
    let (mut app, seq) = opened();
    page(&mut app, seq, servers(0, 40), 120);
    press(&mut app, 'o'); // sort by name
    press(&mut app, '/');
    type_text(&mut app, "web");
    press_code(&mut app, KeyCode::Enter);
    for _ in 0..5 {
        app.update(Msg::Key(Key::char('j')));
    }
    let chosen = selected(&app).unwrap();
    let line = line_of(&app, &chosen).unwrap();
    for k in 1..3 {
        page(&mut app, seq, servers(40 * k, 40 * (k + 1)), 120);
        assert_eq!(selected(&app).as_deref(), Some(chosen.as_str()));
        assert_eq!(
            line_of(&app, &chosen),
            Some(line),
            "the selected row stays put"
        );
        let shown = names(&app);
        assert!(shown.iter().all(|n| n.starts_with("web-")), "{shown:?}");
        assert!(shown.is_sorted(), "{shown:?}");
        assert_eq!(shown.len(), 20 * (k + 1));
    }
    assert!(screen(&app).contains("60/120 of 120…"), "{}", screen(&app));
    end(&mut app, seq, 120);
    let mut want: Vec<String> = servers(0, 120)
        .into_iter()
        .map(|s| s.name)
        .filter(|n| n.starts_with("web-"))
        .collect();
    want.sort();
    assert_eq!(names(&app), want);
    assert_eq!(selected(&app), Some(chosen));
}

#[test]
fn a_read_of_rows_already_shown_replaces_them_when_it_is_whole() {
    let (mut app, seq) = opened();
    page(&mut app, seq, servers(0, 30), 30);
    end(&mut app, seq, 30);
    let before = names(&app);
    let effects = app.update(Msg::Key(Key::ctrl('r')));
    let again = servers_read(&effects);
    let mut renamed = servers(0, 10);
    renamed[0].name = "zz-renamed".into();
    page(&mut app, again, renamed, 20);
    assert_eq!(
        names(&app),
        before,
        "nothing changes while the read goes on"
    );
    page(&mut app, again, servers(10, 20), 20);
    end(&mut app, again, 20);
    assert_eq!(app.servers.total(), 20, "the servers gone are gone");
    assert!(names(&app).contains(&"zz-renamed".to_owned()));
}

#[test]
fn a_first_read_cut_short_keeps_its_pages_marked_stale() {
    let (mut app, seq) = opened();
    page(&mut app, seq, servers(0, 30), 90);
    let effects = app.update(Msg::Loaded {
        seq,
        result: Err(LoadError {
            message: "page 2 is refused".into(),
            request_id: Some("req-page-2".into()),
        }),
        at: Local::now(),
    });
    assert!(!effects.is_empty(), "a retry is due");
    assert_eq!(app.servers.total(), 30);
    let text = screen(&app);
    assert!(!text.contains("30 of 90"), "{text}");
    assert!(
        app.servers.stale.is_some() && !app.servers.loading,
        "{text}"
    );
}

#[test]
fn pages_of_a_read_no_longer_the_newest_are_dropped() {
    let (mut app, seq) = opened();
    page(&mut app, seq, servers(0, 10), 30);
    let effects = app.update(Msg::Key(Key::ctrl('r')));
    let again = servers_read(&effects);
    page(&mut app, seq, servers(10, 20), 30);
    assert_eq!(app.servers.total(), 10, "the older read's page is dropped");
    // The newer read finds rows listed: it replaces them when it is whole.
    page(&mut app, again, servers(0, 30), 30);
    end(&mut app, again, 30);
    assert_eq!(app.servers.total(), 30);
    assert!(app.server_pages().is_none());
}
