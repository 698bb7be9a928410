//! The console's state: `AppState` and its fields, the session, the focus and the mode.

use chrono::{DateTime, Local};

use super::catalog_state::CatalogState;
use super::messages::{Level, MessageLog};
use super::region_parts;
use crate::read::source::{Detail, LoadError, View};
use crate::tui::dialog::Dialog;
use crate::tui::jobs::TaskBook;
use crate::tui::keymap::Keymap;
use crate::tui::line_input::LineInput;
use crate::tui::list::ListState;
use crate::tui::list::any::AnyList;
use crate::tui::list::registry::LISTS;
use crate::tui::list::rows::{HostRow, ServerRow};
use crate::tui::recall::Recall;

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
    /// `/` in the describe: the words looked for (`find.rs`).
    pub find: Option<super::find_state::Find>,
}

impl Describe {
    /// The describe of `id` in `region`, at its top, nothing looked for yet: its row's cells
    /// (`summary`), and `detail` when it is known at once (else it is fetched).
    pub fn new(
        view: View,
        id: String,
        region: String,
        summary: Vec<(&'static str, String)>,
        detail: Option<Detail>,
        raw: bool,
    ) -> Self {
        Describe {
            view,
            id,
            region,
            summary,
            detail,
            error: None,
            raw,
            scroll: 0,
            seq: 0,
            find: None,
        }
    }
}

/// A side pane: a short list with a highlight and the chosen entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Side {
    pub items: Vec<String>,
    pub cursor: usize,
    pub want: u64,
    pub error: Option<String>,
}

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
    /// The side panes are folded away (`Ctrl-b`), for the rest of the session.
    pub side_folded: bool,
    /// The filters and the commands entered this session (Up/Down at `/` and `:`).
    pub filter_recall: Recall,
    pub command_recall: Recall,
    /// The filter the list had when `/` opened the line: an invalid one entered leaves it.
    pub(super) filter_before: String,
    /// Where a list opened by its command only (`:flavors`, `:quotas`…) came from: `Esc` goes
    /// back there (the list and the focus; each list keeps its selection).
    pub(super) back_to: Option<(View, Focus)>,
    /// The task a "queued: …" on the status line is about, and that line: it goes when the
    /// task ends (unless another message took its place).
    pub(in crate::tui) queued_note: Option<(crate::runner::TaskId, String)>,
    pub servers: ListState<ServerRow>,
    /// The Hyper-V hosts, made of the servers (`app::hosts`).
    pub hosts: ListState<HostRow>,
    /// How many servers read carry no host (the gateway hides `OS-EXT-SRV-ATTR:host`).
    pub hosts_without: usize,
    /// The servers the hosts were last made of: when they were read, and how many.
    pub(super) hosts_of: Option<(Option<chrono::DateTime<chrono::Local>>, usize)>,
    /// The optional server columns shown (`:columns`; `list::rows::OPTIONAL_COLUMNS`).
    pub columns: Vec<&'static str>,
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
    /// The time as the loop last set it (before each message): what the reducer stamps things
    /// with, as it reads no clock of its own (`update` stays a function of state and message).
    pub clock: DateTime<Local>,
    seq: u64,
    /// The newest read the open dialog asked for (`Slot::Dialog`).
    pub(super) dialog_seq: u64,
    pub(super) ticks: u32,
    pub(super) retries: u32,
    /// The full servers reads whose pages are arriving.
    pub(super) paging: Vec<super::paging::Paging>,
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
            side_folded: false,
            filter_recall: Recall::default(),
            command_recall: Recall::default(),
            filter_before: String::new(),
            back_to: None,
            queued_note: None,
            servers: ListState::default(),
            hosts: ListState::default(),
            hosts_without: 0,
            hosts_of: None,
            columns: Vec::new(),
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
            clock: DateTime::default(),
            seq: 0,
            dialog_seq: 0,
            ticks: 0,
            retries: 0,
            paging: Vec::new(),
        }
    }

    /// The list of `view` (every view has one: the servers and the jobs are kept apart, the
    /// others are made from their specs).
    pub fn list(&self, view: View) -> &dyn AnyList {
        match view {
            View::Jobs => &self.jobs.list,
            View::Hosts => &self.hosts,
            v => match self.lists.iter().find(|(l, _)| *l == v) {
                Some((_, l)) => l.as_ref(),
                None => &self.servers,
            },
        }
    }

    pub fn list_mut(&mut self, view: View) -> &mut dyn AnyList {
        match view {
            View::Jobs => &mut self.jobs.list,
            View::Hosts => &mut self.hosts,
            v => match self.lists.iter_mut().find(|(l, _)| *l == v) {
                Some((_, l)) => l.as_mut(),
                None => &mut self.servers,
            },
        }
    }

    pub(super) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }
}
