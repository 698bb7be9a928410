//! The frame every dialog draws in: cleared, bordered, titled, its keys on its last line; a popup
//! in the middle of the body sized to its lines, or (a form) the whole body.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
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
    /// A line wider than `area` wraps at its spaces, so that no word is cut at the border.
    pub fn popup(self, lines: Vec<Line>, styles: &Styles, area: Rect, buf: &mut Buffer) {
        let room = usize::from(area.width.saturating_sub(4));
        let mut lines: Vec<Line> = lines.into_iter().flat_map(|l| wrapped(l, room)).collect();
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

/// `line` in lines of at most `width` cells, broken at a space where there is one (the break's
/// space dropped, the next line indented by one as dialog lines are); the styles kept.
pub fn wrapped(line: Line<'_>, width: usize) -> Vec<Line<'static>> {
    if line.width() <= width || width < 8 {
        return vec![owned(line)];
    }
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| {
            let style = line.style.patch(s.style);
            s.content.chars().map(move |c| (c, style))
        })
        .collect();
    let mut out = Vec::new();
    let mut rest = &cells[..];
    let mut lead = 0;
    while !rest.is_empty() {
        let room = width - lead;
        let (cut, skip) = if rest.len() <= room {
            (rest.len(), 0)
        } else {
            match rest[..=room].iter().rposition(|(c, _)| *c == ' ') {
                Some(at) if at > 0 => (at, 1),
                _ => (room, 0),
            }
        };
        let mut spans: Vec<Span<'static>> = Vec::new();
        if lead > 0 {
            spans.push(Span::raw(" "));
        }
        for &(c, style) in &rest[..cut] {
            match spans.last_mut() {
                Some(last) if last.style == style => last.content.to_mut().push(c),
                _ => spans.push(Span::styled(c.to_string(), style)),
            }
        }
        out.push(Line::from(spans));
        rest = &rest[(cut + skip).min(rest.len())..];
        lead = 1;
    }
    out
}

fn owned(line: Line<'_>) -> Line<'static> {
    Line {
        spans: line
            .spans
            .into_iter()
            .map(|s| Span::styled(s.content.into_owned(), s.style))
            .collect(),
        style: line.style,
        alignment: line.alignment,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_long_line_wraps_at_spaces_and_keeps_its_styles() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let line = Line::from(vec![
            Span::raw(" stop 18 servers in 3 AZs?"),
            Span::styled(" (18 of 20; 2 skipped)", bold),
        ]);
        let w = wrapped(line, 27);
        assert_eq!(
            text(&w),
            [" stop 18 servers in 3 AZs?", " (18 of 20; 2 skipped)"]
        );
        assert!(w.iter().all(|l| l.width() <= 27));
        assert!(
            w[1].spans
                .iter()
                .any(|s| s.style == bold && s.content.contains("skipped"))
        );
        let word = wrapped(Line::raw(" ".to_owned() + &"x".repeat(25)), 10);
        assert!(word.iter().all(|l| l.width() <= 10), "{:?}", text(&word));
        assert_eq!(text(&wrapped(Line::raw("short"), 30)), ["short"]);
    }
}
