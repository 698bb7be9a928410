//! The job strip: running tasks with a progress bar, percent, current step and elapsed time, then
//! the last finished ones with their outcome and duration.

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::runner::step::StepState;
use crate::runner::{Task, TaskState};
use crate::tui::jobs::TaskBook;
use crate::tui::jobs::row::duration;
use crate::tui::theme::Styles;

/// Cells of the progress bar.
const BAR: usize = 10;
/// Finished tasks shown after the running ones.
const FINISHED_SHOWN: usize = 3;

pub fn render(jobs: &TaskBook, now: DateTime<Utc>, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let sep = format!(" {} ", styles.symbols.dot);
    let mut spans: Vec<Span> = Vec::new();
    for t in jobs.open() {
        if !spans.is_empty() {
            spans.push(Span::styled(sep.clone(), styles.dim));
        }
        spans.extend(running(t, now, styles));
    }
    for t in jobs.finished().take(FINISHED_SHOWN) {
        if !spans.is_empty() {
            spans.push(Span::styled(sep.clone(), styles.dim));
        }
        spans.extend(finished(t, styles));
    }
    if spans.is_empty() {
        return;
    }
    spans.insert(0, Span::raw(" "));
    Line::from(spans).render(area, buf);
}

/// "▶ stop 3 servers 1/3 ███░░░░░░░ 33% · stop 3 server(s) following · 12s"
fn running<'a>(t: &Task, now: DateTime<Utc>, styles: &Styles) -> Vec<Span<'a>> {
    let sym = &styles.symbols;
    let mut out = vec![Span::styled(
        format!("{} {}", sym.cursor, t.op.describe()),
        styles.text,
    )];
    if t.state == TaskState::Queued {
        let why = t.note.clone().unwrap_or_else(|| "waiting".to_owned());
        out.push(Span::styled(format!(" queued: {why}"), styles.dim));
        return out;
    }
    let p = &t.progress;
    if p.sub_total > 0 {
        out.push(Span::styled(
            format!(" {}/{}", p.sub_done, p.sub_total),
            styles.text,
        ));
    }
    let pct = p.percent_whole();
    let done = (usize::from(pct) * BAR / 100).min(BAR);
    out.push(Span::styled(
        format!(" {}", sym.bar_done.repeat(done)),
        styles.ok,
    ));
    out.push(Span::styled(sym.bar_todo.repeat(BAR - done), styles.dim));
    out.push(Span::styled(format!(" {pct}%"), styles.text));
    if let Some(step) = t.current_step().and_then(|i| t.steps.get(i)) {
        out.push(Span::styled(
            format!(" {} {} {}", sym.dot, step.describe(), step_word(step.state)),
            styles.dim,
        ));
    }
    let since = t.started_at.unwrap_or(t.created_at);
    out.push(Span::styled(
        format!(" {} {}", sym.dot, duration(now - since)),
        styles.text,
    ));
    out
}

/// "✓ stop web-01 4s" or "✗ stop web-01: the note"
fn finished<'a>(t: &Task, styles: &Styles) -> Vec<Span<'a>> {
    let sym = &styles.symbols;
    let took = match (t.started_at, t.finished_at) {
        (Some(a), Some(b)) => format!(" {}", duration(b - a)),
        _ => String::new(),
    };
    match t.state {
        TaskState::Succeeded => vec![
            Span::styled(sym.ok.to_owned(), styles.ok),
            Span::styled(format!(" {}{took}", t.op.describe()), styles.text),
        ],
        state => {
            let why = t.note.clone().unwrap_or_else(|| state.name().to_owned());
            vec![
                Span::styled(sym.failed.to_owned(), styles.error),
                Span::styled(
                    format!(" {}: {}", t.op.describe(), why.replace('\n', "; ")),
                    styles.text,
                ),
            ]
        }
    }
}

fn step_word(s: StepState) -> &'static str {
    match s {
        StepState::Pending => "pending",
        StepState::Sending => "sending",
        StepState::Following => "running",
        StepState::Confirming => "confirming",
        StepState::Done => "done",
        StepState::Failed => "failed",
        StepState::Unknown => "unknown",
    }
}
