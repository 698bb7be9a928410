//! Work the console does between messages: the slices of filtered views on their way. Part of
//! `AppState::update` (pure, no IO): the loop sends `Msg::Work` while `has_work` says so.

use crate::read::source::View;
use crate::tui::app::{AppState, Msg};
use crate::tui::list::filtering::SLICE;

impl AppState {
    /// Some list's view is on its way: the loop should send `Msg::Work` when it is idle.
    pub fn has_work(&self) -> bool {
        all_views().any(|v| self.list(v).filtering().is_some())
    }

    /// One slice of the shown list's view on its way, else of another list's.
    pub(in crate::tui) fn on_work(&mut self) {
        let view = std::iter::once(self.view)
            .chain(all_views())
            .find(|&v| self.list(v).filtering().is_some());
        match view {
            Some(v) => {
                self.list_mut(v).work(SLICE);
                // Another list's progress is not on screen.
                self.dirty = v == self.view;
            }
            None => self.dirty = false,
        }
    }

    /// Completes every view on its way: what acts on the shown rows (a move, a mark, an
    /// operation) sees all of them. Only typing a filter goes on while a view is computed.
    pub(in crate::tui) fn finish_work(&mut self, msg: &Msg) {
        let typing = matches!(msg, Msg::Key(_))
            && matches!(self.mode, crate::tui::app::Mode::Filter(_))
            && self.help.is_none();
        let acts = matches!(msg, Msg::Key(_) | Msg::Mouse(_) | Msg::Resize(..));
        if acts && !typing {
            for v in all_views() {
                self.list_mut(v).finish();
            }
        }
    }
}

/// Every list of the main pane, the jobs too.
fn all_views() -> impl Iterator<Item = View> {
    crate::tui::list::registry::LISTS.iter().map(|s| s.view)
}
