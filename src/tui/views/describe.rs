//! Describe: every field of one object (the row at once, the rest when it arrives); `J` shows
//! the raw JSON instead.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::block;
use crate::read::source::{DetailLine, request_id_note};
use crate::runner::TaskState;
use crate::terminal_text;
use crate::tui::app::Describe;
use crate::tui::jobs::TaskBook;
use crate::tui::jobs::row::duration;
use crate::tui::theme::Styles;

pub fn render(d: &Describe, jobs: &TaskBook, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let name = d
        .summary
        .iter()
        .find(|(h, _)| *h == "NAME")
        .map(|(_, v)| v.as_str())
        .unwrap_or(d.id.as_str());
    let kind = crate::tui::list::registry::spec_of(d.view)
        .title
        .trim_end_matches('s');
    let what = if d.raw { "raw JSON" } else { "describe" };
    let dot = styles.symbols.dot;
    let title = Line::styled(format!(" {kind} {name} {dot} {what} "), styles.title);
    let b = block(title, true, styles);
    let inner = b.inner(area);
    b.render(area, buf);
    let mut lines = lines(d, styles);
    if !d.raw {
        lines.extend(recent_tasks(&d.id, jobs, styles));
    }
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = d.scroll.min(max) as u16;
    Paragraph::new(lines).scroll((scroll, 0)).render(inner, buf);
    if let Some(f) = &d.find
        && let Some(needle) = f.needle()
    {
        highlight(&needle, f.current, usize::from(scroll), styles, inner, buf);
    }
}

/// Marks where `needle` is on screen (as drawn, case-insensitive): the match scrolled to
/// stands out from the others. `scroll`: the index of the line in the first row.
fn highlight(
    needle: &str,
    current: Option<usize>,
    scroll: usize,
    styles: &Styles,
    area: Rect,
    buf: &mut Buffer,
) {
    let needle: Vec<char> = needle.chars().collect();
    for y in area.top()..area.bottom() {
        let line = scroll + usize::from(y - area.y);
        let style = if current == Some(line) {
            styles
                .selection
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            styles.selection
        };
        // The row's cells of one character each (a wide one's second cell is empty).
        let cells: Vec<(u16, char)> = (area.left()..area.right())
            .filter_map(|x| {
                let mut chars = buf[(x, y)].symbol().chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Some((x, c)),
                    _ => None,
                }
            })
            .collect();
        let mut k = 0;
        while k + needle.len() <= cells.len() && !needle.is_empty() {
            let hit = cells[k..k + needle.len()]
                .iter()
                .zip(&needle)
                .all(|((_, c), n)| c.to_lowercase().eq(n.to_lowercase()));
            if hit {
                for &(x, _) in &cells[k..k + needle.len()] {
                    buf.set_style(Rect::new(x, y, 1, 1), style);
                }
                k += needle.len();
            } else {
                k += 1;
            }
        }
    }
}

fn lines<'a>(d: &'a Describe, styles: &Styles) -> Vec<Line<'a>> {
    let mut out = Vec::new();
    if let Some(e) = &d.error {
        let id = request_id_note(e.request_id.as_deref());
        out.push(Line::styled(
            format!(
                " could not read the details: {}{id}",
                terminal_text::line(&e.message)
            ),
            styles.error,
        ));
    }
    match (&d.detail, d.raw) {
        (Some(detail), true) => {
            out.extend(
                detail
                    .raw_json
                    .lines()
                    .map(|l| Line::styled(terminal_text::json(l).into_owned(), styles.text)),
            );
        }
        (None, true) => out.push(Line::styled(" loading the raw JSON…", styles.dim)),
        (Some(detail), false) => {
            // Keys line up within a section, up to a limit (long API keys push their value on).
            let mut width = 0;
            for (i, l) in detail.lines.iter().enumerate() {
                match l {
                    DetailLine::Section(s) => {
                        out.push(Line::styled(format!(" {s}"), styles.title));
                        width = 0;
                    }
                    DetailLine::Field(k, v) => {
                        if width == 0 {
                            width = section_width(&detail.lines[i..]);
                        }
                        out.push(field(k, v, width, styles));
                    }
                }
            }
        }
        (None, false) => {
            let width = d.summary.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
            for (k, v) in &d.summary {
                out.push(field(&k.to_lowercase(), v, width, styles));
            }
            if d.error.is_none() {
                out.push(Line::styled(" loading every field…", styles.dim));
            }
        }
    }
    out
}

/// The widest key of the fields up to the next section, at most `MAX_KEY`.
fn section_width(lines: &[DetailLine]) -> usize {
    lines
        .iter()
        .map_while(|l| match l {
            DetailLine::Field(k, _) => Some(k.chars().count()),
            DetailLine::Section(_) => None,
        })
        .max()
        .unwrap_or(0)
        .clamp(1, MAX_KEY)
}

const MAX_KEY: usize = 28;

/// One `key  value` line; both may come from the gateway, so both are made safe to show.
fn field<'a>(k: &str, v: &'a str, width: usize, styles: &Styles) -> Line<'a> {
    let v = if v.is_empty() { styles.symbols.none } else { v };
    Line::from(vec![
        Span::styled(
            format!("   {:<width$}  ", terminal_text::line(k)),
            styles.dim,
        ),
        Span::styled(terminal_text::line(v).into_owned(), styles.text),
    ])
}

/// Tasks shown in a describe, newest first.
const RECENT_TASKS: usize = 5;

/// "Recent tasks": what this console's runner did or does to the object, newest first, with
/// state, when and how long, and the note (the error) of those that did not succeed.
fn recent_tasks<'a>(id: &str, jobs: &TaskBook, styles: &Styles) -> Vec<Line<'a>> {
    let mut out = vec![Line::styled(" Recent tasks", styles.title)];
    let tasks = jobs.on_object(id);
    if tasks.is_empty() {
        out.push(Line::styled("   none from this console", styles.dim));
    }
    for t in tasks.into_iter().take(RECENT_TASKS) {
        let when = t
            .started_at
            .unwrap_or(t.created_at)
            .with_timezone(&chrono::Local)
            .format("%H:%M:%S");
        let took = match (t.started_at, t.finished_at) {
            (Some(a), Some(b)) => format!(" ({})", duration(b - a)),
            _ => String::new(),
        };
        let style = match t.state {
            TaskState::Succeeded => styles.ok,
            TaskState::Queued | TaskState::Running => styles.text,
            _ => styles.error,
        };
        let mut spans = vec![
            Span::styled(format!("   {when}  "), styles.dim),
            Span::styled(format!("{:<11}", t.state.name()), style),
            Span::styled(format!("{}{took}  {}", t.op.describe(), t.id), styles.text),
        ];
        if t.state != TaskState::Succeeded
            && let Some(note) = &t.note
        {
            spans.push(Span::styled(
                format!("  {}", terminal_text::line(&note.replace('\n', "; "))),
                styles.dim,
            ));
        }
        out.push(Line::from(spans));
    }
    out
}
