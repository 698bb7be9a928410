//! Runs one task's steps in sequence: journal, send (a 429 waits, a lost answer is reconciled by
//! looking), follow the job with backoff, confirm each server's stable status, report progress.
//! It resumes a task from whatever state the journal left it in.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::audit::{Actor, AuditEvent, AuditLog, AuditOutcome};
use super::backoff::{PollBackoff, Throttle};
use super::cloud::{Accepted, CallError, CloudApi, JobStatus, JobView};
use super::event::{Coalescer, EventKind, PROGRESS_INTERVAL, TaskEvent};
use super::journal::Journal;
use super::precondition::KnownServer;
use super::reconcile::{Look, classify, untouched_note};
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
enum Flow {
    Next,
    End(TaskState, Option<Cause>, Option<String>),
    Stopped,
}

impl Executor {
    fn emit(&self, kind: EventKind, task: &Task) {
        self.events.send(TaskEvent::new(kind, task)).ok();
    }

    fn save(&self, task: &Task) {
        if let Err(e) = self.journal.append(task) {
            tracing::error!(task = %task.id, "journal: {e}");
        }
    }

    fn audit(&self, task: &Task, call: &Call, r: &Result<Accepted, CallError>) {
        let (outcome, status, request_id, job_id, error) = match r {
            Ok(a) => (
                AuditOutcome::Accepted,
                Some(a.http_status),
                a.request_id.clone(),
                a.job_id.clone(),
                None,
            ),
            Err(e) => {
                let outcome = match e {
                    CallError::Throttled { .. } => AuditOutcome::Throttled,
                    CallError::Rejected { .. } => AuditOutcome::Rejected,
                    CallError::NotSent(_) => AuditOutcome::NotSent,
                    CallError::OutcomeUnknown(_) => AuditOutcome::Unknown,
                };
                let rid = e.request_id().map(str::to_owned);
                (outcome, e.http_status(), rid, None, Some(e.to_string()))
            }
        };
        let targets = match call {
            Call::Power { ids, .. } | Call::Delete { ids, .. } => ids.clone(),
            Call::Resize { id, .. } | Call::Rename { id, .. } => vec![id.clone()],
            Call::Create { spec, .. } => vec![format!("new:{}", spec.name)],
        };
        let record = self.actor.record(AuditEvent::Request {
            op: task.op.kind().to_owned(),
            task: task.id.to_string(),
            targets,
            http_status: status,
            request_id,
            job_id,
            outcome,
            error,
        });
        if let Err(e) = self.audit.append(&record) {
            tracing::error!(task = %task.id, "audit log {}: {e}", self.audit.path().display());
        }
    }

    /// Sleeps, unless the console stops following the task first.
    async fn pause(&self, d: Duration, stop: &mut watch::Receiver<bool>) -> bool {
        if *stop.borrow() {
            return false;
        }
        tokio::select! {
            _ = tokio::time::sleep(d) => true,
            _ = stop.changed() => false,
        }
    }

    /// Waits while the region is throttled.
    async fn region_clear(&self, stop: &mut watch::Receiver<bool>) -> bool {
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

    fn throttled(&self) {
        if let Ok(mut t) = self.throttle.lock() {
            t.on_throttled(Instant::now(), rand::random::<f64>());
        }
    }

    fn passed(&self) {
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
        while let Some(i) = task.current_step() {
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
    async fn send_until_answered(
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
            let answer = self.api.send(&call).await;
            self.audit(task, &call, &answer);
            match answer {
                Ok(a) => {
                    self.passed();
                    self.accepted(task, i, a);
                    return Flow::Next;
                }
                Err(CallError::Throttled { .. }) => self.throttled(),
                Err(CallError::OutcomeUnknown(m)) => {
                    // The step stays `Sending`: the run loop reconciles it next, by looking.
                    task.note = Some(format!("sent, but the answer was lost ({m}); looking"));
                    self.save(task);
                    return Flow::Next;
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

    /// A step whose answer was lost (now, or before a crash): settle it by looking.
    async fn reconcile(&self, task: &mut Task, i: usize, stop: &mut watch::Receiver<bool>) -> Flow {
        let call = task.steps[i].call.clone();
        if let Call::Create { spec, .. } = &call {
            if task.steps[i].resends >= 3 {
                task.steps[i].state = StepState::Unknown;
                return Flow::End(
                    TaskState::Interrupted,
                    Some(Cause::Lost),
                    Some("the create's answer was lost 4 times; nothing more was sent".into()),
                );
            }
            if spec.admin_pass.is_some() || !spec.had_admin_pass {
                task.steps[i].resends += 1;
                // The same client token gives back the first job, never a second set of servers.
                task.note = Some(
                    "the create's answer was lost: asking again with the same client token".into(),
                );
                self.save(task);
                return self.send_until_answered(task, i, stop).await;
            }
            return self.find_created(task, i, &spec.name, spec.count).await;
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
        task.note =
            Some("the answer was lost; the servers show the change: following their status".into());
        task.steps[i].state = StepState::Confirming;
        self.save(task);
        self.emit(EventKind::Step { index: i }, task);
        Flow::Next
    }

    /// A create with a password this console no longer has (it is never journaled): look by name.
    async fn find_created(&self, task: &mut Task, i: usize, name: &str, count: u32) -> Flow {
        match self.api.servers_named(name).await {
            Ok(found) if found.len() >= count as usize => {
                for s in found {
                    task.targets.insert(
                        s.id.clone(),
                        Target {
                            name: s.name.clone(),
                            outcome: TargetOutcome::Pending,
                        },
                    );
                }
                task.steps[i].state = StepState::Confirming;
                self.save(task);
                Flow::Next
            }
            Ok(found) => {
                task.steps[i].state = StepState::Unknown;
                Flow::End(
                    TaskState::Interrupted,
                    Some(Cause::Lost),
                    Some(format!(
                        "the create's answer was lost and {} of {count} server(s) named {name} exist; nothing was re-sent (the admin password is never kept)",
                        found.len()
                    )),
                )
            }
            Err(e) => Flow::End(
                TaskState::Interrupted,
                Some(Cause::Lost),
                Some(format!(
                    "the create's answer was lost and looking failed: {e}"
                )),
            ),
        }
    }

    /// Reads the servers, waiting out 429s. `None`: stopped.
    async fn look(
        &self,
        ids: &[String],
        stop: &mut watch::Receiver<bool>,
    ) -> Option<Result<HashMap<String, KnownServer>, CallError>> {
        if ids.is_empty() {
            return Some(Ok(HashMap::new()));
        }
        loop {
            if !self.region_clear(stop).await {
                return None;
            }
            match self.api.servers(ids).await {
                Ok(list) => {
                    self.passed();
                    return Some(Ok(list.into_iter().map(|s| (s.id.clone(), s)).collect()));
                }
                Err(CallError::Throttled { .. }) => self.throttled(),
                Err(e) => return Some(Err(e)),
            }
        }
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
            let view = match self.api.job(&job_id).await {
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

    /// Waits until every server still pending shows the step's stable status.
    async fn confirm(&self, task: &mut Task, i: usize, stop: &mut watch::Receiver<bool>) -> Flow {
        let settle = task.steps[i].settle;
        let deadline = Instant::now() + self.timing.confirm_for;
        let mut backoff = PollBackoff::new(self.timing.poll_first / 2, self.timing.poll_max);
        loop {
            let pending: Vec<String> = step_ids(task, i)
                .into_iter()
                .filter(|id| {
                    matches!(
                        task.targets.get(id).map(|t| &t.outcome),
                        Some(TargetOutcome::Pending)
                    )
                })
                .collect();
            if pending.is_empty() || settle == Settle::Nothing {
                for id in pending {
                    task.set_outcome(&id, TargetOutcome::Succeeded);
                }
                let step = &mut task.steps[i];
                step.state = StepState::Done;
                step.finished_at = Some(Utc::now());
                task.progress.steps_done += 1;
                task.progress.percent = None;
                task.progress.sub_done = 0;
                task.progress.sub_total = 0;
                self.save(task);
                self.emit(EventKind::Step { index: i }, task);
                return Flow::Next;
            }
            let seen = match self.look(&pending, stop).await {
                None => return Flow::Stopped,
                Some(Ok(s)) => s,
                Some(Err(_)) => HashMap::new(),
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
            if Instant::now() >= deadline {
                for id in &pending {
                    let now = seen
                        .get(id)
                        .map(|s| s.status.clone())
                        .unwrap_or_else(|| "gone".into());
                    task.set_outcome(
                        id,
                        TargetOutcome::Unknown {
                            note: format!("still {now}, not {}, after its job", settle.describe()),
                        },
                    );
                }
                task.steps[i].state = StepState::Unknown;
                return Flow::End(
                    TaskState::Interrupted,
                    Some(Cause::Unconfirmed),
                    Some(format!(
                        "{} server(s) did not reach {} in {} s",
                        pending.len(),
                        settle.describe(),
                        self.timing.confirm_for.as_secs()
                    )),
                );
            }
            if !self.pause(backoff.next_delay(), stop).await {
                return Flow::Stopped;
            }
        }
    }
}

/// The servers step `i` acts on.
pub fn step_ids(task: &Task, i: usize) -> Vec<String> {
    match &task.steps[i].call {
        Call::Power { ids, .. } | Call::Delete { ids, .. } => ids.clone(),
        Call::Resize { id, .. } | Call::Rename { id, .. } => vec![id.clone()],
        Call::Create { .. } => task.targets.keys().cloned().collect(),
    }
}
