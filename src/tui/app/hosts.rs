//! `:hosts` (part of `AppState::update`, pure): the Hyper-V hosts made from the servers already
//! read, made again when those change; `Enter` on a host shows its servers (`host:NAME`).

use super::{AppState, Effect, Level};
use crate::read::source::View;
use crate::tui::list::rows::HostRow;

/// Said once, in the title, for the servers read without a host.
pub const NO_HOSTS: &str = "the gateway does not return hosts";

impl AppState {
    /// Makes the hosts again when the servers changed since (only while they are shown: at 100k
    /// servers a pass is not free).
    pub(super) fn sync_hosts(&mut self) {
        if self.view != View::Hosts {
            return;
        }
        let now = (self.servers.fetched_at, self.servers.total());
        if self.hosts_of != Some(now) {
            self.hosts_of = Some(now);
            match self.servers.fetched_at {
                // No servers read (another region, a first read): no hosts either.
                None => {
                    self.hosts.clear();
                    self.hosts_without = 0;
                }
                Some(at) => {
                    let (rows, without_host) = HostRow::of(self.servers.all_rows());
                    self.hosts_without = without_host;
                    self.hosts.set_rows(rows, at);
                    let height = self.table_height();
                    self.hosts.scroll(height);
                }
            }
        }
        // The servers' read is the hosts' read.
        self.hosts.loading = self.servers.loading;
        self.hosts.stale = self.servers.stale.clone();
    }

    /// `Enter` on a host: the servers list, filtered to the host's.
    pub(super) fn show_host(&mut self) -> Vec<Effect> {
        let Some(host) = self.hosts.selected_id() else {
            self.message = Some((Level::Info, "nothing selected".to_owned()));
            return Vec::new();
        };
        let query = format!("host:{host}");
        if let Err(e) = self.servers.set_query(&query) {
            self.message = Some((Level::Error, e.0));
            return Vec::new();
        }
        self.show(View::Servers)
    }
}
