//! `e`: rename the selected server. A one-line dialog pre-filled with its name, checked against
//! the API's name rules as it is typed; `Enter` submits, `Esc` sends nothing. Part of
//! `AppState::update` (pure, no IO).

use super::line_input::LineInput;
use crate::runner::precondition::{self, Refusal, name_problem};
use crate::runner::{Known, Op, ServerRef};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameDialog {
    pub server: ServerRef,
    pub known: Known,
    pub input: LineInput,
    /// Why the name typed cannot be sent, checked at each key (`None`: it can).
    pub problem: Option<String>,
}

impl RenameDialog {
    pub(super) fn new(server: ServerRef, known: Known) -> Self {
        let mut d = RenameDialog {
            input: LineInput::new(&server.name),
            server,
            known,
            problem: None,
        };
        d.check();
        d
    }

    pub(super) fn op(&self) -> Op {
        Op::Rename {
            server: self.server.clone(),
            name: self.input.text.clone(),
        }
    }

    /// The API's name rules, then the runner's preconditions (an unchanged name, a deleted server).
    pub(super) fn check(&mut self) {
        self.problem = name_problem(&self.input.text).or_else(|| {
            match precondition::check(&self.op(), &self.known, false) {
                Err(Refusal::Precondition(reasons)) => Some(reasons.join("; ")),
                Err(r) => Some(r.to_string()),
                Ok(()) => None,
            }
        });
    }
}
