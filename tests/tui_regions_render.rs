//! The all-regions view drawn into ratatui's TestBackend: the servers of three regions in one
//! table with a REGION column, and a region whose read failed marked stale on its own.

mod support;

use chrono::{Local, TimeZone};
use hvecs::read::source::{FetchRequest, LoadError, Payload, Scope};
use hvecs::tui::app::{AppState, Effect, Msg, Session};
use hvecs::tui::keymap::{Key, Keymap};
use hvecs::tui::list::rows::{RegionRow, ServerFields};

const SIZE: (u16, u16) = (120, 24);

fn server(i: usize, name: &str, status: &str, az: &str, ip: &str) -> ServerFields {
    ServerFields {
        id: format!("6d1e7a3c-0b7e-4c1d-9a55-{i:012}"),
        name: name.into(),
        status: status.into(),
        az: az.into(),
        flavor: "s3.large".into(),
        ip: ip.into(),
        image: "win2019".into(),
        created: "2026-11-25 09:10".into(),
        ..Default::default()
    }
}

fn answer(app: &mut AppState, req: &FetchRequest, result: Result<Payload, LoadError>) {
    app.update(Msg::Loaded {
        seq: req.seq,
        result,
        at: Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).unwrap(),
    });
}

fn fetches(effects: Vec<Effect>) -> Vec<FetchRequest> {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Fetch(f) => Some(f),
            _ => None,
        })
        .collect()
}

/// A console on `all` over cn-north-1, cn-east-2 and cn-south-1; `fail_east`: cn-east-2's read
/// fails (else it answers).
fn all_regions(fail_east: bool) -> AppState {
    let mut app = AppState::new(
        Session {
            profile: "lab".into(),
            user: "ops-admin".into(),
            region: "cn-north-1".into(),
            read_only: false,
        },
        Keymap::default(),
        vec!["default".into()],
        SIZE,
    );
    let start = fetches(app.start());
    let regions = ["cn-north-1", "cn-east-2", "cn-south-1"]
        .iter()
        .map(|r| RegionRow { id: (*r).into() })
        .collect();
    answer(&mut app, &start[0], Ok(Payload::Regions(regions)));
    let mut effects = Vec::new();
    for c in ":region all".chars() {
        effects.extend(app.update(Msg::Key(Key::char(c))));
    }
    effects.extend(app.update(Msg::Key(Key::plain(crossterm::event::KeyCode::Enter))));
    for req in fetches(effects) {
        let rows = match req.region.as_str() {
            "cn-north-1" => vec![
                server(1, "web-01", "ACTIVE", "cn-north-1a", "192.168.0.11"),
                server(2, "db-01", "SHUTOFF", "cn-north-1b", "192.168.0.12"),
            ],
            "cn-east-2" if fail_east => {
                answer(
                    &mut app,
                    &req,
                    Err(LoadError {
                        message: "HTTP 503: APIGW.0201 service unavailable".into(),
                        request_id: Some("7f3c2a1e9b".into()),
                    }),
                );
                continue;
            }
            "cn-east-2" => vec![server(3, "app-01", "ACTIVE", "cn-east-2a", "10.0.0.5")],
            _ => vec![
                server(4, "lab-01", "ACTIVE", "cn-south-1a", "172.16.0.7"),
                server(5, "lab-02", "BUILD", "cn-south-1b", ""),
            ],
        };
        let total = Some(rows.len());
        answer(
            &mut app,
            &req,
            Ok(Payload::Servers {
                scope: Scope::All,
                rows,
                total,
            }),
        );
    }
    app
}

fn text(app: &AppState) -> String {
    support::screen::drawn(app, SIZE)
}

#[test]
fn all_regions_servers_with_a_region_column() {
    let app = all_regions(false);
    let s = text(&app);
    assert!(s.contains("REGION"), "{s}");
    insta::assert_snapshot!("all_regions_servers_120x24", s);
}

#[test]
fn a_stale_region_says_why_and_the_others_show() {
    let app = all_regions(true);
    let s = text(&app);
    assert!(
        s.contains("web-01") && s.contains("lab-01") && !s.contains("app-01"),
        "{s}"
    );
    insta::assert_snapshot!("all_regions_one_stale_120x24", s);
}
