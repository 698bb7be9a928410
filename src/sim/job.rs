//! One job as the job table keeps it: its status, its sub-jobs (one per resource) with their
//! timed steps, and the server statuses that settle after a job ends.

use serde::{Deserialize, Serialize};

use super::clock::Millis;
use super::task::Task;
use super::vm::VmStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobStatus {
    Init,
    Running,
    Success,
    Fail,
}

impl JobStatus {
    pub fn wire(self) -> &'static str {
        match self {
            JobStatus::Init => "INIT",
            JobStatus::Running => "RUNNING",
            JobStatus::Success => "SUCCESS",
            JobStatus::Fail => "FAIL",
        }
    }

    pub fn done(self) -> bool {
        matches!(self, JobStatus::Success | JobStatus::Fail)
    }
}

/// Which API made the job (its `entities` differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Service {
    Ecs,
    Ims,
    Evs,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    pub task_state: String,
    pub ends_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubJob {
    pub id: String,
    pub job_type: String,
    pub status: JobStatus,
    pub begin: Millis,
    pub end: Option<Millis>,
    pub error_code: Option<String>,
    pub fail_reason: Option<String>,
    pub task: Task,
    pub steps: Vec<Step>,
    pub done_steps: usize,
    /// An injected failure (`--faults jobfail=`): the step that fails.
    pub fail_at: Option<usize>,
    /// Refused before it ran (wrong state, locked): fails at once, changes nothing.
    #[serde(default)]
    pub refused: Option<(String, String)>,
}

impl SubJob {
    pub fn percent(&self, now: Millis) -> u8 {
        let total = self
            .steps
            .last()
            .map(|s| s.ends_at - self.begin)
            .unwrap_or(0);
        if self.status.done() || total <= 0 {
            return if self.status == JobStatus::Success || total <= 0 {
                100
            } else {
                (self.done_steps * 100 / self.steps.len().max(1)) as u8
            };
        }
        ((now - self.begin).clamp(0, total) * 99 / total) as u8
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub id: String,
    pub job_type: String,
    pub service: Service,
    pub region: usize,
    pub status: JobStatus,
    pub begin: Millis,
    pub end: Option<Millis>,
    pub error_code: Option<String>,
    pub fail_reason: Option<String>,
    pub subs: Vec<SubJob>,
}

/// A server status that settles a moment after its job ended (the job's SUCCESS comes first).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settle {
    pub at: Millis,
    pub server_id: String,
    pub status: VmStatus,
}
