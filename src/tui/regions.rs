//! Where the console looks: one region (a switch re-scopes every pane and drops the old region's
//! answers) or every region at once. Part of `AppState::update` (pure, no IO).

use super::app::{AppState, Effect, Mode, Side};
use super::catalog::CatalogState;
use super::source::{View, What};

impl AppState {
    /// Another region: every list, the AZs, the catalog (flavors, images, networks, quotas, key
    /// pairs) and an open describe or dialog are dropped; the AZs and the list on screen are read
    /// again there, the others when they are shown.
    pub fn switch_region(&mut self, region: &str) -> Vec<Effect> {
        if region == self.session.region {
            return Vec::new();
        }
        self.session.region = region.to_owned();
        if let Some(i) = self.regions.items.iter().position(|r| r == region) {
            self.regions.cursor = i;
        }
        // Every region-scoped piece of state goes, with the requests of the old region: an answer
        // to one finds no slot waiting for it and is dropped.
        for v in View::ALL {
            self.list_mut(v).clear();
        }
        self.azs = Side::default();
        self.az = None;
        self.catalog = CatalogState::default();
        self.mode = Mode::Normal;
        self.ticks = 0;
        vec![self.fetch(What::Azs), self.full_fetch(self.view)]
    }
}

#[cfg(test)]
#[path = "regions_tests.rs"]
mod tests;
