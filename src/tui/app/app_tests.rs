//! `AppState::update` as a plain function: keys and answers in, state and effects out.

use std::collections::BTreeMap;

use crossterm::event::KeyCode;

use super::*;
use crate::read::source::{Detail, DetailLine};
use crate::tui::keymap::{Key, Keymap};
use crate::tui::line_input::LineInput;
use crate::tui::list::rows::{DiskFields, ServerFields};
use crate::tui::test_console::{answer, assert_says, fail, fetches, message, shown};

pub(crate) fn server(i: usize, name: &str, status: &str, az: &str) -> ServerFields {
    ServerFields {
        id: format!("00000000-0000-0000-0000-{i:012}"),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        flavor: "s3.large".into(),
        ip: format!("192.168.0.{i}"),
        image: "win2019".into(),
        created: "2026-11-25 14:03".into(),
        ..Default::default()
    }
}

fn session() -> Session {
    Session {
        profile: "lab".into(),
        user: "ops-admin".into(),
        region: "region-1".into(),
        read_only: false,
    }
}

fn keys(app: &mut AppState, text: &str) -> Vec<Effect> {
    let mut out = Vec::new();
    for c in text.chars() {
        out.extend(app.update(Msg::Key(Key::char(c))));
    }
    out
}

fn key(app: &mut AppState, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(Key::plain(code)))
}

/// A started console with regions, AZs and five servers loaded.
fn loaded() -> AppState {
    let mut app = AppState::new(
        session(),
        Keymap::default(),
        vec!["default".into(), "mono".into()],
        (100, 30),
    );
    let start = fetches(&app.start());
    assert_eq!(
        start.iter().map(|f| f.what.clone()).collect::<Vec<_>>(),
        [What::Regions, What::Azs, What::Servers(Scope::All)]
    );
    answer(
        &mut app,
        &start[0],
        Payload::Regions(vec![
            RegionRow {
                id: "region-1".into(),
            },
            RegionRow {
                id: "region-2".into(),
            },
        ]),
    );
    answer(
        &mut app,
        &start[1],
        Payload::Azs(vec![
            AzRow {
                name: "region-1a".into(),
                available: true,
            },
            AzRow {
                name: "region-1b".into(),
                available: true,
            },
        ]),
    );
    answer(
        &mut app,
        &start[2],
        Payload::Servers {
            scope: Scope::All,
            total: Some(5),
            rows: vec![
                server(1, "web-01", "ACTIVE", "region-1a"),
                server(2, "web-02", "SHUTOFF", "region-1b"),
                server(3, "db-01", "ACTIVE", "region-1a"),
                server(4, "web-03", "BUILD", "region-1a"),
                server(5, "cache-01", "ERROR", "region-1b"),
            ],
        },
    );
    app
}

fn selected(app: &AppState) -> String {
    app.servers
        .selected_row()
        .map(|r| r.name().to_owned())
        .unwrap_or_default()
}

#[test]
fn starts_on_servers_first_row() {
    let app = loaded();
    assert_eq!((app.view, app.focus), (View::Servers, Focus::Main));
    assert_eq!(selected(&app), "web-01");
    assert_eq!(app.regions.cursor, 1, "the pane shows all first");
    assert_eq!(app.context(), Context::List(View::Servers));
}

#[test]
fn movement_keys() {
    let mut app = loaded();
    keys(&mut app, "jj");
    assert_eq!(selected(&app), "db-01");
    keys(&mut app, "k");
    assert_eq!(selected(&app), "web-02");
    keys(&mut app, "G");
    assert_eq!(selected(&app), "cache-01");
    keys(&mut app, "j");
    assert_eq!(selected(&app), "cache-01", "stays on the last row");
    keys(&mut app, "g");
    assert_eq!(selected(&app), "web-01");
    key(&mut app, KeyCode::PageDown);
    assert_eq!(selected(&app), "cache-01");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Up);
    assert_eq!(selected(&app), "web-03");
}

#[test]
fn panes_and_number_keys() {
    let mut app = loaded();
    keys(&mut app, "h");
    assert_eq!(app.focus, Focus::Azs);
    assert_eq!(app.context(), Context::Side);
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.focus, Focus::Regions);
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, Focus::Main);
    let e = fetches(&keys(&mut app, "2"));
    assert_eq!(app.view, View::Images);
    assert_eq!(
        e[0].what,
        What::Images,
        "a list is read the first time it is shown"
    );
    assert!(fetches(&keys(&mut app, "2")).is_empty(), "loading already");
    keys(&mut app, "1");
    assert_eq!(app.view, View::Servers);
    assert!(fetches(&keys(&mut app, "1")).is_empty());
}

#[test]
fn filter_typing_narrows_enter_keeps_esc_drops() {
    let mut app = loaded();
    keys(&mut app, "/web");
    assert!(matches!(app.mode, Mode::Filter(_)));
    assert_eq!(shown(&app), ["web-01", "web-02", "web-03"]);
    keys(&mut app, " status:shutoff");
    assert_eq!(shown(&app), ["web-02"]);
    for _ in 0.." status:shutoff".len() {
        key(&mut app, KeyCode::Backspace);
    }
    assert_eq!(shown(&app), ["web-01", "web-02", "web-03"]);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.servers.query(), "web");
    keys(&mut app, "/");
    keys(&mut app, " !-01");
    assert_eq!(shown(&app), ["web-02", "web-03"]);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.servers.query(), "");
    assert_eq!(shown(&app).len(), 5);
    keys(&mut app, "/~^(db|cache)-");
    assert_eq!(shown(&app), ["db-01", "cache-01"]);
}

#[test]
fn a_bad_filter_is_explained_and_leaves_the_rows() {
    let mut app = loaded();
    keys(&mut app, "/web ~(");
    assert_eq!(
        shown(&app),
        ["web-01", "web-02", "web-03"],
        "the last good filter stays"
    );
    let (level, text) = app.message.clone().unwrap();
    assert_eq!(level, Level::Error);
    assert!(text.contains("~( is not a regular expression"), "{text}");
    app.update(Msg::Key(Key::ctrl('u')));
    keys(&mut app, "colour:");
    assert!(message(&app).contains("no field \"colour\""));
}

#[test]
fn esc_clears_the_filter_then_the_marks() {
    let mut app = loaded();
    keys(&mut app, " ");
    assert_eq!(app.servers.marked(), 1);
    assert_eq!(selected(&app), "web-02", "space marks and moves on");
    keys(&mut app, "/web");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    assert_eq!((app.servers.query(), app.servers.marked()), ("", 1));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.servers.marked(), 0);
}

#[test]
fn marks_all_shown_and_ctrl_u() {
    let mut app = loaded();
    keys(&mut app, "/web");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, "*");
    assert_eq!(app.servers.marked(), 3);
    app.update(Msg::Key(Key::ctrl('u')));
    assert_eq!(app.servers.marked(), 0);
}

#[test]
fn sort_cycles_columns_and_reverses() {
    let mut app = loaded();
    keys(&mut app, "o");
    assert_eq!(
        shown(&app),
        ["cache-01", "db-01", "web-01", "web-02", "web-03"]
    );
    keys(&mut app, "O");
    assert_eq!(
        shown(&app),
        ["web-03", "web-02", "web-01", "db-01", "cache-01"]
    );
    keys(&mut app, "o");
    assert_eq!(app.servers.sort().unwrap().column, 1, "by status");
    assert_eq!(shown(&app)[0], "web-01", "ACTIVE first, by id within");
}

#[test]
fn command_line_with_completion() {
    let mut app = loaded();
    keys(&mut app, ":sn");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.mode, Mode::Command(LineInput::new("snapshots")));
    let e = fetches(&key(&mut app, KeyCode::Enter));
    assert_eq!(app.view, View::Snapshots);
    assert_eq!(e[0].what, What::Snapshots);
    keys(&mut app, ":region r");
    key(&mut app, KeyCode::Tab);
    assert_eq!(app.mode, Mode::Command(LineInput::new("region region-")));
    assert_says(&app, "region-1  region-2");
    keys(&mut app, "9");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.session.region, "region-1");
    assert!(message(&app).contains("no region named \"region-9\""));
    keys(&mut app, ":bogus");
    key(&mut app, KeyCode::Enter);
    assert_says(&app, "unknown command");
    keys(&mut app, ":theme mono");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        [Effect::SetTheme("mono".into())]
    );
    keys(&mut app, ":q");
    assert_eq!(key(&mut app, KeyCode::Enter), [Effect::Quit]);
    assert!(app.quit);
}

#[test]
fn region_switch_rescopes_everything() {
    let mut app = loaded();
    keys(&mut app, "/web");
    key(&mut app, KeyCode::Enter);
    keys(&mut app, ":region region-2");
    let e = fetches(&key(&mut app, KeyCode::Enter));
    assert_eq!(app.session.region, "region-2");
    assert_eq!(app.regions.cursor, 2, "the pane shows all first");
    assert_eq!(
        e.iter()
            .map(|f| (f.region.as_str(), f.what.clone()))
            .collect::<Vec<_>>(),
        [
            ("region-2", What::Azs),
            ("region-2", What::Servers(Scope::All))
        ]
    );
    assert_eq!(app.servers.total(), 0, "no row of the old region shows");
    assert_eq!(app.servers.query(), "");
    assert!(app.azs.items.is_empty() && app.az.is_none());
    // from the side pane too
    keys(&mut app, "h");
    key(&mut app, KeyCode::BackTab);
    keys(&mut app, "k");
    let e = fetches(&key(&mut app, KeyCode::Enter));
    assert_eq!(app.session.region, "region-1");
    assert_eq!(e.len(), 2);
}

#[test]
fn an_answer_for_an_older_request_is_dropped() {
    let mut app = loaded();
    let first = fetches(&app.update(Msg::Key(Key::ctrl('r'))));
    let second = fetches(&app.update(Msg::Key(Key::ctrl('r'))));
    answer(
        &mut app,
        &second[0],
        Payload::Servers {
            scope: Scope::All,
            total: Some(1),
            rows: vec![server(9, "new", "ACTIVE", "region-1a")],
        },
    );
    answer(
        &mut app,
        &first[0],
        Payload::Servers {
            scope: Scope::All,
            total: Some(1),
            rows: vec![server(8, "old", "ACTIVE", "region-1a")],
        },
    );
    assert!(!app.dirty, "a dropped answer draws nothing");
    assert_eq!(shown(&app), ["new"]);
    // and an answer from before a region switch never lands in the new region
    let before = fetches(&app.update(Msg::Key(Key::ctrl('r'))));
    app.switch_region("region-2");
    answer(
        &mut app,
        &before[0],
        Payload::Servers {
            scope: Scope::All,
            total: Some(1),
            rows: vec![server(7, "r1", "ACTIVE", "x")],
        },
    );
    assert_eq!(app.servers.total(), 0);
}

#[test]
fn choosing_an_az_filters_servers_and_disks() {
    let mut app = loaded();
    keys(&mut app, ":az region-1b");
    key(&mut app, KeyCode::Enter);
    assert_eq!(shown(&app), ["web-02", "cache-01"]);
    assert_eq!(app.azs.cursor, 2);
    let e = fetches(&keys(&mut app, "4"));
    answer(
        &mut app,
        &e[0],
        Payload::Disks(vec![
            DiskFields {
                id: "d1".into(),
                name: "a".into(),
                az: "region-1a".into(),
                ..Default::default()
            },
            DiskFields {
                id: "d2".into(),
                name: "b".into(),
                az: "region-1b".into(),
                ..Default::default()
            },
        ]),
    );
    assert_eq!(
        app.list(View::Disks).len(),
        1,
        "an answer that lands later is scoped too"
    );
    keys(&mut app, "1h");
    keys(&mut app, "g");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.az, None);
    assert_eq!(shown(&app).len(), 5);
}

#[test]
fn a_failed_refresh_keeps_rows_marks_them_stale_and_retries() {
    let mut app = loaded();
    let e = fetches(&app.update(Msg::Key(Key::ctrl('r'))));
    let effects = fail(&mut app, &e[0], "gateway timeout", "req-42");
    assert_eq!(shown(&app).len(), 5);
    assert_eq!(
        app.servers.stale,
        Some(Stale {
            error: "gateway timeout".into(),
            request_id: Some("req-42".into())
        })
    );
    assert_eq!(
        effects,
        [Effect::Later {
            after: Duration::from_secs(5),
            msg: LaterMsg::Retry(Slot::List(View::Servers))
        }]
    );
    let retry = fetches(&app.update(Msg::Retry(Slot::List(View::Servers))));
    assert_eq!(retry[0].what, What::Servers(Scope::All));
    answer(
        &mut app,
        &retry[0],
        Payload::Servers {
            scope: Scope::All,
            total: Some(1),
            rows: vec![server(1, "web-01", "ACTIVE", "a")],
        },
    );
    assert_eq!(app.servers.stale, None);
    assert!(
        app.update(Msg::Retry(Slot::List(View::Servers))).is_empty(),
        "nothing to retry"
    );
}

#[test]
fn ticks_reread_the_visible_rows_and_the_whole_list_now_and_then() {
    let mut app = loaded();
    let mut whats = Vec::new();
    for _ in 0..FULL_EVERY {
        let e = fetches(&app.update(Msg::Tick));
        let req = e[0].clone();
        whats.push(req.what.clone());
        let payload = match &req.what {
            What::Servers(Scope::Ids(ids)) => {
                assert_eq!(ids.len(), 5);
                Payload::Servers {
                    scope: Scope::Ids(ids.clone()),
                    total: Some(5),
                    rows: vec![server(2, "web-02", "ACTIVE", "region-1b")],
                }
            }
            _ => Payload::Servers {
                scope: Scope::All,
                total: Some(5),
                rows: Vec::new(),
            },
        };
        // the ids refresh answered only web-02: the rest were asked for and are gone
        let more = answer(&mut app, &req, payload);
        if let What::Servers(Scope::Ids(_)) = req.what {
            assert_eq!(
                fetches(&more)[0].what,
                What::Servers(Scope::All),
                "count changed: read it all"
            );
            answer(
                &mut app,
                &fetches(&more)[0],
                Payload::Servers {
                    scope: Scope::All,
                    total: Some(5),
                    rows: (1..=5)
                        .map(|i| server(i, &format!("s{i}"), "ACTIVE", "a"))
                        .collect(),
                },
            );
        }
    }
    assert!(matches!(whats[0], What::Servers(Scope::Ids(_))));
    assert_eq!(whats[(FULL_EVERY - 1) as usize], What::Servers(Scope::All));
    // a tick while a read is running asks for nothing more
    app.update(Msg::Key(Key::ctrl('r')));
    assert!(app.update(Msg::Tick).is_empty());
}

#[test]
fn describe_shows_the_row_then_every_field_and_y_toggles_raw() {
    let mut app = loaded();
    keys(&mut app, "j");
    let e = fetches(&key(&mut app, KeyCode::Enter));
    assert_eq!(
        e[0].what,
        What::Detail(View::Servers, "00000000-0000-0000-0000-000000000002".into())
    );
    let Mode::Describe(d) = &app.mode else {
        panic!("not describing")
    };
    assert!(d.summary.contains(&("NAME", "web-02".to_owned())));
    assert_eq!(app.context(), Context::Describe);
    let detail = Detail {
        lines: vec![
            DetailLine::Section("Disks".into()),
            DetailLine::Field("system".into(), "40 GB".into()),
        ],
        raw_json: "{\"id\":\"2\"}".into(),
    };
    answer(&mut app, &e[0], Payload::Detail(detail.clone()));
    keys(&mut app, "J");
    let Mode::Describe(d) = &app.mode else {
        panic!("not describing")
    };
    assert_eq!((d.detail.as_ref(), d.raw), (Some(&detail), true));
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.mode, Mode::Normal);
    // J from the list opens the raw JSON directly
    let e = fetches(&keys(&mut app, "J"));
    assert!(matches!(&app.mode, Mode::Describe(d) if d.raw));
    assert!(matches!(e[0].what, What::Detail(..)));
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut app = loaded();
    keys(&mut app, "?");
    assert_eq!(app.help, Some(0));
    keys(&mut app, "jj");
    assert_eq!(app.help, Some(2));
    keys(&mut app, "x");
    assert!(!app.dirty);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.help, None);
    assert_eq!(
        selected(&app),
        "web-01",
        "keys in help do not move the list"
    );
}

#[test]
fn rebound_and_unbound_keys_apply() {
    let mut overrides = BTreeMap::new();
    overrides.insert("down".to_owned(), vec!["n".to_owned()]);
    overrides.insert("quit".to_owned(), Vec::new());
    let mut app = loaded();
    app.keymap = Keymap::with_overrides(&overrides, None).unwrap();
    keys(&mut app, "j");
    assert_eq!(selected(&app), "web-01");
    assert!(!app.dirty, "an unbound key changes nothing");
    keys(&mut app, "n");
    assert_eq!(selected(&app), "web-02");
    assert!(keys(&mut app, "q").is_empty());
    assert!(!app.quit);
    assert!(app.update(Msg::Key(Key::ctrl('c'))).is_empty());
}

#[test]
fn quit_and_signals() {
    let mut app = loaded();
    assert_eq!(keys(&mut app, "q"), [Effect::Quit]);
    let mut app = loaded();
    assert_eq!(app.update(Msg::Quit), [Effect::Quit]);
    assert!(app.quit);
}

#[test]
fn ctrl_r_lets_refused_credentials_try_again_and_auto_refresh_does_not() {
    let mut app = loaded();
    let e = app.update(Msg::Key(Key::ctrl('r')));
    assert_eq!(e.first(), Some(&Effect::ResetCredentials), "{e:?}");
    assert_eq!(fetches(&e).len(), 1);
    let tick = app.update(Msg::Tick);
    assert!(!tick.contains(&Effect::ResetCredentials), "{tick:?}");
}
