//! The status line: the filter or command being typed, else a message, else why the rows are stale.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::read::source::request_id_note;
use crate::tui::app::{AppState, Level, Mode};
use crate::tui::theme::Styles;

pub fn render(app: &AppState, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let (prompt, text) = match &app.mode {
        Mode::Filter(i) => ("/", i.text.as_str()),
        Mode::Command(i) => (":", i.text.as_str()),
        Mode::Describe(d) => match &d.find {
            Some(f) if f.typing => ("/", f.input.text.as_str()),
            _ => ("", ""),
        },
        _ => ("", ""),
    };
    let mut cursor = None;
    let mut spans = Vec::new();
    if !prompt.is_empty() {
        spans.push(Span::styled(format!(" {prompt}"), styles.hint_key));
        spans.push(Span::styled(text, styles.text));
        let x = area.x + 2 + Span::raw(text).width() as u16;
        cursor = Some(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
    if let Some((level, msg)) = &app.message {
        let style = match level {
            Level::Error => styles.error,
            Level::Info => styles.dim,
        };
        let used: usize = spans.iter().map(Span::width).sum();
        let room = usize::from(area.width).saturating_sub(used);
        spans.push(Span::styled(fit(&format!("  {msg}"), room), style));
    } else if prompt.is_empty()
        && let Some(stale) = app.list(app.view).state().stale
    {
        let since = app
            .list(app.view)
            .state()
            .fetched_at
            .map(|t| format!(" since {}", t.format("%H:%M:%S")))
            .unwrap_or_default();
        let id = request_id_note(stale.request_id.as_deref());
        spans.push(Span::styled(
            fit(
                &format!(" stale{since}: {}{id}; retrying", stale.error),
                usize::from(area.width),
            ),
            styles.stale,
        ));
    }
    Line::from(spans).render(area, buf);
    cursor
}

/// What says that a message goes on in the log.
const MORE: &str = "... (:messages)";

/// `text` as it fits in `room` columns: cut, with a pointer to the log where it is whole.
fn fit(text: &str, room: usize) -> String {
    let text = crate::terminal_text::line(text);
    if Span::raw(text.as_ref()).width() <= room {
        return text.into_owned();
    }
    let keep = room.saturating_sub(MORE.chars().count());
    let mut out: String = text.chars().take(keep).collect();
    while Span::raw(out.as_str()).width() > keep {
        out.pop();
    }
    out.push_str(MORE);
    out
}
