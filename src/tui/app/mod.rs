//! The console's state and its reducer: `AppState::update(Msg) -> Vec<Effect>`, pure (no IO).

pub mod catalog_state;
pub(in crate::tui) mod dialogs;
pub(in crate::tui) mod keys;
pub mod messages;
pub(in crate::tui) mod mouse_keys;
pub(in crate::tui) mod ops;
mod pages;
mod profile_switch;
pub mod region_parts;
pub mod regions;
mod targets;
pub(in crate::tui) mod work;

#[cfg(test)]
mod extras_tests;
#[cfg(test)]
mod hints_tests;
#[cfg(test)]
mod work_tests;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Local};
use ratatui::layout::Rect;

use self::catalog_state::CatalogState;
pub use self::messages::Level;
use self::messages::MessageLog;
use super::dialog::Dialog;
use super::jobs::TaskBook;
use super::jobs::answer::{AskError, TaskDone};
use super::keymap::{Context, Key, Keymap};
use super::layout::Layout;
use super::line_input::LineInput;
use super::list::any::AnyList;
use super::list::registry::{LISTS, Slot, slot, spec_of};
use super::list::rows::{AzRow, RegionRow, ServerRow};
use super::list::{ListState, Stale};
use crate::read::source::{Detail, FetchRequest, LoadError, Payload, Scope, View, What};
use crate::runner::{Known, Op, Task, TaskEvent, TaskId};

/// Everything that reaches the UI loop, through its one channel.
#[derive(Debug, Clone)]
pub enum Msg {
    Key(Key),
    Resize(u16, u16),
    Loaded {
        seq: u64,
        result: Result<Payload, LoadError>,
        at: DateTime<Local>,
    },
    /// The refresh timer.
    Tick,
    /// A failed read's retry is due.
    Retry(Slot),
    /// The input ended: the console ends.
    Quit,
    /// A signal, or Ctrl-z: the state ends or redraws; the loop does the rest (run.rs).
    Signal(Signal),
    /// News of a task from the runner.
    Task(TaskEvent),
    /// The runner's answer to a submission: the task queued, or why nothing was sent.
    Submitted(Result<Arc<Task>, AskError>),
    /// The runner's list of every task (this run's and the journal's), for the Jobs pane.
    Tasks {
        result: Result<Vec<Arc<Task>>, AskError>,
        at: DateTime<Local>,
    },
    /// The runner's answer to a cancel or a retry: what it did, or why not.
    TaskAnswer(Result<TaskDone, AskError>),
    /// A click or the wheel (only with `[ui] mouse = true`).
    Mouse(super::mouse::Mouse),
    /// The loop is idle and `has_work`: one slice of a filtered view on its way.
    Work,
}

/// What a signal asks of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT: end, with the exit code 128 + the signal's number.
    End(i32),
    /// SIGTSTP or Ctrl-z: give the terminal back and stop until continued.
    Suspend,
    /// SIGCONT: the terminal may have been used meanwhile; draw everything again.
    Continued,
}

/// What the reducer asks the loop to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Fetch(FetchRequest),
    /// The person asked to read again (Ctrl-r): credentials the gateway refused may be tried.
    ResetCredentials,
    /// Hand an operation to the runner, to run in `region`, with what the console last saw of
    /// its servers.
    Submit {
        region: String,
        op: Box<Op>,
        known: Known,
    },
    /// Send `msg` back after `after`.
    Later {
        after: Duration,
        msg: LaterMsg,
    },
    SetTheme(String),
    /// The session's one read-only switch on or off (written to the audit log with `via`).
    SetReadOnly {
        on: bool,
        via: &'static str,
    },
    /// Ask the runner for every task (answered by `Msg::Tasks`).
    LoadTasks,
    /// Cancel a queued task (answered by `Msg::TaskAnswer`).
    CancelTask(TaskId),
    /// Re-submit the failed servers of a task (answered by `Msg::TaskAnswer`).
    RetryFailed {
        id: TaskId,
        known: Known,
    },
    Quit,
    /// Put the text on the terminal's clipboard (OSC 52).
    CopyToClipboard(String),
    /// End this console and open it again on another profile of the config.
    SwitchProfile(String),
}

/// Messages that can be scheduled (plain data, comparable in tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaterMsg {
    Retry(Slot),
}

/// Who and where: the header's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub profile: String,
    pub user: String,
    pub region: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Regions,
    Azs,
    Main,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a filter: applied as it is typed; `Enter` keeps it, `Esc` drops it.
    Filter(LineInput),
    Command(LineInput),
    Describe(Box<Describe>),
    /// A dialog is open: it takes the keys (`dialog/`).
    Dialog(Box<dyn Dialog>),
}

/// The describe view of one object: its row at once, every field when the fetch answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Describe {
    pub view: View,
    pub id: String,
    /// The region the object is in (its row's, under `:region all`).
    pub region: String,
    pub summary: Vec<(&'static str, String)>,
    pub detail: Option<Detail>,
    pub error: Option<LoadError>,
    pub raw: bool,
    pub scroll: usize,
    pub seq: u64,
}

/// A side pane: a short list with a highlight and the chosen entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Side {
    pub items: Vec<String>,
    pub cursor: usize,
    pub want: u64,
    pub error: Option<String>,
}

/// Refresh ticks between full re-reads of the servers list (the others re-read the visible rows).
pub const FULL_EVERY: u32 = 4;
const RETRY_BASE: Duration = Duration::from_secs(5);

pub struct AppState {
    pub session: Session,
    pub keymap: Keymap,
    pub themes: Vec<String>,
    pub view: View,
    pub focus: Focus,
    pub mode: Mode,
    pub help: Option<usize>,
    /// Region names; the pane shows `all` before them.
    pub regions: Side,
    /// Under `:region all`, each region's share of the servers list (empty otherwise).
    pub parts: Vec<self::region_parts::RegionPart>,
    /// AZ names; the pane shows `all` before them.
    pub azs: Side,
    pub az: Option<String>,
    pub servers: ListState<ServerRow>,
    /// Every other list of the registry (`list::registry::LISTS`) but the jobs, by its view.
    lists: Vec<(View, Box<dyn AnyList>)>,
    /// The last message, on the status line (cut to fit).
    pub message: Option<(Level, String)>,
    /// Every message of this run, whole (`:messages`).
    pub messages: MessageLog,
    /// Every task the console knows: the job strip, the rows' tasks and the Jobs pane (`5`).
    pub jobs: TaskBook,
    /// Flavors, images, networks and quotas for the create form and the resize picker.
    pub catalog: CatalogState,
    /// Read-only was set by the profile or `--read-only`: leaving it needs `:rw` typed.
    pub read_only_set: bool,
    pub size: (u16, u16),
    /// The config's profiles, for `:profile` (empty: no switching).
    pub profiles: Vec<String>,
    /// Whether the last update changed what the screen shows.
    pub dirty: bool,
    pub quit: bool,
    seq: u64,
    pub(super) ticks: u32,
    pub(super) retries: u32,
    /// The full servers reads whose pages are arriving.
    paging: Vec<self::pages::Paging>,
}

impl AppState {
    pub fn new(session: Session, keymap: Keymap, themes: Vec<String>, size: (u16, u16)) -> Self {
        AppState {
            regions: {
                // The pane shows `all` first, then the regions (this one until they are read).
                let one = session.region != self::region_parts::ALL;
                Side {
                    items: one.then(|| session.region.clone()).into_iter().collect(),
                    cursor: usize::from(one),
                    ..Side::default()
                }
            },
            parts: Vec::new(),
            read_only_set: session.read_only,
            session,
            keymap,
            themes,
            view: View::Servers,
            focus: Focus::Main,
            mode: Mode::Normal,
            help: None,
            azs: Side::default(),
            az: None,
            servers: ListState::default(),
            lists: LISTS
                .iter()
                .filter_map(|s| Some((s.view, (s.new_list?)())))
                .collect(),
            message: None,
            messages: MessageLog::default(),
            jobs: TaskBook::default(),
            catalog: CatalogState::default(),
            size,
            profiles: Vec::new(),
            dirty: true,
            quit: false,
            seq: 0,
            ticks: 0,
            retries: 0,
            paging: Vec::new(),
        }
    }

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

    /// Where each part of `area` is: the state's part of the layout is the regions' lines.
    pub fn layout_in(&self, area: Rect) -> Layout {
        Layout::of(area, self.region_lines().len())
    }

    /// The rows of the main table: the screen less its chrome and, under `:region all`, a line
    /// per region that is loading or stale.
    pub fn table_height(&self) -> usize {
        self.layout().rows().height.into()
    }

    /// The list of `view` (every view has one: the servers and the jobs are kept apart, the
    /// others are made from their specs).
    pub fn list(&self, view: View) -> &dyn AnyList {
        match view {
            View::Jobs => &self.jobs.list,
            v => match self.lists.iter().find(|(l, _)| *l == v) {
                Some((_, l)) => l.as_ref(),
                None => &self.servers,
            },
        }
    }

    pub fn list_mut(&mut self, view: View) -> &mut dyn AnyList {
        match view {
            View::Jobs => &mut self.jobs.list,
            v => match self.lists.iter_mut().find(|(l, _)| *l == v) {
                Some((_, l)) => l.as_mut(),
                None => &mut self.servers,
            },
        }
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

    pub(super) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
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
        }
        Effect::Fetch(FetchRequest { seq, region, what })
    }

    /// Reads a whole list again: in the region on screen, or under `:region all` the servers in
    /// every region (the other lists are read one region at a time).
    pub(super) fn full_fetch(&mut self, view: View) -> Vec<Effect> {
        if self.is_all() {
            return match view {
                View::Servers => self.fetch_parts(|_| true),
                View::Jobs => vec![self.load_tasks()],
                _ => Vec::new(),
            };
        }
        match spec_of(view).full.clone() {
            Some(what) => vec![self.fetch(what)],
            // The jobs are the runner's, not the gateway's.
            None => vec![self.load_tasks()],
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let said = self.message.clone();
        let effects = self.reduce(msg);
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
        let text = match &e.request_id {
            Some(id) => format!("{} (request id {id})", e.message),
            None => e.message.clone(),
        };
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
        self.full_fetch(view)
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
