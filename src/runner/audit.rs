//! The audit log, `<state>/<profile>/audit.jsonl`: two lines per change request (who, what, on
//! what: "sending" just before it goes, then what the gateway answered), one per read-only
//! toggle. Never a secret.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::cloud::{Accepted, CallError};
use super::task::{Call, Task};

/// What became of a change request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// About to be sent: written before the request leaves. With no answer line after it for the
    /// same task and targets, the process ended before the answer: look at the servers.
    Sending,
    /// The gateway took it (2xx; a job id when async).
    Accepted,
    /// The gateway refused it (4xx/5xx with an answer): nothing changed.
    Rejected,
    /// Throttled (429): it will go again.
    Throttled,
    /// Sent, and the answer was lost.
    Unknown,
    /// Never left this machine (connection refused, read-only gateway).
    NotSent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AuditEvent {
    Request {
        op: String,
        task: String,
        targets: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        http_status: Option<u16>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        job_id: Option<String>,
        outcome: AuditOutcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
    ReadOnly {
        read_only: bool,
        /// Who asked: "key" (Ctrl-t), "command" (`:ro`/`:rw`), "flag"…
        via: String,
    },
}

impl AuditEvent {
    /// The line written just before `call` of `task` is sent.
    pub fn sending(task: &Task, call: &Call) -> AuditEvent {
        AuditEvent::Request {
            op: task.op.kind().to_owned(),
            task: task.id.to_string(),
            targets: targets(call),
            http_status: None,
            request_id: None,
            job_id: None,
            outcome: AuditOutcome::Sending,
            error: None,
        }
    }

    /// The line written once the gateway answered `call` of `task` (or did not).
    pub fn answered(task: &Task, call: &Call, r: &Result<Accepted, CallError>) -> AuditEvent {
        let (outcome, http_status, request_id, job_id, error) = match r {
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
        AuditEvent::Request {
            op: task.op.kind().to_owned(),
            task: task.id.to_string(),
            targets: targets(call),
            http_status,
            request_id,
            job_id,
            outcome,
            error,
        }
    }
}

/// The servers a call acts on; a create's are named `new:NAME` (their ids come later).
fn targets(call: &Call) -> Vec<String> {
    match call {
        Call::Create { spec, .. } => vec![format!("new:{}", spec.name)],
        Call::Disk(d) => d.audit_targets(),
        other => other.target_ids(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    pub time: DateTime<Utc>,
    pub profile: String,
    pub region: String,
    /// The user name or AK id.
    pub principal: String,
    #[serde(flatten)]
    pub event: AuditEvent,
}

/// Who acts where: the fixed part of every record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub profile: String,
    pub region: String,
    pub principal: String,
}

impl Actor {
    /// The same actor in another region (a task acts in its own).
    pub fn in_region(&self, region: &str) -> Actor {
        Actor {
            region: region.to_owned(),
            ..self.clone()
        }
    }

    pub fn record(&self, event: AuditEvent) -> AuditRecord {
        AuditRecord {
            time: Utc::now(),
            profile: self.profile.clone(),
            region: self.region.clone(),
            principal: self.principal.clone(),
            event,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    file: PathBuf,
}

impl AuditLog {
    /// The audit log in a profile's state folder (made if missing).
    pub fn open(dir: &Path) -> std::io::Result<AuditLog> {
        std::fs::create_dir_all(dir)?;
        Ok(AuditLog {
            file: dir.join("audit.jsonl"),
        })
    }

    pub fn path(&self) -> &Path {
        &self.file
    }

    /// Appends one record as one line (a single write, so lines of two consoles never mix).
    pub fn append(&self, record: &AuditRecord) -> std::io::Result<()> {
        let mut line = serde_json::to_string(record).map_err(std::io::Error::other)?;
        line.push('\n');
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.file)?;
        f.write_all(line.as_bytes())?;
        f.sync_data()
    }

    /// Every record, oldest first; lines that cannot be read are skipped.
    pub fn read(&self) -> std::io::Result<Vec<AuditRecord>> {
        match std::fs::read_to_string(&self.file) {
            Ok(t) => Ok(t
                .lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_say_who_did_what_and_what_came_back() {
        let dir = tempfile::tempdir().unwrap();
        let log = AuditLog::open(dir.path()).unwrap();
        let actor = Actor {
            profile: "prod".into(),
            region: "region-1".into(),
            principal: "AKIDEXAMPLE".into(),
        };
        let req = actor.record(AuditEvent::Request {
            op: "stop-soft".into(),
            task: "t0123456789".into(),
            targets: vec!["id-1".into(), "id-2".into()],
            http_status: Some(200),
            request_id: Some("req-1".into()),
            job_id: Some("job-1".into()),
            outcome: AuditOutcome::Accepted,
            error: None,
        });
        log.append(&req).unwrap();
        log.append(&actor.record(AuditEvent::ReadOnly {
            read_only: true,
            via: "key".into(),
        }))
        .unwrap();
        let text = std::fs::read_to_string(log.path()).unwrap();
        let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
        for key in [
            "time",
            "profile",
            "region",
            "principal",
            "op",
            "targets",
            "http_status",
            "request_id",
            "job_id",
            "outcome",
        ] {
            assert!(first.get(key).is_some(), "{key} missing in {first}");
        }
        assert_eq!(first["outcome"], "accepted");
        let all = log.read().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0], req);
        assert!(matches!(
            all[1].event,
            AuditEvent::ReadOnly {
                read_only: true,
                ..
            }
        ));
    }
}
