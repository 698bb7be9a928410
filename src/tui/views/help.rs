//! Help: every key that applies where the focus is, generated from the keymap.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::block;
use crate::tui::app::AppState;
use crate::tui::keymap::Context;
use crate::tui::theme::Styles;

pub fn render(app: &AppState, scroll: usize, styles: &Styles, area: Rect, buf: &mut Buffer) {
    let context = app.context();
    let entries = app.keymap.help(context, app.session.read_only);
    let key_w = entries
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let desc_w = entries
        .iter()
        .map(|(_, i)| i.description.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line> = entries
        .iter()
        .map(|(k, i)| {
            Line::from(vec![
                Span::styled(format!(" {k:>key_w$}  "), styles.hint_key),
                Span::styled(format!("{:<desc_w$}  ", i.description), styles.text),
                // The action's name, as `[keys]` in the config rebinds it.
                Span::styled(i.name, styles.dim),
            ])
        })
        .collect();
    if matches!(context, Context::List(_)) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            " filter: words (substrings), field:value, !word, ~regex; up/down: earlier ones",
            styles.dim,
        ));
        lines.push(Line::styled(
            " sort: shift+the underlined letter of a column (again: reversed), or o/O",
            styles.dim,
        ));
        lines.push(Line::styled(
            " commands: servers images snapshots disks region NAME|all az theme refresh messages help q",
            styles.dim,
        ));
    }
    let popup = crate::tui::dialog::frame::fitted(&lines, 0, area);
    let where_ = match context {
        Context::List(view) => crate::tui::list::registry::spec_of(view).name,
        Context::Side => "side panes",
        Context::Describe => "describe",
        Context::Form => "form",
    };
    let dot = styles.symbols.dot;
    let title = Line::styled(
        format!(" Help {dot} {where_} {dot} esc closes "),
        styles.title,
    );
    Clear.render(popup, buf);
    let b = block(title, true, styles);
    let inner = b.inner(popup);
    b.render(popup, buf);
    let max = lines.len().saturating_sub(inner.height as usize);
    Paragraph::new(lines)
        .scroll((scroll.min(max) as u16, 0))
        .render(inner, buf);
}
