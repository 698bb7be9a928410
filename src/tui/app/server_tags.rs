//! `T` on Servers (part of `AppState::update`, pure): the tags dialog of the chosen servers.

use super::{AppState, Effect};

impl AppState {
    /// `T`: the tags dialog for the marked servers, else the selected one (refused in
    /// read-only, as every change is).
    pub(super) fn open_tags(&mut self) -> Vec<Effect> {
        if self.session.read_only {
            return self.hidden_in_read_only(crate::tui::actions::Action::Tags);
        }
        let Some((rows, known)) = self.chosen_servers("tags") else {
            return Vec::new();
        };
        let current = match rows.as_slice() {
            [one] => one.record().tags.clone(),
            _ => Vec::new(),
        };
        let servers = rows.iter().map(|r| r.server_ref()).collect();
        self.open(crate::tui::dialog::tags::TagsDialog::new(
            servers, known, current,
        ));
        Vec::new()
    }
}
