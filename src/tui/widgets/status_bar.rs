//! The header line: profile (in its accent), region, user, read-only badge, when the list was
//! fetched (or that its first read failed, and why, cut to fit).

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
    failed: Option<&str>,
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
    match (fetched_at, failed) {
        (Some(t), _) => right.push(Span::styled(
            format!("updated {} ", t.format("%H:%M:%S")),
            styles.header,
        )),
        (None, Some(why)) => {
            let room = usize::from(area.width)
                .saturating_sub(left.width() + right.iter().map(Span::width).sum::<usize>() + 20);
            right.push(Span::styled(
                format!("load failed: {} ", cut(why, room)),
                styles.error.patch(styles.header).patch(styles.error),
            ));
        }
        (None, None) => right.push(Span::styled("loading ", styles.header)),
    }
    let right = Line::from(right);
    // `left` is drawn first; `right` over its end when both do not fit.
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

/// `s` cut to `max` characters with `...` (ASCII: `--ascii` terminals read it too; at least a
/// few characters stay).
fn cut(s: &str, max: usize) -> String {
    let max = max.max(8);
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max - 3).collect();
    t.push_str("...");
    t
}
