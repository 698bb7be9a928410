//! `e` in the app: opening the rename dialog, its keys, and the op it submits (part of
//! `AppState::update`, pure). The dialog itself is `rename.rs`.

use super::app::{AppState, Effect, Level, Mode};
use super::keymap::Key;
use super::line_input::Edit;
use super::rename::RenameDialog;
use crossterm::event::KeyCode;

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
        let server = row.server_ref();
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
