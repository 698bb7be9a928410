//! The console drawn into ratatui's TestBackend: text snapshots of each pane at 80x24 and 160x48,
//! ASCII and no-colour variants, and the styles that carry meaning (status colours, marks, accent).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Local, TimeZone};
use crossterm::event::KeyCode;
use hvecs::config::theme::{self, NamedColor, ThemeColor};
use hvecs::gateway::model::Timestamp;
use hvecs::read::snapshot_sets::{Member, SnapshotSet};
use hvecs::read::source::{Detail, DetailLine, LoadError, Payload, Scope, What};
use hvecs::tui::app::{AppState, Msg, Session};
use hvecs::tui::keymap::{Key, Keymap};
use hvecs::tui::list::rows::*;
use hvecs::tui::theme::Styles;
use hvecs::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

fn at() -> chrono::DateTime<Local> {
    Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).unwrap()
}

fn servers() -> Vec<ServerFields> {
    let s = |i: usize,
             name: &str,
             status: &str,
             task: &str,
             az: &str,
             flavor: &str,
             ip: &str,
             image: &str| {
        ServerFields {
            id: format!("6d1e7a3c-0b7e-4c1d-9a55-{i:012}"),
            name: name.into(),
            status: status.into(),
            task_state: task.into(),
            region: String::new(),
            az: az.into(),
            flavor: flavor.into(),
            ip: ip.into(),
            image: image.into(),
            created: format!("2026-11-2{} 09:1{i}", i % 5),
            image_id: String::new(),
            ..ServerFields::default()
        }
    };
    vec![
        s(
            1,
            "web-01",
            "ACTIVE",
            "",
            "region-1a",
            "s3.large",
            "192.168.0.11",
            "win2019",
        ),
        s(
            2,
            "web-02",
            "SHUTOFF",
            "",
            "region-1b",
            "s3.large",
            "192.168.0.12",
            "win2019",
        ),
        s(
            3,
            "web-03",
            "BUILD",
            "spawning",
            "region-1a",
            "s3.xlarge",
            "",
            "win2022",
        ),
        s(
            4,
            "db-01",
            "ACTIVE",
            "powering-off",
            "region-1b",
            "m3.2xlarge",
            "192.168.1.20",
            "win2022-sql",
        ),
        s(
            5,
            "cache-01",
            "ERROR",
            "",
            "region-1a",
            "s3.medium",
            "192.168.1.21",
            "win2019",
        ),
    ]
}

fn member(id: &str, name: &str, disk: &str, device: &str, size_gb: u64) -> Member {
    Member {
        snapshot_id: id.into(),
        name: name.into(),
        volume_id: disk.into(),
        device: Some(device.into()),
        size_gb,
        status: "available".into(),
    }
}

fn session(read_only: bool) -> Session {
    Session {
        profile: "lab".into(),
        user: "ops-admin".into(),
        region: "region-1".into(),
        read_only,
    }
}

/// A console with every list answered, as after start-up and a visit to each pane.
fn app(size: (u16, u16)) -> AppState {
    let mut app = AppState::new(
        session(false),
        Keymap::default(),
        vec!["default".into()],
        size,
    );
    let mut effects = app.start();
    for v in ["2", "3", "4", "1"] {
        effects.extend(app.update(Msg::Key(Key::char(v.chars().next().unwrap()))));
    }
    for e in effects {
        let hvecs::tui::app::Effect::Fetch(req) = e else {
            continue;
        };
        let payload = match req.what {
            What::Regions => Payload::Regions(vec![
                RegionRow {
                    id: "region-1".into(),
                },
                RegionRow {
                    id: "region-2".into(),
                },
            ]),
            What::Azs => Payload::Azs(vec![
                AzRow {
                    name: "region-1a".into(),
                    available: true,
                },
                AzRow {
                    name: "region-1b".into(),
                    available: true,
                },
            ]),
            What::Servers(_) => Payload::Servers {
                scope: Scope::All,
                rows: servers(),
                total: Some(5),
            },
            What::Images => Payload::Images(vec![
                ImageFields {
                    id: "img-1".into(),
                    name: "win2019".into(),
                    status: "active".into(),
                    os: "Windows Server 2019 64bit".into(),
                    image_type: "public".into(),
                    size: "12.5 GB".into(),
                    min_disk: "40 GB".into(),
                    created: "2026-10-01 08:00".into(),
                },
                ImageFields {
                    id: "img-2".into(),
                    name: "db-1-image".into(),
                    status: "saving".into(),
                    os: "Windows Server 2022 64bit".into(),
                    image_type: "private".into(),
                    size: "".into(),
                    min_disk: "60 GB".into(),
                    created: "2026-11-25 13:59".into(),
                },
            ]),
            What::Snapshots => Payload::Snapshots(vec![SnapshotSet {
                set: "set-0a1b2c3d4e5f".into(),
                tagged: true,
                server_id: Some("srv-1".into()),
                server: Some("web-01".into()),
                time: "2026-11-25 12:00:00".into(),
                // No instant: the cell is the text (the same in every time zone).
                taken: Timestamp {
                    text: "2026-11-25 12:00".into(),
                    utc: None,
                },
                size_gb: 140,
                status: "available".into(),
                members: vec![
                    member("snap-1", "web-01-1125-sda", "vol-1", "/dev/sda", 40),
                    member("snap-2", "web-01-1125-sdb", "vol-3", "/dev/sdb", 100),
                ],
            }]),
            What::Disks => Payload::Disks(vec![
                DiskFields {
                    id: "vol-1".into(),
                    name: "web-01-sys".into(),
                    status: "in-use".into(),
                    size: "40".into(),
                    disk_type: "SSD".into(),
                    az: "region-1a".into(),
                    server: "web-01".into(),
                    device: "/dev/sda".into(),
                    bootable: true,
                    server_id: "srv-1".into(),
                },
                DiskFields {
                    id: "vol-2".into(),
                    name: "data-7".into(),
                    status: "available".into(),
                    size: "100".into(),
                    disk_type: "SAS".into(),
                    az: "region-1b".into(),
                    server: "".into(),
                    device: "".into(),
                    bootable: false,
                    server_id: "".into(),
                },
            ]),
            What::Detail(..)
            | What::Flavors(_)
            | What::Networks
            | What::Quotas
            | What::Keypairs
            | What::Catalog
            | What::RemoteConsole(_)
            | What::ServerDisks(_) => {
                continue;
            }
        };
        app.update(Msg::Loaded {
            seq: req.seq,
            result: Ok(payload),
            at: at(),
        });
    }
    app
}

fn draw(app: &AppState, styles: &Styles, (w, h): (u16, u16)) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| {
        let area = f.area();
        views::draw(app, styles, area, f.buffer_mut());
    })
    .unwrap();
    t.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn key(app: &mut AppState, k: Key) {
    app.update(Msg::Key(k));
}

fn typed(app: &mut AppState, s: &str) {
    for c in s.chars() {
        key(app, Key::char(c));
    }
}

const SMALL: (u16, u16) = (80, 24);
const LARGE: (u16, u16) = (160, 48);

fn default() -> Styles {
    Styles::builtin("default", false)
}

#[test]
fn servers_at_both_sizes() {
    for size in [SMALL, LARGE] {
        let a = app(size);
        insta::assert_snapshot!(
            format!("servers_{}x{}", size.0, size.1),
            text(&draw(&a, &default(), size))
        );
    }
}

#[test]
fn servers_ascii_and_no_colour() {
    let mut a = app(SMALL);
    key(&mut a, Key::char(' '));
    let ascii = draw(&a, &Styles::builtin("default", true), SMALL);
    let t = text(&ascii);
    assert!(t.is_ascii(), "--ascii draws ASCII only:\n{t}");
    insta::assert_snapshot!("servers_80x24_ascii", t);
    let mono = Styles::new(
        &theme::load("default", None).unwrap(),
        Some(ThemeColor::Named(NamedColor::Red)),
        true,
        false,
    );
    let buf = draw(&a, &mono, SMALL);
    for cell in buf.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "a coloured cell without colour: {cell:?}"
        );
    }
    insta::assert_snapshot!("servers_80x24_mono", text(&buf));
}

#[test]
fn other_lists() {
    for (k, name) in [('2', "images"), ('3', "snapshots"), ('4', "disks")] {
        for size in [SMALL, LARGE] {
            let mut a = app(size);
            key(&mut a, Key::char(k));
            insta::assert_snapshot!(
                format!("{name}_{}x{}", size.0, size.1),
                text(&draw(&a, &default(), size))
            );
        }
    }
}

#[test]
fn filter_sort_marks_and_az_in_the_title() {
    let mut a = app(SMALL);
    typed(&mut a, "/web");
    key(&mut a, Key::plain(KeyCode::Enter));
    typed(&mut a, "o* ");
    typed(&mut a, ":az region-1a");
    key(&mut a, Key::plain(KeyCode::Enter));
    typed(&mut a, "/");
    let t = text(&draw(&a, &default(), SMALL));
    insta::assert_snapshot!("servers_filtered_80x24", t);
}

#[test]
fn describe_help_and_too_small() {
    let mut a = app(LARGE);
    key(&mut a, Key::char('j'));
    let effects = a.update(Msg::Key(Key::plain(KeyCode::Enter)));
    insta::assert_snapshot!(
        "describe_loading_160x48",
        text(&draw(&a, &default(), LARGE))
    );
    let seq = effects
        .iter()
        .find_map(|e| match e {
            hvecs::tui::app::Effect::Fetch(r) => Some(r.seq),
            _ => None,
        })
        .unwrap();
    let detail = Detail {
        lines: vec![
            DetailLine::Field("id".into(), "6d1e7a3c-0b7e-4c1d-9a55-000000000002".into()),
            DetailLine::Field("name".into(), "web-02".into()),
            DetailLine::Field("host".into(), "hv-host-07".into()),
            DetailLine::Section("Disks".into()),
            DetailLine::Field("/dev/sda".into(), "web-02-sys 40 GB SSD (system)".into()),
            DetailLine::Section("Addresses".into()),
            DetailLine::Field("vpc-1".into(), "192.168.0.12 fixed".into()),
        ],
        raw_json:
            "{\n  \"server\": {\n    \"id\": \"6d1e7a3c-0b7e-4c1d-9a55-000000000002\"\n  }\n}"
                .into(),
    };
    a.update(Msg::Loaded {
        seq,
        result: Ok(Payload::Detail(detail)),
        at: at(),
    });
    insta::assert_snapshot!("describe_160x48", text(&draw(&a, &default(), LARGE)));
    key(&mut a, Key::char('J'));
    insta::assert_snapshot!("describe_raw_80x24", text(&draw(&a, &default(), SMALL)));
    key(&mut a, Key::plain(KeyCode::Esc));
    key(&mut a, Key::char('?'));
    insta::assert_snapshot!("help_80x24", text(&draw(&a, &default(), SMALL)));
    insta::assert_snapshot!("too_small_59x15", text(&draw(&a, &default(), (59, 15))));
}

#[test]
fn stale_rows_show_the_error_and_request_id() {
    let mut a = app(LARGE);
    let effects = a.update(Msg::Key(Key::ctrl('r')));
    let Some(req) = effects.iter().find_map(|e| match e {
        hvecs::tui::app::Effect::Fetch(req) => Some(req),
        _ => None,
    }) else {
        panic!("Ctrl-r reads again: {effects:?}")
    };
    a.update(Msg::Loaded {
        seq: req.seq,
        result: Err(LoadError {
            message: "APIGW.0301 token expired".into(),
            request_id: Some("a1b2c3".into()),
        }),
        at: at(),
    });
    let t = text(&draw(&a, &default(), LARGE));
    assert!(t.contains("web-01"), "the rows stay");
    assert!(
        t.contains("stale since 14:03:05: APIGW.0301 token expired (request id a1b2c3); retrying"),
        "{t}"
    );
    insta::assert_snapshot!("servers_stale_160x48", t);
}

/// The cell at the first place `needle` is written.
fn find(buf: &Buffer, needle: &str) -> (u16, u16) {
    let t = text(buf);
    for (y, line) in t.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            return (line[..byte].chars().count() as u16, y as u16);
        }
    }
    panic!("{needle:?} is not on screen:\n{t}");
}

#[test]
fn styles_that_carry_meaning() {
    let mut a = app(SMALL);
    let t = theme::load("default", None).unwrap();
    let styles = Styles::new(&t, Some(ThemeColor::Named(NamedColor::Red)), false, false);
    key(&mut a, Key::char(' ')); // mark web-01, move to web-02
    let buf = draw(&a, &styles, SMALL);
    let fg = |s: &str| t.style(s).fg.map(|c| format!("{c}"));
    let color = |p: (u16, u16)| buf[p].fg;
    // the profile in its accent
    assert_eq!(color(find(&buf, "lab")), Color::Red);
    // statuses by class (rows not selected)
    assert_eq!(
        Some(format!("{}", idx(color(find(&buf, "ERROR"))))),
        fg("status_error")
    );
    assert_eq!(
        Some(format!("{}", idx(color(find(&buf, "BUILD"))))),
        fg("status_build")
    );
    let active = find(&buf, "ACTIVE");
    assert_eq!(Some(format!("{}", idx(color(active)))), fg("status_active"));
    // the mark on web-01, in the mark style
    let (x, y) = find(&buf, "web-01");
    assert_eq!(buf[(x - 2, y)].symbol(), "●");
    assert_eq!(Some(format!("{}", idx(buf[(x - 2, y)].fg))), fg("mark"));
    // the selected row (web-02) in the selection style, status included
    let (x, y) = find(&buf, "web-02");
    assert_eq!(buf[(x, y)].bg, Color::Indexed(25));
    assert_eq!(buf[(x + 20, y)].bg, Color::Indexed(25));
    // a transition shows its marker
    let (x, y) = find(&buf, "BUILD");
    assert_eq!(buf[(x + 6, y)].symbol(), "▸");
}

fn idx(c: Color) -> u8 {
    match c {
        Color::Indexed(i) => i,
        other => panic!("not an indexed colour: {other:?}"),
    }
}
