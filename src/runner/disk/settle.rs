//! The executor's stages for disk calls: the disks a create made (and the attach that waits for
//! them), a disk's stable state after its job, and a lost answer settled by looking at the disk.

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use crate::runner::cloud::CallError;
use crate::runner::disk::call::{DiskCall, DiskLook, KnownDisk};
use crate::runner::executor::{Executor, Flow, pending_ids, step_ids};
use crate::runner::settle::each_settled;
use crate::runner::task::{Call, Cause, StepState, Target, TargetOutcome, Task, TaskState};

/// How many times a disk create whose answer was lost is asked again with its client token.
const CREATE_RESENDS: u32 = 3;

impl Executor {
    /// The disks a create's answer names become the task's targets, and the attach of the same
    /// task gets its disk.
    pub(in crate::runner) fn disks_made(&self, task: &mut Task, i: usize, ids: &[String]) {
        let Call::Disk(DiskCall::Create { spec, .. }) = &task.steps[i].call else {
            return;
        };
        let names: Vec<String> = (0..ids.len())
            .map(|n| {
                if ids.len() > 1 {
                    format!("{}-{:04}", spec.name, n + 1)
                } else {
                    spec.name.clone()
                }
            })
            .collect();
        for (id, name) in ids.iter().zip(names) {
            task.targets
                .entry(id.clone())
                .or_insert(Target::pending(name));
        }
        for step in task.steps.iter_mut().skip(i + 1) {
            if let Call::Disk(DiskCall::Attach { volume_id, .. }) = &mut step.call
                && volume_id.is_empty()
                && let Some(first) = ids.first()
            {
                volume_id.clone_from(first);
            }
        }
    }

    /// Before a disk step is sent: an attach whose disk was not made is not sent (the task
    /// fails, naming why); one whose disk was just made follows that disk again.
    pub(in crate::runner) fn disk_blocked(&self, task: &mut Task, i: usize) -> Option<Flow> {
        let Call::Disk(DiskCall::Attach { volume_id, .. }) = &task.steps[i].call else {
            return None;
        };
        let id = volume_id.clone();
        let why = match task.targets.get(&id).map(|t| &t.outcome) {
            _ if id.is_empty() => Some("the disk to attach was never made"),
            Some(TargetOutcome::Failed { .. } | TargetOutcome::Unknown { .. }) => {
                Some("the disk to attach was not made")
            }
            Some(TargetOutcome::Succeeded) => {
                task.set_outcome(&id, TargetOutcome::Pending);
                None
            }
            _ => None,
        }?;
        let step = &mut task.steps[i];
        step.state = StepState::Failed;
        step.error = Some(why.to_owned());
        step.finished_at = Some(Utc::now());
        Some(Flow::End(
            TaskState::Failed,
            Some(Cause::JobFailed),
            Some(format!("{why}; the attach was not sent")),
        ))
    }

    /// Reads the disks, waiting out 429s. `None`: stopped.
    async fn look_disks(
        &self,
        ids: &[String],
        stop: &mut watch::Receiver<bool>,
    ) -> Option<Result<HashMap<String, KnownDisk>, CallError>> {
        self.look_by_id(ids, stop, || self.api.disks(ids), |d| d.id.clone())
            .await
    }

    /// After its job: waits until each disk still pending shows the call's stable state.
    pub(in crate::runner) async fn confirm_disk(
        &self,
        task: &mut Task,
        i: usize,
        call: &DiskCall,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let pending = |task: &mut Task| self.still_pending(task, i);
        let judge = |task: &mut Task,
                     waiting: &Vec<String>,
                     seen: HashMap<String, KnownDisk>,
                     late: Option<Duration>| {
            let settled = |_: &mut Task, id: &str| match call.look(seen.get(id)) {
                DiskLook::Done => Some(TargetOutcome::Succeeded),
                DiskLook::Failed(reason) => Some(TargetOutcome::Failed { code: None, reason }),
                DiskLook::Moving | DiskLook::Untouched => None,
            };
            let still = |id: &str| {
                let now = seen.get(id).map_or("gone", |d| d.status.as_str());
                format!("still {now} after its job ({})", call.describe())
            };
            let why = || format!("{} disk(s) did not settle", waiting.len());
            each_settled(task, i, waiting, late, settled, still, why)
        };
        self.confirming(
            task,
            self.watch("the disks"),
            stop,
            pending,
            judge,
            |x, w, stop| Box::pin(x.look_disks(w, stop)),
        )
        .await
    }

    /// A disk call whose answer was lost: a create is asked again with its client token (it
    /// gives back the first job, never more disks); anything else is settled by looking.
    pub(in crate::runner) async fn reconcile_disk(
        &self,
        task: &mut Task,
        i: usize,
        call: &DiskCall,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        if matches!(call, DiskCall::Create { .. }) {
            if task.steps[i].resends < CREATE_RESENDS {
                task.steps[i].resends += 1;
                task.note = Some(
                    "the disk create's answer was lost: asking again with the same client token"
                        .into(),
                );
                self.save(task);
                return self.send_until_answered(task, i, stop).await;
            }
            let why = format!("its answer was lost {} times", CREATE_RESENDS + 1);
            return self.settle_disk_by_looking(task, i, call, &why, stop).await;
        }
        self.settle_disk_by_looking(task, i, call, "its answer was lost", stop)
            .await
    }

    /// A disk step that may have reached the API, settled by looking at its disk. Sends nothing.
    pub(in crate::runner) async fn settle_disk_by_looking(
        &self,
        task: &mut Task,
        i: usize,
        call: &DiskCall,
        why: &str,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let ids = step_ids(task, i);
        if ids.is_empty() {
            task.steps[i].state = StepState::Unknown;
            return Flow::End(
                TaskState::Interrupted,
                Some(Cause::Lost),
                Some(format!(
                    "{}: {why}, and without its answer its disks cannot be told apart: the outcome is unknown; look (hvecs disks list) before asking again",
                    call.describe()
                )),
            );
        }
        let mut untouched = ids.clone();
        for look in 0..self.timing.looks.max(1) {
            if look > 0 && !self.pause(self.timing.poll_first * (1 << look), stop).await {
                return Flow::Stopped;
            }
            let seen = match self.look_disks(&ids, stop).await {
                None => return Flow::Stopped,
                Some(Ok(s)) => s,
                Some(Err(e)) => {
                    task.note = Some(format!(
                        "cannot look at the disks ({e}); the outcome is unknown"
                    ));
                    continue;
                }
            };
            untouched.clear();
            for id in &ids {
                match call.look(seen.get(id)) {
                    DiskLook::Done | DiskLook::Moving => {}
                    DiskLook::Untouched => untouched.push(id.clone()),
                    DiskLook::Failed(reason) => {
                        task.set_outcome(id, TargetOutcome::Failed { code: None, reason })
                    }
                }
            }
            if untouched.is_empty() {
                break;
            }
        }
        for id in &untouched {
            let note = format!(
                "{}: {why}, and the disk shows no sign of it; nothing was sent again: look before asking again",
                call.describe()
            );
            task.set_outcome(id, TargetOutcome::Unknown { note });
        }
        if pending_ids(task, i).is_empty() {
            task.steps[i].state = StepState::Unknown;
            let note = task
                .targets
                .values()
                .find_map(|t| match &t.outcome {
                    TargetOutcome::Unknown { note } => Some(note.clone()),
                    TargetOutcome::Failed { reason, .. } => Some(reason.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "the answer was lost and looking could not settle it".into());
            return Flow::End(TaskState::Interrupted, Some(Cause::Lost), Some(note));
        }
        let note = "the answer was lost; the disk shows the change: following it";
        self.to_confirming(task, i, note.into())
    }
}
