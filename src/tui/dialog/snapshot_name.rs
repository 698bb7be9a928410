//! `n` on Servers: the name of a server snapshot (issue 17), one line pre-filled with
//! `<server>-<yyyymmdd-hhmm>` and checked against the EVS snapshot name rules as it is typed,
//! above the disks that will be snapshotted (read when it opens); `Enter` submits the set's
//! create, `Esc` sends nothing.

use chrono::{DateTime, Local, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::op_offer::refusal_of;
use super::server_disks::{ServerDisks, disk_line};
use super::{Dialog, Env, Outcome, checked_line};
use crate::read::source::{LoadError, Payload};
use crate::runner::snapshot::op::SnapshotOp;
use crate::runner::{Known, Op, ServerRef};
use crate::tui::app::messages::Level;
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotName {
    pub server: ServerRef,
    pub known: Known,
    pub input: LineInput,
    /// Why the name typed cannot be sent (`None`: it can).
    pub problem: Option<String>,
    /// The disks attached to the server: each gets a snapshot.
    pub disks: ServerDisks,
    /// The new set's id (made by the opener) and when it is taken.
    pub set_id: String,
    pub at: DateTime<Local>,
}

impl SnapshotName {
    /// Pre-filled with `<server>-<yyyymmdd-hhmm>` at `at` (the server's name cut so that it fits);
    /// its disks are being read.
    pub fn new(server: ServerRef, known: Known, at: DateTime<Local>, set_id: String) -> Self {
        let stamp = at.format("-%Y%m%d-%H%M").to_string();
        let room = MAX_CHARS - stamp.chars().count();
        let name: String = server.name.chars().take(room).collect();
        let mut d = SnapshotName {
            input: LineInput::new(&format!("{name}{stamp}")),
            server,
            known,
            problem: None,
            disks: ServerDisks::Reading,
            set_id,
            at,
        };
        d.problem = name_problem(&d.input.text);
        d
    }

    /// The set's create, of the disks read, under the name typed.
    pub fn op(&self, disks: &[crate::runner::snapshot::op::AttachedDisk]) -> Op {
        Op::Snapshot(SnapshotOp::Create {
            server: self.server.clone(),
            set_id: self.set_id.clone(),
            disks: disks.to_vec(),
            name: Some(self.input.text.trim().to_owned()),
            taken_at: self.at.with_timezone(&Utc),
        })
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
    /// Typing (checked at once); `Enter` submits a valid name once the disks are read (the
    /// runner's preconditions refuse what it would refuse); `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        if let Some(done) = checked_line::key(&mut self.input, &mut self.problem, key, name_problem)
        {
            return done;
        }
        let Some(disks) = self.disks.read() else {
            let why = self.disks.not_ready(&self.server.name).unwrap_or_default();
            return Outcome::Say(Level::Info, why);
        };
        let op = self.op(disks);
        match refusal_of(&op, &self.known) {
            Some(why) => Outcome::Refused(format!("{why}; nothing was sent")),
            None => Outcome::Submit(Box::new(op), self.known.clone()),
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let heading = format!(" snapshot {}", self.server.name);
        let mut lines =
            checked_line::lines(heading, &self.input.text, self.problem.as_deref(), styles);
        lines.push(Line::raw(""));
        match &self.disks {
            ServerDisks::Read(disks) if disks.is_empty() => lines.push(Line::styled(
                " no disk is attached: nothing to snapshot",
                styles.error,
            )),
            ServerDisks::Read(disks) => {
                lines.push(Line::styled(
                    format!(" one snapshot of each of its {} disk(s):", disks.len()),
                    styles.text,
                ));
                lines.extend(
                    disks
                        .iter()
                        .map(|d| Line::styled(format!("   {}", disk_line(d)), styles.text)),
                );
            }
            other => lines.push(Line::styled(
                format!(
                    " {}",
                    other.not_ready(&self.server.name).unwrap_or_default()
                ),
                styles.dim,
            )),
        }
        checked_line::frame("snapshot", "snapshot").popup(lines, styles, area, buf);
        None
    }

    fn answered(&mut self, answer: Result<Payload, LoadError>) {
        self.disks = ServerDisks::of(answer, &self.server.id);
    }
}

#[cfg(test)]
#[path = "snapshot_name_tests.rs"]
mod tests;
