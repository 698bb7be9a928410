//! The confirmation dialog: what the operation does, to how many servers in which AZs, each by
//! name; its default is Cancel.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::block;
use crate::tui::app::Confirm;
use crate::tui::theme::Styles;

pub fn render(c: &Confirm, styles: &Styles, area: Rect, buf: &mut Buffer) {
    // Room for the title, a blank, the keys, and the borders.
    let room = area.height.saturating_sub(5) as usize;
    let mut lines: Vec<Line> = vec![Line::styled(format!(" {}", c.title), styles.warning)];
    let shown = if c.lines.len() > room {
        room.saturating_sub(1)
    } else {
        c.lines.len()
    };
    for l in c.lines.iter().take(shown) {
        lines.push(Line::styled(format!("   {l}"), styles.text));
    }
    if c.lines.len() > shown {
        lines.push(Line::styled(
            format!("   … and {} more", c.lines.len() - shown),
            styles.dim,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(" y", styles.hint_key),
        Span::styled(" confirm   ", styles.text),
        Span::styled("n/esc/enter", styles.hint_key),
        Span::styled(" cancel (default)", styles.text),
    ]));
    let width = (lines.iter().map(Line::width).max().unwrap_or(20) as u16 + 4).min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .block(block(Line::styled(" confirm ", styles.title), true, styles))
        .render(popup, buf);
}
