//! `b` on a snapshot set: roll its server back. The dialog says that every change since the set
//! was taken is discarded, shows the plan (stop if running → detach each → roll back each →
//! attach each at its device → start if it was running) once the server's disks are read, and
//! asks for the server's name to be typed; the runner's preconditions refuse a set whose disk is
//! not attached to the server. `Esc` (or an empty line) sends nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::listed;
use super::op_offer::refusal_of;
use super::server_disks::ServerDisks;
use super::typed_match::{self, Typed};
use super::{Dialog, Env, Outcome};
use crate::read::records::when;
use crate::read::snapshot_sets::SnapshotSet;
use crate::read::source::{LoadError, Payload};
use crate::runner::snapshot::op::{AttachedDisk, SetMember, SnapshotOp};
use crate::runner::{Known, Op, ServerRef};
use crate::tui::app::messages::Level;
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

/// Seconds a soft stop is given before the server is stopped hard (as `snapshots rollback`'s
/// `--soft-stop` default).
pub const SOFT_STOP_SECS: u64 = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRollback {
    pub set: SnapshotSet,
    pub server: ServerRef,
    pub known: Known,
    pub was_running: bool,
    /// The disks attached to the server now.
    pub disks: ServerDisks,
    pub input: LineInput,
    /// Why the last `Enter` sent nothing.
    pub error: Option<String>,
}

impl SnapshotRollback {
    pub fn new(set: SnapshotSet, server: ServerRef, known: Known, was_running: bool) -> Self {
        SnapshotRollback {
            set,
            server,
            known,
            was_running,
            disks: ServerDisks::Reading,
            input: LineInput::default(),
            error: None,
        }
    }

    /// The rollback of the set onto the disks read (`None` until they are): each member's disk
    /// at its device on the server, or as not attached to it.
    pub fn op(&self) -> Option<Op> {
        let attached = self.disks.read()?;
        let members = self
            .set
            .members
            .iter()
            .map(|m| {
                let here = attached.iter().find(|d| d.volume_id == m.volume_id);
                SetMember {
                    snapshot_id: m.snapshot_id.clone(),
                    snapshot_status: m.status.clone(),
                    disk: here.cloned().unwrap_or_else(|| AttachedDisk {
                        volume_id: m.volume_id.clone(),
                        name: m.volume_id.clone(),
                        device: m.device.clone().unwrap_or_default(),
                        bootable: false,
                        size_gb: m.size_gb,
                    }),
                    attached_to: here.map(|_| self.server.id.clone()),
                    disk_exists: true,
                }
            })
            .collect();
        Some(Op::Snapshot(SnapshotOp::Rollback {
            server: self.server.clone(),
            set_id: self.set.set.clone(),
            members,
            was_running: self.was_running,
            soft_stop_secs: SOFT_STOP_SECS,
        }))
    }

    /// The plan's steps, numbered; or why there is none yet.
    fn plan_lines(&self) -> Result<Vec<String>, String> {
        let Some(op) = self.op() else {
            return Err(self.disks.not_ready(&self.server.name).unwrap_or_default());
        };
        if let Some(why) = refusal_of(&op, &self.known) {
            return Err(format!("refused: {why}"));
        }
        Ok(crate::runner::task::plan(&op)
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {}", i + 1, s.describe()))
            .collect())
    }
}

impl Dialog for SnapshotRollback {
    /// Typing; `Enter` on the server's name submits the rollback (once the disks are read, unless
    /// the runner would refuse it); `Esc` or an empty line cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let expected = self.server.name.clone();
        match typed_match::key(
            &mut self.input,
            &mut self.error,
            &expected,
            "the server's name",
            key,
        ) {
            Typed::Done(outcome) => outcome,
            Typed::Other => Outcome::Ignored,
            Typed::Matched => {
                let Some(op) = self.op() else {
                    let why = self.disks.not_ready(&self.server.name).unwrap_or_default();
                    return Outcome::Say(Level::Info, why);
                };
                match refusal_of(&op, &self.known) {
                    Some(why) => Outcome::Refused(format!("{why}; nothing was sent")),
                    None => Outcome::Submit(Box::new(op), self.known.clone()),
                }
            }
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let mut lines = vec![
            Line::styled(
                format!(
                    " roll {} back to {} (taken {})?",
                    self.server.name,
                    self.set.name(),
                    when(&self.set.taken)
                ),
                styles.warning,
            ),
            Line::styled(
                " every change to its disks since then is discarded",
                styles.warning,
            ),
            Line::raw(""),
        ];
        // Room for the lines above and below the plan, and the borders.
        let room = area.height.saturating_sub(12) as usize;
        match self.plan_lines() {
            Ok(steps) => {
                lines.push(Line::styled(" the plan:", styles.text));
                lines.extend(listed(&steps, room, styles));
            }
            Err(why) => lines.push(Line::styled(format!(" {why}"), styles.error)),
        }
        lines.extend(typed_match::prompt(
            "the server's name",
            &self.server.name,
            &self.input,
            self.error.as_deref(),
            styles,
        ));
        typed_match::frame("roll back", "roll back", 60).popup(lines, styles, area, buf);
        None
    }

    fn answered(&mut self, answer: Result<Payload, LoadError>) {
        self.disks = ServerDisks::of(answer, &self.server.id);
    }
}
