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
            task.targets
                .insert(s.id.clone(), Target::pending(s.name.clone()));
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

    /// The targets of step `i` still pending; none: the step is finished.
    pub(super) fn still_pending(&self, task: &mut Task, i: usize) -> Result<Vec<String>, Flow> {
        let pending = pending_ids(task, i);
        if pending.is_empty() {
            return Err(self.finish_step(task, i));
        }
        Ok(pending)
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
        self.look_by_id(ids, stop, || self.api.servers(ids), |s| s.id.clone())
            .await
    }

    /// What `read` gives of `ids` (read again after each 429), keyed by `id_of`; nothing asked,
    /// nothing read. `None`: stopped.
    pub(super) async fn look_by_id<'a, T>(
        &'a self,
        ids: &[String],
        stop: &mut watch::Receiver<bool>,
        read: impl Fn() -> BoxFuture<'a, Result<Vec<T>, CallError>>,
        id_of: impl Fn(&T) -> String,
    ) -> Option<Result<HashMap<String, T>, CallError>> {
        if ids.is_empty() {
            return Some(Ok(HashMap::new()));
        }
        let list = self.read_past_429(stop, read).await?;
        Some(list.map(|l| l.into_iter().map(|t| (id_of(&t), t)).collect()))
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
        let pending = |task: &mut Task| {
            if settle == Settle::Nothing {
                for id in pending_ids(task, i) {
                    task.set_outcome(&id, TargetOutcome::Succeeded);
                }
            }
            self.still_pending(task, i)
        };
        let judge = |task: &mut Task,
                     pending: &Vec<String>,
                     seen: HashMap<String, KnownServer>,
                     late: Option<Duration>| {
            let settled = |task: &mut Task, id: &str| {
                let server = seen.get(id);
                if let Some(s) = server
                    && let Some(t) = task.targets.get_mut(id)
                    && t.name != s.name
                {
                    t.name = s.name.clone();
                }
                let status = server.map(|s| s.status.as_str());
                if settle.reached(status) && server.is_none_or(|s| s.task_state.is_none()) {
                    Some(TargetOutcome::Succeeded)
                } else if status == Some("ERROR") && settle != Settle::Gone {
                    Some(TargetOutcome::Failed {
                        code: None,
                        reason: "the server went into ERROR".into(),
                    })
                } else {
                    None
                }
            };
            let still = |id: &str| {
                let now = seen.get(id).map_or("gone", |s| s.status.as_str());
                format!("still {now}, not {}, after its job", settle.describe())
            };
            let why = || {
                format!(
                    "{} server(s) did not reach {}",
                    pending.len(),
                    settle.describe()
                )
            };
            each_settled(task, i, pending, late, settled, still, why)
        };
        self.confirming(
            task,
            self.watch("the servers"),
            stop,
            pending,
            judge,
            |x, w, stop| Box::pin(x.look(w, stop)),
        )
        .await
    }
}

/// Gives up confirming step `i` at its deadline: each of `ids` is unknown, `note` saying why,
/// and the task is interrupted, its outcome unconfirmed, saying `why`.
pub(super) fn unconfirmed(
    task: &mut Task,
    i: usize,
    ids: &[String],
    note: impl Fn(&str) -> String,
    why: String,
) -> Flow {
    for id in ids {
        task.set_outcome(id, TargetOutcome::Unknown { note: note(id) });
    }
    task.steps[i].state = StepState::Unknown;
    Flow::End(TaskState::Interrupted, Some(Cause::Unconfirmed), Some(why))
}

/// Each of `pending` judged on its own, `settled` saying the outcome it has reached, if any:
/// some settled, `Changed`; none, `Waiting`; none past the deadline (`late`: the time waited),
/// each is unknown, `still` saying what it shows, and the step ends unconfirmed, saying `why`
/// and how long it waited.
pub(super) fn each_settled(
    task: &mut Task,
    i: usize,
    pending: &[String],
    late: Option<Duration>,
    mut settled: impl FnMut(&mut Task, &str) -> Option<TargetOutcome>,
    still: impl Fn(&str) -> String,
    why: impl FnOnce() -> String,
) -> Judged {
    let mut changed = false;
    for id in pending {
        if let Some(outcome) = settled(task, id) {
            task.set_outcome(id, outcome);
            changed = true;
        }
    }
    match late {
        _ if changed => Judged::Changed,
        Some(waited) => {
            let why = format!("{} in {} s", why(), waited.as_secs());
            Judged::End(unconfirmed(task, i, pending, still, why))
        }
        None => Judged::Waiting,
    }
}

/// What a confirmation looks at (`what`, named when it cannot be read) and for how long.
pub(super) struct Watch {
    pub what: &'static str,
    pub wait: Duration,
}

/// What a confirming look made of what it saw.
pub(super) enum Judged {
    /// Some of it settled: told as progress, and looked at again at once.
    Changed,
    /// Something was learnt (no progress to tell): looked at again at once.
    Again,
    /// Nothing settled yet: looked at again after the next pause.
    Waiting,
    /// The step ends here.
    End(Flow),
}

impl Executor {
    /// A confirmation of `what` that may take the usual time.
    pub(super) fn watch(&self, what: &'static str) -> Watch {
        Watch {
            what,
            wait: self.timing.confirm_for,
        }
    }

    /// Confirms a step by looking until its subject settles, for at most `wait` (read failures
    /// included), with a growing pause between looks. Each round, `pending` says what is still
    /// to settle (or ends the step), `read` looks at it (`None`: stopped), and `judge` makes
    /// something of what was seen, told how long it waited once the deadline has passed. A look
    /// that failed says nothing (an empty answer would read as "all gone"): past the deadline the
    /// step ends unconfirmed, naming `what` could not be read; before it, it is looked at again.
    pub(super) async fn confirming<W, T, E: Display>(
        &self,
        task: &mut Task,
        Watch { what, wait }: Watch,
        stop: &mut watch::Receiver<bool>,
        mut pending: impl FnMut(&mut Task) -> Result<W, Flow>,
        mut judge: impl FnMut(&mut Task, &W, T, Option<Duration>) -> Judged,
        mut read: impl for<'a> FnMut(
            &'a Self,
            &'a W,
            &'a mut watch::Receiver<bool>,
        ) -> BoxFuture<'a, Option<Result<T, E>>>,
    ) -> Flow {
        let deadline = Instant::now() + wait;
        let mut backoff = PollBackoff::new(self.timing.poll_first / 2, self.timing.poll_max);
        loop {
            let waiting = match pending(task) {
                Ok(w) => w,
                Err(end) => return end,
            };
            let judged = match read(self, &waiting, stop).await {
                None => return Flow::Stopped,
                Some(Ok(seen)) => {
                    let late = (Instant::now() >= deadline).then_some(wait);
                    judge(task, &waiting, seen, late)
                }
                Some(Err(e)) => {
                    tracing::info!(task = %task.id, "cannot look at {what}: {e}");
                    if Instant::now() >= deadline {
                        return Flow::End(
                            TaskState::Interrupted,
                            Some(Cause::Unconfirmed),
                            Some(format!("the job ended but {what} cannot be read: {e}")),
                        );
                    }
                    Judged::Waiting
                }
            };
            match judged {
                Judged::Changed => self.emit(EventKind::Progress, task),
                Judged::Again => {}
                Judged::Waiting => {
                    if !self.pause(backoff.next_delay(), stop).await {
                        return Flow::Stopped;
                    }
                }
                Judged::End(end) => return end,
            }
        }
    }
}
