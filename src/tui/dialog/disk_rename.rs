//! `e` on Disks: rename the selected disk. One line pre-filled with its name, checked as it is
//! typed (1 to 64 characters, not the same name); `Enter` submits, `Esc` sends nothing.

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
pub struct DiskRename {
    pub disk: DiskRef,
    pub input: LineInput,
    /// Why the name typed cannot be sent (`None`: it can).
    pub problem: Option<String>,
}

impl DiskRename {
    pub fn new(disk: DiskRef) -> Self {
        DiskRename {
            problem: problem(&disk, &disk.name),
            input: LineInput::new(&disk.name),
            disk,
        }
    }
}

fn rename(disk: &DiskRef, name: &str) -> Op {
    Op::Disk(DiskOp::Rename {
        disk: disk.clone(),
        name: name.to_owned(),
    })
}

fn problem(disk: &DiskRef, name: &str) -> Option<String> {
    refusal_of(&rename(disk, name), &Known::new())
}

impl Dialog for DiskRename {
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        let disk = &self.disk;
        checked_line::key(&mut self.input, &mut self.problem, key, |t| {
            problem(disk, t)
        })
        .unwrap_or_else(|| {
            Outcome::Submit(Box::new(rename(&self.disk, &self.input.text)), Known::new())
        })
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        let heading = format!(" rename disk {}", self.disk.name);
        let lines = checked_line::lines(heading, &self.input.text, self.problem.as_deref(), styles);
        checked_line::frame("rename disk", "rename").popup(lines, styles, area, buf);
        None
    }
}
