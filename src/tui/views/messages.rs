//! The message log (`:messages`): every message of this run, whole, wrapped to the width and
//! scrolled from its end; errors in the error style.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget, Wrap};

use super::block;
use crate::tui::app::messages::{Level, MessageLog};
use crate::tui::theme::Styles;

pub fn render(log: &MessageLog, up: usize, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let dot = styles.symbols.dot;
    let title = Line::styled(
        format!(
            " Messages {dot} {} {dot} j/k g/G scroll {dot} esc closes ",
            log.len()
        ),
        styles.title,
    );
    Clear.render(area, buf);
    let b = block(title, true, styles);
    let inner = b.inner(area);
    b.render(area, buf);
    let mut lines: Vec<Line> = log
        .entries()
        .map(|e| {
            let style = match e.level {
                Level::Error => styles.error,
                Level::Info => styles.text,
            };
            let mut spans = vec![Span::styled(e.text.as_str(), style)];
            if e.repeats > 1 {
                spans.push(Span::styled(format!(" (x{})", e.repeats), styles.dim));
            }
            Line::from(spans)
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled("no messages yet", styles.dim));
    }
    let width = usize::from(inner.width.max(1));
    // Rows each message takes once wrapped (a close count: words that do not fit move whole).
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    let top = rows.saturating_sub(usize::from(inner.height));
    let scroll = top.saturating_sub(up);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .render(inner, buf);
}
