//! `e`: rename the selected server. A one-line dialog pre-filled with its name, checked against
//! the API's name rules as it is typed; `Enter` submits, `Esc` sends nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::op_offer::refusal_of;
use super::{Dialog, Env, Outcome, checked_line};
use crate::runner::precondition::name_problem;
use crate::runner::{Known, Op, ServerRef};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
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
        RenameDialog {
            input: LineInput::new(&server.name),
            problem: problem(&server, &known, &server.name),
            server,
            known,
        }
    }

    pub fn op(&self) -> Op {
        rename(&self.server, &self.input.text)
    }
}

/// The API's name rules, then the runner's preconditions (an unchanged name, a deleted server).
fn problem(server: &ServerRef, known: &Known, name: &str) -> Option<String> {
    name_problem(name).or_else(|| refusal_of(&rename(server, name), known))
}

impl Dialog for RenameDialog {
    /// Typing (checked at once); `Enter` submits a valid name; `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let (server, known) = (&self.server, &self.known);
        checked_line::key(&mut self.input, &mut self.problem, key, |name| {
            problem(server, known, name)
        })
        .unwrap_or_else(|| Outcome::Submit(Box::new(self.op()), self.known.clone()))
    }

    /// The new name, checked as it is typed, with the reason beside it.
    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let heading = format!(" rename {}", self.server.name);
        let lines = checked_line::lines(heading, &self.input.text, self.problem.as_deref(), styles);
        checked_line::frame("rename", "rename").popup(lines, styles, area, buf);
        None
    }
}

fn rename(server: &ServerRef, name: &str) -> Op {
    Op::Rename {
        server: server.clone(),
        name: name.to_owned(),
    }
}

#[cfg(test)]
#[path = "rename_tests.rs"]
mod tests;
