//! Settling a step by looking at its servers: after a lost answer (reconcile) and after its job
//! (confirm the stable status). Part of the executor.

use std::collections::HashMap;
use std::fmt::Display;
use std::time::Duration;

use chrono::Utc;
use futures::future::BoxFuture;
use tokio::sync::watch;
use tokio::time::Instant;

use super::backoff::PollBackoff;
use super::cloud::CallError;
use super::event::EventKind;
use super::executor::{Executor, Flow, pending_ids, step_ids};
use super::precondition::KnownServer;
use super::reconcile::{Look, classify, untouched_note};
use super::task::{Call, Cause, Settle, StepState, Target, TargetOutcome, Task, TaskState};

impl Executor {
    /// A step whose answer was lost (now, or before a crash): a create is asked again with its
    /// client token (at most 3 times, and only while its password is known); anything else, and a
    /// create that cannot be asked again, is settled by looking.
    pub(super) async fn reconcile(
        &self,
        task: &mut Task,
        i: usize,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        task.steps[i].maybe_reached = true;
        let call = task.steps[i].call.clone();
        if let Call::Disk(d) = &call {
            return self.reconcile_disk(task, i, d, stop).await;
        }
        if let Call::Snapshot(_) = &call {
            return self
                .settle_snapshot_by_looking(task, i, "its answer was lost", stop)
                .await;
        }
        if let Call::Create { spec, .. } = &call {
            let resends = task.steps[i].resends;
            let why = if resends >= 3 {
                "its answer was lost 4 times; it was not sent again"
            } else if spec.admin_pass.is_none() && spec.had_admin_pass {
                "its answer was lost, and the admin password is never kept, so it was not sent again"
            } else {
                task.steps[i].resends += 1;
                // The same client token gives back the first job, never a second set of servers.
                task.note = Some(
                    "the create's answer was lost: asking again with the same client token".into(),
                );
                self.save(task);
                return self.send_until_answered(task, i, stop).await;
            };
            return self.settle_by_looking(task, i, why, stop).await;
        }
        self.settle_by_looking(task, i, "its answer was lost", stop)
            .await
    }

    /// A step that may have reached the API, settled by looking at its servers (a create: by
    /// its name); `why` says why looking is all that is left. Sends nothing.
    pub(super) async fn settle_by_looking(
        &self,
        task: &mut Task,
        i: usize,
        why: &str,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let call = task.steps[i].call.clone();
        if let Call::Disk(d) = &call {
            return self.settle_disk_by_looking(task, i, d, why, stop).await;
        }
        if let Call::Snapshot(_) = &call {
            return self.settle_snapshot_by_looking(task, i, why, stop).await;
        }
        if let Call::Create { spec, .. } = &call {
            return self
                .find_created(task, i, &spec.name, spec.count, why, stop)
                .await;
        }
        if let Call::Image(c) = &call {
            return self.settle_image_by_looking(task, i, c, why, stop).await;
        }
        let ids = step_ids(task, i);
        let mut untouched: Vec<String> = Vec::new();
        for look in 0..self.timing.looks.max(1) {
            if look > 0 && !self.pause(self.timing.poll_first * (1 << look), stop).await {
                return Flow::Stopped;
            }
            let seen = match self.look(&ids, stop).await {
                Some(Ok(s)) => s,
                Some(Err(e)) => {
                    task.note = Some(format!(
                        "cannot look at the servers ({e}); the outcome is unknown"
                    ));
                    continue;
                }
                None => return Flow::Stopped,
            };
            untouched.clear();
            for id in &ids {
                let server = seen.get(id);
                match classify(&call, server) {
                    Look::Reached | Look::Moving => {}
                    Look::Untouched => untouched.push(id.clone()),
                    Look::Unclear(why) => task.set_outcome(
                        id,
                        TargetOutcome::Unknown {
                            note: format!("the answer was lost and {why}; nothing was re-sent"),
                        },
                    ),
                }
            }
            if untouched.is_empty() {
                break;
            }
        }
        let seen = self
            .look(&untouched, stop)
            .await
            .and_then(Result::ok)
            .unwrap_or_default();
        for id in &untouched {
            task.set_outcome(
                id,
                TargetOutcome::Unknown {
                    note: untouched_note(&call, seen.get(id)),
                },
            );
        }
        let pending = step_ids(task, i)
            .into_iter()
            .filter(|id| {
                matches!(
                    task.targets.get(id).map(|t| &t.outcome),
                    Some(TargetOutcome::Pending)
                )
            })
            .count();
        if pending == 0 {
            task.steps[i].state = StepState::Unknown;
            let note = task
                .targets
                .values()
                .find_map(|t| match &t.outcome {
                    TargetOutcome::Unknown { note } => Some(note.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "the answer was lost and looking could not settle it".into());
            return Flow::End(TaskState::Interrupted, Some(Cause::Lost), Some(note));
        }
        let note = "the answer was lost; the servers show the change: following their status";
        self.to_confirming(task, i, note.into())
    }

    /// A create that may have been received, found by its name (`name`, or `name-NNNN` for a
    /// count): looked at a few times, as the servers of its job appear.
    async fn find_created(
        &self,
        task: &mut Task,
        i: usize,
        name: &str,
        count: u32,
        why: &str,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let mut found = Vec::new();
        for look in 0..self.timing.looks.max(1) {
            if look > 0 && !self.pause(self.timing.poll_first * (1 << look), stop).await {
                return Flow::Stopped;
            }
            if !self.region_clear(stop).await {
                return Flow::Stopped;
            }
            match self.api.servers_named(name).await {
                Ok(f) => {
                    self.passed();
                    found = f;
                    if found.len() >= count as usize {
                        break;
                    }
                }
                Err(CallError::Throttled { .. }) => self.throttled(),
                Err(e) => {
                    task.steps[i].state = StepState::Unknown;
                    return Flow::End(
                        TaskState::Interrupted,
                        Some(Cause::Lost),
                        Some(format!(
                            "the create of {name}: {why}, and looking for it failed ({e}): the outcome is unknown; look before creating it again"
                        )),
                    );
                }
            }
        }
        if found.len() < count as usize {
            task.steps[i].state = StepState::Unknown;
            return Flow::End(
                TaskState::Interrupted,
                Some(Cause::Lost),
                Some(format!(
                    "the create of {name}: {why}; {} of {count} server(s) named {name} exist: the outcome is unknown; look before creating it again",
                    found.len()
                )),
            );
        }
        for s in found {
            task.targets.insert(
                s.id.clone(),
                Target {
                    name: s.name.clone(),
                    outcome: TargetOutcome::Pending,
                },
            );
        }
        let note = format!(
            "the create of {name}: {why}; its {count} server(s) exist: following their status"
        );
        self.to_confirming(task, i, note)
    }

    /// Step `i`, settled by looking, shows its change: it is confirmed from here, `note` saying
    /// why.
    pub(super) fn to_confirming(&self, task: &mut Task, i: usize, note: String) -> Flow {
        task.note = Some(note);
        task.steps[i].state = StepState::Confirming;
        self.save(task);
        self.emit(EventKind::Step { index: i }, task);
        Flow::Next
    }

    /// Step `i` is done: counted, its job's progress cleared, journaled and told.
    pub(super) fn finish_step(&self, task: &mut Task, i: usize) -> Flow {
        let step = &mut task.steps[i];
        step.state = StepState::Done;
        step.finished_at = Some(Utc::now());
        task.progress.steps_done += 1;
        task.progress.percent = None;
        task.progress.sub_done = 0;
        task.progress.sub_total = 0;
        self.save(task);
        self.emit(EventKind::Step { index: i }, task);
        Flow::Next
    }

    /// Reads the servers, waiting out 429s. `None`: stopped.
    pub(super) async fn look(
        &self,
        ids: &[String],
        stop: &mut watch::Receiver<bool>,
    ) -> Option<Result<HashMap<String, KnownServer>, CallError>> {
        if ids.is_empty() {
            return Some(Ok(HashMap::new()));
        }
        let list = self.read_past_429(stop, || self.api.servers(ids)).await?;
        Some(list.map(|l| l.into_iter().map(|s| (s.id.clone(), s)).collect()))
    }

    /// One read of the cloud, sent again after each 429 once the region is clear. `None`: stopped.
    pub(super) async fn read_past_429<'a, T>(
        &'a self,
        stop: &mut watch::Receiver<bool>,
        read: impl Fn() -> BoxFuture<'a, Result<T, CallError>>,
    ) -> Option<Result<T, CallError>> {
        loop {
            if !self.region_clear(stop).await {
                return None;
            }
            match read().await {
                Ok(v) => {
                    self.passed();
                    return Some(Ok(v));
                }
                Err(CallError::Throttled { .. }) => self.throttled(),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// Waits until every server still pending shows the step's stable status.
    pub(super) async fn confirm(
        &self,
        task: &mut Task,
        i: usize,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        if let Call::Disk(d) = &task.steps[i].call {
            let d = d.clone();
            return self.confirm_disk(task, i, &d, stop).await;
        }
        if let Call::Snapshot(c) = &task.steps[i].call {
            let c = c.clone();
            return self.confirm_snapshot(task, i, &c, stop).await;
        }
        let settle = task.steps[i].settle;
        if matches!(settle, Settle::ImageActive | Settle::ImageGone) {
            return self.confirm_image(task, i, stop).await;
        }
        let mut looks = self.looks_for(self.timing.confirm_for);
        loop {
            let pending = pending_ids(task, i);
            if pending.is_empty() || settle == Settle::Nothing {
                for id in pending {
                    task.set_outcome(&id, TargetOutcome::Succeeded);
                }
                return self.finish_step(task, i);
            }
            let read = self.look(&pending, stop).await;
            let seen = match self
                .confirm_look(&mut looks, task, "the servers", read, stop)
                .await
            {
                Looked::Saw(s) => s,
                Looked::Again => continue,
                Looked::End(end) => return end,
            };
            let mut changed = false;
            for id in &pending {
                let server = seen.get(id);
                if let Some(s) = server
                    && let Some(t) = task.targets.get_mut(id)
                    && t.name != s.name
                {
                    t.name = s.name.clone();
                }
                let status = server.map(|s| s.status.as_str());
                if settle.reached(status) && server.is_none_or(|s| s.task_state.is_none()) {
                    task.set_outcome(id, TargetOutcome::Succeeded);
                    changed = true;
                } else if status == Some("ERROR") && settle != Settle::Gone {
                    task.set_outcome(
                        id,
                        TargetOutcome::Failed {
                            code: None,
                            reason: "the server went into ERROR".into(),
                        },
                    );
                    changed = true;
                }
            }
            if changed {
                self.emit(EventKind::Progress, task);
                continue;
            }
            if Instant::now() >= looks.deadline {
                let notes = pending
                    .iter()
                    .map(|id| {
                        let now = seen.get(id).map_or("gone", |s| s.status.as_str());
                        let note = format!("still {now}, not {}, after its job", settle.describe());
                        (id.clone(), note)
                    })
                    .collect();
                let why = format!(
                    "{} server(s) did not reach {} in {} s",
                    pending.len(),
                    settle.describe(),
                    self.timing.confirm_for.as_secs()
                );
                return unconfirmed(task, i, notes, why);
            }
            if !self.next_look(&mut looks, stop).await {
                return Flow::Stopped;
            }
        }
    }
}

/// Gives up confirming step `i` at its deadline: each (id, note) pending is unknown, and the task
/// is interrupted, its outcome unconfirmed, saying `why`.
pub(super) fn unconfirmed(
    task: &mut Task,
    i: usize,
    notes: Vec<(String, String)>,
    why: String,
) -> Flow {
    for (id, note) in notes {
        task.set_outcome(&id, TargetOutcome::Unknown { note });
    }
    task.steps[i].state = StepState::Unknown;
    Flow::End(TaskState::Interrupted, Some(Cause::Unconfirmed), Some(why))
}

/// The looks of one confirmation: until `deadline`, with a growing pause between them.
pub(super) struct Looks {
    pub deadline: Instant,
    backoff: PollBackoff,
}

/// What one look while confirming gives the confirming loop.
pub(super) enum Looked<T> {
    /// What the look saw.
    Saw(T),
    /// The look failed before the deadline; the pause is waited: look again.
    Again,
    /// The step ends here (stopped, or still unreadable at the deadline).
    End(Flow),
}

impl Executor {
    /// The looks of a confirmation that may take `wait` from now.
    pub(super) fn looks_for(&self, wait: Duration) -> Looks {
        Looks {
            deadline: Instant::now() + wait,
            backoff: PollBackoff::new(self.timing.poll_first / 2, self.timing.poll_max),
        }
    }

    /// What a look while confirming `task` read (`None`: stopped). A look that failed says
    /// nothing (an empty answer would read as "all gone"): past the deadline the step ends
    /// unconfirmed, naming `what` could not be read; before it, after the next pause, it is
    /// looked at again.
    pub(super) async fn confirm_look<T, E: Display>(
        &self,
        looks: &mut Looks,
        task: &Task,
        what: &str,
        read: Option<Result<T, E>>,
        stop: &mut watch::Receiver<bool>,
    ) -> Looked<T> {
        let e = match read {
            None => return Looked::End(Flow::Stopped),
            Some(Ok(seen)) => return Looked::Saw(seen),
            Some(Err(e)) => e,
        };
        tracing::info!(task = %task.id, "cannot look at {what}: {e}");
        if Instant::now() >= looks.deadline {
            return Looked::End(Flow::End(
                TaskState::Interrupted,
                Some(Cause::Unconfirmed),
                Some(format!("the job ended but {what} cannot be read: {e}")),
            ));
        }
        if !self.next_look(looks, stop).await {
            return Looked::End(Flow::Stopped);
        }
        Looked::Again
    }

    /// Waits the pause before the next look; false: stopped.
    pub(super) async fn next_look(
        &self,
        looks: &mut Looks,
        stop: &mut watch::Receiver<bool>,
    ) -> bool {
        self.pause(looks.backoff.next_delay(), stop).await
    }
}
