//! `D` on Disks: delete the marked disks (else the selected one). The default is Cancel: the
//! disk's name (for several, their count) must be typed, then `Enter`; one task per disk.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::listed;
use super::typed_match::{self, Typed};
use super::{Dialog, Env, Outcome};
use crate::runner::disk::op::{DiskOp, DiskRef};
use crate::runner::{Known, Op};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskDelete {
    pub disks: Vec<DiskRef>,
    /// One line per disk: its name, size, type, status and AZ.
    pub lines: Vec<String>,
    /// What must be typed: the disk's name, or the number of disks.
    pub expected: String,
    pub input: LineInput,
    /// Why the last `Enter` sent nothing.
    pub error: Option<String>,
}

impl DiskDelete {
    /// `disks` with the line each shows.
    pub fn new(disks: Vec<(DiskRef, String)>) -> Self {
        let expected = match disks.as_slice() {
            [(one, _)] => one.name.clone(),
            many => many.len().to_string(),
        };
        let (disks, lines) = disks.into_iter().unzip();
        DiskDelete {
            disks,
            lines,
            expected,
            input: LineInput::default(),
            error: None,
        }
    }

    /// One delete per disk.
    pub fn ops(&self) -> Vec<Op> {
        self.disks
            .iter()
            .map(|d| Op::Disk(DiskOp::Delete { disk: d.clone() }))
            .collect()
    }

    fn what(&self) -> &'static str {
        if self.disks.len() == 1 {
            "the disk's name"
        } else {
            "the number of disks"
        }
    }
}

impl Dialog for DiskDelete {
    /// Typing; `Enter` deletes when what was typed matches (an empty line cancels); `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let what = self.what();
        match typed_match::key(&mut self.input, &mut self.error, &self.expected, what, key) {
            Typed::Done(outcome) => outcome,
            Typed::Matched => Outcome::SubmitEach(self.ops(), Known::new()),
            Typed::Other => Outcome::Ignored,
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let title = match self.disks.as_slice() {
            [one] => format!("delete disk {} ({})? its data is lost", one.name, one.az),
            many => format!("delete {} disks? their data is lost", many.len()),
        };
        // Room for the title, the prompt, the input, the error, the keys, the borders.
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
        typed_match::frame("delete disk", "delete", 50).popup(lines, styles, area, buf);
        None
    }
}
