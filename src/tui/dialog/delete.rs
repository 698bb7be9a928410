//! `D`: delete the marked servers (else the selected one). A dialog whose default is Cancel asks
//! for the server's name (for several, their count) to be typed, then `Enter`; `Tab` toggles
//! "also delete data disks".

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::frame::{Frame, input_line, listed};
use super::{Dialog, Env, Outcome, typed_name};
use crate::runner::{Known, Op, ServerRef};
use crate::tui::keymap::Key;
use crate::tui::line_input::LineInput;
use crate::tui::list::rows::ServerRow;
use crate::tui::theme::Styles;

/// The delete dialog: what it deletes, what must be typed, what was typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteDialog {
    pub servers: Vec<ServerRef>,
    pub known: Known,
    /// "delete web-01 (region-1a)?", "delete 3 servers in 2 AZs (region-1a, region-1b)?"
    pub title: String,
    /// One line per server: its name, status and AZ.
    pub lines: Vec<String>,
    /// What must be typed: the server's name, or the number of servers.
    pub expected: String,
    pub input: LineInput,
    /// Also delete the servers' data disks (off unless toggled).
    pub delete_volumes: bool,
    /// Why the last `Enter` sent nothing.
    pub error: Option<String>,
}

impl DeleteDialog {
    pub fn new(rows: &[ServerRow], known: Known) -> Self {
        let (title, expected) = match rows {
            [one] => (
                format!("delete {} ({})?", one.name(), one.az()),
                one.name().to_owned(),
            ),
            _ => (
                format!(
                    "delete {} servers {}?",
                    rows.len(),
                    crate::tui::app::region_parts::spread(rows)
                ),
                rows.len().to_string(),
            ),
        };
        DeleteDialog {
            servers: rows.iter().map(ServerRow::server_ref).collect(),
            known,
            title,
            lines: rows
                .iter()
                .map(|r| format!("{}  {}  {}", r.name(), r.status_text(), r.az()))
                .collect(),
            expected,
            input: LineInput::default(),
            delete_volumes: false,
            error: None,
        }
    }

    /// What the dialog asks to type.
    pub fn prompt(&self) -> String {
        if self.servers.len() == 1 {
            format!("type the server's name ({}) and Enter", self.expected)
        } else {
            format!("type the number of servers ({}) and Enter", self.expected)
        }
    }

    pub fn op(&self) -> Op {
        Op::Delete {
            servers: self.servers.clone(),
            delete_volumes: self.delete_volumes,
        }
    }
}

impl Dialog for DeleteDialog {
    /// Typing; `Tab` toggles the data disks; `Enter` deletes when what was typed matches (an
    /// empty line cancels); `Esc` cancels.
    fn key(&mut self, key: Key, _env: &Env) -> Outcome {
        if matches!(key.code, KeyCode::Tab | KeyCode::BackTab) {
            self.delete_volumes = !self.delete_volumes;
            return Outcome::Changed;
        }
        let what = if self.servers.len() == 1 {
            "the server's name"
        } else {
            "the number of servers"
        };
        typed_name::key(&mut self.input, &mut self.error, key, &self.expected, what)
            .unwrap_or_else(|| Outcome::Submit(Box::new(self.op()), self.known.clone()))
    }

    /// What it deletes (how many servers in which AZs, each by name), the line where the name or
    /// the count is typed, the "also delete data disks" toggle.
    fn draw(&self, _env: &Env, styles: &Styles, area: Rect, buf: &mut Buffer) -> Option<Position> {
        // Room for the title, the prompt, the input, the toggle, the error, the keys, the borders.
        let room = area.height.saturating_sub(10) as usize;
        let mut lines = vec![Line::styled(format!(" {}", self.title), styles.warning)];
        lines.extend(listed(&self.lines, room, styles));
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!(" {}", self.prompt()), styles.text));
        lines.push(input_line(&self.input.text, styles));
        lines.push(if self.delete_volumes {
            Line::styled(
                " [x] ALSO DELETE THEIR DATA DISKS (their data is lost)",
                styles.error,
            )
        } else {
            Line::styled(
                " [ ] also delete data disks (off: the data disks are kept)",
                styles.text,
            )
        });
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!(" {e}"), styles.error));
        }
        Frame::new("delete")
            .hint("enter", "delete")
            .hint("tab", "data disks")
            .hint("esc", "cancel (default)")
            .min_width(50)
            .popup(lines, styles, area, buf);
        None
    }
}

#[cfg(test)]
#[path = "delete_tests.rs"]
mod tests;
