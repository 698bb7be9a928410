//! The catalog lists in the app: filling `:flavors`, `:networks`, `:quotas` and describing their
//! rows (part of `AppState::update`, pure). The rows are `catalog_rows.rs`.

use super::app::{AppState, Effect, Mode};
use super::catalog_rows::{FlavorRow, NetworkRow, QuotaRow};
use crate::read::catalog::{FlavorInfo, NetworkInfo, Quotas};
use crate::read::source::{Detail, DetailLine};
use chrono::{DateTime, Local};

/// A catalog row's describe: its fields, at once (there is no one object to fetch).
pub fn describe_row(mode: &mut Mode) -> Vec<Effect> {
    if let Mode::Describe(d) = mode {
        d.detail = Some(Detail {
            lines: d
                .summary
                .iter()
                .map(|(k, v)| DetailLine::Field(k.to_lowercase(), v.clone()))
                .collect(),
            raw_json: "(none: this view is made of several API answers)".to_owned(),
        });
    }
    Vec::new()
}

impl AppState {
    pub(super) fn set_flavors(&mut self, f: Vec<FlavorInfo>, at: DateTime<Local>) {
        let azs = self.azs.items.clone();
        let rows = f.into_iter().map(|f| FlavorRow::new(f, &azs)).collect();
        self.flavors.set_rows(rows, at);
    }

    pub(super) fn set_networks(&mut self, n: Vec<NetworkInfo>, at: DateTime<Local>) {
        let rows = n.iter().flat_map(NetworkRow::of).collect();
        self.networks.set_rows(rows, at);
    }

    pub(super) fn set_quotas(&mut self, q: Quotas, at: DateTime<Local>) {
        self.quotas.set_rows(QuotaRow::of(&q), at);
    }
}
