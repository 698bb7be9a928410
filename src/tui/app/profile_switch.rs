//! `:profile NAME`: the console ends and opens again on another profile of the config (its own
//! gateway client, region, read-only default and task runner). Part of `AppState::update`.

use crate::tui::app::{AppState, Effect, Level};

impl AppState {
    pub(in crate::tui) fn switch_profile(&mut self, name: String) -> Vec<Effect> {
        if name == self.session.profile {
            self.message = Some((Level::Info, format!("already on profile {name}")));
            return Vec::new();
        }
        self.quit = true;
        vec![Effect::SwitchProfile(name)]
    }
}
