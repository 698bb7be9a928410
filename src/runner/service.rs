//! The runner as a service: a handle (`Runner`) that the TUI and the CLI share, and one loop that
//! owns the scheduler, starts executors, and hands every task event to the subscribers.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use tokio::sync::{mpsc, oneshot, watch};

use super::audit::{Actor, AuditEvent, AuditLog};
use super::backoff::Throttle;
use super::cloud::{Accepted, CallError, Clouds};
use super::disk::call::DiskCall;
use super::event::{EventKind, TaskEvent};
use super::executor::{Executor, Timing};
use super::journal::{Claim, Journal, JournalError, KEEP_FINISHED};
use super::op::Op;
use super::precondition::{self, Known, Refusal};
use super::scheduler::Scheduler;
use super::task::{Call, Priority, Task, TaskId, TaskState};
use crate::gateway::ReadOnly;

/// What a runner is for: one profile, in every region, acting as one principal.
#[derive(Debug, Clone)]
pub struct RunnerSettings {
    pub profile: String,
    /// The profile's own region (named in the audit records of read-only toggles).
    pub region: String,
    /// The user name or AK id (never a secret).
    pub principal: String,
    /// `Paths::profile_state_dir(profile)`: journal and audit log.
    pub state_dir: PathBuf,
    /// `Profile::max_parallel_tasks`.
    pub max_parallel: usize,
    /// The cloud session's switch (shared with the gateway clients and the screen).
    pub read_only: ReadOnly,
    pub timing: Timing,
}

#[derive(Debug, thiserror::Error)]
pub enum RunnerError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("audit log in {dir}: {source}")]
    Audit {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("no task {0} in this profile's journal (see `hvecs jobs list`)")]
    NoSuchTask(TaskId),
    #[error("task {id} is {state}: {what}")]
    WrongState {
        id: TaskId,
        state: &'static str,
        what: &'static str,
    },
    #[error("the runner has stopped")]
    Stopped,
}

/// An op to run, with what the console last saw of its servers.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The region the op acts in (the task is recorded and run there).
    pub region: String,
    pub op: Op,
    pub priority: Priority,
    pub known: Known,
    /// Leave out the servers the op does not apply to (and say so) instead of refusing them all.
    pub skip_inapplicable: bool,
}

impl Submission {
    /// An op as the console and the CLI send it: its priority by the one rule (`Priority::of`),
    /// no server left out.
    pub fn new(region: impl Into<String>, op: Op, known: Known) -> Submission {
        Submission {
            region: region.into(),
            priority: Priority::of(&op),
            op,
            known,
            skip_inapplicable: false,
        }
    }

    /// The same at interactive priority whatever its targets (the runner's tests).
    #[cfg(test)]
    pub(crate) fn interactive(region: impl Into<String>, op: Op, known: Known) -> Submission {
        Submission {
            priority: Priority::Interactive,
            ..Submission::new(region, op, known)
        }
    }
}

#[derive(Debug, Clone)]
pub struct Submitted {
    pub task: Arc<Task>,
    /// Reasons for the servers left out (with `skip_inapplicable`).
    pub skipped: Vec<String>,
}

/// What `reattach` found.
#[derive(Debug, Clone, Default)]
pub struct Reattach {
    pub followed: Vec<TaskId>,
    /// Open tasks another console follows.
    pub elsewhere: Vec<TaskId>,
    /// Tasks whose next request never left (queued or about to send when their process ended):
    /// now `NotSent`, waiting for `send_unsent`.
    pub not_sent: Vec<TaskId>,
}

enum Cmd {
    Submit(Box<Task>, oneshot::Sender<Result<Arc<Task>, RunnerError>>),
    Cancel(TaskId, oneshot::Sender<Result<(), RunnerError>>),
    SendUnsent(TaskId, oneshot::Sender<Result<Arc<Task>, RunnerError>>),
    Unfollow(TaskId, oneshot::Sender<Result<(), RunnerError>>),
    Reattach(
        Option<TaskId>,
        oneshot::Sender<Result<Reattach, RunnerError>>,
    ),
    Subscribe(mpsc::UnboundedSender<TaskEvent>),
    Tasks(oneshot::Sender<Vec<Arc<Task>>>),
}

/// The handle: cheap to clone, usable from any task.
#[derive(Clone)]
pub struct Runner {
    tx: mpsc::UnboundedSender<Cmd>,
    read_only: ReadOnly,
    actor: Actor,
    audit: AuditLog,
    clouds: Arc<dyn Clouds>,
    /// What the journal's recovery at start has to say (unreadable records set aside).
    journal_notice: Option<String>,
}

impl Runner {
    /// Opens the profile's journal and audit log and starts the loop on the current tokio runtime.
    /// Tasks left open by an earlier console are listed, not followed: call `reattach`.
    pub fn start(settings: RunnerSettings, clouds: Arc<dyn Clouds>) -> Result<Runner, RunnerError> {
        let journal = Journal::open(&settings.state_dir)?;
        let audit = AuditLog::open(&settings.state_dir).map_err(|source| RunnerError::Audit {
            dir: settings.state_dir.clone(),
            source,
        })?;
        let replay = journal.recover()?;
        let notice = replay.notice();
        if let Some(n) = &notice {
            tracing::warn!("{n}");
        }
        if replay.lines > 2 * replay.tasks.len() + 200
            && let Err(e) = journal.compact(KEEP_FINISHED)
        {
            tracing::warn!("journal compaction: {e}");
        }
        let actor = Actor {
            profile: settings.profile.clone(),
            region: settings.region.clone(),
            principal: settings.principal.clone(),
        };
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let regions = Regions {
            clouds: clouds.clone(),
            audit: audit.clone(),
            actor: actor.clone(),
            timing: settings.timing.clone(),
            events: events_tx,
            executors: HashMap::new(),
        };
        let (tx, rx) = mpsc::unbounded_channel();
        let service = Service {
            sched: Scheduler::new(settings.max_parallel),
            tasks: replay
                .tasks
                .into_iter()
                .map(|t| (t.id.clone(), Arc::new(t)))
                .collect(),
            queued: HashMap::new(),
            following: HashMap::new(),
            subscribers: Vec::new(),
            journal,
            regions,
        };
        tokio::spawn(service.run(rx, events_rx));
        Ok(Runner {
            tx,
            read_only: settings.read_only,
            actor,
            audit,
            clouds,
            journal_notice: notice,
        })
    }

    /// Said once, at start: the journal had unreadable records, set aside (see `Journal::recover`).
    pub fn journal_notice(&self) -> Option<&str> {
        self.journal_notice.as_deref()
    }

    async fn ask<T>(&self, make: impl FnOnce(oneshot::Sender<T>) -> Cmd) -> Result<T, RunnerError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(make(reply))
            .map_err(|_| RunnerError::Stopped)?;
        answer.await.map_err(|_| RunnerError::Stopped)
    }

    /// Every task event from now on.
    pub fn subscribe(&self) -> mpsc::UnboundedReceiver<TaskEvent> {
        let (tx, rx) = mpsc::unbounded_channel();
        self.tx.send(Cmd::Subscribe(tx)).ok();
        rx
    }

    pub fn read_only(&self) -> bool {
        self.read_only.get()
    }

    /// Turns the session's read-only switch on or off (for the gateway clients too); written to
    /// the audit log with `via` (key, command, flag).
    pub fn set_read_only(&self, on: bool, via: &str) -> std::io::Result<()> {
        self.read_only.set(on);
        self.audit.append(&self.actor.record(AuditEvent::ReadOnly {
            read_only: on,
            via: via.to_owned(),
        }))
    }

    /// Checks the op (read-only, preconditions) and queues it in its region. A refusal sent
    /// nothing.
    pub async fn submit(&self, s: Submission) -> Result<Submitted, SubmitError> {
        let (op, skipped) = self.admit(s.op, &s.known, s.skip_inapplicable)?;
        if let Op::Image(image_op) = &op {
            let api = self.clouds.clone().in_region(&s.region);
            if let Some(r) = super::image::quota::quota_refusal(image_op, api.as_ref()).await {
                return Err(r.into());
            }
        }
        let task = Task::new(
            op,
            s.priority,
            &self.actor.profile,
            &s.region,
            &self.actor.principal,
        );
        let task = self.ask(|r| Cmd::Submit(Box::new(task), r)).await??;
        Ok(Submitted { task, skipped })
    }

    fn admit(&self, op: Op, known: &Known, skip: bool) -> Result<(Op, Vec<String>), Refusal> {
        if skip && !self.read_only() {
            let (ok, refused) = precondition::split_applicable(&op, known);
            if !refused.is_empty() {
                let ids: Vec<String> = ok.iter().map(|s| s.id.clone()).collect();
                let narrowed = op
                    .narrowed_to(&ids)
                    .ok_or_else(|| Refusal::Precondition(refused.clone()))?;
                precondition::check(&narrowed, known, false)?;
                return Ok((narrowed, refused));
            }
        }
        precondition::check(&op, known, self.read_only())?;
        Ok((op, Vec::new()))
    }

    /// Re-submits only the servers of task `id` that failed, as a new task.
    pub async fn retry_failed(&self, id: &TaskId, known: &Known) -> Result<Submitted, SubmitError> {
        let old = self
            .task(id)
            .await?
            .ok_or_else(|| RunnerError::NoSuchTask(id.clone()))?;
        let Some(mut again) = old.retry_failed() else {
            return Err(RunnerError::WrongState {
                id: id.clone(),
                state: old.state.name(),
                what: "no server of it failed, so there is nothing to retry",
            }
            .into());
        };
        precondition::check(&again.op, known, self.read_only())?;
        again.principal = self.actor.principal.clone();
        let task = self.ask(|r| Cmd::Submit(Box::new(again), r)).await??;
        Ok(Submitted {
            task,
            skipped: Vec::new(),
        })
    }

    /// Sends a task whose request never left (`NotSent`), from its first step not done, once
    /// its servers pass the preconditions again with what is `known` of them now.
    pub async fn send_unsent(&self, id: &TaskId, known: &Known) -> Result<Submitted, SubmitError> {
        let task = self
            .task(id)
            .await?
            .ok_or_else(|| RunnerError::NoSuchTask(id.clone()))?;
        let wrong = |what| RunnerError::WrongState {
            id: id.clone(),
            state: task.state.name(),
            what,
        };
        if task.state != TaskState::NotSent {
            return Err(wrong("only a task that was never sent can be sent").into());
        }
        if let Op::CreateServers(spec) = &task.op
            && spec.had_admin_pass
            && spec.admin_pass.is_none()
        {
            return Err(wrong("its admin password is never kept: create the servers again").into());
        }
        // A snapshot task taken up midway has left the state its start needed (its server
        // stopped, its disks detached): only read-only is checked again; each step's call and
        // looks check the rest.
        let midway = matches!(task.op, Op::Snapshot(_))
            && task
                .steps
                .iter()
                .any(|s| s.state == super::step::StepState::Done);
        match precondition::check(&task.unsent_op(), known, self.read_only()) {
            Err(precondition::Refusal::Precondition(_)) if midway => {}
            other => other?,
        }
        let task = self.ask(|r| Cmd::SendUnsent(id.clone(), r)).await??;
        Ok(Submitted {
            task,
            skipped: Vec::new(),
        })
    }

    /// Checks an op in a region with the API's `dry_run` (create, resize, disk attach): nothing
    /// changes.
    pub async fn dry_run(
        &self,
        region: &str,
        op: &Op,
        known: &Known,
    ) -> Result<Vec<Accepted>, SubmitError> {
        precondition::check(op, known, self.read_only())?;
        let api = self.clouds.clone().in_region(region);
        let mut out = Vec::new();
        for step in super::task::plan(op) {
            let checkable = matches!(
                step.call,
                Call::Create { .. } | Call::Resize { .. } | Call::Disk(DiskCall::Attach { .. })
            );
            if checkable {
                out.push(api.dry_run(&step.call).await?);
            }
        }
        Ok(out)
    }

    /// Cancels a queued task. A running one cannot be cancelled: `unfollow` it.
    pub async fn cancel(&self, id: &TaskId) -> Result<(), RunnerError> {
        self.ask(|r| Cmd::Cancel(id.clone(), r)).await?
    }

    /// Stops following a running task; its job goes on in the cloud and a later start reattaches.
    pub async fn unfollow(&self, id: &TaskId) -> Result<(), RunnerError> {
        self.ask(|r| Cmd::Unfollow(id.clone(), r)).await?
    }

    /// Follows again the open tasks of the journal (all, or one), unless another console does.
    pub async fn reattach(&self, only: Option<TaskId>) -> Result<Reattach, RunnerError> {
        self.ask(|r| Cmd::Reattach(only, r)).await?
    }

    /// Every task known: this run's and the journal's, oldest first.
    pub async fn tasks(&self) -> Result<Vec<Arc<Task>>, RunnerError> {
        self.ask(Cmd::Tasks).await
    }

    pub async fn task(&self, id: &TaskId) -> Result<Option<Arc<Task>>, RunnerError> {
        Ok(self.tasks().await?.into_iter().find(|t| &t.id == id))
    }
}

/// Why `submit` did not queue a task.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Runner(#[from] RunnerError),
    /// Only from `dry_run`: the gateway's check said no.
    #[error(transparent)]
    Api(#[from] CallError),
}

struct Service {
    sched: Scheduler,
    tasks: BTreeMap<TaskId, Arc<Task>>,
    queued: HashMap<TaskId, (Task, Claim)>,
    following: HashMap<TaskId, watch::Sender<bool>>,
    subscribers: Vec<mpsc::UnboundedSender<TaskEvent>>,
    journal: Journal,
    regions: Regions,
}

/// The executor of each region a task has run in: the region's cloud, its own 429 pause, and
/// audit records that name it.
struct Regions {
    clouds: Arc<dyn Clouds>,
    audit: AuditLog,
    actor: Actor,
    timing: super::executor::Timing,
    events: mpsc::UnboundedSender<TaskEvent>,
    executors: HashMap<String, Arc<Executor>>,
}

impl Regions {
    fn executor(&mut self, region: &str, journal: &Journal) -> Arc<Executor> {
        if let Some(e) = self.executors.get(region) {
            return e.clone();
        }
        let e = Arc::new(Executor {
            api: self.clouds.clone().in_region(region),
            journal: journal.clone(),
            audit: self.audit.clone(),
            actor: self.actor.in_region(region),
            throttle: Arc::new(Mutex::new(Throttle::default())),
            timing: self.timing.clone(),
            events: self.events.clone(),
        });
        self.executors.insert(region.to_owned(), e.clone());
        e
    }
}

impl Service {
    async fn run(
        mut self,
        mut cmds: mpsc::UnboundedReceiver<Cmd>,
        mut events: mpsc::UnboundedReceiver<TaskEvent>,
    ) {
        loop {
            tokio::select! {
                cmd = cmds.recv() => match cmd {
                    Some(c) => self.command(c),
                    // Every handle is gone: stop following (the journal keeps the open tasks).
                    None => break,
                },
                Some(ev) = events.recv() => self.event(ev),
            }
        }
        for stop in self.following.values() {
            stop.send(true).ok();
        }
        // Let the executors write "unfollowed" before the runtime goes.
        while !self.following.is_empty() {
            match events.recv().await {
                Some(ev) => self.event(ev),
                None => break,
            }
        }
    }

    fn publish(&mut self, ev: TaskEvent) {
        self.tasks.insert(ev.id.clone(), ev.task.clone());
        self.subscribers.retain(|s| s.send(ev.clone()).is_ok());
    }

    fn event(&mut self, ev: TaskEvent) {
        let ended = ev.is_end();
        let id = ev.id.clone();
        self.publish(ev);
        if ended && self.following.remove(&id).is_some() {
            self.sched.finish(&id);
            self.schedule();
        }
    }

    fn command(&mut self, cmd: Cmd) {
        match cmd {
            Cmd::Submit(task, reply) => {
                reply.send(self.submit(*task)).ok();
            }
            Cmd::Cancel(id, reply) => {
                reply.send(self.cancel(&id)).ok();
            }
            Cmd::SendUnsent(id, reply) => {
                reply.send(self.send_unsent(&id)).ok();
            }
            Cmd::Unfollow(id, reply) => {
                let r = match self.following.get(&id) {
                    Some(stop) => {
                        stop.send(true).ok();
                        Ok(())
                    }
                    None => Err(self.wrong_state(&id, "it is not being followed by this console")),
                };
                reply.send(r).ok();
            }
            Cmd::Reattach(only, reply) => {
                reply.send(self.reattach(only)).ok();
            }
            Cmd::Subscribe(tx) => self.subscribers.push(tx),
            Cmd::Tasks(reply) => {
                let mut all: Vec<Arc<Task>> = self.tasks.values().cloned().collect();
                all.sort_by_key(|t| t.created_at);
                reply.send(all).ok();
            }
        }
    }

    fn wrong_state(&self, id: &TaskId, what: &'static str) -> RunnerError {
        match self.tasks.get(id) {
            Some(t) => RunnerError::WrongState {
                id: id.clone(),
                state: t.state.name(),
                what,
            },
            None => RunnerError::NoSuchTask(id.clone()),
        }
    }

    fn submit(&mut self, task: Task) -> Result<Arc<Task>, RunnerError> {
        let claim = self
            .journal
            .claim(&task.id)?
            .ok_or_else(|| self.wrong_state(&task.id, "another console holds it"))?;
        self.enqueue(task, claim)
    }

    /// Journals a task this console holds and queues it.
    fn enqueue(&mut self, task: Task, claim: Claim) -> Result<Arc<Task>, RunnerError> {
        self.journal.append(&task)?;
        let snapshot = Arc::new(task.clone());
        self.sched
            .enqueue(task.id.clone(), task.priority, task.op.resources());
        let id = task.id.clone();
        self.queued.insert(id.clone(), (task, claim));
        self.publish(TaskEvent {
            id,
            kind: EventKind::Queued,
            task: snapshot.clone(),
        });
        self.schedule();
        Ok(snapshot)
    }

    /// A task never sent, held by this console, as the journal has it now (another console may
    /// have sent or cancelled it since this one read it).
    fn claim_unsent(&mut self, id: &TaskId) -> Result<(Task, Claim), RunnerError> {
        let claim = self
            .journal
            .claim(id)?
            .ok_or_else(|| self.wrong_state(id, "another console holds it"))?;
        let latest = self
            .journal
            .load()?
            .tasks
            .into_iter()
            .find(|t| &t.id == id)
            .ok_or_else(|| RunnerError::NoSuchTask(id.clone()))?;
        let state = latest.state;
        self.tasks.insert(id.clone(), Arc::new(latest.clone()));
        if state != TaskState::NotSent {
            return Err(self.wrong_state(
                id,
                "only a task that was never sent can be sent or cancelled so",
            ));
        }
        Ok((latest, claim))
    }

    fn send_unsent(&mut self, id: &TaskId) -> Result<Arc<Task>, RunnerError> {
        let (mut task, claim) = self.claim_unsent(id)?;
        task.become_(TaskState::Queued, Utc::now())
            .map_err(|_| self.wrong_state(id, "it cannot be queued"))?;
        task.note = Some("sent on request".into());
        self.enqueue(task, claim)
    }

    /// A task never sent, given up: cancelled.
    fn cancel_unsent(&mut self, id: &TaskId) -> Result<(), RunnerError> {
        let (mut task, _claim) = self.claim_unsent(id)?;
        task.become_(TaskState::Cancelled, Utc::now())
            .map_err(|_| self.wrong_state(id, "it cannot be cancelled"))?;
        task.note = Some("cancelled; it was never sent".into());
        self.journal.append(&task)?;
        self.publish(TaskEvent::new(EventKind::Cancelled, &task));
        Ok(())
    }

    fn cancel(&mut self, id: &TaskId) -> Result<(), RunnerError> {
        if self
            .tasks
            .get(id)
            .is_some_and(|t| t.state == TaskState::NotSent)
        {
            return self.cancel_unsent(id);
        }
        if !self.sched.cancel(id) {
            return Err(self.wrong_state(
                id,
                "only a queued task can be cancelled; a running job cannot be stopped in the cloud (stop following it instead)",
            ));
        }
        if let Some((mut task, _claim)) = self.queued.remove(id) {
            task.become_(TaskState::Cancelled, Utc::now()).ok();
            task.note = Some("cancelled before it was sent".into());
            self.journal.append(&task)?;
            self.publish(TaskEvent::new(EventKind::Cancelled, &task));
        }
        Ok(())
    }

    /// Starts what the scheduler allows; tells waiting tasks why they wait.
    fn schedule(&mut self) {
        for id in self.sched.take_ready() {
            if let Some((task, claim)) = self.queued.remove(&id) {
                self.spawn(task, claim);
            }
        }
        let waiting: Vec<TaskId> = self.sched.queued();
        for id in waiting {
            let reason = self.sched.wait_reason(&id).map(|r| r.to_string());
            if let Some((task, _)) = self.queued.get_mut(&id)
                && task.note != reason
            {
                task.note = reason;
                let ev = TaskEvent::new(EventKind::Queued, task);
                self.publish(ev);
            }
        }
    }

    fn spawn(&mut self, mut task: Task, claim: Claim) {
        let (stop_tx, stop_rx) = watch::channel(false);
        self.following.insert(task.id.clone(), stop_tx);
        let exec = self.regions.executor(&task.region, &self.journal);
        tokio::spawn(async move {
            let _claim = claim;
            exec.run(&mut task, stop_rx).await;
        });
    }

    fn reattach(&mut self, only: Option<TaskId>) -> Result<Reattach, RunnerError> {
        let replay = self.journal.load()?;
        let mut out = Reattach::default();
        if let Some(id) = &only
            && !replay.tasks.iter().any(|t| &t.id == id)
        {
            return Err(RunnerError::NoSuchTask(id.clone()));
        }
        for mut task in replay.tasks {
            if only.as_ref().is_some_and(|id| id != &task.id)
                || self.following.contains_key(&task.id)
                || self.queued.contains_key(&task.id)
            {
                continue;
            }
            if !task.state.is_open() && task.state != TaskState::Queued {
                continue;
            }
            let Some(claim) = self.journal.claim(&task.id)? else {
                out.elsewhere.push(task.id.clone());
                continue;
            };
            if task.orphaned() == TaskState::NotSent {
                task.become_(TaskState::NotSent, Utc::now()).ok();
                task.note = Some(
                    "its process ended before the request left; nothing was sent: it is sent only when you say so"
                        .into(),
                );
                self.journal.append(&task)?;
                out.not_sent.push(task.id.clone());
                self.publish(TaskEvent::new(EventKind::NotSent, &task));
                continue;
            }
            self.sched.adopt(task.id.clone(), task.op.resources());
            task.note = Some("reattached".into());
            task.reattached = true;
            out.followed.push(task.id.clone());
            self.publish(TaskEvent::new(EventKind::Reattached, &task));
            self.spawn(task, claim);
        }
        Ok(out)
    }
}
