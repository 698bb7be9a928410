//! One task as a row of the Jobs pane: what, state, progress, on what, who, when, how long, its id.

use chrono::FixedOffset;

use crate::runner::{Task, TaskId, TaskState};
use crate::tui::list::rows::{Cells, Column, Row, StatusClass, col, row_type};

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

row_type!(JobRow, TaskId, JOB_COLUMNS, status: Some(1), az: None);

impl JobRow {
    pub fn new(t: &Task, tz: &FixedOffset) -> Self {
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
        let cells = Cells::new(&[
            t.op.describe(),
            state_text(t),
            progress_text(t),
            targets_text(t),
            t.principal.clone(),
            t.created_at
                .with_timezone(tz)
                .format("%m-%d %H:%M:%S")
                .to_string(),
            took,
            t.id.to_string(),
        ]);
        let open = matches!(t.state, TaskState::Queued | TaskState::Running);
        let mut row = JobRow::build(cells, 1, open, t.id.clone());
        // the class is the task's state, not the word in its cell ("running (reattached)")
        row.status = status;
        row
    }
}

/// The state, and "reattached" for a task this console took over from an earlier one.
pub fn state_text(t: &Task) -> String {
    if t.reattached {
        format!("{} (reattached)", t.state.name())
    } else {
        t.state.name().to_owned()
    }
}

pub(super) fn progress_text(t: &Task) -> String {
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

/// "12s", "1m12s", "2h03m".
pub fn duration(d: chrono::TimeDelta) -> String {
    let s = d.num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}
