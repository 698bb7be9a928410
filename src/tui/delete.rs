//! `D`: delete the marked servers (else the selected one). A dialog whose default is Cancel asks
//! for the server's name (for several, their count) to be typed, then `Enter`; `Tab` toggles
//! "also delete data disks". Part of `AppState::update` (pure, no IO).

use crossterm::event::KeyCode;

use super::app::{AppState, Effect, Level, Mode};
use super::keymap::Key;
use super::line_input::{Edit, LineInput};
use super::rows::ServerRow;
use crate::runner::precondition;
use crate::runner::{Known, Op, ServerRef};

/// The delete dialog: what it deletes, what must be typed, what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteDialog {
    pub servers: Vec<ServerRef>,
    pub known: Known,
    /// "delete web-01 (region-1a)?", "delete 3 servers in 2 AZs (region-1a, region-1b)?"
    pub title: String,
    /// One line per server: its name, status and AZ.
    pub lines: Vec<String>,
    /// What must be typed: the server's name, or the number of servers.
    pub expected: String,
    pub input: LineInput,
    /// Also delete the servers' data disks (off unless toggled).
    pub delete_volumes: bool,
    /// Why the last `Enter` sent nothing.
    pub error: Option<String>,
}

impl DeleteDialog {
    fn new(rows: &[ServerRow], known: Known) -> Self {
        let (title, expected) = match rows {
            [one] => (
                format!("delete {} ({})?", one.name(), one.field("az")),
                one.name().to_owned(),
            ),
            _ => (
                format!(
                    "delete {} servers {}?",
                    rows.len(),
                    super::region_parts::spread(rows)
                ),
                rows.len().to_string(),
            ),
        };
        DeleteDialog {
            servers: rows
                .iter()
                .map(|r| ServerRef::new(r.field("id"), r.name()))
                .collect(),
            known,
            title,
            lines: rows
                .iter()
                .map(|r| format!("{}  {}  {}", r.name(), r.field("status"), r.field("az")))
                .collect(),
            expected,
            input: LineInput::default(),
            delete_volumes: false,
            error: None,
        }
    }

    /// What the dialog asks to type.
    pub fn prompt(&self) -> String {
        if self.servers.len() == 1 {
            format!("type the server's name ({}) and Enter", self.expected)
        } else {
            format!("type the number of servers ({}) and Enter", self.expected)
        }
    }

    pub fn op(&self) -> Op {
        Op::Delete {
            servers: self.servers.clone(),
            delete_volumes: self.delete_volumes,
        }
    }
}

impl AppState {
    /// `D`: hidden and inert in read-only; refused with the runner's reason; else the dialog.
    pub(super) fn delete(&mut self) -> Vec<Effect> {
        if self.session.read_only {
            self.dirty = false;
            return Vec::new();
        }
        let Some((rows, known)) = self.chosen_servers("delete") else {
            return Vec::new();
        };
        let dialog = DeleteDialog::new(&rows, known);
        if let Err(refusal) = precondition::check(&dialog.op(), &dialog.known, false) {
            self.message = Some((Level::Error, refusal.to_string().replace('\n', "; ")));
            return Vec::new();
        }
        self.mode = Mode::Delete(Box::new(dialog));
        Vec::new()
    }

    /// Keys in the delete dialog: typing; `Tab` toggles the data disks; `Enter` deletes when
    /// what was typed matches (an empty line cancels); `Esc` cancels.
    pub(super) fn on_delete_key(&mut self, key: Key) -> Vec<Effect> {
        let Mode::Delete(d) = &mut self.mode else {
            return Vec::new();
        };
        match d.input.edit(key) {
            Edit::Changed => {
                d.error = None;
                return Vec::new();
            }
            Edit::Unchanged => {
                self.dirty = false;
                return Vec::new();
            }
            Edit::Other => {}
        }
        match key.code {
            KeyCode::Tab | KeyCode::BackTab => {
                d.delete_volumes = !d.delete_volumes;
                Vec::new()
            }
            KeyCode::Esc => self.cancel_dialog(),
            KeyCode::Enter if d.input.text.is_empty() => self.cancel_dialog(),
            KeyCode::Enter if d.input.text.trim() != d.expected => {
                let what = if d.servers.len() == 1 {
                    "the server's name"
                } else {
                    "the number of servers"
                };
                let why = format!(
                    "{:?} is not {what} ({}): nothing was sent",
                    d.input.text, d.expected
                );
                d.error = Some(why.clone());
                self.message = Some((Level::Error, why));
                Vec::new()
            }
            KeyCode::Enter => {
                let (op, known) = (d.op(), d.known.clone());
                self.mode = Mode::Normal;
                self.submit(op, known)
            }
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// Leaves a dialog with nothing sent.
    pub(super) fn cancel_dialog(&mut self) -> Vec<Effect> {
        self.mode = Mode::Normal;
        self.message = Some((Level::Info, "cancelled; nothing was sent".to_owned()));
        Vec::new()
    }
}

#[cfg(test)]
#[path = "delete_tests.rs"]
mod tests;
