//! `e` on Snapshots: rename the selected set. One line pre-filled with the set's name, checked as
//! it is typed (the name each snapshot would get: `<name>-<device>` in a set of several, as a set
//! is named when it is taken); `Enter` renames each snapshot (one task each), `Esc` sends nothing.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::op_offer::refusal_of;
use super::{Dialog, Env, Outcome, checked_line};
use crate::read::snapshot_sets::SnapshotSet;
use crate::runner::snapshot::op::{SnapshotOp, SnapshotRef};
use crate::runner::{Known, Op};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRename {
    pub set: SnapshotSet,
    pub input: LineInput,
    /// Why the name typed cannot be sent (`None`: it can).
    pub problem: Option<String>,
}

impl SnapshotRename {
    pub fn new(set: SnapshotSet) -> Self {
        let name = set.name();
        let mut d = SnapshotRename {
            input: LineInput::new(&name),
            problem: None,
            set,
        };
        d.problem = problem(&d.set, &name);
        d
    }
}

/// One rename per snapshot of the set whose name changes: `<name>-<device>` in a set of several
/// (by the device it was taken at), else `<name>`.
pub fn renames(set: &SnapshotSet, name: &str) -> Vec<Op> {
    let several = set.members.len() > 1;
    set.members
        .iter()
        .map(|m| {
            let new = match (&m.device, several) {
                (Some(dev), true) => {
                    format!("{name}-{}", dev.rsplit('/').next().unwrap_or(dev))
                }
                _ => name.to_owned(),
            };
            (m, new)
        })
        .filter(|(m, new)| m.name != *new)
        .map(|(m, new)| {
            Op::Snapshot(SnapshotOp::Rename {
                snapshot: SnapshotRef {
                    id: m.snapshot_id.clone(),
                    name: m.name.clone(),
                    status: m.status.clone(),
                },
                name: new,
            })
        })
        .collect()
}

/// Why the set cannot be renamed `name` (the runner's reasons; the same name changes nothing).
fn problem(set: &SnapshotSet, name: &str) -> Option<String> {
    let ops = renames(set, name.trim());
    if ops.is_empty() {
        return Some(format!(
            "the set is already named {name}: nothing to change"
        ));
    }
    ops.iter().find_map(|op| refusal_of(op, &Known::new()))
}

impl Dialog for SnapshotRename {
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let set = &self.set;
        checked_line::key(&mut self.input, &mut self.problem, key, |t| problem(set, t))
            .unwrap_or_else(|| {
                Outcome::SubmitEach(renames(&self.set, self.input.text.trim()), Known::new())
            })
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let heading = format!(
            " rename snapshot set {} ({} snapshot(s))",
            self.set.name(),
            self.set.members.len()
        );
        let lines = checked_line::lines(heading, &self.input.text, self.problem.as_deref(), styles);
        checked_line::frame("rename snapshot set", "rename").popup(lines, styles, area, buf);
        None
    }
}
