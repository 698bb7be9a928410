//! Operations from the keyboard: power actions on the marked rows (else the selection), checked
//! against the runner's preconditions, confirmed in a dialog, handed to the runner; task news in.
//! Part of `AppState::update` (pure, no IO).

use std::collections::BTreeSet;

use crossterm::event::KeyCode;

use super::app::{AppState, Confirm, Effect, Level, Mode};
use super::keymap::{Action, Key, info_of};
use super::rows::ServerRow;
use super::source::{Scope, View, What};
use crate::runner::precondition;
use crate::runner::{Known, KnownServer, Op, PowerAction, ServerRef, TaskEvent, TaskState};

impl AppState {
    /// A power action key: refused with the runner's reason (nothing sent), confirmed when it is
    /// dangerous or touches several servers, else submitted at once.
    pub(super) fn power(&mut self, key_action: Action, action: PowerAction) -> Vec<Effect> {
        let dangerous = info_of(key_action).dangerous;
        if dangerous && self.session.read_only {
            // Read-only: dangerous actions are hidden and do nothing.
            self.dirty = false;
            return Vec::new();
        }
        if self.view != View::Servers {
            self.message = Some((
                Level::Info,
                format!("{} applies to servers (press 1)", action.verb()),
            ));
            return Vec::new();
        }
        let rows: Vec<ServerRow> = {
            let marked = self.servers.marked_rows();
            if marked.is_empty() {
                self.servers.selected_row().cloned().into_iter().collect()
            } else {
                marked.into_iter().cloned().collect()
            }
        };
        if rows.is_empty() {
            self.message = Some((Level::Info, "nothing selected".to_owned()));
            return Vec::new();
        }
        let known: Known = rows
            .iter()
            .map(|r| (r.field("id").to_owned(), known_server(r)))
            .collect();
        let op = Op::Power {
            action,
            servers: rows
                .iter()
                .map(|r| ServerRef::new(r.field("id"), r.name()))
                .collect(),
        };
        if let Err(refusal) = precondition::check(&op, &known, self.session.read_only) {
            self.message = Some((Level::Error, refusal.to_string().replace('\n', "; ")));
            return Vec::new();
        }
        if !dangerous && rows.len() == 1 {
            return self.submit(op, known);
        }
        self.mode = Mode::Confirm(Box::new(confirm(action, &rows, op, known)));
        Vec::new()
    }

    /// Keys in the confirmation dialog: `y` confirms; `n`, `Esc`, `Enter` cancel; others wait.
    pub(super) fn on_confirm_key(&mut self, key: Key) -> Vec<Effect> {
        let Mode::Confirm(c) = &self.mode else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Char('y') if key.mods.is_empty() => {
                let (op, known) = (c.op.clone(), c.known.clone());
                self.mode = Mode::Normal;
                self.submit(op, known)
            }
            KeyCode::Char('n') | KeyCode::Esc | KeyCode::Enter => {
                self.mode = Mode::Normal;
                self.message = Some((Level::Info, "cancelled; nothing was sent".to_owned()));
                Vec::new()
            }
            _ => {
                self.dirty = false;
                Vec::new()
            }
        }
    }

    /// `Ctrl-t`: read-only on; off again unless the profile or `--read-only` set it, which asks
    /// for `:rw` to be typed.
    pub(super) fn toggle_read_only(&mut self) -> Vec<Effect> {
        if self.session.read_only && self.read_only_set {
            self.message = Some((
                Level::Info,
                "the profile or --read-only set read-only: type rw and Enter to leave it"
                    .to_owned(),
            ));
            self.mode = Mode::Command(super::line_input::LineInput::default());
            return Vec::new();
        }
        let on = !self.session.read_only;
        self.set_read_only(on, "key")
    }

    pub(super) fn set_read_only(&mut self, on: bool, via: &'static str) -> Vec<Effect> {
        self.session.read_only = on;
        if on {
            if let Mode::Confirm(_) = self.mode {
                self.mode = Mode::Normal;
            }
        } else {
            self.read_only_set = false;
        }
        self.message = Some((
            Level::Info,
            if on {
                "read-only: changes are refused"
            } else {
                "read-write: changes allowed"
            }
            .to_owned(),
        ));
        vec![Effect::SetReadOnly { on, via }]
    }

    pub(super) fn submit(&mut self, op: Op, known: Known) -> Vec<Effect> {
        self.servers.clear_marks();
        self.message = Some((Level::Info, format!("submitting: {}", op.describe())));
        vec![Effect::Submit {
            region: self.session.region.clone(),
            op: Box::new(op),
            known,
        }]
    }

    pub(super) fn on_submitted(&mut self, result: Result<String, String>) -> Vec<Effect> {
        self.message = Some(match result {
            Ok(what) => (Level::Info, format!("queued: {what}")),
            Err(why) => (Level::Error, why.replace('\n', "; ")),
        });
        Vec::new()
    }

    /// A task's news: the strip shows it; when it ends, the rows it touched are read again.
    pub(super) fn on_task_event(&mut self, ev: TaskEvent) -> Vec<Effect> {
        self.jobs.record(&ev);
        if !ev.is_end() {
            return Vec::new();
        }
        if ev.task.state == TaskState::Failed {
            let why = ev.task.note.clone().unwrap_or_else(|| "failed".to_owned());
            self.message = Some((
                Level::Error,
                format!("{}: {}", ev.task.op.describe(), why.replace('\n', "; ")),
            ));
        }
        if ev.task.region != self.session.region {
            return Vec::new();
        }
        let ids: Vec<String> = ev.task.op.servers().into_iter().map(|s| s.id).collect();
        if !ids.is_empty() {
            return vec![self.fetch(What::Servers(Scope::Ids(ids)))];
        }
        // A create: its servers are new, so the whole list is read.
        vec![self.full_fetch(View::Servers)]
    }
}

pub(super) fn known_server(r: &ServerRow) -> KnownServer {
    let task = r.field("task");
    KnownServer {
        id: r.field("id").to_owned(),
        name: r.name().to_owned(),
        status: r.field("status").to_owned(),
        task_state: (!task.is_empty()).then(|| task.to_owned()),
        flavor_id: None,
    }
}

/// The dialog: "stop 3 servers in 2 AZs (region-1a, region-1b)?" and each server by name.
fn confirm(action: PowerAction, rows: &[ServerRow], op: Op, known: Known) -> Confirm {
    let azs: BTreeSet<&str> = rows.iter().map(|r| r.field("az")).collect();
    let azs_text = azs.iter().copied().collect::<Vec<_>>().join(", ");
    let title = match rows {
        [one] => format!("{} {} ({azs_text})?", action.verb(), one.name()),
        _ => format!(
            "{} {} servers in {} AZ{} ({azs_text})?",
            action.verb(),
            rows.len(),
            azs.len(),
            if azs.len() == 1 { "" } else { "s" }
        ),
    };
    let lines = rows
        .iter()
        .map(|r| format!("{}  {}  {}", r.name(), r.field("status"), r.field("az")))
        .collect();
    Confirm {
        op,
        known,
        title,
        lines,
    }
}

#[cfg(test)]
#[path = "ops_tests.rs"]
mod tests;
