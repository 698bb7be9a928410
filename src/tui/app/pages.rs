//! The pages of a full servers read as they arrive (`Payload::ServerPage`): a first read shows
//! each page at once, merged into the list with its filter, sort and selection kept; a read of
//! rows already shown gathers its pages and replaces the rows when it is whole. Part of
//! `AppState::update` (pure, no IO).

use chrono::{DateTime, Local};

use crate::read::source::{Payload, Scope, View};
use crate::tui::app::paging::Paging;
use crate::tui::app::{AppState, Effect};
use crate::tui::list::registry::Slot;
use crate::tui::list::rows::ServerRow;

impl AppState {
    /// A page of a full servers read, or its end; dropped when the read is not the newest.
    pub(super) fn on_server_pages(
        &mut self,
        seq: u64,
        payload: Payload,
        at: DateTime<Local>,
    ) -> Vec<Effect> {
        let part = self.part_of(seq);
        if part.is_none() && self.slot_of(seq) != Some(Slot::List(View::Servers)) {
            self.dirty = false;
            return Vec::new();
        }
        let region = match part {
            Some(i) => self.parts[i].region.clone(),
            None => self.session.region.clone(),
        };
        match payload {
            Payload::ServerPage { rows, total } => {
                let k = self.paging_of(seq, part, &region);
                let p = &mut self.paging[k];
                p.got += rows.len();
                p.total = total;
                if !p.into_list {
                    p.gathered.extend(rows);
                    // Nothing on screen changes until the read is whole.
                    self.dirty = false;
                    return Vec::new();
                }
                let rows = rows
                    .into_iter()
                    .map(|f| ServerRow::read_in(f, &region))
                    .collect();
                let height = self.table_height();
                self.servers.append_rows(rows, height);
                Vec::new()
            }
            Payload::ServerPagesEnd { total } => {
                let paging = match self.paging.iter().position(|p| p.seq == seq) {
                    Some(k) => self.paging.swap_remove(k),
                    None => Paging::default(),
                };
                if !paging.into_list {
                    // The whole list, as a read that was not handed on page by page answers.
                    let whole = Payload::Servers {
                        scope: Scope::All,
                        rows: paging.gathered,
                        total,
                    };
                    return self.on_loaded(seq, Ok(whole), at);
                }
                self.retries = 0;
                match part {
                    Some(i) => {
                        let p = &mut self.parts[i];
                        p.loading = false;
                        p.stale = None;
                        p.fetched_at = Some(at);
                        self.servers.fetched_at = Some(at);
                        self.servers.loading = self.parts.iter().any(|p| p.loading);
                    }
                    None => self.servers.set_read(at),
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// The paging of read `seq`, begun at its first page: into the list when the list has no
    /// rows of its scope yet. Pagings of reads no longer the newest are dropped.
    fn paging_of(&mut self, seq: u64, part: Option<usize>, region: &str) -> usize {
        if let Some(k) = self.paging.iter().position(|p| p.seq == seq) {
            return k;
        }
        let wanted: Vec<bool> = self.paging.iter().map(|p| self.is_newest(p.seq)).collect();
        let mut w = wanted.into_iter();
        self.paging.retain(|_| w.next().unwrap_or(false));
        let into_list = match part {
            Some(i) => {
                self.parts[i].fetched_at.is_none()
                    && !self.servers.all_rows().iter().any(|r| r.region() == region)
            }
            None => self.servers.total() == 0 && !self.servers.is_loaded(),
        };
        self.paging.push(Paging {
            seq,
            into_list,
            ..Paging::default()
        });
        self.paging.len() - 1
    }

    /// Whether read `seq` is still the newest of its list or region.
    fn is_newest(&self, seq: u64) -> bool {
        self.part_of(seq).is_some() || self.slot_of(seq).is_some()
    }

    /// Forgets the pages of a read that failed (the rows already shown stay).
    pub(super) fn drop_paging(&mut self, seq: u64) {
        self.paging.retain(|p| p.seq != seq);
    }

    /// A first read of the servers on its way: the rows received and the total the API
    /// reports (unknown when any read does not say), for the title.
    pub fn server_pages(&self) -> Option<(usize, Option<usize>)> {
        let first: Vec<&Paging> = self
            .paging
            .iter()
            .filter(|p| p.into_list && self.is_newest(p.seq))
            .collect();
        if first.is_empty() {
            return None;
        }
        let got = first.iter().map(|p| p.got).sum();
        let total = first.iter().map(|p| p.total).sum();
        Some((got, total))
    }
}

#[cfg(test)]
#[path = "pages_tests.rs"]
mod tests;
