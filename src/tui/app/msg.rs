//! What reaches the console's reducer (`Msg`) and what it asks the loop to do (`Effect`).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Local};

use crate::read::source::{FetchRequest, LoadError, Payload};
use crate::runner::{Known, Op, Task, TaskEvent, TaskId};
use crate::tui::jobs::answer::{AskError, TaskDone};
use crate::tui::keymap::Key;
use crate::tui::list::registry::Slot;

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
    Mouse(crate::tui::mouse::Mouse),
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
    /// Put a secret (a remote login URL) on the terminal's clipboard (OSC 52).
    CopySecret(crate::config::Secret),
    /// Hand a URL to `[ui] open_command`.
    OpenUrl(crate::config::Secret),
}

/// Messages that can be scheduled (plain data, comparable in tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LaterMsg {
    Retry(Slot),
}
