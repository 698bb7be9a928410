//! A task that did not succeed, said in one line for a person or a script's log: what failed,
//! the API's code and reason once (per server, for a failed job), the job ids and request ids.

use std::fmt::Write as _;

use super::task::{Cause, TargetOutcome, Task};

/// How many servers the line names before "and N more".
const NAMED_FAILURES: usize = 3;

impl Task {
    /// The line, e.g. `task t… (stop db-01) failed: db-01 (id): Ecs.0204: Task-fail…; job J;
    /// request id R`. A change the API refused names its note (the gateway's error) instead.
    pub fn failure(&self) -> String {
        let mut s = format!(
            "task {} ({}) {}",
            self.id,
            self.op.describe(),
            self.state.name()
        );
        let nothing_sent = matches!(self.cause, Some(Cause::Rejected | Cause::NotSent));
        let servers: Vec<String> = self
            .targets
            .iter()
            .filter(|_| !nothing_sent)
            .filter_map(|(id, t)| match &t.outcome {
                TargetOutcome::Failed { code, reason } => Some(format!(
                    "{} ({id}): {}",
                    t.name,
                    with_code(code.as_deref(), reason)
                )),
                TargetOutcome::Unknown { note } => {
                    Some(format!("{} ({id}): unknown: {note}", t.name))
                }
                _ => None,
            })
            .collect();
        if servers.is_empty() {
            if let Some(n) = &self.note {
                write!(s, ": {}", n.replace('\n', "; ")).ok();
            }
        } else {
            let named: Vec<&str> = servers
                .iter()
                .take(NAMED_FAILURES)
                .map(String::as_str)
                .collect();
            write!(s, ": {}", named.join("; ")).ok();
            if servers.len() > NAMED_FAILURES {
                write!(
                    s,
                    "; and {} more (hvecs jobs show {})",
                    servers.len() - NAMED_FAILURES,
                    self.id
                )
                .ok();
            }
        }
        let jobs: Vec<&str> = self
            .job_ids()
            .into_iter()
            .filter(|j| !s.contains(j))
            .collect();
        if !jobs.is_empty() {
            write!(s, "; job {}", jobs.join(", ")).ok();
        }
        let requests: Vec<&str> = self
            .steps
            .iter()
            .filter_map(|st| st.request_id.as_deref())
            .filter(|r| !s.contains(r))
            .collect();
        if !requests.is_empty() {
            write!(s, "; request id {}", requests.join(", ")).ok();
        }
        s
    }
}

/// `CODE: reason`, unless the reason already starts with its code (or there is none).
pub fn with_code(code: Option<&str>, reason: &str) -> String {
    match code.filter(|c| !c.is_empty() && !reason.starts_with(c)) {
        Some(c) => format!("{c}: {reason}"),
        None => reason.to_owned(),
    }
}
