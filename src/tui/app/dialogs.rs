//! The app's side of the dialogs (part of `AppState::update`, pure): it opens them (`keys.rs`
//! hands an open one its keys and applies its outcome). The dialogs themselves are `dialog/`.

use std::any::Any;

use crate::read::source::{View, What};
use crate::runner::{Refusal, precondition};
use crate::tui::app::{AppState, Effect, Level, Mode};
use crate::tui::dialog::create::CreateForm;
use crate::tui::dialog::delete::DeleteDialog;
use crate::tui::dialog::rename::RenameDialog;
use crate::tui::dialog::resize::ResizePick;
use crate::tui::dialog::{Dialog, Env};
use crate::tui::keymap::Action;
use crate::tui::list::rows::ImageRow;

impl AppState {
    /// Opens a dialog over the current list.
    pub(in crate::tui) fn open(&mut self, dialog: impl Dialog) {
        self.mode = Mode::Dialog(Box::new(dialog));
    }

    /// The open dialog, if it is a `T`.
    pub fn dialog<T: Dialog>(&self) -> Option<&T> {
        let Mode::Dialog(d) = &self.mode else {
            return None;
        };
        let any: &dyn Any = &**d;
        any.downcast_ref()
    }

    /// What a dialog may read of the console.
    pub(in crate::tui) fn env(&self) -> Env<'_> {
        Env {
            keymap: &self.keymap,
            region: &self.session.region,
            read_only: self.session.read_only,
            catalog: &self.catalog,
        }
    }

    /// `D`: hidden and inert in read-only; refused with the runner's reason; else the dialog.
    pub(in crate::tui) fn delete(&mut self) -> Vec<Effect> {
        if self.session.read_only {
            return self.hidden_in_read_only(Action::Delete);
        }
        let Some((rows, known)) = self.chosen_servers("delete") else {
            return Vec::new();
        };
        let dialog = DeleteDialog::new(&rows, known);
        if let Err(refusal) = precondition::check(&dialog.op(), &dialog.known, false) {
            self.message = Some((Level::Error, refusal.to_string().replace('\n', "; ")));
            return Vec::new();
        }
        self.open(dialog);
        Vec::new()
    }

    /// `e`: refused in read-only (with a message) and for several marked servers; else the dialog.
    pub(in crate::tui) fn rename(&mut self) -> Vec<Effect> {
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
        let Some(row) = self.one_of(rows, "rename takes one server") else {
            return Vec::new();
        };
        let server = row.server_ref();
        self.open(RenameDialog::new(server, known));
        Vec::new()
    }

    /// `c`: the create form. Read-only refuses it as the runner would (nothing opens, nothing is
    /// sent); on Images the selected image is chosen. The catalog is read again each time (the
    /// quotas change), the form working on the last one until it answers.
    pub(in crate::tui) fn open_create(&mut self) -> Vec<Effect> {
        if self.session.read_only {
            let refusal = Refusal::ReadOnly {
                what: "create a server".to_owned(),
            };
            self.message = Some((Level::Error, refusal.to_string()));
            return Vec::new();
        }
        if self.needs_a_region("a new server") {
            return Vec::new();
        }
        let image = match self.view {
            View::Servers => None,
            View::Images => match self
                .typed::<ImageRow>(View::Images)
                .and_then(|l| l.selected_row())
            {
                Some(r) => Some(r.record().id.clone()),
                None => {
                    self.message = Some((Level::Info, "no image selected".to_owned()));
                    return Vec::new();
                }
            },
            _ => {
                self.message = Some((
                    Level::Info,
                    "c creates a server on Servers (1), or from the selected image on Images (2)"
                        .to_owned(),
                ));
                return Vec::new();
            }
        };
        let mut form = CreateForm::new(image);
        if let Some(cat) = self.catalog.of(&self.session.region) {
            form.settle(cat);
        }
        self.open(form);
        vec![self.fetch(What::Catalog)]
    }

    /// `z`: the resize picker for the selected server (or the one marked). Dangerous: in
    /// read-only it does nothing. A server in a state that cannot be resized is refused at once.
    pub(in crate::tui) fn open_resize(&mut self) -> Vec<Effect> {
        if self.session.read_only {
            return self.hidden_in_read_only(Action::Resize);
        }
        if self.view != View::Servers {
            self.message = Some((
                Level::Info,
                "resize applies to servers (press 1)".to_owned(),
            ));
            return Vec::new();
        }
        if self.needs_a_region("a resize (it reads the region's flavors)") {
            return Vec::new();
        }
        let marked = self.servers.marked_rows();
        let row = match marked.as_slice() {
            [] => self.servers.selected_row(),
            [one] => Some(*one),
            many => {
                self.message = Some((
                    Level::Info,
                    format!(
                        "resize changes one server at a time ({} are marked): Ctrl-u clears the marks",
                        many.len()
                    ),
                ));
                return Vec::new();
            }
        };
        let Some(row) = row else {
            self.message = Some((Level::Info, "nothing selected".to_owned()));
            return Vec::new();
        };
        let mut pick = ResizePick::new(row);
        if let Some(why) = pick.refusal() {
            self.message = Some((Level::Error, why));
            return Vec::new();
        }
        let effects = match self.catalog.of(&self.session.region) {
            Some(cat) => {
                pick.place(cat);
                Vec::new()
            }
            None => vec![self.fetch(What::Catalog)],
        };
        self.open(pick);
        effects
    }

    /// The catalog came: the open dialog (the form, the picker) settles its choices.
    pub(in crate::tui) fn catalog_arrived(&mut self) {
        let Some(cat) = self.catalog.data.as_ref() else {
            return;
        };
        if let Mode::Dialog(d) = &mut self.mode {
            d.catalog_arrived(cat);
        }
    }
}
