//! A line that must match what is expected before `Enter` acts (a name or a count to delete):
//! the keys and the prompt every such dialog shares. An empty line, or `Esc`, cancels.

use crossterm::event::KeyCode;
use ratatui::text::Line;

use super::Outcome;
use super::frame::{Frame, input_line};
use crate::tui::app::messages::Level;
use crate::tui::keymap::Key;
use crate::tui::line_input::{Edit, LineInput};
use crate::tui::theme::Styles;

/// What a key did to the line.
pub enum Typed {
    /// Answered here (typing, a cancel, a wrong line said).
    Done(Outcome),
    /// `Enter` on the line expected: the dialog acts.
    Matched,
    /// Not a key of the line: the dialog's own (`Tab`…).
    Other,
}

/// Typing clears `error`; `Enter` on a line other than `expected` (`what` names it: "the disk's
/// name") sets `error` and says it.
pub fn key(
    input: &mut LineInput,
    error: &mut Option<String>,
    expected: &str,
    what: &str,
    key: Key,
) -> Typed {
    match input.edit(key) {
        Edit::Changed => {
            *error = None;
            return Typed::Done(Outcome::Changed);
        }
        Edit::Unchanged => return Typed::Done(Outcome::Ignored),
        Edit::Other => {}
    }
    match key.code {
        KeyCode::Esc => Typed::Done(Outcome::cancelled()),
        KeyCode::Enter if input.text.is_empty() => Typed::Done(Outcome::cancelled()),
        KeyCode::Enter if input.text.trim() != expected => {
            let why = format!(
                "{:?} is not {what} ({expected}): nothing was sent",
                input.text
            );
            *error = Some(why.clone());
            Typed::Done(Outcome::Say(Level::Error, why))
        }
        KeyCode::Enter => Typed::Matched,
        _ => Typed::Other,
    }
}

/// The prompt under such a dialog's body: a blank, "type WHAT (EXPECTED) and Enter", the line
/// typed, and why the last `Enter` sent nothing.
pub fn prompt(
    what: &str,
    expected: &str,
    input: &LineInput,
    error: Option<&str>,
    styles: &Styles,
) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::raw(""),
        Line::styled(format!(" type {what} ({expected}) and Enter"), styles.text),
        input_line(&input.text, styles),
    ];
    if let Some(e) = error {
        lines.push(Line::styled(format!(" {e}"), styles.error));
    }
    lines
}

/// The frame of such a dialog: `Enter` does `verb`, `Esc` cancels (the default).
pub fn frame(title: &str, verb: &'static str, min_width: u16) -> Frame {
    Frame::new(title)
        .hint("enter", verb)
        .hint("esc", "cancel (default)")
        .min_width(min_width)
}
