//! Following a task from the CLI (taking it over from the journal first when asked): a progress bar
//! on a terminal, one line per change otherwise; the summary at the end and the exit code it means.

use std::fmt::Write as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::runner::{
    Cause, EventKind, Reattach, Runner, TargetOutcome, Task, TaskEvent, TaskId, TaskState,
};

use super::exit::{CliError, ExitCode};
use super::format::{Column, col};

/// The exit code a finished task means.
pub fn exit_code(task: &Task) -> ExitCode {
    match (task.state, task.cause) {
        (TaskState::Succeeded, _) => ExitCode::Done,
        (TaskState::Failed, Some(Cause::Rejected | Cause::NotSent)) => ExitCode::Api,
        (TaskState::Failed, _) => ExitCode::Failed,
        // Nothing was sent; `hvecs jobs send TASK` sends it.
        (TaskState::Cancelled | TaskState::NotSent, _) => ExitCode::Refused,
        (TaskState::Interrupted | TaskState::Unfollowed, _) => ExitCode::Unknown,
        (TaskState::Queued | TaskState::Running, _) => ExitCode::Unknown,
    }
}

/// One line about a task: "t0123456789 running  stop 3 servers  step 1/1 (job …)  40%".
pub fn line(task: &Task) -> String {
    let mut s = format!(
        "{} {:<11} {}",
        task.id,
        task.state.name(),
        task.op.describe()
    );
    if let Some(i) = task
        .current_step()
        .filter(|_| task.state == TaskState::Running)
    {
        write!(
            s,
            "  step {}/{}: {}",
            i + 1,
            task.steps.len(),
            task.steps[i].describe()
        )
        .ok();
    } else {
        let jobs = task.job_ids();
        if !jobs.is_empty() {
            write!(s, "  (job {})", jobs.join(", ")).ok();
        }
    }
    if !task.state.is_final() {
        write!(s, "  {}%", task.progress.percent_whole()).ok();
    }
    if let Some(n) = &task.note {
        write!(s, "  — {n}").ok();
    }
    s
}

/// The columns of `jobs list`.
pub static TASK_COLUMNS: &[Column] = &[
    col("TASK"),
    col("STATE"),
    col("WHAT"),
    col("REGION"),
    col("CREATED"),
    col("PROGRESS"),
    col("JOBS"),
    col("NOTE"),
];

/// A task's cells under `TASK_COLUMNS`.
pub fn task_cells(task: &Task) -> Vec<String> {
    vec![
        task.id.to_string(),
        task.state.name().to_owned(),
        task.op.describe(),
        task.region.clone(),
        task.created_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        format!("{}%", task.progress.percent_whole()),
        task.job_ids().join(","),
        task.note.clone().unwrap_or_default(),
    ]
}

/// The end of a task for a person: outcome, per-server failures, what to do.
pub fn summary(task: &Task) -> String {
    let mut s = line(task);
    s.push('\n');
    let (ok, failed, open) = task.tally();
    if task.targets.len() > 1 {
        writeln!(
            s,
            "  servers: {ok} succeeded, {failed} failed, {open} unsettled"
        )
        .ok();
    }
    for (id, t) in &task.targets {
        match &t.outcome {
            TargetOutcome::Failed { code, reason } => {
                writeln!(
                    s,
                    "  {} ({id}): failed: {}",
                    t.name,
                    crate::runner::task_failure::with_code(code.as_deref(), reason)
                )
                .ok();
            }
            TargetOutcome::Unknown { note } => {
                writeln!(s, "  {} ({id}): unknown: {note}", t.name).ok();
            }
            _ => {}
        }
    }
    for step in &task.steps {
        if let Some(rid) = &step.request_id {
            writeln!(s, "  request id {rid}").ok();
        }
    }
    if exit_code(task) == ExitCode::Unknown {
        s.push_str("  the outcome is not known: look at the servers before trying again\n");
    }
    s
}

async fn next_of(
    rx: &mut UnboundedReceiver<TaskEvent>,
    id: &TaskId,
) -> Result<TaskEvent, CliError> {
    loop {
        match rx.recv().await {
            Some(ev) if &ev.id == id => return Ok(ev),
            Some(_) => {}
            None => {
                return Err(CliError::new(
                    ExitCode::Unknown,
                    format!(
                        "the runner stopped while following task {id}; see `hvecs jobs show {id}`"
                    ),
                ));
            }
        }
    }
}

/// Without `--wait`: returns once the change is sent and its job known (or the task ended),
/// prints the task and job ids, and leaves the job to the cloud. With `--wait`: follows to the
/// end, or until `timeout` (then the task is left to the cloud and the error says so, exit 5).
pub async fn follow(
    runner: &Runner,
    rx: &mut UnboundedReceiver<TaskEvent>,
    id: &TaskId,
    wait: bool,
    tty: bool,
    timeout: Option<Duration>,
) -> Result<Task, CliError> {
    let deadline = timeout.map(|t| (tokio::time::Instant::now() + t, t));
    let bar = (wait && tty).then(|| {
        let b = ProgressBar::new(100);
        b.set_style(
            ProgressStyle::with_template("{spinner} {elapsed:>4} [{bar:30}] {pos:>3}% {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        b.enable_steady_tick(Duration::from_millis(200));
        b
    });
    let mut last_line = String::new();
    let mut unfollowing = false;
    let mut jobs = Vec::new();
    let mut sent = false;
    loop {
        let ev = match deadline {
            Some((at, after)) => match tokio::time::timeout_at(at, next_of(rx, id)).await {
                Ok(ev) => ev?,
                Err(_) => {
                    if let Some(b) = &bar {
                        b.finish_and_clear();
                    }
                    return Err(match sent {
                        true => timed_out(runner, rx, id, after, &jobs).await,
                        false => never_sent(runner, id, after).await,
                    });
                }
            },
            None => next_of(rx, id).await?,
        };
        let task = &ev.task;
        jobs = task.job_ids().iter().map(|j| (*j).to_owned()).collect();
        // A step past `Pending` may have reached the API.
        sent |= task
            .steps
            .iter()
            .any(|s| s.state != crate::runner::step::StepState::Pending);
        match &bar {
            Some(b) => {
                b.set_position(u64::from(task.progress.percent_whole()));
                b.set_message(line(task));
            }
            None if wait => {
                let l = line(task);
                if l != last_line
                    && (ev.kind != EventKind::Progress || changed_much(&last_line, &l))
                {
                    super::out::note(&l);
                    last_line = l;
                }
            }
            None => {}
        }
        if ev.is_end() {
            if let Some(b) = &bar {
                b.finish_and_clear();
            }
            return Ok((*ev.task).clone());
        }
        let sent = task
            .steps
            .first()
            .is_some_and(|s| s.job_id.is_some() || s.state == crate::runner::step::StepState::Done);
        if !wait && sent && !unfollowing {
            unfollowing = true;
            // The job goes on in the cloud; `jobs show TASK --wait` follows it later.
            if runner.unfollow(id).await.is_err() {
                // It ended meanwhile: its end event comes next.
            }
        }
    }
}

/// `--timeout` ran out: the task is left to the cloud (its journal says "unfollowed" once the
/// runner has let it go) and the error says where it goes on.
async fn timed_out(
    runner: &Runner,
    rx: &mut UnboundedReceiver<TaskEvent>,
    id: &TaskId,
    after: Duration,
    jobs: &[String],
) -> CliError {
    if runner.unfollow(id).await.is_ok() {
        // The runner writes the task's new state to the journal before it says so.
        let _ = tokio::time::timeout(Duration::from_secs(5), async {
            while let Ok(ev) = next_of(rx, id).await {
                if ev.is_end() {
                    break;
                }
            }
        })
        .await;
    }
    let job = match jobs {
        [] => String::new(),
        jobs => format!(" (job {})", jobs.join(", ")),
    };
    CliError::new(
        ExitCode::Unknown,
        format!(
            "still running after {}: task {id}{job} goes on in the cloud and is in the journal; \
             `hvecs jobs show {id} --wait` follows it again",
            humantime::format_duration(after)
        ),
    )
}

/// `--timeout` ran out before the task was sent: it is cancelled, so that nothing is sent
/// after the command has ended (exit 4, as a refusal: nothing changed).
async fn never_sent(runner: &Runner, id: &TaskId, after: Duration) -> CliError {
    match runner.cancel(id).await {
        Ok(()) => CliError::new(
            ExitCode::Refused,
            format!(
                "not sent within {}: task {id} is cancelled; nothing was sent",
                humantime::format_duration(after)
            ),
        ),
        // It left meanwhile: it goes on like any task that was sent.
        Err(_) => CliError::new(
            ExitCode::Unknown,
            format!(
                "still running after {}: task {id} goes on; `hvecs jobs show {id} --wait` follows it",
                humantime::format_duration(after)
            ),
        ),
    }
}

/// A progress line is worth printing when the percent moved by 10 or more.
fn changed_much(before: &str, now: &str) -> bool {
    fn pct(l: &str) -> Option<i32> {
        l.split_whitespace()
            .rev()
            .find_map(|w| w.strip_suffix('%').and_then(|n| n.parse().ok()))
    }
    match (pct(before), pct(now)) {
        (Some(a), Some(b)) => (b - a).abs() >= 10,
        _ => true,
    }
}

/// Takes task `id` over from the journal: a task whose ended process left it queued becomes "not
/// sent" here, a sent one is followed; one that another live process holds is refused.
pub(super) async fn take_over(runner: &Runner, id: &TaskId) -> Result<Reattach, CliError> {
    let r = runner
        .reattach(Some(id.clone()))
        .await
        .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?;
    if !r.elsewhere.is_empty() {
        return Err(CliError::new(
            ExitCode::Refused,
            format!(
                "another process follows task {id}; `hvecs jobs show {id}` shows its last known state"
            ),
        ));
    }
    Ok(r)
}
