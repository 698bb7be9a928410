//! The side panes: regions above, AZs below (each `all` first); `▶` marks the chosen one.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::{block, focused};
use crate::tui::app::region_parts::ALL;
use crate::tui::app::{AppState, Focus, Side};
use crate::tui::theme::Styles;

pub fn render(app: &AppState, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let regions_h = (app.regions.items.len() as u16 + 3)
        .max(3)
        .min(area.height / 2);
    let top = Rect {
        height: regions_h,
        ..area
    };
    let bottom = Rect {
        y: area.y + regions_h,
        height: area.height - regions_h,
        ..area
    };
    pane(
        "Regions",
        &app.regions,
        std::iter::once(ALL).chain(app.regions.items.iter().map(String::as_str)),
        Some(app.region_row()),
        focused(app, Focus::Regions),
        styles,
        top,
        buf,
    );
    let chosen_az = match &app.az {
        None => Some(0),
        Some(a) => app.azs.items.iter().position(|x| x == a).map(|i| i + 1),
    };
    pane(
        "AZs",
        &app.azs,
        std::iter::once("all").chain(app.azs.items.iter().map(String::as_str)),
        chosen_az,
        focused(app, Focus::Azs),
        styles,
        bottom,
        buf,
    );
}

#[allow(clippy::too_many_arguments)]
fn pane<'a>(
    title: &str,
    side: &Side,
    items: impl Iterator<Item = &'a str>,
    chosen: Option<usize>,
    focused: bool,
    styles: &Styles,
    area: Rect,
    buf: &mut Buffer,
) {
    let b = block(
        Line::styled(format!(" {title} "), styles.title),
        focused,
        styles,
    );
    let inner = b.inner(area);
    b.render(area, buf);
    if let Some(e) = &side.error {
        Line::styled(e.as_str(), styles.stale).render(inner, buf);
        return;
    }
    let height = inner.height as usize;
    let skip = side.cursor.saturating_sub(height.saturating_sub(1));
    for (k, (i, name)) in items.enumerate().skip(skip).take(height).enumerate() {
        let y = inner.y + k as u16;
        let mark = if chosen == Some(i) {
            styles.symbols.cursor
        } else {
            " "
        };
        let style = if focused && side.cursor == i {
            styles.selection
        } else if chosen == Some(i) {
            styles.accent
        } else {
            styles.text
        };
        let row = Rect {
            y,
            height: 1,
            ..inner
        };
        if focused && side.cursor == i {
            buf.set_style(row, style);
        }
        Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::styled(name, style),
        ])
        .render(row, buf);
    }
}
