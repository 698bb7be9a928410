//! `e`: rename the selected server. A one-line dialog pre-filled with its name, checked against
//! the API's name rules as it is typed; `Enter` submits, `Esc` sends nothing. Part of
//! `AppState::update` (pure, no IO).

use crossterm::event::KeyCode;

use super::app::{AppState, Effect, Level, Mode};
use super::keymap::Key;
use super::line_input::{Edit, LineInput};
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
    fn new(server: ServerRef, known: Known) -> Self {
        let mut d = RenameDialog {
            input: LineInput::new(&server.name),
            server,
            known,
            problem: None,
        };
        d.check();
        d
    }

    fn op(&self) -> Op {
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

impl AppState {
    /// `e`: refused in read-only (with a message) and for several marked servers; else the dialog.
    pub(super) fn rename(&mut self) -> Vec<Effect> {
        let Some((rows, known)) = self.chosen_servers("rename") else {
            return Vec::new();
        };
        if self.session.read_only {
            self.message = Some((
                Level::Error,
                format!(
                    "read-only: refusing to rename {}; nothing was sent (Ctrl-t leaves read-only)",
                    rows[0].name()
                ),
            ));
            return Vec::new();
        }
        let [row] = rows.as_slice() else {
            self.message = Some((
                Level::Info,
                format!(
                    "rename takes one server; {} are marked (Ctrl-u clears the marks)",
                    rows.len()
                ),
            ));
            return Vec::new();
        };
        let server = ServerRef::new(row.field("id"), row.name());
        self.mode = Mode::Rename(Box::new(RenameDialog::new(server, known)));
        Vec::new()
    }

    /// Keys in the rename dialog: typing (checked at once); `Enter` submits a valid name; `Esc`
    /// cancels.
    pub(super) fn on_rename_key(&mut self, key: Key) -> Vec<Effect> {
        let Mode::Rename(d) = &mut self.mode else {
            return Vec::new();
        };
        match d.input.edit(key) {
            Edit::Changed => {
                d.check();
                return Vec::new();
            }
            Edit::Unchanged => {
                self.dirty = false;
                return Vec::new();
            }
            Edit::Other => {}
        }
        match key.code {
            KeyCode::Esc => self.cancel_dialog(),
            KeyCode::Enter => match &d.problem {
                Some(p) => {
                    self.message = Some((Level::Error, format!("{p}; nothing was sent")));
                    Vec::new()
                }
                None => {
                    let (op, known) = (d.op(), d.known.clone());
                    self.mode = Mode::Normal;
                    self.submit(op, known)
                }
            },
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }
}
