//! `D`: delete the marked servers (else the selected one). A dialog whose default is Cancel asks
//! for the server's name (for several, their count) to be typed, then `Enter`; `Tab` toggles
//! "also delete data disks". Part of `AppState::update` (pure, no IO).

use super::line_input::LineInput;
use super::list::rows::ServerRow;
use crate::runner::{Known, Op, ServerRef};

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
    pub(super) fn new(rows: &[ServerRow], known: Known) -> Self {
        let (title, expected) = match rows {
            [one] => (
                format!("delete {} ({})?", one.name(), one.az()),
                one.name().to_owned(),
            ),
            _ => (
                format!(
                    "delete {} servers {}?",
                    rows.len(),
                    super::region_parts::spread(rows)
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
