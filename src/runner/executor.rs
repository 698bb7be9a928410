//! Runs one task's steps in sequence: journal, send (a 429 waits, a lost answer is reconciled by
//! looking), follow the job with backoff, confirm each server's stable status, report progress.
//! It resumes a task from whatever state the journal left it in.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::audit::{Actor, AuditEvent, AuditLog};
use super::backoff::{PollBackoff, Throttle};
use super::cloud::{Accepted, CallError, CloudApi, JobStatus, JobView};
use super::disk::call::DiskCall;
use super::event::{Coalescer, EventKind, PROGRESS_INTERVAL, TaskEvent};
use super::image::op::ImageCall;
use super::journal::Journal;
use super::task::{Call, Cause, Settle, StepState, Target, TargetOutcome, Task, TaskState};

/// How often and how long the executor looks.
#[derive(Debug, Clone)]
pub struct Timing {
    pub poll_first: Duration,
    pub poll_max: Duration,
    /// How long after its job a server may take to show its stable status.
    pub confirm_for: Duration,
    /// Looks at a server that shows no sign of a lost call before calling it "not received".
    pub looks: u32,
    /// Job reads that may fail in a row before the task is left "interrupted".
    pub job_read_failures: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            poll_first: Duration::from_secs(1),
            poll_max: Duration::from_secs(5),
            confirm_for: Duration::from_secs(300),
            looks: 3,
            job_read_failures: 10,
        }
    }
}

/// Everything a running task uses.
pub struct Executor {
    pub api: Arc<dyn CloudApi>,
    pub journal: Journal,
    pub audit: AuditLog,
    pub actor: Actor,
    pub throttle: Arc<Mutex<Throttle>>,
    pub timing: Timing,
    pub events: mpsc::UnboundedSender<TaskEvent>,
}

/// How a stage ended.
pub(super) enum Flow {
    Next,
    End(TaskState, Option<Cause>, Option<String>),
    Stopped,
}

impl Executor {
    pub(super) fn emit(&self, kind: EventKind, task: &Task) {
        self.events.send(TaskEvent::new(kind, task)).ok();
    }

    pub(super) fn save(&self, task: &Task) {
        if let Err(e) = self.journal.append(task) {
            tracing::error!(task = %task.id, "journal: {e}");
        }
    }

    /// Appends one audit line; a failure is logged (the change goes on: the journal has it).
    fn audit(&self, task: &Task, event: AuditEvent) {
        if let Err(e) = self.audit.append(&self.actor.record(event)) {
            tracing::error!(task = %task.id, "audit log {}: {e}", self.audit.path().display());
        }
    }

    /// Sleeps, unless the console stops following the task first.
    pub(super) async fn pause(&self, d: Duration, stop: &mut watch::Receiver<bool>) -> bool {
        if *stop.borrow() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(d) => true,
            _ = stop.changed() => false,
        }
    }

    /// Waits while the region is throttled.
    pub(super) async fn region_clear(&self, stop: &mut watch::Receiver<bool>) -> bool {
        loop {
            let wait = self
                .throttle
                .lock()
                .map(|t| t.wait(Instant::now()))
                .unwrap_or_default();
            if wait.is_zero() {
                return !*stop.borrow();
            }
            if !self.pause(wait, stop).await {
                return false;
            }
        }
    }

    pub(super) fn throttled(&self) {
        if let Ok(mut t) = self.throttle.lock() {
            t.on_throttled(Instant::now(), rand::random::<f64>());
        }
    }

    pub(super) fn passed(&self) {
        if let Ok(mut t) = self.throttle.lock() {
            t.on_success();
        }
    }

    /// Runs the task to its end, or until `stop` says to stop following it.
    pub async fn run(&self, task: &mut Task, mut stop: watch::Receiver<bool>) {
        if task.state != TaskState::Running {
            if let Err(e) = task.become_(TaskState::Running, Utc::now()) {
                tracing::error!("{e}");
                return;
            }
            task.note = None;
            self.save(task);
            self.emit(EventKind::Started, task);
        }
        let mut coalescer = Coalescer::new(PROGRESS_INTERVAL);
        while let Some(first) = task.current_step() {
            // A failed step is passed over once for the step that restores what came before.
            let i = restoring_step(task, first).unwrap_or(first);
            let flow = match task.steps[i].state {
                StepState::Pending => self.send(task, i, &mut stop).await,
                StepState::Sending => self.reconcile(task, i, &mut stop).await,
                StepState::Following => self.follow(task, i, &mut stop, &mut coalescer).await,
                StepState::Confirming => self.confirm(task, i, &mut stop).await,
                StepState::Done => Flow::Next,
                StepState::Failed => Flow::End(TaskState::Failed, task.cause, None),
                StepState::Unknown => Flow::End(TaskState::Interrupted, task.cause, None),
            };
            match flow {
                Flow::Next => {}
                Flow::End(TaskState::Failed, cause, note)
                    if let Some(j) = restoring_step(task, i) =>
                {
                    // Ends after the restoring step, as it failed now.
                    task.cause = cause.or(task.cause);
                    let why = note.or(task.note.take()).unwrap_or_default();
                    task.note = Some(format!(
                        "step {}: {why}; step {} restores what came before: {}",
                        i + 1,
                        j + 1,
                        task.steps[j].describe()
                    ));
                    self.save(task);
                }
                Flow::End(state, cause, note) => return self.end(task, state, cause, note),
                Flow::Stopped => {
                    let jobs = task.job_ids().join(", ");
                    let note = if jobs.is_empty() {
                        "no longer followed by this console".to_owned()
                    } else {
                        format!(
                            "no longer followed by this console; job {jobs} goes on in the cloud"
                        )
                    };
                    return self.end(task, TaskState::Unfollowed, None, Some(note));
                }
            }
        }
        let (_, failed, open) = task.tally();
        if failed > 0 {
            self.end(task, TaskState::Failed, Some(Cause::JobFailed), None)
        } else if open > 0 {
            self.end(task, TaskState::Interrupted, Some(Cause::Unconfirmed), None)
        } else {
            self.end(task, TaskState::Succeeded, None, None)
        }
    }

    fn end(&self, task: &mut Task, state: TaskState, cause: Option<Cause>, note: Option<String>) {
        if let Err(e) = task.become_(state, Utc::now()) {
            tracing::error!("{e}");
        }
        if cause.is_some() {
            task.cause = cause;
        }
        if note.is_some() {
            task.note = note;
        }
        self.save(task);
        let kind = match state {
            TaskState::Succeeded => EventKind::Succeeded,
            TaskState::Failed => EventKind::Failed,
            TaskState::Cancelled => EventKind::Cancelled,
            TaskState::Unfollowed => EventKind::Unfollowed,
            _ => EventKind::Interrupted,
        };
        self.emit(kind, task);
    }

    /// The first send of a step: journal first, then the request.
    async fn send(&self, task: &mut Task, i: usize, stop: &mut watch::Receiver<bool>) -> Flow {
        if let Some(flow) = self.disk_blocked(task, i) {
            return flow;
        }
        if let Some(flow) = self.snapshot_skip(task, i, stop).await {
            return flow;
        }
        // A target an earlier step settled is settled again by this one (a composite task
        // touches one server in several steps); a failed one stays failed, unless this step
        // restores it (the start after a stop-first).
        let restores = task.steps[i].restores;
        for id in task.steps[i].call.target_ids() {
            let again = match task.targets.get(&id).map(|t| &t.outcome) {
                Some(TargetOutcome::Succeeded) => true,
                Some(TargetOutcome::Failed { .. }) => restores,
                _ => false,
            };
            if again {
                task.set_outcome(&id, TargetOutcome::Pending);
            }
        }
        task.steps[i].state = StepState::Sending;
        task.steps[i].started_at = Some(Utc::now());
        if let Err(e) = self.journal.append(task) {
            task.steps[i].state = StepState::Failed;
            let note = format!("nothing was sent: {e}");
            task.steps[i].error = Some(note.clone());
            return Flow::End(TaskState::Failed, Some(Cause::NotSent), Some(note));
        }
        self.emit(EventKind::Step { index: i }, task);
        self.send_until_answered(task, i, stop).await
    }

    /// Sends the step's call, waiting out 429s, and acts on the answer.
    pub(super) async fn send_until_answered(
        &self,
        task: &mut Task,
        i: usize,
        stop: &mut watch::Receiver<bool>,
    ) -> Flow {
        let call = task.steps[i].call.clone();
        loop {
            if !self.region_clear(stop).await {
                return Flow::Stopped;
            }
            self.audit(task, AuditEvent::sending(task, &call));
            let answer = self.api.send(&call).await;
            self.audit(task, AuditEvent::answered(task, &call, &answer));
            match answer {
                Ok(a) => {
                    self.passed();
                    self.accepted(task, i, a);
                    return Flow::Next;
                }
                Err(CallError::Throttled { .. }) => self.throttled(),
                Err(CallError::OutcomeUnknown(m)) => {
                    // The step stays `Sending`: the run loop reconciles it next, by looking.
                    task.steps[i].maybe_reached = true;
                    task.note = Some(format!("sent, but the answer was lost ({m}); looking"));
                    self.save(task);
                    return Flow::Next;
                }
                Err(e) if task.steps[i].maybe_reached => {
                    // An earlier send may have made the change: this refusal says nothing of it.
                    let step = &mut task.steps[i];
                    step.http_status = e.http_status();
                    step.request_id = e.request_id().map(str::to_owned);
                    step.error = Some(e.to_string());
                    let why = format!("its answer was lost and sending it again failed ({e})");
                    return self.settle_by_looking(task, i, &why, stop).await;
                }
                Err(e) => {
                    let cause = match e {
                        CallError::NotSent(_) => Cause::NotSent,
                        _ => Cause::Rejected,
                    };
                    let step = &mut task.steps[i];
                    step.state = StepState::Failed;
                    step.http_status = e.http_status();
                    step.request_id = e.request_id().map(str::to_owned);
                    step.error = Some(e.to_string());
                    step.finished_at = Some(Utc::now());
                    let (code, reason) = match &e {
                        CallError::Rejected { code, message, .. } => {
                            (code.clone(), message.clone())
                        }
                        other => (None, other.to_string()),
                    };
                    for id in step_ids(task, i) {
                        task.set_outcome(
                            &id,
                            TargetOutcome::Failed {
                                code: code.clone(),
                                reason: reason.clone(),
                            },
                        );
                    }
                    let note = format!("{e}; nothing was changed");
                    return Flow::End(TaskState::Failed, Some(cause), Some(note));
                }
            }
        }
    }

    fn accepted(&self, task: &mut Task, i: usize, a: Accepted) {
        self.disks_made(task, i, &a.volume_ids);
        self.snapshot_made(task, i, a.snapshot_id.as_deref());
        for id in &a.server_ids {
            if !task.targets.contains_key(id) {
                task.set_outcome(id, TargetOutcome::Pending);
            }
        }
        let step = &mut task.steps[i];
        step.http_status = Some(a.http_status);
        step.request_id = a.request_id;
        step.state = match (&a.job_id, step.settle) {
            (Some(_), _) => StepState::Following,
            (None, Settle::Nothing) => StepState::Done,
            (None, _) => StepState::Confirming,
        };
        step.job_id = a.job_id;
        if step.state == StepState::Done {
            step.finished_at = Some(Utc::now());
            for id in step_ids(task, i) {
                task.set_outcome(&id, TargetOutcome::Succeeded);
            }
            task.progress.steps_done += 1;
        }
        self.save(task);
        self.emit(EventKind::Step { index: i }, task);
    }

    async fn follow(
        &self,
        task: &mut Task,
        i: usize,
        stop: &mut watch::Receiver<bool>,
        coalescer: &mut Coalescer,
    ) -> Flow {
        let Some(job_id) = task.steps[i].job_id.clone() else {
            task.steps[i].state = StepState::Confirming;
            return Flow::Next;
        };
        let mut backoff = PollBackoff::new(self.timing.poll_first, self.timing.poll_max);
        let mut failures = 0;
        loop {
            if !self.pause(backoff.next_delay(), stop).await || !self.region_clear(stop).await {
                return Flow::Stopped;
            }
            let read = match &task.steps[i].call {
                Call::Image(_) => self.api.image_job(&job_id).await,
                call => self.api.job_of(call, &job_id).await,
            };
            let view = match read {
                Ok(v) => {
                    self.passed();
                    failures = 0;
                    v
                }
                Err(CallError::Throttled { .. }) => {
                    self.throttled();
                    continue;
                }
                Err(e) => {
                    failures += 1;
                    if failures >= self.timing.job_read_failures {
                        return Flow::End(
                            TaskState::Interrupted,
                            Some(Cause::Unconfirmed),
                            Some(format!(
                                "cannot read job {job_id} ({e}); it goes on in the cloud"
                            )),
                        );
                    }
                    continue;
                }
            };
            self.absorb(task, i, &view);
            if view.status == JobStatus::Pending {
                let key = (task.progress.percent_whole(), task.progress.sub_done);
                if coalescer.admit(Instant::now(), key) {
                    self.emit(EventKind::Progress, task);
                }
                continue;
            }
            if view.status == JobStatus::Failed {
                let (code, reason) = (
                    view.error_code.clone(),
                    view.fail_reason
                        .clone()
                        .unwrap_or_else(|| "the job failed".into()),
                );
                let covered: Vec<String> = view
                    .sub_jobs
                    .iter()
                    .filter_map(|s| s.server_id.clone())
                    .collect();
                for id in step_ids(task, i) {
                    if !covered.contains(&id) {
                        task.set_outcome(
                            &id,
                            TargetOutcome::Failed {
                                code: code.clone(),
                                reason: reason.clone(),
                            },
                        );
                    }
                }
                task.steps[i].error = Some(match &code {
                    Some(c) => format!("{c}: {reason}"),
                    None => reason,
                });
            }
            task.steps[i].state = StepState::Confirming;
            if view.status == JobStatus::Failed
                && let Call::Image(ImageCall::Create { server_id, .. }) = task.steps[i].call.clone()
            {
                // A failed image has nothing to confirm: the step failed (a restoring start
                // still runs), and its server shares the failure until a later step settles it.
                let step = &mut task.steps[i];
                step.state = StepState::Failed;
                step.finished_at = Some(Utc::now());
                let error = step.error.clone();
                if let Some(t) = task.targets.get_mut(&server_id)
                    && t.outcome == TargetOutcome::Pending
                {
                    t.outcome = TargetOutcome::Failed {
                        code: view.error_code.clone(),
                        reason: error.clone().unwrap_or_default(),
                    };
                }
                task.cause = Some(Cause::JobFailed);
                task.note = error;
            }
            self.save(task);
            coalescer.note(
                Instant::now(),
                (task.progress.percent_whole(), task.progress.sub_done),
            );
            self.emit(EventKind::Step { index: i }, task);
            return Flow::Next;
        }
    }

    /// Folds a job's state into the task: progress, new servers, failed sub-jobs.
    fn absorb(&self, task: &mut Task, i: usize, view: &JobView) {
        let p = &mut task.progress;
        p.percent = view.percent;
        p.sub_total = view
            .sub_jobs_total
            .unwrap_or(view.sub_jobs.len() as u32)
            .max(view.sub_jobs.len() as u32);
        p.sub_done = view
            .sub_jobs
            .iter()
            .filter(|s| s.status != JobStatus::Pending)
            .count() as u32;
        let creates = matches!(task.steps[i].call, Call::Create { .. });
        if creates
            && let Some(id) = &view.server_id
            && !task.targets.contains_key(id)
        {
            task.set_outcome(id, TargetOutcome::Pending);
        }
        if let Call::Image(ImageCall::Create { spec, .. }) = &task.steps[i].call
            && let Some(id) = &view.image_id
            && !task.targets.contains_key(id)
        {
            task.targets
                .insert(id.clone(), Target::pending(spec.name.clone()));
        }
        for sub in &view.sub_jobs {
            let Some(id) = &sub.server_id else { continue };
            if creates && !task.targets.contains_key(id) {
                task.set_outcome(id, TargetOutcome::Pending);
            }
            if sub.status == JobStatus::Failed {
                task.set_outcome(
                    id,
                    TargetOutcome::Failed {
                        code: sub.error_code.clone(),
                        reason: sub
                            .fail_reason
                            .clone()
                            .unwrap_or_else(|| "the sub-job failed".into()),
                    },
                );
            }
        }
    }
}

/// The servers (or images, or the disk) step `i` acts on; an image create's is its image once
/// known.
pub fn step_ids(task: &Task, i: usize) -> Vec<String> {
    match &task.steps[i].call {
        Call::Create { .. } | Call::Disk(DiskCall::Create { .. }) => {
            task.targets.keys().cloned().collect()
        }
        Call::Disk(d) => d.volume_id().map(str::to_owned).into_iter().collect(),
        Call::Image(ImageCall::Create { server_id, .. }) => {
            let images: Vec<String> = task
                .targets
                .keys()
                .filter(|k| *k != server_id)
                .cloned()
                .collect();
            if images.is_empty() {
                vec![server_id.clone()]
            } else {
                images
            }
        }
        other => other.target_ids(),
    }
}

/// The ids of step `i` whose outcome is still pending.
pub fn pending_ids(task: &Task, i: usize) -> Vec<String> {
    let pending =
        |id: &String| task.targets.get(id).map(|t| &t.outcome) == Some(&TargetOutcome::Pending);
    step_ids(task, i).into_iter().filter(pending).collect()
}

/// The pending step after failed step `i` that restores what the steps before `i` did (all
/// of them done): the start after a stop-first whose image failed.
fn restoring_step(task: &Task, i: usize) -> Option<usize> {
    if task.steps[i].state != StepState::Failed
        || !task.steps[..i].iter().all(|s| s.state == StepState::Done)
        || i == 0
    {
        return None;
    }
    (i + 1..task.steps.len())
        .find(|&j| task.steps[j].restores && task.steps[j].state != StepState::Done)
}
