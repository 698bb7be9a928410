//! The servers a key acts on: the marked rows, else the selection (of any region); refusals say
//! why in the message line. Part of `AppState::update` (pure, no IO).

use crate::read::source::View;
use crate::runner::Known;
use crate::tui::app::{AppState, Level};
use crate::tui::list::rows::ServerRow;

impl AppState {
    /// The marked servers, else the selected one, with what the console last saw of them; `None`
    /// (and a message) when the key does not apply here.
    pub(in crate::tui) fn chosen_servers(&mut self, verb: &str) -> Option<(Vec<ServerRow>, Known)> {
        if self.view != View::Servers {
            self.message = Some((Level::Info, format!("{verb} applies to servers (press 1)")));
            return None;
        }
        let rows: Vec<ServerRow> = {
            let marked = self.servers.marked_rows();
            if marked.is_empty() {
                self.servers.selected_row().cloned().into_iter().collect()
            } else {
                marked.into_iter().cloned().collect()
            }
        };
        if rows.is_empty() {
            self.message = Some((Level::Info, "nothing selected".to_owned()));
            return None;
        }
        let known: Known = rows.iter().map(ServerRow::known).collect();
        Some((rows, known))
    }

    /// The one of `rows` for a key that acts on one (`None` when there is none); several are
    /// refused: `takes` says why ("rename takes one server"), the message how to clear the marks.
    pub(in crate::tui) fn one_of<T>(&mut self, mut rows: Vec<T>, takes: &str) -> Option<T> {
        if rows.len() > 1 {
            self.message = Some((
                Level::Info,
                format!(
                    "{takes}; {} are marked (Ctrl-u clears the marks)",
                    rows.len()
                ),
            ));
            return None;
        }
        rows.pop()
    }
}
