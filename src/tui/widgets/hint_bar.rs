//! The hint bar: the keys that apply here (and that the chosen rows take), from the keymap
//! registry; those that do not fit whole are dropped, help always stays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::theme::Styles;

/// Draws `hints` (`AppState::hints`: those that fit, as the keys are bound).
pub fn render(hints: Vec<(String, &'static str)>, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::raw(" ")];
    for (key, what) in hints {
        spans.push(Span::styled(format!("<{key}>"), styles.hint_key));
        spans.push(Span::styled(format!(" {what}  "), styles.hint_text));
    }
    Line::from(spans).render(area, buf);
}
