//! `:columns` (part of `AppState::update`, pure): which optional server columns (HOST, TAGS) are
//! drawn, and so which are hidden.

use super::{AppState, Effect, Level};

impl AppState {
    /// `:columns host,tag` shows these optional server columns (and hides the others);
    /// `:columns` alone says which are shown and which there are.
    pub(super) fn choose_columns(&mut self, chosen: Option<Vec<&'static str>>) -> Vec<Effect> {
        use crate::tui::list::rows::OPTIONAL_COLUMNS;
        if let Some(c) = chosen {
            self.columns = c;
        }
        let shown = if self.columns.is_empty() {
            "none".to_owned()
        } else {
            self.columns.join(",")
        };
        self.message = Some((
            Level::Info,
            format!(
                "optional columns shown: {shown} (of {}; :columns {} shows them all)",
                OPTIONAL_COLUMNS.join(", "),
                OPTIONAL_COLUMNS.join(",")
            ),
        ));
        Vec::new()
    }

    /// The server columns not drawn: the optional ones not chosen, and REGION when the rows
    /// are of one region.
    pub fn hidden_columns(&self) -> Vec<&'static str> {
        use crate::tui::list::rows::OPTIONAL_COLUMNS;
        let mut hidden: Vec<&'static str> = OPTIONAL_COLUMNS
            .iter()
            .filter(|c| !self.columns.contains(c))
            .copied()
            .collect();
        if !self.is_all() {
            hidden.push("region");
        }
        hidden
    }
}
