//! Keys of the console's daily habits (k9s's, and the 80-column screen's): `Ctrl-b` folds the
//! side panes, Shift and a column's letter sorts, a `:` list remembers the way back. Part of
//! `AppState::update` (pure).

use crate::read::source::View;
use crate::tui::app::{AppState, Effect, Focus, Level, Mode};
use crate::tui::keymap::{Action, Key};
use crate::tui::list::registry::spec_of;
use crate::tui::list::sort_keys::column_of;

impl AppState {
    /// `:NAME`: a list with a key of its own is shown as by its key; one opened by its command
    /// only remembers where the person was, for `Esc` (the first such place, through several).
    pub(super) fn show_by_command(&mut self, view: View) -> Vec<Effect> {
        let here = (self.view, self.focus);
        let came_from = match self.back_to.take() {
            Some(first) if spec_of(self.view).action.is_none() => first,
            _ => here,
        };
        let effects = self.show(view);
        if spec_of(view).action.is_none() && came_from.0 != view {
            self.back_to = Some(came_from);
        }
        effects
    }

    /// Shift and a column's letter on a list: sorted by that column (`list::sort_keys`).
    pub(super) fn sort_by_letter(&mut self, key: Key) -> Vec<Effect> {
        let column = match key.code {
            crossterm::event::KeyCode::Char(c)
                if matches!(self.mode, Mode::Normal) && self.focus == Focus::Main =>
            {
                column_of(self.list(self.view).columns(), &self.keymap, c)
            }
            _ => None,
        };
        match column {
            Some(i) => self.current().sort_by(i),
            // `y` was the raw JSON's key: it now only confirms, in a dialog.
            None if key == Key::char('y') => {
                let json = self.keymap.first(Action::RawJson);
                self.message = Some((
                    Level::Info,
                    format!("y confirms in a dialog only; {json} shows the raw JSON"),
                ));
            }
            None => self.dirty = false,
        }
        Vec::new()
    }

    /// `Ctrl-b`: the side panes fold away (the focus comes to the main pane) or come back.
    pub(super) fn fold_panes(&mut self) {
        self.side_folded = !self.side_folded;
        if self.side_folded {
            self.focus = Focus::Main;
        }
        let height = self.table_height();
        self.current().scroll(height);
    }

    /// To a side pane from the main one: folded panes unfold, as the person asked for them.
    pub(super) fn focus_side(&mut self, pane: Focus) {
        self.side_folded = false;
        self.focus = pane;
    }
}
