//! The main pane's lists (servers, images, snapshots, disks): a title with scope, count, filter
//! and sort, then the table.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{block, focused};
use crate::read::source::{View, request_id_note};
use crate::runner::Op;
use crate::tui::app::hosts::NO_HOSTS;
use crate::tui::app::region_parts::RegionLine;
use crate::tui::app::{AppState, Focus};
use crate::tui::layout::Layout;
use crate::tui::list::any::AnyList;
use crate::tui::list::registry::spec_of;
use crate::tui::list::sort_keys::sort_letters;
use crate::tui::theme::Styles;
use crate::tui::widgets::table;

pub fn render(app: &AppState, layout: &Layout, styles: &Styles, buf: &mut Buffer) {
    let list = app.list(app.view);
    let b = block(title(app, list, styles), focused(app, Focus::Main), styles);
    b.render(layout.main, buf);
    let lines = app.region_lines();
    region_lines(&lines, styles, layout.region_lines, buf);
    let inner = layout.table;
    let spec = spec_of(app.view);
    if app.is_all() && !spec.every_region {
        let text = format!(
            "{} are listed one region at a time: choose one (:region NAME, or the Regions pane)",
            spec.name
        );
        let row = Rect {
            x: inner.x + 2,
            width: inner.width.saturating_sub(2),
            height: 1.min(inner.height),
            ..inner
        };
        Line::styled(text, styles.dim).render(row, buf);
        return;
    }
    let letters = sort_letters(list.columns(), &app.keymap);
    match app.view {
        View::Servers => {
            let task_of = |id: &str| {
                app.jobs
                    .on_server(id)
                    .map(|t| format!("{}% {}", t.progress.percent_whole(), verb(&t.op)))
            };
            let hidden = app.hidden_columns();
            let extras = table::Extras {
                task_of: &task_of,
                hidden: &hidden,
                letters: &letters,
            };
            table::render(&app.servers, &extras, styles, inner, buf)
        }
        _ => list.draw(&letters, styles, inner, buf),
    }
    let meta = list.state();
    if app.is_all() && app.view == View::Servers {
        // Each region says for itself whether it is loading or stale (`region_lines`).
        if list.is_empty() && inner.height > 1 && (list.total() > 0 || lines.is_empty()) {
            empty_line(list, app, styles, inner, buf);
        }
        return;
    }
    // A first read shows its rows as its pages come: the line is for a list with none yet.
    if meta.fetched_at.is_none() && list.total() == 0 && inner.height > 1 {
        let text = if meta.loading {
            format!("loading {} in {}…", spec.name, app.session.region)
        } else if let Some(s) = meta.stale {
            format!("could not read {}: {}", spec.name, s.error)
        } else {
            String::new()
        };
        let style = if meta.stale.is_some() {
            styles.error
        } else {
            styles.dim
        };
        let row = Rect {
            x: inner.x + 2,
            y: inner.y + 1,
            width: inner.width.saturating_sub(2),
            height: 1,
        };
        Line::styled(text, style).render(row, buf);
    } else if list.is_empty() && inner.height > 1 {
        empty_line(list, app, styles, inner, buf);
    }
}

/// Why a read list shows no row: none at all, a filter on its way, or none that matches.
fn empty_line(list: &dyn AnyList, app: &AppState, styles: &Styles, inner: Rect, buf: &mut Buffer) {
    let text = if list.total() == 0 && app.view == View::Hosts && app.hosts_without > 0 {
        format!(
            "{NO_HOSTS} (no OS-EXT-SRV-ATTR:host on the {} servers read)",
            app.hosts_without
        )
    } else if list.total() == 0 {
        let scope = if app.is_all() { "any" } else { "this" };
        format!("no {} in {scope} region", spec_of(app.view).name)
    } else if list.filtering().is_some() {
        "filtering".to_owned()
    } else {
        "nothing matches the filter".to_owned()
    };
    let row = Rect {
        x: inner.x + 2,
        y: inner.y + 1,
        width: inner.width.saturating_sub(2),
        height: 1,
    };
    Line::styled(text, styles.dim).render(row, buf);
}

/// Under `:region all`, a line per region not read yet or stale (with its error and request id)
/// at the bottom of the pane, in `area` (as many as the layout gave room for).
fn region_lines(lines: &[RegionLine], styles: &Styles, area: Rect, buf: &mut Buffer) {
    for (k, line) in lines.iter().take(area.height.into()).enumerate() {
        let row = Rect {
            y: area.y + k as u16,
            height: 1,
            ..area
        };
        let (text, style) = match line {
            RegionLine::Loading(r) => (format!(" {r}: loading servers in {r}…"), styles.dim),
            RegionLine::Stale(r, s) => {
                let id = request_id_note(s.request_id.as_deref());
                (
                    format!(" {r}: stale, retrying: {}{id}", s.error),
                    styles.stale,
                )
            }
        };
        Line::styled(text, style).render(row, buf);
    }
}

fn title<'a>(app: &'a AppState, list: &'a dyn AnyList, styles: &Styles) -> Line<'a> {
    let dot = format!(" {} ", styles.symbols.dot);
    let mut parts = vec![Span::styled(
        format!(" {}", spec_of(app.view).title),
        styles.title,
    )];
    let mut add = |s: String, style| {
        parts.push(Span::styled(dot.clone(), styles.title));
        parts.push(Span::styled(s, style));
    };
    if app.is_all() && app.view == View::Servers {
        add("all regions".to_owned(), styles.title);
        let stale = app.stale_regions();
        if !stale.is_empty() {
            add(format!("stale: {}", stale.join(", ")), styles.stale);
        }
    }
    if spec_of(app.view).az_scoped {
        add(
            format!("az: {}", app.az.as_deref().unwrap_or("all")),
            styles.title,
        );
    }
    let count = if list.query().is_empty() {
        list.len().to_string()
    } else {
        format!("{}/{}", list.len(), list.in_scope())
    };
    match app.server_pages().filter(|_| app.view == View::Servers) {
        // A first read on its way: how far it has got.
        Some((got, total)) => {
            let filtered = (!list.query().is_empty()).then(|| list.len());
            add(reading(filtered, got, total), styles.title)
        }
        None => add(count, styles.title),
    }
    if !list.query().is_empty() {
        add(format!("filter {:?}", list.query()), styles.title);
    }
    if let Some(p) = list.filtering() {
        add(format!("filtering {p}%"), styles.dim);
    }
    if let Some((field, desc)) = list.sort_label() {
        let arrow = if desc {
            styles.symbols.down
        } else {
            styles.symbols.up
        };
        add(format!("sort {field} {arrow}"), styles.title);
    }
    if list.marked() > 0 {
        add(format!("{} marked", list.marked()), styles.mark);
    }
    if app.view == View::Hosts && app.hosts_without > 0 && list.total() > 0 {
        add(
            format!("{NO_HOSTS} for {} servers", app.hosts_without),
            styles.dim,
        );
    }
    let meta = list.state();
    if meta.loading && meta.fetched_at.is_some() {
        add("refreshing".to_owned(), styles.dim);
    }
    if meta.stale.is_some() && meta.fetched_at.is_some() {
        add("stale".to_owned(), styles.stale);
    }
    parts.push(Span::styled(" ", styles.title));
    Line::from(parts)
}

/// "3,000 of 100,000…": the rows of a first read so far (after the rows a filter shows of
/// them, "12/3,000 of 100,000…"), of the total the API reports.
fn reading(filtered: Option<usize>, got: usize, total: Option<usize>) -> String {
    let so_far = match filtered {
        Some(n) => format!("{}/{}", grouped(n), grouped(got)),
        None => grouped(got),
    };
    match total {
        Some(t) => format!("{so_far} of {}…", grouped(t)),
        None => format!("{so_far}…"),
    }
}

/// `n` with its thousands apart: 100000 is "100,000".
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The word a row shows for the console's task on it.
fn verb(op: &Op) -> &'static str {
    match op {
        Op::Power { action, .. } => action.verb(),
        Op::CreateServers(_) => "create",
        Op::Resize { .. } => "resize",
        Op::Rename { .. } => "rename",
        Op::Delete { .. } => "delete",
        Op::Image(_) => "image",
        Op::Disk(d) => d.kind(),
        Op::Snapshot(s) => s.kind(),
        Op::Tags { .. } => "tag",
    }
}
