//! The delete dialog: what it deletes (how many servers in which AZs, each by name), the line
//! where the name or the count is typed, the "also delete data disks" toggle; default Cancel.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::rename_dialog::{input_line, popup};
use crate::tui::delete::DeleteDialog;
use crate::tui::theme::Styles;

pub fn render(d: &DeleteDialog, styles: &Styles, area: Rect, buf: &mut Buffer) {
    // Room for the title, the prompt, the input, the toggle, the error, the keys, the borders.
    let room = area.height.saturating_sub(10) as usize;
    let mut lines: Vec<Line> = vec![Line::styled(format!(" {}", d.title), styles.warning)];
    let shown = if d.lines.len() > room {
        room.saturating_sub(1)
    } else {
        d.lines.len()
    };
    for l in d.lines.iter().take(shown) {
        lines.push(Line::styled(format!("   {l}"), styles.text));
    }
    if d.lines.len() > shown {
        lines.push(Line::styled(
            format!("   … and {} more", d.lines.len() - shown),
            styles.dim,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(format!(" {}", d.prompt()), styles.text));
    lines.push(input_line(&d.input.text, styles));
    lines.push(if d.delete_volumes {
        Line::styled(
            " [x] ALSO DELETE THEIR DATA DISKS (their data is lost)",
            styles.error,
        )
    } else {
        Line::styled(
            " [ ] also delete data disks (off: the data disks are kept)",
            styles.text,
        )
    });
    if let Some(e) = &d.error {
        lines.push(Line::styled(format!(" {e}"), styles.error));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(" enter", styles.hint_key),
        Span::styled(" delete   ", styles.text),
        Span::styled("tab", styles.hint_key),
        Span::styled(" data disks   ", styles.text),
        Span::styled("esc", styles.hint_key),
        Span::styled(" cancel (default)", styles.text),
    ]));
    popup(lines, " delete ", styles, area, buf);
}
