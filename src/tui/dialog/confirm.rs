//! The confirmation dialog: what an operation does, to how many servers in which AZs (or regions),
//! each by name; `y` sends it, `n`, `Esc` and `Enter` cancel (the default).

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::{Frame, listed};
use super::{Dialog, Env, Outcome};
use crate::runner::disk::op::DiskOp;
use crate::runner::{Known, Op, PowerAction};
use crate::tui::keymap::Key;
use crate::tui::list::rows::ServerRow;
use crate::tui::theme::Styles;

/// An operation waiting for `y`: what it does, to how many servers in which AZs, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub op: Op,
    pub known: Known,
    pub title: String,
    /// One line per server: its name and AZ.
    pub lines: Vec<String>,
    /// Why each server left out of a bulk op is (already in its end state, busy, …): nothing
    /// is sent to them.
    pub skipped: Vec<String>,
}

impl Confirm {
    /// `op` asked as `title`, with `lines` under it, nothing skipped.
    fn new(op: Op, known: Known, title: String, lines: Vec<String>) -> Confirm {
        Confirm {
            op,
            known,
            title,
            lines,
            skipped: Vec::new(),
        }
    }

    /// "stop 3 servers in 2 AZs (region-1a, region-1b)?" (or "in 2 regions (region-1: 2,
    /// region-2: 1)") and each server by name.
    pub fn power(action: PowerAction, rows: &[ServerRow], op: Op, known: Known) -> Confirm {
        let title = match rows {
            [one] => format!("{} {} ({})?", action.verb(), one.name(), one.az()),
            _ => format!(
                "{} {} servers {}?",
                action.verb(),
                rows.len(),
                crate::tui::app::region_parts::spread(rows)
            ),
        };
        let lines = rows
            .iter()
            .map(|r| format!("{}  {}  {}", r.name(), r.status_text(), r.az()))
            .collect();
        Confirm::new(op, known, title, lines)
    }

    /// The same, for the servers it applies to of the `of` marked; `why` says why each other
    /// one is skipped.
    pub fn skipping(mut self, of: usize, why: Vec<String>) -> Confirm {
        self.title = format!(
            "{} ({} of {of}; {} skipped)",
            self.title,
            self.lines.len(),
            why.len()
        );
        self.skipped = why;
        self
    }
}

impl Confirm {
    /// "detach data-1 from web-01?" with what it means for the server (a `Detach` disk op).
    pub fn detach(op: Op, known: Known) -> Confirm {
        let (title, lines) = match &op {
            Op::Disk(DiskOp::Detach { disk, from }) => {
                let device = format!("{} GB, {}", disk.size_gb, disk.az);
                let what = if disk.bootable {
                    format!(
                        "{}'s system disk: it cannot start until one is attached again",
                        from.name
                    )
                } else {
                    format!(
                        "{} no longer sees this disk (unmount it in the guest first)",
                        from.name
                    )
                };
                (
                    format!("detach disk {} from {}?", disk.name, from.name),
                    vec![format!("{}  {device}", disk.name), what],
                )
            }
            other => (format!("{}?", other.describe()), Vec::new()),
        };
        Confirm::new(op, known, title, lines)
    }
}

impl Dialog for Confirm {
    /// `y` confirms; `n`, `Esc`, `Enter` cancel; other keys wait.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        match key.code {
            KeyCode::Char('y') if key.mods.is_empty() => {
                Outcome::Submit(Box::new(self.op.clone()), self.known.clone())
            }
            KeyCode::Char('n') | KeyCode::Esc | KeyCode::Enter => Outcome::cancelled(),
            _ => Outcome::Ignored,
        }
    }

    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        // Room for the title, a blank, the keys, and the borders.
        let room = area.height.saturating_sub(5) as usize;
        let mut lines = vec![Line::styled(format!(" {}", self.title), styles.warning)];
        if !self.skipped.is_empty() {
            // A few of the reasons first, then the servers it is sent to.
            let few = (room / 2).clamp(1, 4);
            lines.push(Line::styled(" skipped, nothing sent:", styles.dim));
            lines.extend(listed(&self.skipped, few, styles));
            lines.push(Line::styled(" sent to:", styles.dim));
            let left = room.saturating_sub(lines.len());
            lines.extend(listed(&self.lines, left.max(1), styles));
        } else {
            lines.extend(listed(&self.lines, room, styles));
        }
        Frame::new("confirm")
            .hint("y", "confirm")
            .hint("n/esc/enter", "cancel (default)")
            .popup(lines, styles, area, buf);
        None
    }
}
