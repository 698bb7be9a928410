//! The console's state and its reducer: `AppState::update(Msg) -> Vec<Effect>`, pure (no IO).

pub mod catalog_state;
mod columns;
pub(in crate::tui) mod dialogs;
pub(in crate::tui) mod disks;
pub mod find;
mod find_state;
mod habits;
pub(in crate::tui) mod hosts;
mod images;
mod in_error;
pub(in crate::tui) mod keys;
pub mod messages;
pub(in crate::tui) mod mouse_keys;
mod msg;
pub(in crate::tui) mod ops;
mod pages;
mod paging;
mod profile_switch;
pub mod region_parts;
pub mod regions;
mod remote_login;
mod server_tags;
mod snapshots;
mod state;
mod targets;
pub(in crate::tui) mod work;

#[cfg(test)]
mod extras_tests;
#[cfg(test)]
mod fit_tests;
#[cfg(test)]
mod habits_tests;
#[cfg(test)]
mod hints_tests;
#[cfg(test)]
mod work_tests;

use std::time::Duration;

use chrono::{DateTime, Local};
use ratatui::layout::Rect;

pub use self::messages::Level;
pub use self::msg::{Effect, LaterMsg, Msg, Signal};
pub use self::state::{AppState, Describe, Focus, Mode, Session, Side};
use super::keymap::Context;
use super::layout::Layout;
use super::list::any::AnyList;
use super::list::registry::{LISTS, Slot, slot, spec_of};
use super::list::rows::{AzRow, RegionRow, ServerRow};
use super::list::{ListState, Stale};
use crate::read::source::{FetchRequest, LoadError, Payload, Scope, View, What};

/// Refresh ticks between full re-reads of the servers list (the others re-read the visible rows).
pub const FULL_EVERY: u32 = 4;
const RETRY_BASE: Duration = Duration::from_secs(5);

impl AppState {
    /// The first reads: regions, the region's AZs, its servers (under `all`, the servers of
    /// each region once the regions are known).
    pub fn start(&mut self) -> Vec<Effect> {
        if self.is_all() {
            return vec![self.fetch(What::Regions)];
        }
        vec![
            self.fetch(What::Regions),
            self.fetch(What::Azs),
            self.fetch(What::Servers(Scope::All)),
        ]
    }

    /// Where each part of the screen is, on the screen of `self.size`.
    pub fn layout(&self) -> Layout {
        self.layout_in(Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// Where each part of `area` is: the state's part of the layout is the regions' lines and
    /// whether the side panes are folded. The views draw and the mouse hits by this one layout.
    pub fn layout_in(&self, area: Rect) -> Layout {
        Layout::of(area, self.region_lines().len(), self.side_folded)
    }

    /// The rows of the main table: the screen less its chrome and, under `:region all`, a line
    /// per region that is loading or stale.
    pub fn table_height(&self) -> usize {
        self.layout().rows().height.into()
    }

    /// A list with its row type (`None` when `view`'s rows are not `R`).
    pub fn typed<R: super::list::rows::Row + 'static>(&self, view: View) -> Option<&ListState<R>> {
        self.list(view).as_any().downcast_ref()
    }

    pub(super) fn current(&mut self) -> &mut dyn AnyList {
        self.list_mut(self.view)
    }

    /// The keymap context the keys are read in now.
    pub fn context(&self) -> Context {
        match (&self.mode, self.focus) {
            (Mode::Describe(_), _) => Context::Describe,
            (Mode::Dialog(d), _) if d.is_form() => Context::Form,
            (_, Focus::Main) => Context::List(self.view),
            _ => Context::Side,
        }
    }

    /// A read in the region on screen.
    pub(super) fn fetch(&mut self, what: What) -> Effect {
        self.fetch_in(self.session.region.clone(), what)
    }

    /// A read in `region`; it becomes the newest of its slot.
    pub(super) fn fetch_in(&mut self, region: String, what: What) -> Effect {
        let seq = self.next_seq();
        match slot(&what) {
            Slot::Regions => self.regions.want = seq,
            Slot::Azs => self.azs.want = seq,
            Slot::List(v) => {
                let m = self.list_mut(v).meta_mut();
                *m.want = seq;
                *m.loading = true;
            }
            Slot::Detail => {
                if let Mode::Describe(d) = &mut self.mode {
                    d.seq = seq;
                }
            }
            Slot::Catalog => {
                self.catalog.want = seq;
                self.catalog.loading = true;
            }
            Slot::Dialog => self.dialog_seq = seq,
        }
        Effect::Fetch(FetchRequest { seq, region, what })
    }

    /// Reads a whole list again: in the region on screen, or under `:region all` the servers in
    /// every region (the other lists are read one region at a time).
    pub(super) fn full_fetch(&mut self, view: View) -> Vec<Effect> {
        if self.is_all() {
            return match view {
                View::Servers | View::Hosts => self.fetch_parts(|_| true),
                View::Jobs => vec![self.load_tasks()],
                _ => Vec::new(),
            };
        }
        match spec_of(view).full.clone() {
            Some(what) => vec![self.fetch(what)],
            // The hosts are made of the servers.
            None if view == View::Hosts => self.full_fetch(View::Servers),
            // The jobs are the runner's, not the gateway's.
            None => vec![self.load_tasks()],
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let said = self.message.clone();
        let effects = self.reduce(msg);
        self.sync_hosts();
        if self.message != said
            && let Some((level, text)) = &self.message
        {
            self.messages.push(*level, text);
        }
        effects
    }

    /// Shows a message on the status line and keeps it in the log (for the loop's own news).
    pub fn tell(&mut self, level: Level, text: String) {
        self.messages.push(level, &text);
        self.message = Some((level, text));
    }

    fn reduce(&mut self, msg: Msg) -> Vec<Effect> {
        self.dirty = true;
        self.finish_work(&msg);
        match msg {
            Msg::Key(k) => self.on_key(k),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                let height = self.table_height();
                self.current().scroll(height);
                Vec::new()
            }
            Msg::Loaded { seq, result, at } => self.on_loaded(seq, result, at),
            Msg::Tick => self.on_tick(),
            Msg::Retry(slot) => self.on_retry(slot),
            Msg::Quit | Msg::Signal(Signal::End(_)) => {
                self.quit = true;
                vec![Effect::Quit]
            }
            // The loop takes the terminal again and redraws all of it.
            Msg::Signal(Signal::Suspend | Signal::Continued) => Vec::new(),
            Msg::Task(ev) => self.on_task_event(ev),
            Msg::Submitted(result) => self.on_submitted(result),
            Msg::Tasks { result, at } => self.on_tasks(result, at),
            Msg::TaskAnswer(result) => self.on_task_answer(result),
            Msg::Mouse(m) => self.on_mouse(m),
            Msg::Work => {
                self.on_work();
                Vec::new()
            }
        }
    }

    // --- answers -----------------------------------------------------------------------------

    fn on_loaded(
        &mut self,
        seq: u64,
        result: Result<Payload, LoadError>,
        at: DateTime<Local>,
    ) -> Vec<Effect> {
        let result = match result {
            Ok(page @ (Payload::ServerPage { .. } | Payload::ServerPagesEnd { .. })) => {
                return self.on_server_pages(seq, page, at);
            }
            other => other,
        };
        if result.is_err() {
            self.drop_paging(seq);
        }
        if let Some(i) = self.part_of(seq) {
            return self.on_part_loaded(i, result, at);
        }
        let slot = match self.slot_of(seq) {
            Some(s) => s,
            None => {
                self.dirty = false;
                return Vec::new();
            }
        };
        if slot == Slot::Dialog {
            if let Mode::Dialog(d) = &mut self.mode {
                d.answered(result);
            }
            return Vec::new();
        }
        let payload = match result {
            Ok(p) => p,
            Err(e) => return self.on_failed(slot, e),
        };
        self.retries = 0;
        let height = self.table_height();
        let mut effects = Vec::new();
        match payload {
            Payload::Regions(rows) => {
                self.regions.items = rows.into_iter().map(|r: RegionRow| r.id).collect();
                self.regions.cursor = self.region_row();
                self.regions.error = None;
                effects.extend(self.adopt_regions());
            }
            Payload::Azs(rows) => {
                self.azs.items = rows.into_iter().map(|a: AzRow| a.name).collect();
                self.azs.error = None;
            }
            Payload::Servers { scope, rows, total } => {
                // Each row says the region it was read in (the REGION column, `region:`).
                let region = &self.session.region;
                let rows: Vec<ServerRow> = rows
                    .into_iter()
                    .map(|f| ServerRow::read_in(f, region))
                    .collect();
                match scope {
                    Scope::All => self.servers.set_rows(rows, at),
                    Scope::Ids(ids) => {
                        self.servers.merge_rows(&ids, rows, at);
                        if total.is_some_and(|t| t != self.servers.total()) {
                            effects.extend(self.full_fetch(View::Servers));
                        }
                    }
                }
            }
            Payload::Detail(d) => {
                let d = self.with_image_servers(d);
                if let Mode::Describe(desc) = &mut self.mode {
                    desc.detail = Some(d);
                    desc.error = None;
                }
            }
            Payload::Catalog(c) => {
                self.catalog.loading = false;
                self.catalog.region = self.session.region.clone();
                self.catalog.data = Some(*c);
                self.catalog.error = None;
                self.catalog_arrived();
            }
            // A list's rows: made by its row type.
            other => {
                if let Slot::List(v) = slot {
                    let azs = self.azs.items.clone();
                    self.list_mut(v).fill(other, &azs, at);
                }
            }
        }
        if let Slot::List(v) = slot {
            let az = self.az.clone();
            if spec_of(v).az_scoped {
                self.list_mut(v).set_az(az.as_deref());
            }
            self.list_mut(v).scroll(height);
        }
        effects
    }

    /// The slot a sequence number is the newest request of, if it still is.
    fn slot_of(&self, seq: u64) -> Option<Slot> {
        if self.regions.want == seq {
            return Some(Slot::Regions);
        }
        if self.azs.want == seq {
            return Some(Slot::Azs);
        }
        if self.catalog.want == seq {
            return Some(Slot::Catalog);
        }
        if let Some(s) = LISTS
            .iter()
            .find(|s| s.full.is_some() && self.list(s.view).state().want == seq)
        {
            return Some(Slot::List(s.view));
        }
        match &self.mode {
            Mode::Describe(d) if d.seq == seq => Some(Slot::Detail),
            Mode::Dialog(_) if self.dialog_seq == seq => Some(Slot::Dialog),
            _ => None,
        }
    }

    /// When the next retry of a failed read is due (5 s, doubling to 40 s while reads fail).
    pub(super) fn retry_later(&mut self, slot: Slot) -> Effect {
        self.retries = (self.retries + 1).min(4);
        Effect::Later {
            after: RETRY_BASE * (1 << (self.retries - 1)),
            msg: LaterMsg::Retry(slot),
        }
    }

    /// A read failed: rows stay (marked stale, with the error and request id), and it is retried.
    fn on_failed(&mut self, slot: Slot, e: LoadError) -> Vec<Effect> {
        let text = e.quoted();
        self.messages.push(Level::Error, &text);
        match slot {
            Slot::Regions => self.regions.error = Some(text),
            Slot::Azs => self.azs.error = Some(text),
            Slot::Detail => {
                if let Mode::Describe(d) = &mut self.mode {
                    d.error = Some(e);
                }
                return Vec::new();
            }
            Slot::Catalog => {
                self.catalog.loading = false;
                self.catalog.error = Some(text);
                return Vec::new();
            }
            // Answered in `on_loaded`, to the dialog.
            Slot::Dialog => return Vec::new(),
            Slot::List(v) => {
                let m = self.list_mut(v).meta_mut();
                *m.stale = Some(Stale {
                    error: e.message,
                    request_id: e.request_id,
                });
                *m.loading = false;
            }
        }
        vec![self.retry_later(slot)]
    }

    fn on_retry(&mut self, slot: Slot) -> Vec<Effect> {
        if self.is_all() && slot == Slot::List(View::Servers) {
            return self.retry_parts();
        }
        match slot {
            Slot::Regions if self.regions.error.is_some() => vec![self.fetch(What::Regions)],
            Slot::Azs if self.azs.error.is_some() => vec![self.fetch(What::Azs)],
            Slot::List(v)
                if self.list(v).state().stale.is_some() && !self.list(v).state().loading =>
            {
                self.full_fetch(v)
            }
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// The refresh timer: the rows on screen often, the whole list every `FULL_EVERY` ticks.
    fn on_tick(&mut self) -> Vec<Effect> {
        self.dirty = false;
        if self.is_all() {
            return self.tick_parts();
        }
        let view = self.view;
        let meta = self.list(view).state();
        if meta.loading || meta.fetched_at.is_none() {
            return Vec::new();
        }
        self.ticks += 1;
        if view == View::Servers && !self.ticks.is_multiple_of(FULL_EVERY) {
            let ids = self.servers.page_ids(self.table_height());
            if ids.is_empty() {
                return self.full_fetch(view);
            }
            return vec![self.fetch(What::Servers(Scope::Ids(ids)))];
        }
        if view == View::Hosts && !self.ticks.is_multiple_of(FULL_EVERY) {
            // The hosts need every server: read as rarely as the servers' whole list.
            return Vec::new();
        }
        self.full_fetch(view)
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "hosts_tests.rs"]
mod hosts_tests;
