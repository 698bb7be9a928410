//! `+` on Disks: expand the selected disk. One line pre-filled with its size that takes digits
//! only and accepts only more (and no more than the platform allows); `Enter` submits.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::op_offer::refusal_of;
use super::{Dialog, Env, Outcome, checked_line};
use crate::runner::disk::op::{DiskOp, DiskRef};
use crate::runner::{Known, Op};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::theme::Styles;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskExpand {
    pub disk: DiskRef,
    pub input: LineInput,
    /// Why the size typed cannot be sent (`None`: it can).
    pub problem: Option<String>,
}

impl DiskExpand {
    pub fn new(disk: DiskRef) -> Self {
        let text = disk.size_gb.to_string();
        DiskExpand {
            problem: problem(&disk, &text),
            input: LineInput::new(&text),
            disk,
        }
    }
}

fn expand(disk: &DiskRef, size: u64) -> Op {
    Op::Disk(DiskOp::Expand {
        disk: disk.clone(),
        new_size_gb: size,
    })
}

/// A whole number of GB, then the runner's preconditions (more than now, at most the maximum).
fn problem(disk: &DiskRef, text: &str) -> Option<String> {
    let Ok(size) = text.trim().parse::<u64>() else {
        return Some("a whole number of GB".to_owned());
    };
    refusal_of(&expand(disk, size), &Known::new())
}

impl Dialog for DiskExpand {
    /// Digits only (other letters are not taken); `Enter` submits a size that grows the disk.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        if let crossterm::event::KeyCode::Char(c) = key.code
            && key.mods.is_empty()
            && !c.is_ascii_digit()
        {
            return Outcome::Ignored;
        }
        let disk = &self.disk;
        checked_line::key(&mut self.input, &mut self.problem, key, |t| {
            problem(disk, t)
        })
        .unwrap_or_else(|| {
            let size = self.input.text.trim().parse().unwrap_or(0);
            Outcome::Submit(Box::new(expand(&self.disk, size)), Known::new())
        })
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let d = &self.disk;
        let heading = format!(
            " expand {} ({} GB now, {}): the new size in GB",
            d.name, d.size_gb, d.status
        );
        let lines = checked_line::lines(heading, &self.input.text, self.problem.as_deref(), styles);
        checked_line::frame("expand disk", "expand").popup(lines, styles, area, buf);
        None
    }
}
