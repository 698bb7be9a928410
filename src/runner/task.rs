//! A task: the op it carries out, its steps (one API call each, and what it waits for), its state
//! and progress, and the result per server. The state machine is plain functions, no IO.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::op::Op;
pub use super::step::{Call, Settle, Step, StepState};

/// The steps of an op, each one API call.
pub fn plan(op: &Op) -> Vec<Step> {
    match op {
        Op::Image(image) => super::image::plan::plan(image),
        Op::Snapshot(s) => super::snapshot::plan::plan(s),
        other => super::step::plan(other),
    }
}

/// A task's id: `t` and 10 hex digits, unique enough for one profile's journal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(String);

impl TaskId {
    pub fn generate() -> Self {
        let hex = uuid::Uuid::new_v4().simple().to_string();
        TaskId(format!("t{}", &hex[..10]))
    }

    /// Checks what a person typed (`jobs show TASK`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let ok = text.len() == 11
            && text.starts_with('t')
            && text[1..].bytes().all(|b| b.is_ascii_hexdigit());
        if ok {
            Ok(TaskId(text.to_ascii_lowercase()))
        } else {
            Err(format!(
                "{text:?} is not a task id: task ids look like t0123456789 (see `hvecs jobs list`)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Looked up by its text (a row's id): hashes and compares as the text does.
impl std::borrow::Borrow<str> for TaskId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Interactive tasks (one server picked by hand) run before bulk ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Interactive,
    Bulk,
}

impl Priority {
    /// The rule for a new op, the console's and the CLI's alike: one target (or a create) is
    /// interactive, several are bulk.
    pub fn of(op: &Op) -> Priority {
        // A server snapshot or rollback reports on each disk, but is one server picked by hand.
        let one_server = matches!(op, Op::Snapshot(s) if s.server().is_some());
        if op.targets().len() > 1 && !one_server {
            Priority::Bulk
        } else {
            Priority::Interactive
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    Queued,
    Running,
    Succeeded,
    /// The job failed, for all servers or some (see `targets`).
    Failed,
    Cancelled,
    /// The outcome could not be settled (a lost answer, a crash before the job id was known):
    /// `note` says what is known.
    Interrupted,
    /// This console stopped following it; the job goes on in the cloud, the next start reattaches.
    Unfollowed,
    /// Its next request never left: the process that queued or ran it ended first. It is sent
    /// only when a person says so (`hvecs jobs send`, `t` in the Jobs pane), never by a start.
    NotSent,
}

impl TaskState {
    /// Nothing more will happen to it.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TaskState::Succeeded | TaskState::Failed | TaskState::Cancelled
        )
    }

    /// A task that a start of the console picks up again.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TaskState::Running | TaskState::Interrupted | TaskState::Unfollowed
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            TaskState::Queued => "queued",
            TaskState::Running => "running",
            TaskState::Succeeded => "succeeded",
            TaskState::Failed => "failed",
            TaskState::Cancelled => "cancelled",
            TaskState::Interrupted => "interrupted",
            TaskState::Unfollowed => "unfollowed",
            TaskState::NotSent => "not sent",
        }
    }

    /// The state machine: which changes are allowed.
    pub fn can_become(self, next: TaskState) -> bool {
        use TaskState::*;
        match (self, next) {
            (Queued, Running | Cancelled) => true,
            (Running, Succeeded | Failed | Interrupted | Unfollowed) => true,
            // Reattached or reconciled at a later start.
            (Interrupted | Unfollowed, Running) => true,
            // Settled by looking, without following again.
            (Interrupted | Unfollowed, Succeeded | Failed) => true,
            // Found after a restart with its next request never sent (see `Task::orphaned`).
            (Queued | Running, NotSent) => true,
            // Sent when a person says so, or given up.
            (NotSent, Queued | Cancelled) => true,
            _ => false,
        }
    }
}

/// What became of one server of the task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TargetOutcome {
    Pending,
    Succeeded,
    Failed {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        reason: String,
    },
    Unknown {
        note: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub name: String,
    #[serde(flatten)]
    pub outcome: TargetOutcome,
}

impl Target {
    /// A target named `name` whose outcome is not settled yet.
    pub fn pending(name: String) -> Self {
        Target {
            name,
            outcome: TargetOutcome::Pending,
        }
    }
}

/// How far a task is: the job's percent when the API gives one, else sub-jobs done of total,
/// else steps done of total.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    #[serde(default)]
    pub sub_done: u32,
    #[serde(default)]
    pub sub_total: u32,
    pub steps_done: u32,
    pub steps_total: u32,
}

impl Progress {
    /// 0.0 ..= 1.0 over the whole task.
    pub fn fraction(&self) -> f64 {
        let total = f64::from(self.steps_total.max(1));
        let within = match (self.percent, self.sub_total) {
            (Some(p), _) => f64::from(p.min(100)) / 100.0,
            (None, t) if t > 0 => f64::from(self.sub_done.min(t)) / f64::from(t),
            _ => 0.0,
        };
        ((f64::from(self.steps_done) + within) / total).clamp(0.0, 1.0)
    }

    /// Whole percent, for bars and lines.
    pub fn percent_whole(&self) -> u8 {
        (self.fraction() * 100.0).floor() as u8
    }
}

/// Why a task ended as it did, for the CLI's exit code and the Jobs pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The job (or some of its sub-jobs) failed.
    JobFailed,
    /// The gateway refused the call: nothing changed.
    Rejected,
    /// The call never left this machine: nothing changed.
    NotSent,
    /// Sent, the answer was lost, and looking could not settle it.
    Lost,
    /// The job ended but the servers' status could not be confirmed (or the job not read).
    Unconfirmed,
}

/// A change of state that the state machine refused: a bug, never a person's mistake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("task {task}: cannot go from {from} to {to}")]
pub struct BadTransition {
    pub task: TaskId,
    pub from: &'static str,
    pub to: &'static str,
}

/// A task: what, on what, who, when, how far, and what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub op: Op,
    pub priority: Priority,
    pub profile: String,
    pub region: String,
    /// The user or AK id that acts (never a secret).
    pub principal: String,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<DateTime<Utc>>,
    pub state: TaskState,
    pub steps: Vec<Step>,
    /// Per server id.
    pub targets: BTreeMap<String, Target>,
    pub progress: Progress,
    /// What a person should know: why it waits, what is known of a lost answer, the error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// The task whose failed servers this one retries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_of: Option<TaskId>,
    /// Found open in the journal at this process's start and followed again by it: a fact of
    /// this run, never written to the journal.
    #[serde(skip)]
    pub reattached: bool,
}

impl Task {
    pub fn new(op: Op, priority: Priority, profile: &str, region: &str, principal: &str) -> Self {
        let steps = plan(&op);
        let targets = op
            .targets()
            .into_iter()
            .map(|(id, name)| (id, Target::pending(name)))
            .collect();
        let progress = Progress {
            steps_total: steps.len() as u32,
            ..Progress::default()
        };
        Task {
            id: TaskId::generate(),
            op,
            priority,
            profile: profile.to_owned(),
            region: region.to_owned(),
            principal: principal.to_owned(),
            created_at: Utc::now(),
            started_at: None,
            finished_at: None,
            state: TaskState::Queued,
            steps,
            targets,
            progress,
            note: None,
            cause: None,
            retry_of: None,
            reattached: false,
        }
    }

    /// Moves the task to `next`, stamping the times; refuses what the state machine does not allow.
    pub fn become_(&mut self, next: TaskState, now: DateTime<Utc>) -> Result<(), BadTransition> {
        if !self.state.can_become(next) {
            return Err(BadTransition {
                task: self.id.clone(),
                from: self.state.name(),
                to: next.name(),
            });
        }
        if next == TaskState::Running && self.started_at.is_none() {
            self.started_at = Some(now);
        }
        if next.is_final()
            || matches!(
                next,
                TaskState::Interrupted | TaskState::Unfollowed | TaskState::NotSent
            )
        {
            self.finished_at = Some(now);
        } else {
            self.finished_at = None;
        }
        self.state = next;
        Ok(())
    }

    /// The first step not yet done.
    pub fn current_step(&self) -> Option<usize> {
        self.steps.iter().position(|s| s.state != StepState::Done)
    }

    /// Whether the task's next request has not left: queued, or running with its current step
    /// never sent.
    pub fn next_request_unsent(&self) -> bool {
        match self.state {
            TaskState::Queued | TaskState::NotSent => true,
            TaskState::Running => self
                .current_step()
                .is_some_and(|i| self.steps[i].state == StepState::Pending),
            _ => false,
        }
    }

    /// The part of the op still to send: the servers of the steps not yet started (all of a
    /// create's).
    pub fn unsent_op(&self) -> Op {
        let ids: Vec<String> = self
            .steps
            .iter()
            .filter(|s| s.state == StepState::Pending)
            .flat_map(|s| s.call.target_ids())
            .collect();
        self.op.narrowed_to(&ids).unwrap_or_else(|| self.op.clone())
    }

    /// What the task is when no live process follows it (its process ended without a word):
    /// `NotSent` when its next request never left, `Unfollowed` when it was under way (its
    /// job goes on in the cloud), else the state it was left in.
    pub fn orphaned(&self) -> TaskState {
        match self.state {
            TaskState::Queued | TaskState::Running if self.next_request_unsent() => {
                TaskState::NotSent
            }
            TaskState::Running => TaskState::Unfollowed,
            s => s,
        }
    }

    /// Ids of the servers whose part failed (or could not be settled): what "retry failed" sends.
    pub fn failed_ids(&self) -> Vec<String> {
        self.targets
            .iter()
            .filter(|(_, t)| {
                matches!(
                    t.outcome,
                    TargetOutcome::Failed { .. } | TargetOutcome::Unknown { .. }
                )
            })
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// A new task that re-submits only the failed servers, or `None` when nothing failed.
    pub fn retry_failed(&self) -> Option<Task> {
        let op = self.op.narrowed_to(&self.failed_ids())?;
        let mut t = Task::new(
            op,
            self.priority,
            &self.profile,
            &self.region,
            &self.principal,
        );
        t.retry_of = Some(self.id.clone());
        Some(t)
    }

    /// Counts per outcome: (succeeded, failed, pending or unknown).
    pub fn tally(&self) -> (usize, usize, usize) {
        let mut t = (0, 0, 0);
        for target in self.targets.values() {
            match target.outcome {
                TargetOutcome::Succeeded => t.0 += 1,
                TargetOutcome::Failed { .. } => t.1 += 1,
                _ => t.2 += 1,
            }
        }
        t
    }

    pub fn set_outcome(&mut self, id: &str, outcome: TargetOutcome) {
        let entry = self
            .targets
            .entry(id.to_owned())
            .or_insert_with(|| Target::pending(id.to_owned()));
        entry.outcome = outcome;
    }

    /// The job ids of every step that got one.
    pub fn job_ids(&self) -> Vec<&str> {
        self.steps
            .iter()
            .filter_map(|s| s.job_id.as_deref())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::op::ServerRef;
    use crate::runner::op::soft_stop_of as stop;

    #[test]
    fn the_state_machine_refuses_impossible_changes() {
        let now = Utc::now();
        let mut t = Task::new(stop(1), Priority::Interactive, "p", "r", "u");
        assert!(t.become_(TaskState::Succeeded, now).is_err());
        t.become_(TaskState::Running, now).unwrap();
        assert!(t.started_at.is_some());
        assert!(
            t.become_(TaskState::Cancelled, now).is_err(),
            "a running job cannot be cancelled"
        );
        t.become_(TaskState::Unfollowed, now).unwrap();
        t.become_(TaskState::Running, now).unwrap();
        assert!(t.finished_at.is_none());
        t.become_(TaskState::Succeeded, now).unwrap();
        assert!(t.finished_at.is_some());
        for next in [
            TaskState::Running,
            TaskState::Failed,
            TaskState::Queued,
            TaskState::Interrupted,
        ] {
            assert!(
                t.clone().become_(next, now).is_err(),
                "{next:?} after success"
            );
        }
    }

    #[test]
    fn a_task_whose_request_never_left_is_not_sent_until_a_person_says_so() {
        let now = Utc::now();
        let queued = Task::new(stop(1), Priority::Interactive, "p", "r", "u");
        assert_eq!(queued.orphaned(), TaskState::NotSent);
        let mut t = queued.clone();
        t.become_(TaskState::Running, now).unwrap();
        assert_eq!(
            t.orphaned(),
            TaskState::NotSent,
            "running, its step pending"
        );
        t.steps[0].state = StepState::Sending;
        assert_eq!(t.orphaned(), TaskState::Unfollowed, "it may have left");
        t.steps[0].state = StepState::Following;
        assert_eq!(t.orphaned(), TaskState::Unfollowed);
        let mut two = Task::new(stop(1500), Priority::Bulk, "p", "r", "u");
        two.become_(TaskState::Running, now).unwrap();
        two.steps[0].state = StepState::Done;
        assert_eq!(
            two.orphaned(),
            TaskState::NotSent,
            "its second step never left"
        );

        let mut n = queued.clone();
        n.become_(TaskState::NotSent, now).unwrap();
        assert!(!n.state.is_open(), "a start does not pick it up");
        assert!(!n.state.is_final(), "compaction keeps it");
        assert_eq!(n.orphaned(), TaskState::NotSent);
        for bad in [TaskState::Running, TaskState::Succeeded, TaskState::Failed] {
            assert!(n.clone().become_(bad, now).is_err(), "{bad:?}");
        }
        n.clone().become_(TaskState::Cancelled, now).unwrap();
        n.become_(TaskState::Queued, now).unwrap();
        n.become_(TaskState::Running, now).unwrap();
        let mut done = t.clone();
        done.become_(TaskState::Succeeded, now).unwrap();
        assert!(done.become_(TaskState::NotSent, now).is_err());
        assert_eq!(done.orphaned(), TaskState::Succeeded);
    }

    #[test]
    fn progress_prefers_percent_then_sub_jobs_then_steps() {
        let mut p = Progress {
            steps_total: 2,
            ..Progress::default()
        };
        assert_eq!(p.percent_whole(), 0);
        p.sub_total = 4;
        p.sub_done = 2;
        assert_eq!(p.percent_whole(), 25, "half of the first of two steps");
        p.percent = Some(50);
        assert_eq!(p.percent_whole(), 25);
        p.percent = Some(100);
        assert_eq!(p.percent_whole(), 50);
        p.steps_done = 2;
        p.percent = None;
        p.sub_total = 0;
        assert_eq!(p.percent_whole(), 100);
    }

    #[test]
    fn retry_failed_takes_only_failed_servers() {
        let mut t = Task::new(stop(3), Priority::Bulk, "p", "r", "u");
        t.set_outcome("id-0", TargetOutcome::Succeeded);
        t.set_outcome(
            "id-1",
            TargetOutcome::Failed {
                code: Some("Ecs.0204".into()),
                reason: "host not responding".into(),
            },
        );
        t.set_outcome("id-2", TargetOutcome::Succeeded);
        assert_eq!(t.tally(), (2, 1, 0));
        let retry = t.retry_failed().unwrap();
        assert_eq!(retry.retry_of.as_ref(), Some(&t.id));
        assert_eq!(retry.op.servers(), vec![ServerRef::new("id-1", "s1")]);
        t.set_outcome("id-1", TargetOutcome::Succeeded);
        assert!(t.retry_failed().is_none());
    }

    #[test]
    fn task_ids_round_trip_and_bad_ones_are_explained() {
        let id = TaskId::generate();
        assert_eq!(TaskId::parse(id.as_str()).unwrap(), id);
        let err = TaskId::parse("job-1").unwrap_err();
        assert!(err.contains("jobs list"), "{err}");
    }

    #[test]
    fn tasks_round_trip_through_json() {
        let t = Task::new(stop(2), Priority::Bulk, "lab", "region-1", "AKID");
        let line = serde_json::to_string(&t).unwrap();
        let back: Task = serde_json::from_str(&line).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn one_server_is_interactive_several_are_bulk() {
        assert_eq!(Priority::of(&stop(1)), Priority::Interactive);
        assert_eq!(Priority::of(&stop(2)), Priority::Bulk);
        let create = Op::CreateServers(crate::runner::op::create_spec_of(3));
        assert_eq!(Priority::of(&create), Priority::Interactive);
    }

    #[test]
    fn reattached_is_this_run_s_fact_and_not_journaled() {
        let mut t = Task::new(stop(1), Priority::Bulk, "lab", "region-1", "AKID");
        t.reattached = true;
        let line = serde_json::to_string(&t).unwrap();
        assert!(!line.contains("reattached"), "{line}");
        let back: Task = serde_json::from_str(&line).unwrap();
        assert!(!back.reattached);
    }
}
