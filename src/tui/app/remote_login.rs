//! `v` on Servers: the remote login dialog of the selected server, and the read of its URL in
//! the region its row carries. A read, so read-only sessions have it too. Pure, no IO.

use crate::read::source::{View, What};
use crate::tui::app::{AppState, Effect, Level};
use crate::tui::dialog::remote_login::RemoteLogin;

impl AppState {
    pub(in crate::tui) fn remote_login(&mut self) -> Vec<Effect> {
        if self.view != View::Servers {
            self.message = Some((Level::Info, "remote login is for servers (press 1)".into()));
            return Vec::new();
        }
        let Some(row) = self.servers.selected_row() else {
            self.message = Some((Level::Info, "nothing selected".to_owned()));
            return Vec::new();
        };
        let (id, name, region) = (
            row.record().id.clone(),
            row.name().to_owned(),
            row.region().to_owned(),
        );
        // The platform gives a URL for an ACTIVE server only: say so without asking.
        let status = row.status_text().to_owned();
        if status != "ACTIVE" {
            self.message = Some((
                Level::Error,
                format!("{name} is {status}: remote login needs it ACTIVE; nothing was asked"),
            ));
            return Vec::new();
        }
        self.open(RemoteLogin::new(&name));
        vec![self.fetch_in(region, What::RemoteConsole(id))]
    }
}
