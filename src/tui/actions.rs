//! The registry of actions: each with its name, default keys, description, `dangerous` tag,
//! hint word and where it applies (panes, and which lists). `keymap.rs` binds keys to them.

use serde::{Deserialize, Serialize};

use crate::read::source::View;

/// Everything a key can do while browsing. Operations (start, stop, …) join in a later issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Down,
    Up,
    Top,
    Bottom,
    PageDown,
    PageUp,
    NextPane,
    PrevPane,
    PaneLeft,
    PaneRight,
    Servers,
    Images,
    Snapshots,
    Disks,
    Command,
    Filter,
    SortNext,
    SortReverse,
    Describe,
    Back,
    RawJson,
    Mark,
    MarkAll,
    ClearMarks,
    Refresh,
    Help,
    Quit,
    Start,
    Stop,
    HardStop,
    Reboot,
    HardReboot,
    ToggleReadOnly,
    Create,
    Resize,
    Jobs,
    Delete,
    Rename,
    CancelTask,
    RetryFailed,
    CopyId,
    RemoteLogin,
    Attach,
    Detach,
    Expand,
    /// `i` on Servers: a private image of the selected server.
    MakeImage,
    /// `n` on Servers: a snapshot set of the selected server's disks.
    SnapshotServer,
    /// `b` on Snapshots: roll the set's server back to it.
    Rollback,
    /// `T` on Servers: add and remove tags of the selected or marked servers.
    Tags,
    /// `Ctrl-b`: fold or unfold the side panes (regions, AZs).
    FoldPanes,
}

/// Where the keys are read now, so that help, hints and dispatch agree on what works here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The list of this view in the main pane.
    List(View),
    /// The regions or AZs pane.
    Side,
    /// The describe view.
    Describe,
    /// A form or picker (create, resize): its keys are its own.
    Form,
}

/// The kinds of place an action works in (a `Context` without its view).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// A list in the main pane (those of `ActionInfo::views`).
    List,
    Side,
    Describe,
}

const SERVERS: &[View] = &[View::Servers];
const JOBS: &[View] = &[View::Jobs];
const SERVERS_DISKS: &[View] = &[View::Servers, View::Disks];
const SERVERS_IMAGES_DISKS: &[View] = &[View::Servers, View::Images, View::Disks];
const DISKS: &[View] = &[View::Disks];
const SNAPSHOTS: &[View] = &[View::Snapshots];
const SERVERS_IMAGES_SNAPSHOTS_DISKS: &[View] =
    &[View::Servers, View::Images, View::Snapshots, View::Disks];

/// One entry of the registry.
#[derive(Debug, Clone, Copy)]
pub struct ActionInfo {
    pub action: Action,
    pub name: &'static str,
    pub keys: &'static [&'static str],
    pub description: &'static str,
    /// Changes or destroys something: hidden in read-only mode, always confirmed.
    pub dangerous: bool,
    /// Its word in the hint bar; empty: shown only in help.
    pub hint: &'static str,
    pub panes: &'static [Pane],
    /// The lists it applies to when the main pane has the focus (`None`: every list).
    pub views: Option<&'static [View]>,
}

impl ActionInfo {
    /// Whether the action does something in this context (read-only aside).
    pub fn applies(&self, context: Context) -> bool {
        match context {
            Context::List(v) => {
                self.panes.contains(&Pane::List) && self.views.is_none_or(|vs| vs.contains(&v))
            }
            Context::Side => self.panes.contains(&Pane::Side),
            Context::Describe => self.panes.contains(&Pane::Describe),
            Context::Form => false,
        }
    }

    /// The same action, on these lists only.
    const fn on(self, views: &'static [View]) -> ActionInfo {
        ActionInfo {
            views: Some(views),
            ..self
        }
    }
}

use Pane::{Describe as D, List as L, Side as S};

const fn info(
    action: Action,
    name: &'static str,
    keys: &'static [&'static str],
    description: &'static str,
    hint: &'static str,
    panes: &'static [Pane],
) -> ActionInfo {
    ActionInfo {
        action,
        name,
        keys,
        description,
        dangerous: false,
        hint,
        panes,
        views: None,
    }
}

/// An action on servers that changes something and must be confirmed; hidden in read-only mode.
const fn dangerous(
    action: Action,
    name: &'static str,
    keys: &'static [&'static str],
    description: &'static str,
    hint: &'static str,
) -> ActionInfo {
    ActionInfo {
        dangerous: true,
        ..info(action, name, keys, description, hint, &[L]).on(SERVERS)
    }
}

/// The registry, in the order help lists it.
pub static REGISTRY: &[ActionInfo] = &[
    info(
        Action::Down,
        "down",
        &["j", "down"],
        "move down",
        "",
        &[L, S, D],
    ),
    info(Action::Up, "up", &["k", "up"], "move up", "", &[L, S, D]),
    info(
        Action::Top,
        "top",
        &["g", "home"],
        "go to the first row",
        "",
        &[L, S, D],
    ),
    info(
        Action::Bottom,
        "bottom",
        &["G", "end"],
        "go to the last row",
        "",
        &[L, S, D],
    ),
    info(
        Action::PageDown,
        "page_down",
        &["pgdn", "ctrl-f"],
        "next page",
        "",
        &[L, D],
    ),
    info(
        Action::PageUp,
        "page_up",
        &["pgup"],
        "previous page",
        "",
        &[L, D],
    ),
    info(
        Action::NextPane,
        "next_pane",
        &["tab"],
        "next pane",
        "",
        &[L, S],
    ),
    info(
        Action::PrevPane,
        "prev_pane",
        &["shift-tab"],
        "previous pane",
        "",
        &[L, S],
    ),
    info(
        Action::PaneLeft,
        "pane_left",
        &["h", "left"],
        "to the side panes",
        "",
        &[L],
    ),
    info(
        Action::PaneRight,
        "pane_right",
        &["l", "right"],
        "to the main pane",
        "",
        &[S],
    ),
    info(
        Action::Servers,
        "servers",
        &["1"],
        "show servers",
        "",
        &[L, S],
    ),
    info(Action::Images, "images", &["2"], "show images", "", &[L, S]),
    info(
        Action::Snapshots,
        "snapshots",
        &["3"],
        "show snapshots",
        "",
        &[L, S],
    ),
    info(Action::Disks, "disks", &["4"], "show disks", "", &[L, S]),
    info(
        Action::Jobs,
        "jobs",
        &["5"],
        "show jobs (tasks)",
        "",
        &[L, S],
    ),
    info(
        Action::Command,
        "command",
        &[":"],
        "command line",
        "command",
        &[L, S, D],
    ),
    info(
        Action::Filter,
        "filter",
        &["/"],
        "filter (in a describe: search, n/N)",
        "filter",
        &[L, D],
    ),
    info(
        Action::SortNext,
        "sort_next",
        &["o"],
        "sort by the next column",
        "sort",
        &[L],
    ),
    info(
        Action::SortReverse,
        "sort_reverse",
        &["O"],
        "reverse the sort",
        "",
        &[L],
    ),
    info(
        Action::Describe,
        "describe",
        &["enter"],
        "describe / choose",
        "details",
        &[L, S],
    ),
    info(
        Action::Back,
        "back",
        &["esc"],
        "back; clear the filter, then the marks",
        "back",
        &[L, S, D],
    ),
    info(
        Action::RawJson,
        "raw_json",
        &["J"],
        "raw JSON of the selection",
        "json",
        &[L, D],
    ),
    info(Action::Mark, "mark", &["space"], "mark", "mark", &[L]),
    info(
        Action::Start,
        "start",
        &["s"],
        "start (marked rows, else the selection)",
        "start",
        &[L],
    )
    .on(SERVERS),
    dangerous(Action::Stop, "stop", &["x"], "stop (soft)", "stop"),
    dangerous(
        Action::HardStop,
        "hard_stop",
        &["X"],
        "stop (hard: power off)",
        "",
    ),
    dangerous(Action::Reboot, "reboot", &["r"], "reboot (soft)", "reboot"),
    dangerous(
        Action::HardReboot,
        "hard_reboot",
        &["R"],
        "reboot (hard: reset)",
        "",
    ),
    dangerous(
        Action::Delete,
        "delete",
        &["D"],
        "delete (type the name, or the count)",
        "delete",
    )
    .on(SERVERS_IMAGES_SNAPSHOTS_DISKS),
    info(
        Action::Rename,
        "rename",
        &["e"],
        "rename the selected server, image, set or disk",
        "",
        &[L],
    )
    .on(SERVERS_IMAGES_SNAPSHOTS_DISKS),
    info(
        Action::CancelTask,
        "cancel_task",
        &["C"],
        "cancel a queued task",
        "cancel",
        &[L],
    )
    .on(JOBS),
    info(
        Action::RetryFailed,
        "retry_failed",
        &["t"],
        "re-submit what failed; finish a rollback",
        "retry",
        &[L],
    )
    .on(JOBS),
    info(
        Action::Create,
        "create",
        &["c"],
        "create a server, from an image, a disk",
        "create",
        &[L],
    )
    .on(SERVERS_IMAGES_DISKS),
    dangerous(
        Action::Resize,
        "resize",
        &["z"],
        "resize the selected server",
        "",
    ),
    info(
        Action::MakeImage,
        "make_image",
        &["i"],
        "private image of the selected server",
        "image",
        &[L],
    )
    .on(SERVERS),
    info(
        Action::SnapshotServer,
        "snapshot",
        &["n"],
        "snapshot a server (its disks, as one set)",
        "snapshot",
        &[L],
    )
    .on(SERVERS),
    dangerous(
        Action::Rollback,
        "rollback",
        &["b"],
        "roll the set's server back to it",
        "rollback",
    )
    .on(SNAPSHOTS),
    info(
        Action::MarkAll,
        "mark_all",
        &["*"],
        "mark all shown",
        "",
        &[L],
    ),
    info(
        Action::ClearMarks,
        "clear_marks",
        &["ctrl-u"],
        "clear marks",
        "",
        &[L],
    ),
    info(
        Action::Refresh,
        "refresh",
        &["ctrl-r"],
        "refresh now",
        "refresh",
        &[L, S, D],
    ),
    info(
        Action::ToggleReadOnly,
        "toggle_read_only",
        &["ctrl-t"],
        "toggle read-only",
        "",
        &[L, S, D],
    ),
    info(
        Action::CopyId,
        "copy_id",
        &["Y"],
        "copy the selected id (OSC 52)",
        "",
        &[L, D],
    ),
    info(
        Action::RemoteLogin,
        "remote_login",
        &["v"],
        "remote login: a one-time URL",
        "",
        &[L],
    )
    .on(SERVERS),
    info(
        Action::Attach,
        "attach",
        &["a"],
        "attach a disk (pick the disk/server)",
        "attach",
        &[L],
    )
    .on(SERVERS_DISKS),
    ActionInfo {
        dangerous: true,
        ..info(
            Action::Detach,
            "detach",
            &["d"],
            "detach a disk (pick it, then confirm)",
            "detach",
            &[L],
        )
        .on(SERVERS_DISKS)
    },
    info(
        Action::Expand,
        "expand",
        &["+"],
        "expand the selected disk (only grows)",
        "expand",
        &[L],
    )
    .on(DISKS),
    info(
        Action::Tags,
        "tags",
        &["T"],
        "tags of the servers: k=v adds, -k removes",
        "",
        &[L],
    )
    .on(SERVERS),
    info(Action::Help, "help", &["?"], "help", "help", &[L, S, D]),
    info(
        Action::Quit,
        "quit",
        &["q", "ctrl-c"],
        "quit",
        "quit",
        &[L, S, D],
    ),
    info(
        Action::FoldPanes,
        "fold_panes",
        &["ctrl-b"],
        "fold / unfold the side panes (regions, AZs)",
        "panes",
        &[L, S, D],
    ),
];

pub fn info_of(action: Action) -> &'static ActionInfo {
    REGISTRY
        .iter()
        .find(|i| i.action == action)
        .unwrap_or(&REGISTRY[0])
}
