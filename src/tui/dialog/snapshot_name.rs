//! The name of a server snapshot (issue 17): one line pre-filled with `<server>-<yyyymmdd-hhmm>`,
//! checked against the EVS snapshot name rules as it is typed; `Enter` submits the op the opener
//! makes from the name, `Esc` sends nothing. Not bound to a key until the snapshot op exists.

use chrono::{DateTime, Local};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::{Dialog, Env, Outcome, checked_line};
use crate::runner::{Known, Op, ServerRef};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

/// The longest snapshot name this dialog takes, in characters (the EVS console's; the API and the
/// simulator take up to 255 bytes).
pub const MAX_CHARS: usize = 64;
/// ... and in bytes (the Cinder API's limit).
pub const MAX_BYTES: usize = 255;
/// The prefix EVS keeps for the snapshots its backups make: such snapshots are restricted.
pub const RESERVED_PREFIX: &str = "autobk_snapshot";

/// Makes the op that snapshots `server` under the name typed.
pub type MakeOp = fn(&ServerRef, &str) -> Op;

#[derive(Debug, Clone)]
pub struct SnapshotName {
    pub server: ServerRef,
    pub known: Known,
    pub input: LineInput,
    /// Why the name typed cannot be sent (`None`: it can).
    pub problem: Option<String>,
    make: MakeOp,
}

impl SnapshotName {
    /// Pre-filled with `<server>-<yyyymmdd-hhmm>` at `at` (the server's name cut so that it fits).
    pub fn new(server: ServerRef, known: Known, at: DateTime<Local>, make: MakeOp) -> Self {
        let stamp = at.format("-%Y%m%d-%H%M").to_string();
        let room = MAX_CHARS - stamp.chars().count();
        let name: String = server.name.chars().take(room).collect();
        let mut d = SnapshotName {
            input: LineInput::new(&format!("{name}{stamp}")),
            server,
            known,
            problem: None,
            make,
        };
        d.problem = name_problem(&d.input.text);
        d
    }
}

/// Why EVS would refuse `name` for a snapshot, in words a person can act on; `None`: it would not.
pub fn name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if name.trim().is_empty() {
        return Some("give the snapshot a name".to_owned());
    }
    if chars > MAX_CHARS {
        return Some(format!(
            "the name has {chars} characters: at most {MAX_CHARS}"
        ));
    }
    if name.len() > MAX_BYTES {
        return Some(format!(
            "the name has {} bytes: at most {MAX_BYTES}",
            name.len()
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some(format!("the name has the control character {c:?}"));
    }
    if name.starts_with(RESERVED_PREFIX) {
        return Some(format!(
            "names starting with {RESERVED_PREFIX} are kept for EVS backups"
        ));
    }
    None
}

impl Dialog for SnapshotName {
    /// Typing (checked at once); `Enter` submits a valid name; `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        checked_line::key(&mut self.input, &mut self.problem, key, name_problem).unwrap_or_else(
            || {
                let op = (self.make)(&self.server, &self.input.text);
                Outcome::Submit(Box::new(op), self.known.clone())
            },
        )
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let heading = format!(" snapshot {}", self.server.name);
        let lines = checked_line::lines(heading, &self.input.text, self.problem.as_deref(), styles);
        checked_line::frame("snapshot", "snapshot").popup(lines, styles, area, buf);
        None
    }
}

/// Two dialogs are the same when they show the same (the op they make is not compared).
impl PartialEq for SnapshotName {
    fn eq(&self, other: &Self) -> bool {
        (&self.server, &self.known, &self.input, &self.problem)
            == (&other.server, &other.known, &other.input, &other.problem)
    }
}

#[cfg(test)]
#[path = "snapshot_name_tests.rs"]
mod tests;
