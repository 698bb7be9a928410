//! A line that must match what is expected before `Enter` acts (a name or a count to delete):
//! the keys every such dialog shares. An empty line, or `Esc`, cancels.

use crossterm::event::KeyCode;

use super::Outcome;
use crate::tui::app::messages::Level;
use crate::tui::keymap::Key;
use crate::tui::line_input::{Edit, LineInput};

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
