//! Instruction counts for the console's hot paths, stable on a shared machine:
//! `valgrind --tool=callgrind --toggle-collect='*measured*' target/release/deps/console_ops-* OP N`
//! counts only inside the `measured_*` functions (see docs/performance.md, "Console").
//! OP: `render` (Servers pane, 200x50, 10 frames), `first_key`, `backspace`, `regex`,
//! `regex_no_literal`, `regex_no_match` (10 each; `OP_complete`: with the rest of the view);
//! `sort_name`, `sort_status`, `sort_reverse` (`o` to the name, `o` to the status, `O`; 10 each);
//! `sort_column_FIELD` (Shift and a column's letter on servers as the simulator lists them);
//! `region_answers`: under `:region all`, each of three regions' N servers merged and drawn.
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/inventory.rs"]
mod inventory;

use std::hint::black_box;
use std::time::Instant;

use chrono::{Local, TimeZone};
use hvecs::read::source::{Payload, Scope};
use hvecs::tui::app::{AppState, Effect, Msg, Session};
use hvecs::tui::keymap::Keymap;
use hvecs::tui::list::rows::RegionRow;

use hvecs::tui::list::ListState;
use hvecs::tui::list::rows::{SERVER_COLUMNS, ServerFields, ServerRow};
use hvecs::tui::theme::Styles;
use hvecs::tui::views;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const TIMES: usize = 10;

#[inline(never)]
fn measured_render(app: &hvecs::tui::app::AppState, styles: &Styles, buf: &mut Buffer) {
    buf.reset();
    black_box(views::draw(app, styles, buf.area, buf));
}

/// The filter ops; each also as `OP_complete`, which counts the rest of the view too.
const FILTERS: [&str; 5] = [
    "first_key",
    "backspace",
    "regex",
    "regex_no_literal",
    "regex_no_match",
];

/// One keystroke: the query is parsed and the view's first slice computed.
#[inline(never)]
fn measured_filter(list: &mut ListState<ServerRow>, query: &str) {
    black_box(list.set_query(query).is_ok());
}

/// `o` (`O` when `reverse`): the list sorted by the next column (reversed), its view complete.
#[inline(never)]
fn measured_sort(list: &mut ListState<ServerRow>, reverse: bool) {
    if reverse {
        list.sort_reverse();
    } else {
        list.sort_next();
    }
    list.finish();
    black_box(list.len());
}

/// A sort by `column` (Shift and its letter) from the list in fetch order.
#[inline(never)]
fn measured_sort_by(list: &mut ListState<ServerRow>, column: usize) {
    list.sort_by(column);
    list.finish();
    black_box(list.len());
}

/// The rest of the view, computed between keys.
#[inline(never)]
fn measured_complete(list: &mut ListState<ServerRow>) {
    list.finish();
    black_box(list.len());
}

/// One region's answer under `:region all`: merged into the one list, then the frame drawn.
#[inline(never)]
fn measured_region_answer(app: &mut AppState, msg: Msg, styles: &Styles, buf: &mut Buffer) {
    black_box(app.update(msg));
    buf.reset();
    black_box(views::draw(app, styles, buf.area, buf));
}

/// `:region all` over three regions of `n` servers each: each region's answer, from its arrival
/// to its frame drawn (wall time per region, and instructions under callgrind).
fn region_answers(n: usize) {
    let at = Local.with_ymd_and_hms(2026, 11, 25, 14, 3, 5).unwrap();
    let session = Session {
        profile: "lab".into(),
        user: "ops-admin".into(),
        region: "all".into(),
        read_only: false,
    };
    let mut app = AppState::new(
        session,
        Keymap::default(),
        vec!["default".into()],
        (200, 50),
    );
    let styles = Styles::builtin("default", false);
    let mut buf = Buffer::empty(Rect::new(0, 0, 200, 50));
    let start = app.start();
    let Some(Effect::Fetch(req)) = start.first() else {
        panic!("no read of the regions");
    };
    let regions = ["cn-north-1", "cn-east-2", "cn-south-1"]
        .iter()
        .map(|r| RegionRow { id: (*r).into() })
        .collect();
    let reads = app.update(Msg::Loaded {
        seq: req.seq,
        result: Ok(Payload::Regions(regions)),
        at,
    });
    for (k, e) in reads.into_iter().enumerate() {
        let Effect::Fetch(req) = e else { continue };
        let rows: Vec<ServerFields> = (k * n..(k + 1) * n).map(inventory::fields).collect();
        let msg = Msg::Loaded {
            seq: req.seq,
            result: Ok(Payload::Servers {
                scope: Scope::All,
                rows,
                total: Some(n),
            }),
            at,
        };
        let t = Instant::now();
        measured_region_answer(&mut app, msg, &styles, &mut buf);
        println!(
            "{} answers ({n} servers, {} listed): merged and drawn in {:.1} ms",
            req.region,
            app.servers.total(),
            t.elapsed().as_secs_f64() * 1000.0
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--list" || a == "--bench") && args.len() < 3 {
        return;
    }
    let op = args.get(1).map(String::as_str).unwrap_or("render");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    if op == "region_answers" {
        region_answers(n);
        return;
    }
    let app = inventory::console(n, (200, 50));
    match op {
        "render" => {
            let styles = Styles::builtin("default", false);
            let mut buf = Buffer::empty(Rect::new(0, 0, 200, 50));
            for _ in 0..TIMES {
                measured_render(&app, &styles, &mut buf);
            }
        }
        // `o` to the name, `o` again to the status (many ties), `O` on the name.
        "sort_name" | "sort_status" | "sort_reverse" => {
            let mut by_name = app.servers.clone();
            by_name.sort_next();
            by_name.finish();
            for _ in 0..TIMES {
                let (mut l, reverse) = match op {
                    "sort_name" => (app.servers.clone(), false),
                    "sort_status" => (by_name.clone(), false),
                    _ => (by_name.clone(), true),
                };
                measured_sort(&mut l, reverse);
            }
        }
        // A sort by one column of servers as the simulator lists them (long image names, hosts,
        // tags): `sort_column_image`, `sort_column_tag`…
        op if op.starts_with("sort_column_") => {
            let field = &op["sort_column_".len()..];
            let column = SERVER_COLUMNS
                .iter()
                .position(|c| c.field == field)
                .expect("a server column's field");
            let mut list = ListState::default();
            let rows = (0..n).map(|i| ServerRow::new(inventory::sim_like(i)));
            list.set_rows(rows.collect(), Local::now());
            for _ in 0..TIMES {
                measured_sort_by(&mut list.clone(), column);
            }
        }
        op => {
            let (name, complete) = match op.strip_suffix("_complete") {
                Some(name) => (name, true),
                None => (op, false),
            };
            let (before, query) = match name {
                "first_key" => ("", "w"),
                "backspace" => ("web-001", "web-00"),
                "regex" => ("", "~^web-0+1\\d$"),
                "regex_no_literal" => ("", "~\\d{3}$"),
                "regex_no_match" => ("", "~\\d{20}"),
                other => {
                    eprintln!("unknown op {other}: render, {}", FILTERS.join(", "));
                    return;
                }
            };
            for _ in 0..TIMES {
                let mut l = app.servers.clone();
                l.set_query(before).unwrap();
                l.finish();
                measured_filter(&mut l, query);
                if complete {
                    measured_complete(&mut l);
                }
            }
        }
    }
}
