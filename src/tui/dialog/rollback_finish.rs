//! `t` on a rollback task that failed or was interrupted: finish it, as `hvecs jobs resume TASK`
//! does. Once the server's disks are read, it shows what the plan left undone (each disk of the
//! set not attached, to go back at its device; the server to start if it ran) and `y` submits
//! the runner's `Finish`; `n`, `Esc` and `Enter` cancel (the default).

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::{Frame, listed};
use super::server_disks::{ServerDisks, disk_line};
use super::{Dialog, Env, Outcome};
use crate::read::source::{LoadError, Payload};
use crate::runner::snapshot::op::{AttachedDisk, SnapshotOp};
use crate::runner::{Known, Op, ServerRef};
use crate::tui::app::messages::Level;
use crate::tui::keymap::Key;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollbackFinish {
    /// The rollback task's id.
    pub of_task: String,
    pub server: ServerRef,
    pub known: Known,
    /// The disks of the set, where they belong.
    pub members: Vec<AttachedDisk>,
    /// The server is to be started (it ran before the rollback and is not ACTIVE now).
    pub start: bool,
    /// The disks attached to the server now.
    pub disks: ServerDisks,
}

impl RollbackFinish {
    pub fn new(
        of_task: String,
        server: ServerRef,
        known: Known,
        members: Vec<AttachedDisk>,
        start: bool,
    ) -> Self {
        RollbackFinish {
            of_task,
            server,
            known,
            members,
            start,
            disks: ServerDisks::Reading,
        }
    }

    /// The finish of what is left (`None` until the disks are read): the disks of the set not
    /// attached to the server, and the start.
    pub fn op(&self) -> Option<Op> {
        let attached = self.disks.read()?;
        let attach = self
            .members
            .iter()
            .filter(|m| !attached.iter().any(|d| d.volume_id == m.volume_id))
            .cloned()
            .collect();
        Some(Op::Snapshot(SnapshotOp::Finish {
            server: self.server.clone(),
            of_task: self.of_task.clone(),
            attach,
            start: self.start,
        }))
    }

    /// What the finish does, one line each (empty: nothing is left).
    fn steps(op: &Op) -> Vec<String> {
        let Op::Snapshot(SnapshotOp::Finish {
            server,
            attach,
            start,
            ..
        }) = op
        else {
            return Vec::new();
        };
        let mut lines: Vec<String> = attach
            .iter()
            .map(|d| format!("attach {}", disk_line(d)))
            .collect();
        if *start {
            lines.push(format!("start {}", server.name));
        }
        lines
    }
}

impl Dialog for RollbackFinish {
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        match key.code {
            KeyCode::Char('y') => {
                let Some(op) = self.op() else {
                    let why = self.disks.not_ready(&self.server.name).unwrap_or_default();
                    return Outcome::Say(Level::Info, why);
                };
                if Self::steps(&op).is_empty() {
                    return Outcome::Cancelled(format!(
                        "{}: every disk of the set is attached and the server is as it was; nothing to finish",
                        self.server.name
                    ));
                }
                Outcome::Submit(Box::new(op), self.known.clone())
            }
            KeyCode::Char('n') | KeyCode::Esc | KeyCode::Enter => Outcome::cancelled(),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let mut lines = vec![Line::styled(
            format!(
                " finish the rollback of {} (task {})?",
                self.server.name, self.of_task
            ),
            styles.warning,
        )];
        let room = area.height.saturating_sub(7) as usize;
        match self.op() {
            None => lines.push(Line::styled(
                format!(
                    " {}",
                    self.disks.not_ready(&self.server.name).unwrap_or_default()
                ),
                styles.dim,
            )),
            Some(op) => match Self::steps(&op) {
                steps if steps.is_empty() => lines.push(Line::styled(
                    " every disk of the set is attached and the server is as it was: nothing to finish",
                    styles.text,
                )),
                steps => lines.extend(listed(&steps, room, styles)),
            },
        }
        Frame::new("finish rollback")
            .hint("y", "finish")
            .hint("n/esc", "cancel (default)")
            .popup(lines, styles, area, buf);
        None
    }

    fn answered(&mut self, answer: Result<Payload, LoadError>) {
        self.disks = ServerDisks::of(answer, &self.server.id);
    }
}
