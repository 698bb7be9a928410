//! Console speed (docs/performance.md, "Console"): drawing the Servers pane at 200x50 with 1k,
//! 10k and 100k servers, and one filter keystroke at 100k (first key, backspace, `~regex`; for a regex also the
//! time to complete its view, which follows between keys).
// Test helpers: a failed setup step panics, as a failed assertion does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/inventory.rs"]
mod inventory;

use hvecs::tui::list::rows::{Row, SERVER_COLUMNS, ServerRow};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use hvecs::tui::theme::Styles;
use hvecs::tui::views;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn render(c: &mut Criterion) {
    let styles = Styles::builtin("default", false);
    let area = Rect::new(0, 0, 200, 50);
    let mut g = c.benchmark_group("render_servers_200x50");
    for n in [1_000, 10_000, 100_000] {
        let app = inventory::console(n, (200, 50));
        let mut buf = Buffer::empty(area);
        g.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                buf.reset();
                views::draw(&app, &styles, area, &mut buf)
            })
        });
    }
    g.finish();
}

fn filter(c: &mut Criterion) {
    let app = inventory::console(100_000, (200, 50));
    let list = app.servers.clone();
    let mut g = c.benchmark_group("filter_100k");
    // The first key of a new filter: every row is looked at.
    g.bench_function("first_key", |b| {
        b.iter_batched_ref(
            || list.clone(),
            |l| l.set_query("w").map(|_| l.len()),
            BatchSize::LargeInput,
        )
    });
    // The next key narrows the previous result.
    let mut typed = list.clone();
    typed.set_query("web-0").unwrap();
    g.bench_function("next_key", |b| {
        b.iter_batched_ref(
            || typed.clone(),
            |l| l.set_query("web-00").map(|_| l.len()),
            BatchSize::LargeInput,
        )
    });
    // Backspace to a query never typed in this list (the worst case: no earlier result to reuse).
    let mut reopened = list.clone();
    reopened.set_query("web-001").unwrap();
    g.bench_function("backspace", |b| {
        b.iter_batched_ref(
            || reopened.clone(),
            |l| l.set_query("web-00").map(|_| l.len()),
            BatchSize::LargeInput,
        )
    });
    // A regex: the keystroke computes the view's first slice (the rest follows between keys);
    // `complete` computes all of it.
    for (name, query) in [
        ("regex", "~^web-0+1\\d$"),
        // no literal to prefilter by: every row is checked with the regex
        ("regex_no_literal", "~\\d{3}$"),
        // and no row matches: the regex reads every row to its end
        ("regex_no_match", "~\\d{20}"),
    ] {
        g.bench_function(name, |b| {
            b.iter_batched_ref(
                || list.clone(),
                |l| l.set_query(query).map(|_| l.len()),
                BatchSize::LargeInput,
            )
        });
        g.bench_function(format!("{name}_complete"), |b| {
            b.iter_batched_ref(
                || list.clone(),
                |l| {
                    l.set_query(query).map(|_| {
                        l.finish();
                        l.len()
                    })
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// A page refresh at 100k (every `refresh_seconds`): the rows on screen read again and merged,
/// all unchanged, or five with a new status (under a filter and a sort by status, the costly case).
fn refresh(c: &mut Criterion) {
    let app = inventory::console(100_000, (200, 50));
    let mut list = app.servers.clone();
    list.set_query("!batch").unwrap();
    list.finish();
    list.sort_next();
    list.sort_next(); // by status
    list.finish();
    let height = app.table_height();
    let page: Vec<_> = list.page(height).map(|(_, r)| r.clone()).collect();
    let ids: Vec<String> = page.iter().map(|r| r.id().to_owned()).collect();
    let changed: Vec<_> = page
        .iter()
        .enumerate()
        .map(|(k, r)| {
            if k % 10 != 0 {
                return r.clone();
            }
            let i = r
                .name()
                .rsplit('-')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap();
            let mut f = inventory::fields(i);
            f.status = if f.status == "ACTIVE" {
                "SHUTOFF"
            } else {
                "ACTIVE"
            }
            .into();
            hvecs::tui::list::rows::ServerRow::new(f)
        })
        .collect();
    let at = chrono::Local::now();
    let mut g = c.benchmark_group("refresh_100k");
    for (name, rows) in [("unchanged", &page), ("five_changed", &changed)] {
        g.bench_function(name, |b| {
            b.iter_batched_ref(
                || (list.clone(), rows.clone()),
                |(l, rows)| {
                    l.merge_rows(&ids, std::mem::take(rows), at);
                    l.finish();
                    l.len()
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// `o` at 100k: the list sorted by the next column (name, then status: many ties).
fn sort(c: &mut Criterion) {
    let list = inventory::console(100_000, (200, 50)).servers;
    let mut by_name = list.clone();
    by_name.sort_next();
    by_name.finish();
    let mut g = c.benchmark_group("sort_100k");
    for (name, from) in [("by_name", &list), ("by_status", &by_name)] {
        g.bench_function(name, |b| {
            b.iter_batched_ref(
                || from.clone(),
                |l| {
                    l.sort_next();
                    l.finish();
                    l.len()
                },
                BatchSize::LargeInput,
            )
        });
    }
    // `O` on the list sorted by name: the rows reversed.
    g.bench_function("reverse", |b| {
        b.iter_batched_ref(
            || by_name.clone(),
            |l| {
                l.sort_reverse();
                l.finish();
                l.len()
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// `o` at 100k on each column in turn, on cells as the simulator's (long image names with a
/// shared prefix, hosts, tags): from the list in fetch order to sorted by that column.
fn sort_each_column(c: &mut Criterion) {
    let mut list = hvecs::tui::list::ListState::default();
    let at = chrono::Local::now();
    list.set_rows(
        (0..100_000)
            .map(|i| ServerRow::new(inventory::sim_like(i)))
            .collect(),
        at,
    );
    let mut g = c.benchmark_group("sort_100k_column");
    for (column, col) in SERVER_COLUMNS.iter().enumerate() {
        g.bench_function(col.field, |b| {
            b.iter_batched_ref(
                || list.clone(),
                |l| {
                    l.sort_by(column);
                    l.finish();
                    l.len()
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

/// The last page of a first read at 100k (issue 21): 1000 servers added to the 99 000 listed,
/// in fetch order, or under a filter and a sort by status (each new row put in its place).
fn page_merge(c: &mut Criterion) {
    let app = inventory::console(99_000, (200, 50));
    let height = app.table_height();
    let plain = app.servers;
    let mut sorted = plain.clone();
    sorted.set_query("!batch").unwrap();
    sorted.sort_next();
    sorted.sort_next(); // by status
    sorted.finish();
    let page: Vec<_> = (99_000..100_000)
        .map(|i| hvecs::tui::list::rows::ServerRow::new(inventory::fields(i)))
        .collect();
    let mut g = c.benchmark_group("page_merge_100k");
    for (name, list) in [("fetch_order", &plain), ("filtered_by_status", &sorted)] {
        g.bench_function(name, |b| {
            b.iter_batched_ref(
                || (list.clone(), page.clone()),
                |(l, rows)| {
                    l.append_rows(std::mem::take(rows), height);
                    l.finish();
                    l.len()
                },
                BatchSize::LargeInput,
            )
        });
    }
    g.finish();
}

criterion_group!(
    benches,
    render,
    filter,
    refresh,
    sort,
    sort_each_column,
    page_merge
);
criterion_main!(benches);
