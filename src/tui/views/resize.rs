//! The resize picker: the flavors on sale in the server's AZ, the current one marked and not
//! pickable, and what the platform does to an ACTIVE server.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::block;
use crate::read::catalog::ram_text;
use crate::tui::app::AppState;
use crate::tui::form::ResizePick;
use crate::tui::theme::Styles;

pub fn render(app: &AppState, pick: &ResizePick, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let dot = styles.symbols.dot;
    let mut lines = vec![Line::styled(
        format!(
            " {} {dot} {} {dot} {} {dot} now {}",
            pick.server.name, pick.status, pick.az, pick.current
        ),
        styles.text,
    )];
    lines.push(Line::styled(
        if pick.with_stop() {
            " ACTIVE: the platform stops it, resizes it and starts it again".to_owned()
        } else {
            format!(" {}: it is resized and stays stopped", pick.status)
        },
        styles.warning,
    ));
    lines.push(Line::raw(""));
    let room = area.height.saturating_sub(7) as usize;
    match app.catalog.of(&app.session.region) {
        None => lines.push(Line::styled(
            match &app.catalog.error {
                Some(e) if !app.catalog.loading => format!(" could not read the flavors: {e}"),
                _ => " reading the flavors…".to_owned(),
            },
            styles.dim,
        )),
        Some(cat) => {
            let list = pick.choices(cat);
            if list.is_empty() {
                lines.push(Line::styled(
                    format!(" no flavor is on sale in {}", pick.az),
                    styles.error,
                ));
            }
            let start = pick.cursor.saturating_sub(room.saturating_sub(1));
            for (i, f) in list.iter().enumerate().skip(start).take(room.max(1)) {
                let here = i == pick.cursor;
                let current = pick.is_current(f);
                let marker = if here { styles.symbols.cursor } else { " " };
                let text = format!(
                    "{marker} {:<18} {:>3} vCPU  {:>7} RAM{}",
                    f.name,
                    f.vcpus,
                    ram_text(f.ram_mb),
                    if current { "  (current)" } else { "" }
                );
                let style = match (here, current) {
                    (true, _) => styles.selection,
                    (false, true) => styles.dim,
                    _ => styles.text,
                };
                lines.push(Line::from(Span::styled(text, style)));
            }
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(" j/k", styles.hint_key),
        Span::styled(" choose  ", styles.hint_text),
        Span::styled("enter", styles.hint_key),
        Span::styled(" resize (asks first)  ", styles.hint_text),
        Span::styled("esc", styles.hint_key),
        Span::styled(" cancel", styles.hint_text),
    ]));
    let width = (lines.iter().map(Line::width).max().unwrap_or(30) as u16 + 4).min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    let title = Line::styled(format!(" resize {} ", pick.server.name), styles.title);
    Paragraph::new(lines)
        .block(block(title, true, styles))
        .render(popup, buf);
}
