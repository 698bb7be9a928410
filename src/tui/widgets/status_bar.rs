//! The header line: profile (in its accent), region, user, read-only badge, when the list was fetched.

use chrono::{DateTime, Local};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::app::Session;
use crate::tui::theme::Styles;

pub fn render(
    session: &Session,
    fetched_at: Option<DateTime<Local>>,
    styles: &Styles,
    area: Rect,
    buf: &mut Buffer,
) {
    buf.set_style(area, styles.header);
    let dot = format!(" {} ", styles.symbols.dot);
    let left = Line::from(vec![
        Span::styled(" hvecs  ", styles.header),
        Span::styled(session.profile.as_str(), styles.accent),
        Span::styled(dot.clone(), styles.header),
        Span::styled(session.region.as_str(), styles.header),
        Span::styled(dot, styles.header),
        Span::styled(session.user.as_str(), styles.header),
    ]);
    let mut right = Vec::new();
    if session.read_only {
        right.push(Span::styled(
            "[READ-ONLY]",
            styles.warning.patch(styles.header).patch(styles.warning),
        ));
        right.push(Span::styled("  ", styles.header));
    }
    let when = match fetched_at {
        Some(t) => format!("updated {} ", t.format("%H:%M:%S")),
        None => "loading ".to_owned(),
    };
    right.push(Span::styled(when, styles.header));
    let right = Line::from(right);
    let rw = right.width() as u16;
    left.render(area, buf);
    if rw < area.width {
        let r = Rect {
            x: area.x + area.width - rw,
            width: rw,
            ..area
        };
        right.render(r, buf);
    }
}
