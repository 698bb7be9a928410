//! The frame every dialog draws in: cleared, bordered, titled, its keys on its last line; a popup
//! in the middle of the body sized to its lines, or (a form) the whole body.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use crate::tui::theme::Styles;

/// A dialog's frame: its title and the keys its last line names.
pub struct Frame {
    title: String,
    hints: Vec<(String, &'static str)>,
    min_width: u16,
}

impl Frame {
    pub fn new(title: impl Into<String>) -> Self {
        Frame {
            title: title.into(),
            hints: Vec::new(),
            min_width: 0,
        }
    }

    /// One entry of the last line: `keys` (as typed: `enter`, `j/k`) and what they do.
    pub fn hint(mut self, keys: impl Into<String>, word: &'static str) -> Self {
        self.hints.push((keys.into(), word));
        self
    }

    /// At least this wide (a line to type in needs room).
    pub fn min_width(mut self, width: u16) -> Self {
        self.min_width = width;
        self
    }

    /// A popup in the middle of `area`, as wide as its widest line: `lines`, a blank, the keys.
    pub fn popup(self, mut lines: Vec<Line>, styles: &Styles, area: Rect, buf: &mut Buffer) {
        lines.push(Line::raw(""));
        lines.push(self.hint_line(styles));
        let rect = fitted(&lines, self.min_width, area);
        Clear.render(rect, buf);
        let title = Line::styled(format!(" {} ", self.title), styles.title);
        Paragraph::new(lines)
            .block(styles.block(title, true))
            .render(rect, buf);
    }

    /// The whole of `area` (a form), the keys on its last line; the room inside above them.
    pub fn fill(self, styles: &Styles, area: Rect, buf: &mut Buffer) -> Rect {
        Clear.render(area, buf);
        let title = Line::styled(format!(" {} ", self.title), styles.title);
        let b = styles.block(title, true);
        let inner = b.inner(area);
        b.render(area, buf);
        if inner.height == 0 {
            return inner;
        }
        let keys = Rect {
            y: inner.bottom() - 1,
            height: 1,
            ..inner
        };
        self.hint_line(styles).render(keys, buf);
        Rect {
            height: inner.height - 1,
            ..inner
        }
    }

    /// " enter delete  tab data disks  esc cancel"
    fn hint_line(&self, styles: &Styles) -> Line<'static> {
        let mut spans = Vec::new();
        for (i, (keys, word)) in self.hints.iter().enumerate() {
            let lead = if i == 0 { " " } else { "  " };
            spans.push(Span::styled(format!("{lead}{keys}"), styles.hint_key));
            spans.push(Span::styled(format!(" {word}"), styles.hint_text));
        }
        Line::from(spans)
    }
}

/// A bordered box in the middle of `area` that holds `lines`, at least `min_width` wide.
pub fn fitted(lines: &[Line], min_width: u16, area: Rect) -> Rect {
    let widest = lines.iter().map(Line::width).max().unwrap_or(20) as u16;
    let width = (widest + 4).max(min_width).min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The line being typed, with a block cursor after it.
pub fn input_line(text: &str, styles: &Styles) -> Line<'static> {
    Line::from(vec![
        Span::styled(" > ", styles.hint_key),
        Span::styled(text.to_owned(), styles.text),
        Span::styled(" ", styles.selection),
    ])
}

/// What a dialog is about, one line each, as many as `room` holds; "… and N more" when cut.
pub fn listed(items: &[String], room: usize, styles: &Styles) -> Vec<Line<'static>> {
    let shown = if items.len() > room {
        room.saturating_sub(1)
    } else {
        items.len()
    };
    let mut lines: Vec<Line> = items
        .iter()
        .take(shown)
        .map(|l| Line::styled(format!("   {l}"), styles.text))
        .collect();
    if items.len() > shown {
        lines.push(Line::styled(
            format!("   … and {} more", items.len() - shown),
            styles.dim,
        ));
    }
    lines
}
