//! `D` on Disks, Snapshots and Images: a delete whose default is Cancel. The name of what is
//! deleted (for several, their count) must be typed, then `Enter`; one task per thing deleted.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::listed;
use super::typed_match::{self, Typed};
use super::{Dialog, Env, Outcome};
use crate::read::snapshot_sets::SnapshotSet;
use crate::runner::disk::op::{DiskOp, DiskRef};
use crate::runner::snapshot::op::{SnapshotOp, SnapshotRef};
use crate::runner::{ImageOp, ImageRef, Known, Op};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

/// A typed-name delete: what it deletes, what must be typed, what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedDelete {
    /// The frame's title: "delete disk".
    pub frame: &'static str,
    /// The warning atop: "delete disk data-a (region-1a)? its data is lost".
    pub title: String,
    /// A line under the title, over the list ("2 of the 3 servers listed were made from it:").
    pub note: Option<String>,
    /// The list under it: one line per thing deleted (for an image, per server made from it).
    pub lines: Vec<String>,
    /// What the prompt names: "the disk's name", "the number of disks".
    pub what: String,
    /// What must be typed: the name, or the count.
    pub expected: String,
    /// What `Enter` submits, one task each.
    pub ops: Vec<Op>,
    pub input: LineInput,
    /// Why the last `Enter` sent nothing.
    pub error: Option<String>,
}

impl TypedDelete {
    /// `names` of what `ops` delete, one each, called `noun` ("disk"): the one's name must be
    /// typed, for several their count.
    fn new(frame: &'static str, title: String, noun: &str, names: &[String], ops: Vec<Op>) -> Self {
        let (what, expected) = match names {
            [one] => (format!("the {noun}'s name"), one.clone()),
            many => (format!("the number of {noun}s"), many.len().to_string()),
        };
        TypedDelete {
            frame,
            title,
            note: None,
            lines: Vec::new(),
            what,
            expected,
            ops,
            input: LineInput::default(),
            error: None,
        }
    }

    /// `disks` with the line each shows (its name, size, type, status and AZ).
    pub fn disks(disks: Vec<(DiskRef, String)>) -> Self {
        let (disks, lines): (Vec<DiskRef>, Vec<String>) = disks.into_iter().unzip();
        let title = match disks.as_slice() {
            [one] => format!("delete disk {} ({})? its data is lost", one.name, one.az),
            many => format!("delete {} disks? their data is lost", many.len()),
        };
        let names: Vec<String> = disks.iter().map(|d| d.name.clone()).collect();
        let ops = disks
            .into_iter()
            .map(|disk| Op::Disk(DiskOp::Delete { disk }))
            .collect();
        TypedDelete {
            lines,
            ..TypedDelete::new("delete disk", title, "disk", &names, ops)
        }
    }

    /// `sets`, every snapshot of each; a line each: its name, server, disks, size, status.
    pub fn snapshot_sets(sets: &[SnapshotSet]) -> Self {
        let title = match sets {
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
        let names: Vec<String> = sets.iter().map(SnapshotSet::name).collect();
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
        let ops = sets.iter().map(set_delete_op).collect();
        TypedDelete {
            lines,
            ..TypedDelete::new("delete snapshots", title, "set", &names, ops)
        }
    }

    /// A private `image`, with the servers of the loaded list made from it ("name  STATUS") and
    /// how many servers the list holds (what `made_from` was counted in).
    pub fn image(image: ImageRef, made_from: Vec<String>, listed: usize) -> Self {
        let title = format!("delete image {}?", image.name);
        let note = match made_from.len() {
            0 => format!("none of the {listed} servers listed was made from it"),
            1 => format!("1 of the {listed} servers listed was made from it:"),
            n => format!("{n} of the {listed} servers listed were made from it:"),
        };
        let names = [image.name.clone()];
        let ops = vec![Op::Image(ImageOp::Delete {
            images: vec![image],
        })];
        TypedDelete {
            note: Some(note),
            lines: made_from,
            ..TypedDelete::new("delete image", title, "image", &names, ops)
        }
    }
}

/// The delete of every snapshot of `set`.
pub fn set_delete_op(set: &SnapshotSet) -> Op {
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

impl Dialog for TypedDelete {
    /// Typing; `Enter` deletes when what was typed matches (an empty line cancels); `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        match typed_match::key(
            &mut self.input,
            &mut self.error,
            &self.expected,
            &self.what,
            key,
        ) {
            Typed::Done(outcome) => outcome,
            Typed::Matched => Outcome::SubmitEach(self.ops.clone(), Known::new()),
            Typed::Other => Outcome::Ignored,
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let mut lines = vec![Line::styled(format!(" {}", self.title), styles.warning)];
        lines.extend(
            self.note
                .iter()
                .map(|n| Line::styled(format!(" {n}"), styles.text)),
        );
        // Room for the lines above, the prompt, the input, the error, the keys, the borders.
        let room = area.height.saturating_sub(8 + lines.len() as u16) as usize;
        lines.extend(listed(&self.lines, room, styles));
        lines.extend(typed_match::prompt(
            &self.what,
            &self.expected,
            &self.input,
            self.error.as_deref(),
            styles,
        ));
        typed_match::frame(self.frame, "delete", 50).popup(lines, styles, area, buf);
        None
    }
}
