//! The Jobs pane's state: every task of this run and of earlier runs (the runner's journal), as
//! rows of a normal list (filter, sort, marks), and each task's details for its describe view.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Local, Utc};

use super::list::ListState;
use super::rows::{Cells, Column, Row, StatusClass};
use super::source::{Detail, DetailLine};
use crate::runner::task::{Call, StepState};
use crate::runner::{EventKind, TargetOutcome, Task, TaskEvent, TaskId, TaskState};

const fn col(header: &'static str, field: &'static str, drop: u8, min: u16, max: u16) -> Column {
    Column {
        header,
        field,
        drop_order: drop,
        min_width: min,
        max_width: max,
        numeric: false,
    }
}

pub static JOB_COLUMNS: &[Column] = &[
    col("WHAT", "what", 0, 10, 40),
    col("STATE", "state", 0, 9, 22),
    col("PROGRESS", "progress", 3, 8, 16),
    col("ON", "on", 4, 8, 40),
    col("WHO", "who", 6, 6, 24),
    col("WHEN", "when", 5, 14, 14),
    col("TOOK", "took", 7, 4, 8),
    col("ID", "id", 9, 11, 11),
];

/// One task as a row: what, state, progress, on what, who, when, how long, its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    cells: Cells,
    status: StatusClass,
    open: bool,
}

impl Row for JobRow {
    fn columns() -> &'static [Column] {
        JOB_COLUMNS
    }
    fn id(&self) -> &str {
        self.cells.get(JOB_COLUMNS.len() - 1)
    }
    fn cells(&self) -> &Cells {
        &self.cells
    }
    fn status(&self) -> StatusClass {
        self.status
    }
    fn in_transition(&self) -> bool {
        self.open
    }
    fn status_column() -> Option<usize> {
        Some(1)
    }
}

impl JobRow {
    pub fn new(t: &Task, reattached: bool, tz: &FixedOffset) -> Self {
        let status = match t.state {
            TaskState::Queued => StatusClass::Build,
            TaskState::Running => StatusClass::Transition,
            TaskState::Succeeded => StatusClass::Active,
            TaskState::Failed => StatusClass::Error,
            TaskState::Cancelled
            | TaskState::Interrupted
            | TaskState::Unfollowed
            | TaskState::NotSent => StatusClass::Shutoff,
        };
        let took = match (t.started_at, t.finished_at) {
            (Some(s), Some(f)) => duration(f - s),
            _ => String::new(),
        };
        JobRow {
            cells: Cells::new(&[
                t.op.describe(),
                state_text(t, reattached),
                progress_text(t),
                targets_text(t),
                t.principal.clone(),
                t.created_at
                    .with_timezone(tz)
                    .format("%m-%d %H:%M:%S")
                    .to_string(),
                took,
                t.id.to_string(),
            ]),
            status,
            open: matches!(t.state, TaskState::Queued | TaskState::Running),
        }
    }

    /// The cell of the column whose filter name is `field`.
    pub fn field(&self, field: &str) -> &str {
        JOB_COLUMNS
            .iter()
            .position(|c| c.field == field)
            .map(|i| self.cells.get(i))
            .unwrap_or("")
    }
}

/// The state, and "reattached" for a task this console took over from an earlier one.
pub fn state_text(t: &Task, reattached: bool) -> String {
    if reattached {
        format!("{} (reattached)", t.state.name())
    } else {
        t.state.name().to_owned()
    }
}

fn progress_text(t: &Task) -> String {
    let p = &t.progress;
    let mut text = format!("{}%", p.percent_whole());
    if p.sub_total > 0 && t.state != TaskState::Succeeded {
        text.push_str(&format!(" {}/{}", p.sub_done, p.sub_total));
    }
    let (_, failed, _) = t.tally();
    if failed > 0 {
        text.push_str(&format!(" {failed} failed"));
    }
    text
}

fn targets_text(t: &Task) -> String {
    let names: Vec<&str> = t.targets.values().map(|x| x.name.as_str()).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [a, b] => format!("{a}, {b}"),
        [a, b, rest @ ..] => format!("{a}, {b} +{}", rest.len()),
    }
}

fn duration(d: chrono::TimeDelta) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// Every task the console knows of, and the list that shows them (newest first).
#[derive(Debug, Clone)]
pub struct JobsPane {
    tasks: BTreeMap<TaskId, Arc<Task>>,
    /// Tasks found open in the journal at start and followed again by this console.
    reattached: HashSet<TaskId>,
    pub list: ListState<JobRow>,
    /// The offset times are shown in (the machine's, at start).
    pub tz: FixedOffset,
}

impl Default for JobsPane {
    fn default() -> Self {
        JobsPane {
            tasks: BTreeMap::new(),
            reattached: HashSet::new(),
            list: ListState::default(),
            tz: *Local::now().offset(),
        }
    }
}

impl JobsPane {
    /// The runner's list of every task (this run's and the journal's), read at `at`.
    pub fn load(&mut self, tasks: Vec<Arc<Task>>, at: DateTime<Local>) {
        for t in tasks {
            if t.note.as_deref() == Some("reattached") && t.state.is_open() {
                self.reattached.insert(t.id.clone());
            }
            self.tasks.insert(t.id.clone(), t);
        }
        self.rebuild(at);
    }

    /// A task's news. The list is rebuilt only once it has been loaded (it shows no half list).
    pub fn record(&mut self, ev: &TaskEvent) {
        if ev.kind == EventKind::Reattached {
            self.reattached.insert(ev.id.clone());
        }
        self.tasks.insert(ev.id.clone(), ev.task.clone());
        if let Some(at) = self.list.fetched_at {
            self.rebuild(at);
        }
    }

    fn rebuild(&mut self, at: DateTime<Local>) {
        let mut all: Vec<&Arc<Task>> = self.tasks.values().collect();
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        let rows = all
            .into_iter()
            .map(|t| JobRow::new(t, self.reattached.contains(&t.id), &self.tz))
            .collect();
        self.list.set_rows(rows, at);
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Task>> {
        self.tasks
            .iter()
            .find(|(k, _)| k.as_str() == id)
            .map(|x| x.1)
    }

    pub fn selected(&self) -> Option<&Arc<Task>> {
        self.get(&self.list.selected_id()?)
    }

    pub fn is_reattached(&self, id: &TaskId) -> bool {
        self.reattached.contains(id)
    }

    /// Every detail of one task: steps and their times, job and request ids, each server's
    /// result, the API's error text; the task's journal record as its raw JSON.
    pub fn detail(&self, t: &Task) -> Detail {
        let tz = &self.tz;
        let time = |d: Option<DateTime<Utc>>| {
            d.map(|d| d.with_timezone(tz).format("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default()
        };
        let f = |k: &str, v: String| DetailLine::Field(k.to_owned(), v);
        let mut lines = vec![
            DetailLine::Section("task".into()),
            f("id", t.id.to_string()),
            f("what", t.op.describe()),
            f("state", state_text(t, self.is_reattached(&t.id))),
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
}

fn call_text(c: &Call) -> String {
    match c {
        Call::Power { action, ids } => format!("{} {} server(s)", action.verb(), ids.len()),
        Call::Create { spec, .. } => format!("create {} × {}", spec.count, spec.name),
        Call::Resize { flavor_id, .. } => format!("resize to {flavor_id}"),
        Call::Rename { name, .. } => format!("rename to {name}"),
        Call::Disk(d) => d.describe(),
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
