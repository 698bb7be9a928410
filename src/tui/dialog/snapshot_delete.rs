//! `D` on Snapshots: delete the marked sets (else the selected one), every snapshot of each. The
//! default is Cancel: the set's name (for several, their count) must be typed, then `Enter`; one
//! task per set.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::listed;
use super::typed_match::{self, Typed};
use super::{Dialog, Env, Outcome};
use crate::read::snapshot_sets::SnapshotSet;
use crate::runner::snapshot::op::{SnapshotOp, SnapshotRef};
use crate::runner::{Known, Op};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotDelete {
    pub sets: Vec<SnapshotSet>,
    /// One line per set: its name, server, disks, size, status.
    pub lines: Vec<String>,
    /// What must be typed: the set's name, or the number of sets.
    pub expected: String,
    pub input: LineInput,
    /// Why the last `Enter` sent nothing.
    pub error: Option<String>,
}

/// The delete of every snapshot of `set`.
pub fn delete_op(set: &SnapshotSet) -> Op {
    Op::Snapshot(SnapshotOp::Delete {
        snapshots: set
            .members
            .iter()
            .map(|m| SnapshotRef {
                id: m.snapshot_id.clone(),
                name: m.name.clone(),
                status: m.status.clone(),
            })
            .collect(),
    })
}

impl SnapshotDelete {
    pub fn new(sets: Vec<SnapshotSet>) -> Self {
        let expected = match sets.as_slice() {
            [one] => one.name(),
            many => many.len().to_string(),
        };
        let lines = sets
            .iter()
            .map(|s| {
                format!(
                    "{}  {}  {} disk(s)  {} GB  {}",
                    s.name(),
                    s.server_text(),
                    s.members.len(),
                    s.size_gb,
                    s.status
                )
            })
            .collect();
        SnapshotDelete {
            sets,
            lines,
            expected,
            input: LineInput::default(),
            error: None,
        }
    }

    fn what(&self) -> &'static str {
        if self.sets.len() == 1 {
            "the set's name"
        } else {
            "the number of sets"
        }
    }
}

impl Dialog for SnapshotDelete {
    /// Typing; `Enter` deletes when what was typed matches (an empty line cancels); `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let what = self.what();
        match typed_match::key(&mut self.input, &mut self.error, &self.expected, what, key) {
            Typed::Done(outcome) => outcome,
            Typed::Matched => {
                Outcome::SubmitEach(self.sets.iter().map(delete_op).collect(), Known::new())
            }
            Typed::Other => Outcome::Ignored,
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let title = match self.sets.as_slice() {
            [one] => format!(
                "delete snapshot set {} ({} snapshot(s))? it cannot be rolled back to again",
                one.name(),
                one.members.len()
            ),
            many => format!(
                "delete {} snapshot sets? they cannot be rolled back to again",
                many.len()
            ),
        };
        let room = area.height.saturating_sub(9) as usize;
        let mut lines = vec![Line::styled(format!(" {title}"), styles.warning)];
        lines.extend(listed(&self.lines, room, styles));
        lines.extend(typed_match::prompt(
            self.what(),
            &self.expected,
            &self.input,
            self.error.as_deref(),
            styles,
        ));
        typed_match::frame("delete snapshots", "delete", 50).popup(lines, styles, area, buf);
        None
    }
}
