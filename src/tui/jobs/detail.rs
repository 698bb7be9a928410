//! Every detail of one task for its describe view: steps and their times, job and request ids,
//! each server's result, the API's error text, and its journal record as raw JSON.

use chrono::{DateTime, FixedOffset, Utc};

use super::row::{duration, progress_text, state_text};
use crate::read::source::{Detail, DetailLine};
use crate::runner::task::{Call, StepState};
use crate::runner::{TargetOutcome, Task};

/// Every detail of one task: steps and their times, job and request ids, each server's
/// result, the API's error text; the task's journal record as its raw JSON.
pub fn detail(t: &Task, tz: &FixedOffset) -> Detail {
    let time = |d: Option<DateTime<Utc>>| {
        d.map(|d| d.with_timezone(tz).format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    };
    let f = |k: &str, v: String| DetailLine::Field(k.to_owned(), v);
    let mut lines = vec![
        DetailLine::Section("task".into()),
        f("id", t.id.to_string()),
        f("what", t.op.describe()),
        f("state", state_text(t)),
        f("progress", progress_text(t)),
        f("who", t.principal.clone()),
        f("profile", t.profile.clone()),
        f("region", t.region.clone()),
        f("priority", format!("{:?}", t.priority).to_lowercase()),
        f("queued", time(Some(t.created_at))),
        f("started", time(t.started_at)),
        f("finished", time(t.finished_at)),
    ];
    if let (Some(s), Some(e)) = (t.started_at, t.finished_at) {
        lines.push(f("took", duration(e - s)));
    }
    if let Some(r) = &t.retry_of {
        lines.push(f("retry of", r.to_string()));
    }
    if let Some(c) = t.cause {
        lines.push(f("cause", format!("{c:?}").to_lowercase()));
    }
    if let Some(n) = &t.note {
        lines.push(f("note", n.replace('\n', "; ")));
    }
    for (i, s) in t.steps.iter().enumerate() {
        lines.push(DetailLine::Section(format!(
            "step {} of {}: {}",
            i + 1,
            t.steps.len(),
            call_text(&s.call)
        )));
        lines.push(f("state", step_state(s.state).to_owned()));
        lines.push(f("waits for", s.settle.describe().to_owned()));
        lines.push(f("sent", time(s.started_at)));
        lines.push(f("done", time(s.finished_at)));
        lines.push(f("job id", s.job_id.clone().unwrap_or_default()));
        lines.push(f("request id", s.request_id.clone().unwrap_or_default()));
        if let Some(h) = s.http_status {
            lines.push(f("http status", h.to_string()));
        }
        if s.resends > 0 {
            lines.push(f("resent", s.resends.to_string()));
        }
        if let Some(e) = &s.error {
            lines.push(f("error", e.replace('\n', "; ")));
        }
    }
    if !t.targets.is_empty() {
        let (ok, failed, other) = t.tally();
        lines.push(DetailLine::Section(format!(
            "servers: {ok} succeeded, {failed} failed, {other} pending or unknown"
        )));
        for (id, target) in &t.targets {
            let outcome = match &target.outcome {
                TargetOutcome::Pending => "pending".to_owned(),
                TargetOutcome::Succeeded => "succeeded".to_owned(),
                TargetOutcome::Failed {
                    code: Some(c),
                    reason,
                } => format!("failed: {c}: {reason}"),
                TargetOutcome::Failed { code: None, reason } => format!("failed: {reason}"),
                TargetOutcome::Unknown { note } => format!("unknown: {note}"),
            };
            lines.push(f(&format!("{} ({id})", target.name), outcome));
        }
    }
    let raw_json = serde_json::to_string_pretty(t).unwrap_or_default();
    Detail { lines, raw_json }
}

fn call_text(c: &Call) -> String {
    match c {
        Call::Power { action, ids } => format!("{} {} server(s)", action.verb(), ids.len()),
        Call::Create { spec, .. } => format!("create {} × {}", spec.count, spec.name),
        Call::Resize { flavor_id, .. } => format!("resize to {flavor_id}"),
        Call::Rename { name, .. } => format!("rename to {name}"),
        Call::Image(c) => c.describe(),
        Call::Disk(d) => d.describe(),
        Call::Snapshot(c) => c.describe(),
        Call::Tags { action, tags, .. } => format!("{} {} tag(s)", action.api_name(), tags.len()),
        Call::Delete {
            ids,
            delete_volumes,
        } => format!(
            "delete {} server(s){}",
            ids.len(),
            if *delete_volumes {
                " with their data disks"
            } else {
                ""
            }
        ),
    }
}

fn step_state(s: StepState) -> &'static str {
    match s {
        StepState::Pending => "pending",
        StepState::Sending => "sending",
        StepState::Following => "following the job",
        StepState::Confirming => "confirming the servers' status",
        StepState::Done => "done",
        StepState::Failed => "failed",
        StepState::Unknown => "unknown (the answer was lost)",
    }
}
