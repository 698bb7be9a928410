//! A line where what a delete removes must be typed (a name, or a count) before `Enter` sends it:
//! the keys every such dialog shares.

use crossterm::event::KeyCode;

use super::Outcome;
use crate::tui::app::messages::Level;
use crate::tui::keymap::Key;
use crate::tui::line_input::{Edit, LineInput};

/// Typing edits `input` and clears `error`; `Esc`, or `Enter` on an empty line, cancels; `Enter`
/// on anything but `expected` says it is not `what` ("the server's name") and sends nothing.
/// `None`: `Enter` on `expected`, for the dialog to submit. Other keys are `Ignored`.
pub fn key(
    input: &mut LineInput,
    error: &mut Option<String>,
    key: Key,
    expected: &str,
    what: &str,
) -> Option<Outcome> {
    match input.edit(key) {
        Edit::Changed => {
            *error = None;
            return Some(Outcome::Changed);
        }
        Edit::Unchanged => return Some(Outcome::Ignored),
        Edit::Other => {}
    }
    Some(match key.code {
        KeyCode::Esc => Outcome::cancelled(),
        KeyCode::Enter if input.text.is_empty() => Outcome::cancelled(),
        KeyCode::Enter if input.text.trim() != expected => {
            let why = format!(
                "{:?} is not {what} ({expected}): nothing was sent",
                input.text
            );
            *error = Some(why.clone());
            Outcome::Say(Level::Error, why)
        }
        KeyCode::Enter => return None,
        _ => Outcome::Ignored,
    })
}
