//! Console speed (docs/performance.md, "Console"): drawing the Servers pane at 200x50 with 1k,
//! 10k and 100k servers, and one filter keystroke at 100k (first key, backspace, `~regex`; for a regex also the
//! time to complete its view, which follows between keys).

#[path = "support/inventory.rs"]
mod inventory;

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

criterion_group!(benches, render, filter);
criterion_main!(benches);
