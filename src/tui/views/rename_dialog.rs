//! The rename dialog: the new name, checked as it is typed, with the reason beside it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::block;
use crate::tui::rename::RenameDialog;
use crate::tui::theme::Styles;

pub fn render(d: &RenameDialog, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let mut lines = vec![
        Line::styled(format!(" rename {}", d.server.name), styles.title),
        Line::raw(""),
        input_line(&d.input.text, styles),
        match &d.problem {
            Some(p) => Line::styled(format!(" {p}"), styles.error),
            None => Line::styled(" ok", styles.ok),
        },
        Line::raw(""),
    ];
    lines.push(Line::from(vec![
        Span::styled(" enter", styles.hint_key),
        Span::styled(" rename   ", styles.text),
        Span::styled("esc", styles.hint_key),
        Span::styled(" cancel", styles.text),
    ]));
    popup(lines, " rename ", styles, area, buf);
}

/// The line being typed, with a block cursor after it.
pub(super) fn input_line<'a>(text: &str, styles: &Styles) -> Line<'a> {
    Line::from(vec![
        Span::styled(" > ", styles.hint_key),
        Span::styled(text.to_owned(), styles.text),
        Span::styled(" ", styles.selection),
    ])
}

/// A bordered box in the middle of `area`, as wide as its widest line (at least 50 cells).
pub(super) fn popup(lines: Vec<Line>, title: &str, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let widest = lines.iter().map(Line::width).max().unwrap_or(20) as u16;
    let width = (widest + 4).max(50).min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(block(
            Line::styled(title.to_owned(), styles.title),
            true,
            styles,
        ))
        .render(rect, buf);
}
