//! `e`: rename the selected server. A one-line dialog pre-filled with its name, checked against
//! the API's name rules as it is typed; `Enter` submits, `Esc` sends nothing.

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::{Frame, input_line};
use super::{Dialog, Env, Outcome};
use crate::runner::precondition::{self, Refusal, name_problem};
use crate::runner::{Known, Op, ServerRef};
use crate::tui::keymap::Key;
use crate::tui::line_input::{Edit, LineInput};
use crate::tui::messages::Level;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameDialog {
    pub server: ServerRef,
    pub known: Known,
    pub input: LineInput,
    /// Why the name typed cannot be sent, checked at each key (`None`: it can).
    pub problem: Option<String>,
}

impl RenameDialog {
    pub fn new(server: ServerRef, known: Known) -> Self {
        let mut d = RenameDialog {
            input: LineInput::new(&server.name),
            server,
            known,
            problem: None,
        };
        d.check();
        d
    }

    pub fn op(&self) -> Op {
        Op::Rename {
            server: self.server.clone(),
            name: self.input.text.clone(),
        }
    }

    /// The API's name rules, then the runner's preconditions (an unchanged name, a deleted server).
    fn check(&mut self) {
        self.problem = name_problem(&self.input.text).or_else(|| {
            match precondition::check(&self.op(), &self.known, false) {
                Err(Refusal::Precondition(reasons)) => Some(reasons.join("; ")),
                Err(r) => Some(r.to_string()),
                Ok(()) => None,
            }
        });
    }
}

impl Dialog for RenameDialog {
    /// Typing (checked at once); `Enter` submits a valid name; `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        match self.input.edit(key) {
            Edit::Changed => {
                self.check();
                return Outcome::Changed;
            }
            Edit::Unchanged => return Outcome::Ignored,
            Edit::Other => {}
        }
        match key.code {
            KeyCode::Esc => Outcome::cancelled(),
            KeyCode::Enter => match &self.problem {
                Some(p) => Outcome::Say(Level::Error, format!("{p}; nothing was sent")),
                None => Outcome::Submit(Box::new(self.op()), self.known.clone()),
            },
            _ => Outcome::Ignored,
        }
    }

    /// The new name, checked as it is typed, with the reason beside it.
    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let lines = vec![
            Line::styled(format!(" rename {}", self.server.name), styles.title),
            Line::raw(""),
            input_line(&self.input.text, styles),
            match &self.problem {
                Some(p) => Line::styled(format!(" {p}"), styles.error),
                None => Line::styled(" ok", styles.ok),
            },
        ];
        Frame::new("rename")
            .hint("enter", "rename")
            .hint("esc", "cancel")
            .min_width(50)
            .popup(lines, styles, area, buf);
        None
    }
}

#[cfg(test)]
#[path = "rename_tests.rs"]
mod tests;
