//! A line typed in a dialog and checked at each key (a new name): the keys every such line
//! shares, and how it shows with its check under it.

use crossterm::event::KeyCode;
use ratatui::text::Line;

use super::Outcome;
use super::frame::{Frame, input_line};
use crate::tui::app::messages::Level;
use crate::tui::keymap::Key;
use crate::tui::line_input::{Edit, LineInput};
use crate::tui::theme::Styles;

/// Typing edits `input` and sets `problem` to `check` of the new text; `Esc` cancels; `Enter` on
/// a line with a problem says it and sends nothing. `None`: `Enter` on a right line, for the
/// dialog to submit.
pub fn key(
    input: &mut LineInput,
    problem: &mut Option<String>,
    key: Key,
    check: impl FnOnce(&str) -> Option<String>,
) -> Option<Outcome> {
    match input.edit(key) {
        Edit::Changed => {
            *problem = check(&input.text);
            return Some(Outcome::Changed);
        }
        Edit::Unchanged => return Some(Outcome::Ignored),
        Edit::Other => {}
    }
    match key.code {
        KeyCode::Esc => Some(Outcome::cancelled()),
        KeyCode::Enter => problem
            .as_ref()
            .map(|p| Outcome::Say(Level::Error, format!("{p}; nothing was sent"))),
        _ => Some(Outcome::Ignored),
    }
}

/// `heading`, then the line being typed and under it why it cannot be sent (or "ok").
pub fn lines(
    heading: String,
    text: &str,
    problem: Option<&str>,
    styles: &Styles,
) -> Vec<Line<'static>> {
    vec![
        Line::styled(heading, styles.title),
        Line::raw(""),
        input_line(text, styles),
        match problem {
            Some(p) => Line::styled(format!(" {p}"), styles.error),
            None => Line::styled(" ok", styles.ok),
        },
    ]
}

/// The frame of such a dialog: `Enter` does `verb`, `Esc` cancels; room to type.
pub fn frame(title: &str, verb: &'static str) -> Frame {
    Frame::new(title)
        .hint("enter", verb)
        .hint("esc", "cancel")
        .min_width(50)
}
