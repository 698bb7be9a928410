//! The status line: the filter or command being typed, else a message, else why the rows are stale.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::app::{AppState, Level, Mode};
use crate::tui::theme::Styles;

pub fn render(app: &AppState, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let (prompt, text) = match &app.mode {
        Mode::Filter(i) => ("/", i.text.as_str()),
        Mode::Command(i) => (":", i.text.as_str()),
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
        spans.push(Span::styled(format!("  {msg}"), style));
    } else if prompt.is_empty()
        && let Some(stale) = app.list(app.view).state().stale
    {
        let since = app
            .list(app.view)
            .state()
            .fetched_at
            .map(|t| format!(" since {}", t.format("%H:%M:%S")))
            .unwrap_or_default();
        let id = stale
            .request_id
            .as_deref()
            .map(|r| format!(" (request id {r})"))
            .unwrap_or_default();
        spans.push(Span::styled(
            format!(" stale{since}: {}{id}; retrying", stale.error),
            styles.stale,
        ));
    }
    Line::from(spans).render(area, buf);
    cursor
}
