//! The async job shared by ECS, IMS and EVS (api.md §5), with sub-jobs and progress.

use serde::Deserialize;
use serde_json::Value;

use super::lenient::{self, Timestamp};
use crate::gateway::error::ErrorBody;

/// A job status; `INIT`, `RUNNING` and `PENDING_PAYMENT` are pending, anything else not
/// `SUCCESS` is a terminal failure. Unknown values are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum JobStatus {
    #[default]
    Init,
    Running,
    PendingPayment,
    Success,
    Fail,
    Other(String),
}

impl JobStatus {
    pub fn parse(text: &str) -> JobStatus {
        match text.trim() {
            "INIT" => JobStatus::Init,
            "RUNNING" => JobStatus::Running,
            "PENDING_PAYMENT" => JobStatus::PendingPayment,
            "SUCCESS" => JobStatus::Success,
            "FAIL" => JobStatus::Fail,
            other => JobStatus::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            JobStatus::Init => "INIT",
            JobStatus::Running => "RUNNING",
            JobStatus::PendingPayment => "PENDING_PAYMENT",
            JobStatus::Success => "SUCCESS",
            JobStatus::Fail => "FAIL",
            JobStatus::Other(s) => s,
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(
            self,
            JobStatus::Init | JobStatus::Running | JobStatus::PendingPayment
        )
    }

    pub fn is_success(&self) -> bool {
        *self == JobStatus::Success
    }
}

lenient::wire_status!(JobStatus);

/// What a job acts on, per service; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct JobEntities {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub server_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub volume_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub image_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub image_name: Option<String>,
    /// IMS progress, 0–100.
    #[serde(deserialize_with = "lenient::opt_number")]
    pub process_percent: Option<u64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub current_task: Option<String>,
    #[serde(deserialize_with = "lenient::opt_number")]
    pub sub_jobs_total: Option<u64>,
    #[serde(deserialize_with = "lenient::list")]
    pub sub_jobs: Vec<Job>,
    /// The cause of a failed ECS sub-job (often a JSON text of its own).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub errorcode_message: Option<String>,
}

/// A job (`GET /v1/{p}/jobs/{id}`) or one of its sub-jobs.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Job {
    #[serde(deserialize_with = "lenient::string")]
    pub job_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub job_type: String,
    pub status: JobStatus,
    pub begin_time: Timestamp,
    /// Empty while the job runs.
    pub end_time: Timestamp,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub error_code: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub fail_reason: Option<String>,
    #[serde(deserialize_with = "entities")]
    pub entities: JobEntities,
}

fn entities<'de, D: serde::Deserializer<'de>>(d: D) -> Result<JobEntities, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(serde_json::from_value(v).unwrap_or_default())
}

impl Job {
    /// Progress 0–100: IMS `process_percent`, else the share of finished sub-jobs, else 100 when
    /// the job has ended.
    pub fn progress(&self) -> Option<u64> {
        if let Some(p) = self.entities.process_percent {
            return Some(p.min(100));
        }
        let subs = &self.entities.sub_jobs;
        if !subs.is_empty() {
            let done = subs.iter().filter(|j| !j.status.is_pending()).count() as u64;
            return Some(done * 100 / subs.len() as u64);
        }
        (!self.status.is_pending()).then_some(100)
    }

    /// The ids of the servers the job made or acted on: its own and its sub-jobs'.
    pub fn server_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.entities.server_id.iter().map(String::as_str).collect();
        for sub in &self.entities.sub_jobs {
            ids.extend(sub.server_ids());
        }
        ids
    }

    /// Why the job (or its first failed sub-job) failed, in one line: `error_code: reason`.
    pub fn failure(&self) -> Option<String> {
        let reason = self.reason()?;
        Some(match self.error_code.as_deref().filter(|c| !c.is_empty()) {
            Some(code) if !reason.starts_with(code) => format!("{code}: {reason}"),
            _ => reason,
        })
    }

    /// Why the job failed without its own `error_code` (for callers that show the code apart):
    /// `fail_reason`, the first failed sub-job's failure, and the cause in `errorcode_message`
    /// (a JSON error body, read as one) when it says something `fail_reason` does not.
    pub fn reason(&self) -> Option<String> {
        if self.status.is_pending() || self.status.is_success() {
            return None;
        }
        let own = self.fail_reason.clone().filter(|r| !r.is_empty());
        let said = |text: &str| own.as_deref().is_some_and(|o| o.contains(text));
        // The first failed sub-job, unless it only repeats this job's reason.
        let sub = self.entities.sub_jobs.iter().find_map(|s| {
            let r = s.reason()?;
            Some(if said(&r) { None } else { s.failure() })
        });
        let cause = self
            .entities
            .errorcode_message
            .as_deref()
            .map(|m| ErrorBody::parse(m.as_bytes()).message)
            .filter(|m| !m.is_empty() && !said(m));
        let more = sub.flatten().or(cause);
        Some(match (own, more) {
            (Some(o), Some(m)) => format!("{o} ({m})"),
            (Some(o), None) => o,
            (None, Some(m)) => m,
            (None, None) => format!("job ended with status {}", self.status),
        })
    }
}

/// The answer to a submitted change: a job id, and the server ids when the API gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct JobSubmitted {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub job_id: Option<String>,
    #[serde(rename = "serverIds", deserialize_with = "lenient::list")]
    pub server_ids: Vec<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    /// The answer's HTTP status and `X-Request-Id` (for the audit log); not from the body.
    #[serde(skip)]
    pub http_status: u16,
    #[serde(skip)]
    pub request_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_says_its_code_and_reason_once() {
        // As the simulator and the backend send it: the sub-job repeats the job's code and
        // reason, and its `errorcode_message` the reason again as a JSON body.
        let job: Job = serde_json::from_value(serde_json::json!({
            "status": "FAIL", "error_code": "Ecs.0204", "fail_reason": "Task-fail: WMI",
            "entities": {"sub_jobs": [{"status": "FAIL", "error_code": "Ecs.0204",
                "fail_reason": "Task-fail: WMI", "entities": {"server_id": "s1",
                "errorcode_message": "{\"badRequest\":{\"code\":400,\"message\":\"Task-fail: WMI\"}}"}}]}
        }))
        .unwrap();
        assert_eq!(job.reason().as_deref(), Some("Task-fail: WMI"));
        assert_eq!(job.failure().as_deref(), Some("Ecs.0204: Task-fail: WMI"));
        let sub = &job.entities.sub_jobs[0];
        assert_eq!(sub.reason().as_deref(), Some("Task-fail: WMI"));
    }
}
