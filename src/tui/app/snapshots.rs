//! Snapshot keys (part of `AppState::update`, pure): `n` on Servers snapshots the selected server
//! (one set of its disks); on Snapshots `b` rolls a set's server back, `D` deletes sets, `e`
//! renames a set, `Enter` describes one (its snapshots); `t` on a rollback task that stopped
//! finishes it. Each opens its dialog, or says why nothing was sent.

use crate::read::snapshot_sets::SnapshotSet;
use crate::read::source::{Detail, DetailLine, View, What};
use crate::runner::snapshot::op::{SnapshotOp, set_id_of};
use crate::runner::{Known, Op, Refusal, Task, TaskState};
use crate::tui::app::{AppState, Describe, Effect, Level, Mode};
use crate::tui::dialog::op_offer::refusal_of;
use crate::tui::dialog::rollback_finish::RollbackFinish;
use crate::tui::dialog::snapshot_name::SnapshotName;
use crate::tui::dialog::snapshot_rename::SnapshotRename;
use crate::tui::dialog::snapshot_rollback::SnapshotRollback;
use crate::tui::dialog::typed_delete::{TypedDelete, set_delete_op};
use crate::tui::keymap::Action;
use crate::tui::list::rows::SnapshotSetRow;

impl AppState {
    /// Refused in read-only (saying why, as the runner would) and under `:region all`.
    fn snapshot_refused(&mut self, action: Action, what: &str) -> bool {
        if self.session.read_only {
            if crate::tui::keymap::info_of(action).dangerous {
                self.hidden_in_read_only(action);
            } else {
                let refusal = Refusal::ReadOnly {
                    what: what.to_owned(),
                };
                self.message = Some((Level::Error, format!("{refusal}")));
            }
            return true;
        }
        self.needs_a_region(what)
    }

    /// `n` on Servers: the snapshot-name dialog of the selected server; its disks are read.
    /// Several marked servers are refused: each set has its own name, given one at a time.
    pub(in crate::tui) fn snapshot_server(&mut self) -> Vec<Effect> {
        if self.snapshot_refused(Action::SnapshotServer, "snapshot a server") {
            return Vec::new();
        }
        let Some((rows, known)) = self.chosen_servers("snapshot") else {
            return Vec::new();
        };
        let Some(row) = self.one_of(
            rows,
            "snapshot takes one server at a time (each set is named)",
        ) else {
            return Vec::new();
        };
        if self.busy(&row.record().id, row.name()) {
            return Vec::new();
        }
        let (id, region) = (row.record().id.clone(), row.region().to_owned());
        // The time is the loop's (`clock`), and the set's id derived from it: no clock or random
        // number is read here, so that `update` stays pure.
        let set_id = set_id_of(&id, self.clock.to_utc());
        self.open(SnapshotName::new(
            row.server_ref(),
            known,
            self.clock,
            set_id,
        ));
        vec![self.fetch_in(region, What::ServerDisks(id))]
    }

    /// Whether an open task acts on server `id` (`name`): said, and nothing is to be sent.
    fn busy(&mut self, id: &str, name: &str) -> bool {
        let Some(what) = self
            .jobs
            .open()
            .find(|t| t.op.servers().iter().any(|s| s.id == id) || t.targets.contains_key(id))
            .map(|t| t.op.describe())
        else {
            return false;
        };
        self.message = Some((
            Level::Error,
            format!("{name} has a task under way ({what}); nothing was sent"),
        ));
        true
    }

    fn snapshot_sets(&self) -> Option<&crate::tui::list::ListState<SnapshotSetRow>> {
        self.typed::<SnapshotSetRow>(View::Snapshots)
    }

    /// The marked sets, else the selected one.
    fn chosen_sets(&mut self) -> Vec<SnapshotSet> {
        let sets: Vec<SnapshotSet> = self
            .snapshot_sets()
            .map(|l| {
                let marked = l.marked_rows();
                let rows = if marked.is_empty() {
                    l.selected_row().into_iter().collect()
                } else {
                    marked
                };
                rows.into_iter().map(|r| r.record().clone()).collect()
            })
            .unwrap_or_default();
        if sets.is_empty() {
            self.message = Some((Level::Info, "no snapshot set selected".to_owned()));
        }
        sets
    }

    /// The one set chosen; several marked are refused.
    fn one_set(&mut self, verb: &str) -> Option<SnapshotSet> {
        let sets = self.chosen_sets();
        self.one_of(sets, &format!("{verb} takes one set"))
    }

    /// `b` on Snapshots: the rollback confirmation of the set's server (its disks read), unless
    /// it cannot be: no server listed, a task under way on it.
    pub(in crate::tui) fn rollback_set(&mut self) -> Vec<Effect> {
        if self.snapshot_refused(Action::Rollback, "roll a server back") {
            return Vec::new();
        }
        let Some(set) = self.one_set("roll back") else {
            return Vec::new();
        };
        let Some(server_id) = set.server_id.clone() else {
            self.message = Some((
                Level::Error,
                format!(
                    "{} was not taken by hvecs as a server's set: `hvecs snapshots rollback {} --server SERVER` names its server; nothing was sent",
                    set.name(),
                    set.set
                ),
            ));
            return Vec::new();
        };
        let Some(row) = self
            .servers
            .all_rows()
            .iter()
            .find(|r| r.record().id == server_id)
            .cloned()
        else {
            self.message = Some((
                Level::Error,
                format!(
                    "the server of {} ({}) is not listed (press 1 to read the servers); nothing was sent",
                    set.name(),
                    set.server_text()
                ),
            ));
            return Vec::new();
        };
        if self.busy(&server_id, row.name()) {
            return Vec::new();
        }
        let known: Known = [row.known()].into();
        let running = row.status_text() == "ACTIVE";
        let region = row.region().to_owned();
        self.open(SnapshotRollback::new(set, row.server_ref(), known, running));
        vec![self.fetch_in(region, What::ServerDisks(server_id))]
    }

    /// `D` on Snapshots: the marked sets (else the selected one), each checked first.
    pub(in crate::tui) fn delete_sets(&mut self) -> Vec<Effect> {
        if self.snapshot_refused(Action::Delete, "delete snapshots") {
            return Vec::new();
        }
        let sets = self.chosen_sets();
        if sets.is_empty() {
            return Vec::new();
        }
        let refused: Vec<String> = sets
            .iter()
            .filter_map(|s| refusal_of(&set_delete_op(s), &Known::new()))
            .collect();
        if !refused.is_empty() {
            self.message = Some((
                Level::Error,
                format!("{}; nothing was sent", refused.join("; ")),
            ));
            return Vec::new();
        }
        self.open(TypedDelete::snapshot_sets(&sets));
        Vec::new()
    }

    /// `e` on Snapshots: rename the selected set (each of its snapshots).
    pub(in crate::tui) fn rename_set(&mut self) -> Vec<Effect> {
        if self.snapshot_refused(Action::Rename, "rename a snapshot set") {
            return Vec::new();
        }
        if let Some(set) = self.one_set("rename") {
            self.open(SnapshotRename::new(set));
        }
        Vec::new()
    }

    /// `Enter` on a set: its fields and each of its snapshots, at once (the list read them all);
    /// `y` its JSON.
    pub(in crate::tui) fn describe_set(&mut self, raw: bool) -> Vec<Effect> {
        let Some(row) = self.snapshot_sets().and_then(|l| l.selected_row()).cloned() else {
            self.message = Some((Level::Info, "nothing selected".to_owned()));
            return Vec::new();
        };
        let summary = crate::tui::list::any::AnyList::selected_cells(self.list(View::Snapshots))
            .unwrap_or_default();
        let set = row.record();
        self.mode = Mode::Describe(Box::new(Describe::new(
            View::Snapshots,
            set.set.clone(),
            self.session.region.clone(),
            summary,
            Some(set_detail(set)),
            raw,
        )));
        Vec::new()
    }

    /// A snapshot task ended in `region`: the sets are read again (when listed), the disks (a
    /// rollback moves them) and its server; nothing under `:region all` or in another region.
    pub(in crate::tui) fn reread_after_snapshot_task(
        &mut self,
        region: &str,
        op: &SnapshotOp,
    ) -> Vec<Effect> {
        if self.is_all() || region != self.session.region {
            return Vec::new();
        }
        let mut effects = self.reread_lists(
            region,
            &[
                (View::Snapshots, What::Snapshots),
                (View::Disks, What::Disks),
            ],
        );
        if let Some(s) = op.server() {
            effects.extend(self.reread_after_task(region, vec![s.id.clone()]));
        }
        effects
    }

    /// `t` on a rollback that failed or was interrupted: the finish dialog (the server's disks
    /// read, to attach those the plan left detached); `None` when `t` is not a finish here.
    pub(in crate::tui) fn finish_rollback(&mut self, t: &Task) -> Option<Vec<Effect>> {
        let Op::Snapshot(SnapshotOp::Rollback {
            server,
            members,
            was_running,
            ..
        }) = &t.op
        else {
            return None;
        };
        if !finishable(t) {
            return None;
        }
        if t.region != self.session.region {
            self.message = Some((
                Level::Info,
                format!(
                    "the rollback of {} was in {}: `:region {}` first; nothing was sent",
                    server.name, t.region, t.region
                ),
            ));
            return Some(Vec::new());
        }
        let row = self
            .servers
            .all_rows()
            .iter()
            .find(|r| r.record().id == server.id)
            .cloned();
        let known: Known = row.iter().map(|r| r.known()).collect();
        let active = row.as_ref().is_some_and(|r| r.status_text() == "ACTIVE");
        self.open(RollbackFinish::new(
            t.id.to_string(),
            server.clone(),
            known,
            members.iter().map(|m| m.disk.clone()).collect(),
            *was_running && !active,
        ));
        Some(vec![self.fetch_in(
            t.region.clone(),
            What::ServerDisks(server.id.clone()),
        )])
    }
}

impl AppState {
    /// The hint bar's hints that fit in `width`: the keymap's for here, `t` saying "finish" on a
    /// rollback task that stopped (it finishes rather than retries).
    pub fn hints(&self, width: usize) -> Vec<(String, &'static str)> {
        let retry = crate::tui::keymap::info_of(Action::RetryFailed).hint;
        let finishing = self.context() == crate::tui::keymap::Context::List(View::Jobs)
            && self.jobs.selected().is_some_and(|t| finishable(t));
        let all_in_error = self.chosen_all_in_error();
        let all = self
            .keymap
            .hints_offered(self.context(), self.session.read_only, &|a, hint| {
                Self::offers(all_in_error, a, hint)
            })
            .into_iter()
            .map(|(k, w)| (k, if finishing && w == retry { "finish" } else { w }))
            .collect();
        crate::tui::keymap::Keymap::fit(all, width)
    }
}

/// A rollback that failed or was interrupted: `t` finishes it.
fn finishable(t: &Task) -> bool {
    matches!(t.op, Op::Snapshot(SnapshotOp::Rollback { .. }))
        && matches!(t.state, TaskState::Failed | TaskState::Interrupted)
}

/// A set's describe: its fields, then one section per snapshot.
fn set_detail(set: &SnapshotSet) -> Detail {
    let f = |k: &str, v: String| DetailLine::Field(k.to_owned(), v);
    let mut lines = vec![
        f("name", set.name()),
        f("set", set.set.clone()),
        f(
            "made by",
            if set.tagged {
                "hvecs (one snapshot of each disk of the server, taken together)"
            } else {
                "elsewhere (a single snapshot: a set of one)"
            }
            .to_owned(),
        ),
        f("server", set.server_text()),
        f("taken", crate::read::records::when(&set.taken)),
        f("disks", set.members.len().to_string()),
        f("size", format!("{} GB", set.size_gb)),
        f("status", set.status.clone()),
    ];
    for m in &set.members {
        lines.push(DetailLine::Section(format!(
            "Snapshot {}",
            m.device.as_deref().unwrap_or(&m.name)
        )));
        lines.push(f("name", m.name.clone()));
        lines.push(f("id", m.snapshot_id.clone()));
        lines.push(f("disk", m.volume_id.clone()));
        lines.push(f("size", format!("{} GB", m.size_gb)));
        lines.push(f("status", m.status.clone()));
    }
    Detail {
        lines,
        raw_json: serde_json::to_string_pretty(set).unwrap_or_default(),
    }
}

#[cfg(test)]
#[path = "snapshots_tests.rs"]
mod tests;
