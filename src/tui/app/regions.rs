//! Where the console looks: one region (a switch re-scopes every pane and drops the old region's
//! answers) or every region at once (`:region all`: the servers of each region read on their own,
//! merged into one list, each region stale on its own). Part of `AppState::update` (pure, no IO).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Local};

use crate::read::source::{LoadError, Payload, Scope, View, What};
use crate::runner::{Known, Op, ServerRef};
use crate::tui::app::catalog_state::CatalogState;
use crate::tui::app::region_parts::{ALL, RegionLine, RegionOp, RegionPart, choose_a_region};
use crate::tui::app::{AppState, Effect, Level, Mode, Side};
use crate::tui::list::Stale;
use crate::tui::list::registry::{LISTS, Slot};
use crate::tui::list::rows::{Row, ServerRow};

impl AppState {
    /// Whether the console shows every region at once.
    pub fn is_all(&self) -> bool {
        self.session.region == ALL
    }

    /// The row of the Regions pane that is on screen (0: `all`).
    pub(in crate::tui) fn region_row(&self) -> usize {
        self.regions
            .items
            .iter()
            .position(|r| *r == self.session.region)
            .map_or(0, |i| i + 1)
    }

    /// Another region, or `all`: every list, the AZs, the catalog (flavors, images, networks,
    /// quotas, key pairs) and an open describe or dialog are dropped, with the requests of the
    /// old scope (an answer to one finds no slot waiting for it); the list on screen and the AZs
    /// are read again there, the others when they are shown.
    pub fn switch_region(&mut self, region: &str) -> Vec<Effect> {
        if region == self.session.region {
            return Vec::new();
        }
        self.session.region = region.to_owned();
        self.regions.cursor = self.region_row();
        // The gateway's lists (the jobs are the runner's, of every region).
        for s in LISTS.iter().filter(|s| s.full.is_some()) {
            self.list_mut(s.view).clear();
        }
        self.azs = Side::default();
        self.az = None;
        self.catalog = CatalogState::default();
        self.mode = Mode::Normal;
        self.ticks = 0;
        self.parts.clear();
        if !self.is_all() {
            let mut effects = vec![self.fetch(What::Azs)];
            effects.extend(self.full_fetch(self.view));
            return effects;
        }
        let mut effects = self.adopt_regions();
        if self.view == View::Jobs {
            effects.extend(self.full_fetch(View::Jobs));
        }
        effects
    }

    /// Under `all`, a part for each listed region that has none yet, and its servers read
    /// (whatever the view: they are what `all` shows).
    pub(in crate::tui) fn adopt_regions(&mut self) -> Vec<Effect> {
        if !self.is_all() {
            return Vec::new();
        }
        let new: Vec<String> = self
            .regions
            .items
            .iter()
            .filter(|r| !self.parts.iter().any(|p| p.region == **r))
            .cloned()
            .collect();
        let from = self.parts.len();
        self.parts.extend(new.into_iter().map(|region| RegionPart {
            region,
            want: 0,
            loading: false,
            fetched_at: None,
            stale: None,
        }));
        (from..self.parts.len())
            .map(|i| self.fetch_part(i, Scope::All))
            .collect()
    }

    /// One full read of the servers in each region `which` picks (it becomes the newest read of
    /// that region).
    pub(in crate::tui) fn fetch_parts(
        &mut self,
        which: impl Fn(&RegionPart) -> bool,
    ) -> Vec<Effect> {
        let chosen: Vec<usize> = (0..self.parts.len())
            .filter(|&i| which(&self.parts[i]))
            .collect();
        chosen
            .into_iter()
            .map(|i| self.fetch_part(i, Scope::All))
            .collect()
    }

    fn fetch_part(&mut self, i: usize, scope: Scope) -> Effect {
        let seq = self.next_seq();
        let part = &mut self.parts[i];
        part.want = seq;
        part.loading = true;
        self.servers.loading = true;
        Effect::Fetch(crate::read::source::FetchRequest {
            seq,
            region: part.region.clone(),
            what: What::Servers(scope),
        })
    }

    /// The region part a sequence number is the newest request of.
    pub(in crate::tui) fn part_of(&self, seq: u64) -> Option<usize> {
        self.parts.iter().position(|p| p.want == seq)
    }

    /// One region's servers came (or not): merged into the one list, only that region's rows
    /// replaced; a failure marks that region stale and retries it.
    pub(in crate::tui) fn on_part_loaded(
        &mut self,
        i: usize,
        result: Result<Payload, LoadError>,
        at: DateTime<Local>,
    ) -> Vec<Effect> {
        let region = self.parts[i].region.clone();
        self.parts[i].loading = false;
        let mut effects = Vec::new();
        match result {
            Err(e) => {
                self.parts[i].stale = Some(Stale {
                    error: e.message,
                    request_id: e.request_id,
                });
                effects.push(self.retry_later(Slot::List(View::Servers)));
            }
            Ok(Payload::Servers { scope, rows, total }) => {
                self.retries = 0;
                self.parts[i].stale = None;
                self.parts[i].fetched_at = Some(at);
                let rows = rows
                    .into_iter()
                    .map(|f| ServerRow::read_in(f, &region))
                    .collect();
                match scope {
                    Scope::All => self
                        .servers
                        .replace_where(|r| r.region() == region, rows, at),
                    Scope::Ids(ids) => {
                        self.servers.merge_rows(&ids, rows, at);
                        let listed = || {
                            let rows = self.servers.all_rows();
                            rows.iter().filter(|r| r.region() == region).count()
                        };
                        if total.is_some_and(|t| t != listed()) {
                            effects.push(self.fetch_part(i, Scope::All));
                        }
                    }
                }
                let az = self.az.clone();
                self.servers.set_az(az.as_deref());
                let height = self.table_height();
                self.servers.scroll(height);
            }
            Ok(_) => {}
        }
        self.servers.loading = self.parts.iter().any(|p| p.loading);
        effects
    }

    /// A retry is due: the stale regions are read again.
    pub(in crate::tui) fn retry_parts(&mut self) -> Vec<Effect> {
        let effects = self.fetch_parts(|p| p.stale.is_some() && !p.loading);
        self.dirty = !effects.is_empty();
        effects
    }

    /// The refresh timer under `all`: each region not reading already reads its rows on screen
    /// often, all its rows every `FULL_EVERY` ticks.
    pub(in crate::tui) fn tick_parts(&mut self) -> Vec<Effect> {
        if self.view != View::Servers {
            return Vec::new();
        }
        self.ticks += 1;
        if self.ticks.is_multiple_of(crate::tui::app::FULL_EVERY) {
            return self.fetch_parts(|p| p.fetched_at.is_some() && !p.loading);
        }
        let mut page: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (_, r) in self.servers.page(self.table_height()) {
            page.entry(r.region().to_owned())
                .or_default()
                .push(r.id().to_owned());
        }
        let mut effects = Vec::new();
        for i in 0..self.parts.len() {
            let p = &self.parts[i];
            if p.loading || p.fetched_at.is_none() {
                continue;
            }
            // A region with none of its rows on screen waits for the full read.
            if let Some(ids) = page.remove(&p.region) {
                effects.push(self.fetch_part(i, Scope::Ids(ids)));
            }
        }
        effects
    }

    /// A task ended in `region`: those of `lists` read before are read again, if the console
    /// shows that region (not under `:region all`).
    pub(in crate::tui) fn reread_lists(
        &mut self,
        region: &str,
        lists: &[(View, What)],
    ) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.is_all() || region != self.session.region {
            return effects;
        }
        for (view, what) in lists {
            if self.list(*view).state().fetched_at.is_some() {
                effects.push(self.fetch(what.clone()));
            }
        }
        effects
    }

    /// A task ended in `region`: its servers are read again there (after a create, every server
    /// of the region), if the console shows that region.
    pub(in crate::tui) fn reread_after_task(
        &mut self,
        region: &str,
        ids: Vec<String>,
    ) -> Vec<Effect> {
        if !self.is_all() {
            if region != self.session.region {
                return Vec::new();
            }
            if ids.is_empty() {
                // A create: its servers are new, so the whole list is read.
                return self.full_fetch(View::Servers);
            }
            return vec![self.fetch(What::Servers(Scope::Ids(ids)))];
        }
        let Some(i) = self.parts.iter().position(|p| p.region == region) else {
            return Vec::new();
        };
        let scope = if ids.is_empty() {
            Scope::All
        } else {
            Scope::Ids(ids)
        };
        vec![self.fetch_part(i, scope)]
    }

    /// The region of the selected row: its own under `all`, else the one on screen.
    pub(in crate::tui) fn selected_region(&self) -> String {
        match (self.is_all(), self.view) {
            (true, View::Servers) => self
                .servers
                .selected_row()
                .map(|r| r.region().to_owned())
                .unwrap_or_default(),
            _ => self.session.region.clone(),
        }
    }

    /// Splits an op by the region of its servers: one per region (in name order), each with
    /// what the console saw of its servers. Under `all` a server whose row is gone, or an op
    /// without servers (a create), is refused with why (nothing is sent).
    pub(in crate::tui) fn per_region(&self, op: Op, known: Known) -> Result<Vec<RegionOp>, String> {
        if !self.is_all() {
            return Ok(vec![RegionOp {
                region: self.session.region.clone(),
                op,
                known,
            }]);
        }
        let servers: Vec<ServerRef> = op.servers();
        if servers.is_empty() {
            return Err(choose_a_region("a new server"));
        }
        let mut region_of: HashMap<&str, &str> =
            servers.iter().map(|s| (s.id.as_str(), "")).collect();
        for r in self.servers.all_rows() {
            if let Some(slot) = region_of.get_mut(r.id()) {
                *slot = r.region();
            }
        }
        let mut by_region: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for s in &servers {
            match region_of.get(s.id.as_str()) {
                Some(&r) if !r.is_empty() => by_region.entry(r).or_default().push(s.id.clone()),
                _ => {
                    return Err(format!("{} is no longer listed; nothing was sent", s.name));
                }
            }
        }
        by_region
            .into_iter()
            .map(|(region, ids)| {
                let op = op
                    .narrowed_to(&ids)
                    .ok_or_else(|| format!("nothing to do in {region}; nothing was sent"))?;
                let known = known
                    .iter()
                    .filter(|(id, _)| ids.contains(id))
                    .map(|(id, k)| (id.clone(), k.clone()))
                    .collect();
                Ok(RegionOp {
                    region: region.to_owned(),
                    op,
                    known,
                })
            })
            .collect()
    }

    /// Under `all`, refuses what needs one region (a create, a resize, a region's other lists)
    /// with how to choose one; false in one region.
    pub(in crate::tui) fn needs_a_region(&mut self, what: &str) -> bool {
        if !self.is_all() {
            return false;
        }
        self.message = Some((Level::Info, choose_a_region(what)));
        true
    }

    /// The regions whose last read failed (under `all`).
    pub fn stale_regions(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter(|p| p.stale.is_some())
            .map(|p| p.region.as_str())
            .collect()
    }

    /// The lines under the all-regions table: each region not read yet or stale.
    pub fn region_lines(&self) -> Vec<RegionLine<'_>> {
        if self.view != View::Servers {
            return Vec::new();
        }
        self.parts
            .iter()
            .filter_map(|p| match (&p.stale, p.fetched_at) {
                (Some(s), _) => Some(RegionLine::Stale(&p.region, s)),
                (None, None) => Some(RegionLine::Loading(&p.region)),
                (None, Some(_)) => None,
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "regions_tests.rs"]
mod tests;
