//! A click or the wheel in the app (part of `AppState::update`, pure). The event is `mouse.rs`.

use crate::tui::app::{AppState, Effect, Focus, Mode};
use crate::tui::mouse::{Mouse, MouseKind};

/// Rows the wheel moves per notch.
const WHEEL_ROWS: isize = 3;

impl AppState {
    pub(in crate::tui) fn on_mouse(&mut self, m: Mouse) -> Vec<Effect> {
        let height = self.table_height();
        let delta = match m.kind {
            MouseKind::WheelUp => -WHEEL_ROWS,
            MouseKind::WheelDown => WHEEL_ROWS,
            MouseKind::Click => 0,
        };
        if let Some(scroll) = self.help {
            self.help = Some(scroll.saturating_add_signed(delta));
            return Vec::new();
        }
        match &mut self.mode {
            Mode::Describe(d) => d.scroll = d.scroll.saturating_add_signed(delta),
            Mode::Normal if m.kind == MouseKind::Click => return self.click(m, height),
            Mode::Normal => self.current().move_by(delta, height),
            // typing a filter or command, or a dialog open: the mouse does nothing
            _ => self.dirty = false,
        }
        Vec::new()
    }

    /// A click on a row of the main table selects it (and focuses the main pane).
    fn click(&mut self, m: Mouse, height: usize) -> Vec<Effect> {
        let Some(on_screen) = self.layout().row_at(m.column, m.row) else {
            self.dirty = false;
            return Vec::new();
        };
        let l = self.current();
        let index = l.offset() + on_screen;
        if index < l.len() {
            l.select(index, height);
            self.focus = Focus::Main;
        } else {
            self.dirty = false;
        }
        Vec::new()
    }
}
