//! Operations from the keyboard: power actions on the marked rows (else the selection), checked
//! against the runner's preconditions, confirmed in a dialog, handed to the runner.
//! Part of `AppState::update` (pure, no IO).

use crate::read::source::View;
use crate::runner::precondition;
use crate::runner::{Known, Op, PowerAction};
use crate::tui::app::{AppState, Effect, Level, Mode};
use crate::tui::dialog::confirm::Confirm;
use crate::tui::keymap::{Action, info_of};
use crate::tui::list::rows::ServerRow;

impl AppState {
    /// A power action key: refused with the runner's reason (nothing sent), confirmed when it is
    /// dangerous or touches several servers, else submitted at once.
    pub(in crate::tui) fn power(&mut self, key_action: Action, action: PowerAction) -> Vec<Effect> {
        let dangerous = info_of(key_action).dangerous;
        if dangerous && self.session.read_only {
            // Read-only: dangerous actions are hidden and do nothing, and say so.
            return self.hidden_in_read_only(key_action);
        }
        let Some((rows, known)) = self.chosen_servers(action.verb()) else {
            return Vec::new();
        };
        let op = Op::Power {
            action,
            servers: rows.iter().map(ServerRow::server_ref).collect(),
        };
        if let Some(confirm) = self.applicable_part(action, &rows, &op, &known) {
            self.open(confirm);
            return Vec::new();
        }
        if let Err(refusal) = precondition::check(&op, &known, self.session.read_only) {
            self.message = Some((Level::Error, refusal.to_string().replace('\n', "; ")));
            return Vec::new();
        }
        if !dangerous && rows.len() == 1 {
            return self.submit(op, known);
        }
        self.open(Confirm::power(action, &rows, op, known));
        Vec::new()
    }

    /// When some of the servers cannot take `op` (already in its end state, busy, …) and others
    /// can: the confirmation of those others, saying which are skipped and why.
    fn applicable_part(
        &self,
        action: PowerAction,
        rows: &[ServerRow],
        op: &Op,
        known: &Known,
    ) -> Option<Confirm> {
        if self.session.read_only {
            return None;
        }
        let (ok, skipped) = precondition::split_applicable(op, known);
        if skipped.is_empty() || ok.is_empty() {
            return None;
        }
        let ids: Vec<String> = ok.into_iter().map(|s| s.id).collect();
        let narrowed = op.narrowed_to(&ids)?;
        precondition::check(&narrowed, known, false).ok()?;
        let kept: Vec<ServerRow> = rows
            .iter()
            .filter(|r| ids.contains(&r.record().id))
            .cloned()
            .collect();
        Some(Confirm::power(action, &kept, narrowed, known.clone()).skipping(rows.len(), skipped))
    }

    /// `Ctrl-t`: read-only on; off again unless the profile or `--read-only` set it, which asks
    /// for `:rw` to be typed.
    pub(in crate::tui) fn toggle_read_only(&mut self) -> Vec<Effect> {
        if self.session.read_only && self.read_only_set {
            self.message = Some((
                Level::Info,
                "the profile or --read-only set read-only: type rw and Enter to leave it"
                    .to_owned(),
            ));
            self.mode = Mode::Command(crate::tui::line_input::LineInput::default());
            return Vec::new();
        }
        let on = !self.session.read_only;
        self.set_read_only(on, "key")
    }

    pub(in crate::tui) fn set_read_only(&mut self, on: bool, via: &'static str) -> Vec<Effect> {
        self.session.read_only = on;
        if on {
            // A dialog open would send a change: it closes.
            if let Mode::Dialog(_) = self.mode {
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

    /// Hands an op to the runner: one submission per region its servers are in.
    pub(in crate::tui) fn submit(&mut self, op: Op, known: Known) -> Vec<Effect> {
        if matches!(op, Op::Disk(_)) {
            self.list_mut(View::Disks).clear_marks();
        }
        let ops = match self.per_region(op, known) {
            Ok(ops) => ops,
            Err(why) => {
                self.message = Some((Level::Error, why));
                return Vec::new();
            }
        };
        self.servers.clear_marks();
        let what: Vec<String> = ops
            .iter()
            .map(|o| match self.is_all() {
                true => format!("{} in {}", o.op.describe(), o.region),
                false => o.op.describe(),
            })
            .collect();
        self.message = Some((Level::Info, format!("submitting: {}", what.join("; "))));
        ops.into_iter()
            .map(|o| Effect::Submit {
                region: o.region,
                op: Box::new(o.op),
                known: o.known,
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "ops_tests.rs"]
mod tests;
