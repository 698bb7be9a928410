//! `D` in the app: opening the delete dialog, its keys, and the op it submits (part of
//! `AppState::update`, pure). The dialog itself is `delete.rs`.

use super::app::{AppState, Effect, Level, Mode};
use super::delete::DeleteDialog;
use super::keymap::Key;
use super::line_input::Edit;
use crate::runner::precondition;
use crossterm::event::KeyCode;

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
