//! The executor's stages for snapshot calls: the snapshot a create made, the hard stop that is
//! not needed, each call's stable state after its answer (a set waits for all its snapshots), a
//! lost answer settled by looking (never sent again: a disk is never rolled back twice), and the
//! exact state a rollback that stopped leaves, with the way to finish it.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use crate::runner::disk::call::{DiskCall, DiskLook};
use crate::runner::event::EventKind;
use crate::runner::executor::{Executor, Flow};
use crate::runner::op::Op;
use crate::runner::settle::{Judged, Watch, unconfirmed};
use crate::runner::snapshot::call::{KnownSnapshot, SnapshotCall};
use crate::runner::snapshot::op::SnapshotOp;
use crate::runner::task::{Call, Cause, StepState, TargetOutcome, Task, TaskState};

/// What one look says of a step's subject.
enum Seen {
    Done,
    Moving,
    Failed(String),
    Untouched,
}

impl From<DiskLook> for Seen {
    fn from(l: DiskLook) -> Self {
        match l {
            DiskLook::Done => Seen::Done,
            DiskLook::Moving => Seen::Moving,
            DiskLook::Failed(m) => Seen::Failed(m),
            DiskLook::Untouched => Seen::Untouched,
        }
    }
}

/// One create step of a set: (step, volume, snapshot id once known).
type SetMember = (usize, String, Option<String>);

/// The snapshot calls of a set's create steps.
fn set_members(task: &Task) -> Vec<SetMember> {
    task.steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.call {
            Call::Snapshot(SnapshotCall::Create {
                volume_id,
                snapshot_id,
                ..
            }) => Some((i, volume_id.clone(), snapshot_id.clone())),
            _ => None,
        })
        .collect()
}

/// What a rollback that stopped leaves, said exactly: the disks detached and where they belong,
/// whether the server is to be started, and how to finish.
pub fn rollback_state(task: &Task) -> Option<String> {
    let Op::Snapshot(SnapshotOp::Rollback { members, .. }) = &task.op else {
        return None;
    };
    let done = |want: &dyn Fn(&DiskCall) -> bool| {
        task.steps
            .iter()
            .any(|s| s.state == StepState::Done && matches!(&s.call, Call::Disk(d) if want(d)))
    };
    let mut loose = Vec::new();
    for m in members {
        let v = &m.disk.volume_id;
        let detached = done(&|d| matches!(d, DiskCall::Detach { volume_id, .. } if volume_id == v));
        let back = done(&|d| matches!(d, DiskCall::Attach { volume_id, .. } if volume_id == v));
        let rolled = task.steps.iter().any(|s| {
            s.state == StepState::Done
                && matches!(&s.call, Call::Snapshot(SnapshotCall::Rollback { volume_id, .. }) if volume_id == v)
        });
        if detached && !back {
            loose.push(format!(
                "{} detached{} (belongs at {})",
                m.disk.name,
                if rolled { ", rolled back" } else { "" },
                m.disk.device
            ));
        }
    }
    let state = if loose.is_empty() {
        "every disk is attached".to_owned()
    } else {
        loose.join("; ")
    };
    Some(format!(
        "{state}; `hvecs jobs resume {}` attaches what is detached and starts the server if it was running",
        task.id
    ))
}

impl Executor {
    /// A create's answer names its snapshot: kept in the step (journaled with it).
    pub(in crate::runner) fn snapshot_made(&self, task: &mut Task, i: usize, id: Option<&str>) {
        if let Call::Snapshot(SnapshotCall::Create { snapshot_id, .. }) = &mut task.steps[i].call
            && let Some(id) = id
        {
            *snapshot_id = Some(id.to_owned());
        }
    }

    /// Before a snapshot-family step is sent: the hard stop of a server already SHUTOFF is done
    /// without sending it.
    pub(in crate::runner) async fn snapshot_skip(
        &self,
        task: &mut Task,
        i: usize,
        stop: &mut watch::Receiver<bool>,
    ) -> Option<Flow> {
        let Call::Snapshot(SnapshotCall::HardStop { server_id }) = &task.steps[i].call else {
            return None;
        };
        let id = server_id.clone();
        let seen = self.look(std::slice::from_ref(&id), stop).await?.ok()?;
        let s = seen.get(&id)?;
        if s.status != "SHUTOFF" || s.task_state.is_some() {
            return None;
        }
        task.set_outcome(&id, TargetOutcome::Succeeded);
        task.steps[i].error = Some("not sent: the server stopped with the soft stop".into());
        Some(self.finish_step(task, i))
    }

    /// One look at the subject of snapshot step `i`. `None`: stopped.
    async fn look_step(
        &self,
        call: &SnapshotCall,
        stop: &mut watch::Receiver<bool>,
    ) -> Option<Result<Seen, String>> {
        let one = |id: &String| vec![id.clone()];
        Some(Ok(match call {
            SnapshotCall::SoftStop { server_id, .. } | SnapshotCall::HardStop { server_id } => {
                let seen = match self.look(&one(server_id), stop).await? {
                    Ok(s) => s,
                    Err(e) => return Some(Err(e.to_string())),
                };
                match seen.get(server_id) {
                    None => Seen::Failed("the server no longer exists".into()),
                    Some(s) if s.status == "SHUTOFF" && s.task_state.is_none() => Seen::Done,
                    Some(s) if s.task_state.as_deref() == Some("powering-off") => Seen::Moving,
                    Some(_) => Seen::Untouched,
                }
            }
            SnapshotCall::Rollback { volume_id, .. } => {
                let ids = one(volume_id);
                match self.read_past_429(stop, || self.api.disks(&ids)).await? {
                    Ok(d) => {
                        SnapshotCall::look_rollback(d.iter().find(|d| d.id == *volume_id)).into()
                    }
                    Err(e) => return Some(Err(e.to_string())),
                }
            }
            SnapshotCall::Create {
                snapshot_id: None, ..
            } => Seen::Untouched,
            SnapshotCall::Create {
                snapshot_id: Some(id),
                ..
            }
            | SnapshotCall::Delete { snapshot_id: id }
            | SnapshotCall::Rename {
                snapshot_id: id, ..
            } => {
                let ids = one(id);
                match self
                    .read_past_429(stop, || self.api.snapshots(&ids))
                    .await?
                {
                    Ok(s) => call.look_snapshot(s.iter().find(|s| s.id == *id)).into(),
                    Err(e) => return Some(Err(e.to_string())),
                }
            }
        }))
    }

    /// Ends step `i` failed, its subjects failed with `reason`, the note saying what is left.
    fn snapshot_failed(&self, task: &mut Task, i: usize, ids: &[String], reason: String) -> Flow {
        for id in ids {
            task.set_outcome(
                id,
                TargetOutcome::Failed {
                    code: None,
                    reason: reason.clone(),
                },
            );
        }
        let step = &mut task.steps[i];
        step.state = StepState::Failed;
        step.error = Some(reason.clone());
        step.finished_at = Some(Utc::now());
        let what = task.steps[i].describe();
        let note = match (&task.op, rollback_state(task)) {
            (_, Some(state)) => format!("{what}: {reason}; {state}"),
            (Op::Snapshot(SnapshotOp::Create { set_id, .. }), _) => format!(
                "{what}: {reason}; the set {set_id} is partial: `hvecs snapshots delete {set_id}` deletes what was made"
            ),
            _ => format!("{what}: {reason}"),
        };
        Flow::End(TaskState::Failed, Some(Cause::JobFailed), Some(note))
    }

    /// After its answer: waits until the step's subject shows the call's stable state. A set's
    /// creates pass at once but the last, which waits for every snapshot of the set.
    pub(in crate::runner) async fn confirm_snapshot(
        &self,
        task: &mut Task,
        i: usize,
        call: &SnapshotCall,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        if let SnapshotCall::Create { .. } = call {
            let members = set_members(task);
            if members.last().map(|m| m.0) != Some(i) {
                return self.finish_step(task, i);
            }
            return self.confirm_set(task, i, members, stop).await;
        }
        let soft = match call {
            SnapshotCall::SoftStop { give_up_secs, .. } => Some(*give_up_secs),
            _ => None,
        };
        let wait = soft.map_or(self.timing.confirm_for, Duration::from_secs);
        let ids = call.subject_ids();
        let judge = |task: &mut Task, _: &&SnapshotCall, seen: Seen, late: Option<Duration>| {
            match seen {
                Seen::Done => {
                    for id in &ids {
                        task.set_outcome(id, TargetOutcome::Succeeded);
                    }
                    return Judged::End(self.finish_step(task, i));
                }
                Seen::Failed(reason) => {
                    return Judged::End(self.snapshot_failed(task, i, &ids, reason));
                }
                Seen::Moving | Seen::Untouched => {}
            }
            let Some(waited) = late else {
                return Judged::Waiting;
            };
            if let Some(secs) = soft {
                task.note = Some(format!(
                    "the server did not stop in {secs} s with a soft stop: stopping it hard"
                ));
                return Judged::End(self.finish_step(task, i));
            }
            let note = |_: &str| format!("not settled after {}", call.describe());
            let state = rollback_state(task)
                .map(|s| format!("; {s}"))
                .unwrap_or_default();
            let why = format!(
                "{} did not settle in {} s{state}",
                call.describe(),
                waited.as_secs()
            );
            Judged::End(unconfirmed(task, i, &ids, note, why))
        };
        let what = "what the step changed";
        self.confirming(
            task,
            Watch { what, wait },
            stop,
            |_| Ok(call),
            judge,
            |x, c, stop| Box::pin(x.look_step(c, stop)),
        )
        .await
    }

    /// The last create of a set: waits until every snapshot of the set is `available`; one
    /// that fails fails the task, naming its disk.
    async fn confirm_set(
        &self,
        task: &mut Task,
        i: usize,
        members: Vec<SetMember>,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let pending = |task: &mut Task| {
            let waiting: Vec<SetMember> = members
                .iter()
                .filter(|m| {
                    matches!(
                        task.targets.get(&m.1).map(|t| &t.outcome),
                        Some(TargetOutcome::Pending) | None
                    )
                })
                .cloned()
                .collect();
            if waiting.is_empty() {
                return Err(self.finish_step(task, i));
            }
            let ids: Vec<String> = waiting.iter().filter_map(|m| m.2.clone()).collect();
            Ok((waiting, ids))
        };
        let judge = |task: &mut Task,
                     (waiting, _): &(Vec<SetMember>, Vec<String>),
                     seen: Vec<KnownSnapshot>,
                     late: Option<Duration>| {
            let mut failed = None;
            for (step, volume, snap) in waiting {
                let call = match &task.steps[*step].call {
                    Call::Snapshot(c) => c.clone(),
                    _ => continue,
                };
                let found = snap
                    .as_ref()
                    .and_then(|id| seen.iter().find(|s| s.id == *id));
                match Seen::from(call.look_snapshot(found)) {
                    Seen::Done => task.set_outcome(volume, TargetOutcome::Succeeded),
                    Seen::Failed(reason) => {
                        let name = task
                            .targets
                            .get(volume)
                            .map_or(volume.clone(), |t| t.name.clone());
                        failed.get_or_insert((volume.clone(), format!("disk {name}: {reason}")));
                    }
                    Seen::Moving | Seen::Untouched => {}
                }
            }
            if let Some((volume, reason)) = failed {
                return Judged::End(self.snapshot_failed(task, i, &[volume], reason));
            }
            self.emit(EventKind::Progress, task);
            let Some(waited) = late else {
                return Judged::Waiting;
            };
            task.steps[i].state = StepState::Unknown;
            Judged::End(Flow::End(
                TaskState::Interrupted,
                Some(Cause::Unconfirmed),
                Some(format!(
                    "the set's snapshots were not all available in {} s",
                    waited.as_secs()
                )),
            ))
        };
        self.confirming(
            task,
            self.watch("the snapshots"),
            stop,
            pending,
            judge,
            |x, (_, ids), stop| Box::pin(x.read_past_429(stop, || x.api.snapshots(ids))),
        )
        .await
    }

    /// A snapshot step whose answer was lost (or whose process ended while sending), settled by
    /// looking; nothing is sent again. A create is found by its set's tag on its disk.
    pub(in crate::runner) async fn settle_snapshot_by_looking(
        &self,
        task: &mut Task,
        i: usize,
        why: &str,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let Call::Snapshot(call) = task.steps[i].call.clone() else {
            return Flow::Next;
        };
        if let SnapshotCall::Create {
            volume_id,
            set_id,
            snapshot_id: None,
            ..
        } = &call
        {
            let found = self
                .read_past_429(stop, || self.api.snapshots_of_disk(volume_id))
                .await;
            match found {
                None => return Flow::Stopped,
                Some(Ok(list)) => {
                    if let Some(s) = list.iter().find(|s| s.set_id.as_deref() == Some(set_id)) {
                        let id = s.id.clone();
                        self.snapshot_made(task, i, Some(&id));
                    }
                }
                Some(Err(e)) => task.note = Some(format!("cannot look at the snapshots ({e})")),
            }
        }
        let call = match &task.steps[i].call {
            Call::Snapshot(c) => c.clone(),
            _ => call,
        };
        let seen = match self.look_step(&call, stop).await {
            None => return Flow::Stopped,
            Some(Ok(s)) => s,
            Some(Err(e)) => Seen::Failed(format!("cannot look ({e})")),
        };
        let reached = match (&call, seen) {
            (_, Seen::Moving) => true,
            // A stop, a delete, a rename, a create: what is there is what was asked.
            (SnapshotCall::Rollback { .. }, Seen::Done) => false,
            (_, Seen::Done) => true,
            (_, Seen::Failed(_) | Seen::Untouched) => false,
        };
        if reached {
            let note = format!("{why}; the cloud shows the change: following it");
            return self.to_confirming(task, i, note);
        }
        let note = format!(
            "{}: {why}, and looking cannot tell whether it reached the cloud; it was not sent again (a disk is never rolled back twice): look before asking again",
            call.describe()
        );
        for id in call.subject_ids() {
            task.set_outcome(&id, TargetOutcome::Unknown { note: note.clone() });
        }
        task.steps[i].state = StepState::Unknown;
        let state = rollback_state(task)
            .map(|s| format!("; {s}"))
            .unwrap_or_default();
        Flow::End(
            TaskState::Interrupted,
            Some(Cause::Lost),
            Some(format!("{note}{state}")),
        )
    }
}
