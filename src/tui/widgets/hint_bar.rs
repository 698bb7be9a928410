//! The hint bar: the keys that apply here (and that the chosen rows take), from the keymap
//! registry; those that do not fit whole are dropped, help always stays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::tui::keymap::{Context, Keymap, Offered};
use crate::tui::theme::Styles;

pub fn render(
    keymap: &Keymap,
    context: Context,
    read_only: bool,
    offered: &Offered<'_>,
    styles: &Styles,
    area: Rect,
    buf: &mut Buffer,
) {
    let mut spans = vec![Span::raw(" ")];
    let width = area.width as usize;
    for (key, what) in keymap.hints_fitting_offered(context, read_only, width, offered) {
        spans.push(Span::styled(format!("<{key}>"), styles.hint_key));
        spans.push(Span::styled(format!(" {what}  "), styles.hint_text));
    }
    Line::from(spans).render(area, buf);
}
