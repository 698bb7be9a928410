//! `jobs list|show|send|cancel|retry|resume`: the tasks of the profile's journal. A task no live process follows
//! (its lock is free) is shown as what it is — "not sent" or "unfollowed" — never "running";
//! a task never sent is sent only by `jobs send`.

use crate::config::{Paths, Profile};
use crate::runner::journal::Journal;
use crate::runner::{CloudApi, GatewayApi, JobStatus, Task, TaskId, TaskState};

use super::args::{GlobalArgs, JobsCommand, Output};
use super::change_cmds::{finish, profile, refusal, resolve, tty};
use super::exit::{CliError, ExitCode};
use super::follow::{TASK_COLUMNS, follow, line, take_over, task_cells};
use super::format::{Format, View, print};
use super::{jobs_retry, out, session};

/// The task as it is now: a task whose lock no process holds is `Task::orphaned`, with a note
/// that says what to do. Reads only (the journal is not written).
fn as_it_is(journal: &Journal, task: &Task) -> Task {
    let mut t = task.clone();
    let orphan = t.orphaned();
    if orphan == t.state || !matches!(journal.claim(&t.id), Ok(Some(_))) {
        return t;
    }
    t.state = orphan;
    t.note = Some(match orphan {
        TaskState::NotSent => format!(
            "no process follows it and its request never left: `hvecs jobs send {}` sends it",
            t.id
        ),
        _ => format!(
            "no process follows it; its change may go on in the cloud: `hvecs jobs show {} --wait` follows it",
            t.id
        ),
    });
    t
}

/// Jobs read by one `jobs list` (the newest tasks no process follows).
const CLOUD_LOOKS: usize = 20;

/// The job in the cloud of a task no process follows, if it has one under way.
fn unfollowed_job(t: &Task) -> Option<String> {
    let i = t.current_step()?;
    matches!(t.state, TaskState::Unfollowed | TaskState::Interrupted)
        .then(|| t.steps[i].job_id.clone())
        .flatten()
}

/// Reads, once, the job of each task no process follows (the newest `CLOUD_LOOKS`) and adds
/// what the cloud says of it to the task's note. Writes nothing; a failure to look is said.
fn look_at_cloud(global: &GlobalArgs, profile: &Profile, tasks: &mut [Task]) {
    let wanted: Vec<usize> = (0..tasks.len())
        .rev()
        .filter(|&i| unfollowed_job(&tasks[i]).is_some())
        .take(CLOUD_LOOKS)
        .collect();
    if wanted.is_empty() {
        return;
    }
    let cloud = profile
        .connect()
        .map_err(|e| e.to_string())
        .and_then(|c| session::cloud(&c, global).map_err(|e| e.to_string()));
    let rt = session::runtime();
    for i in wanted {
        let Some(job) = unfollowed_job(&tasks[i]) else {
            continue;
        };
        // The job is read in the task's own region.
        let api = cloud
            .as_ref()
            .map(|c| GatewayApi::new(c.clone(), &tasks[i].region));
        let said = match (&api, &rt) {
            (Ok(api), Ok(rt)) => match rt.block_on(api.job(&job)) {
                Ok(v) => match v.status {
                    JobStatus::Pending => format!(
                        "in the cloud its job {job} is running ({}%)",
                        v.percent.unwrap_or(0)
                    ),
                    JobStatus::Succeeded => format!("in the cloud its job {job} succeeded"),
                    JobStatus::Failed => format!(
                        "in the cloud its job {job} failed: {}",
                        v.fail_reason.as_deref().unwrap_or("no reason given")
                    ),
                },
                Err(e) => format!("its job {job} cannot be read: {e}"),
            },
            (Err(e), _) => format!("the cloud cannot be asked: {e}"),
            (_, Err(e)) => format!("the cloud cannot be asked: {e}"),
        };
        let t = &mut tasks[i];
        t.note = Some(match t.note.take() {
            Some(n) => format!("{n}; {said}"),
            None => said,
        });
    }
}

fn not_found(profile: &Profile, id: &TaskId) -> CliError {
    CliError::new(
        ExitCode::Usage,
        format!(
            "no task {id} in profile {}'s journal (see `hvecs jobs list`)",
            profile.name
        ),
    )
}

/// `jobs list`, `jobs show TASK [--wait]`, `jobs send TASK [--wait]`, `jobs cancel TASK` and
/// `jobs retry TASK [--wait]`.
pub fn jobs(global: &GlobalArgs, paths: &Paths, cmd: &JobsCommand) -> Result<(), CliError> {
    let profile = profile(global, paths)?;
    let journal = Journal::open(&paths.profile_state_dir(&profile.name))
        .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?;
    let replay = journal
        .recover()
        .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?;
    if let Some(n) = replay.notice() {
        out::note(&format!("hvecs: {n}"));
    }
    let find = |task: &str| -> Result<Task, CliError> {
        let id = TaskId::parse(task).map_err(|e| CliError::new(ExitCode::Usage, e))?;
        replay
            .tasks
            .iter()
            .find(|t| t.id == id)
            .map(|t| as_it_is(&journal, t))
            .ok_or_else(|| not_found(&profile, &id))
    };
    match cmd {
        JobsCommand::List => {
            let mut tasks: Vec<Task> = replay.tasks.iter().map(|t| as_it_is(&journal, t)).collect();
            look_at_cloud(global, &profile, &mut tasks);
            list(&tasks, &Format::of(global)?)
        }
        JobsCommand::Show {
            task,
            wait,
            timeout,
        } => {
            let mut found = find(task)?;
            if !wait || found.state.is_final() || found.state == TaskState::NotSent {
                look_at_cloud(global, &profile, std::slice::from_mut(&mut found));
                show(&found, &Format::of(global)?)?;
                return match found.state {
                    TaskState::NotSent if *wait => Err(CliError::new(
                        ExitCode::Refused,
                        format!(
                            "task {} was never sent; `hvecs jobs send {}` sends it",
                            found.id, found.id
                        ),
                    )),
                    _ => Ok(()),
                };
            }
            follow_again(global, paths, &profile, &found, Again::Follow(*timeout))
        }
        JobsCommand::Send { task, wait } => {
            let found = find(task)?;
            follow_again(global, paths, &profile, &found, Again::Send { wait: *wait })
        }
        JobsCommand::Cancel { task } => jobs_retry::cancel(global, paths, &profile, &find(task)?),
        JobsCommand::Retry { task, wait } => {
            jobs_retry::retry(global, paths, &profile, &find(task)?, *wait)
        }
        JobsCommand::Resume { task } => {
            let found = find(task)?;
            match super::snapshot_resume::resume(global, paths, &profile, &found)? {
                super::snapshot_resume::Resumed::Finished => Ok(()),
                super::snapshot_resume::Resumed::GoOn => {
                    follow_again(global, paths, &profile, &found, Again::Send { wait: true })
                }
            }
        }
    }
}

/// What taking a task over is for.
#[derive(Clone, Copy)]
enum Again {
    /// `jobs show --wait [--timeout D]`: follow it to its end (or for D); a task never sent
    /// stays so.
    Follow(Option<std::time::Duration>),
    /// `jobs send`: send a task never sent (one that was sent is followed instead).
    Send { wait: bool },
}

/// Takes the task over: follows it if it was sent, or — `Again::Send` and a task never sent —
/// checks its servers again and sends it.
fn follow_again(
    global: &GlobalArgs,
    paths: &Paths,
    profile: &Profile,
    found: &Task,
    again: Again,
) -> Result<(), CliError> {
    let id = found.id.clone();
    let (send, wait, timeout) = match again {
        Again::Follow(timeout) => (false, true, timeout),
        Again::Send { wait } => (true, wait, None),
    };
    jobs_retry::in_task_region(global, paths, profile, found, async |runner, gw| {
        let mut rx = runner.subscribe();
        let r = take_over(runner, &id).await?;
        if !r.followed.is_empty() {
            out::note(&format!("reattached {}", line(found)));
            let task = follow(runner, &mut rx, &id, wait, tty(), timeout).await?;
            return finish(&task, wait, global.output);
        }
        let now = runner
            .task(&id)
            .await
            .map_err(|e| CliError::new(ExitCode::Usage, e.to_string()))?
            .ok_or_else(|| not_found(profile, &id))?;
        if now.state != TaskState::NotSent || !send {
            show(&now, &Format::of(global)?)?;
            return match now.state {
                TaskState::NotSent => Err(CliError::new(
                    ExitCode::Refused,
                    format!("task {id} was never sent; `hvecs jobs send {id}` sends it"),
                )),
                _ => Ok(()),
            };
        }
        let ids: Vec<String> = now
            .unsent_op()
            .servers()
            .into_iter()
            .map(|s| s.id)
            .collect();
        let (_, known) = resolve(gw, &ids).await?;
        // From here on: the "not sent" event of the reattach above is not this task's end.
        let mut rx = runner.subscribe();
        let sent = runner.send_unsent(&id, &known).await.map_err(refusal)?;
        out::note(&format!("task {id}: sending {}", sent.task.op.describe()));
        let task = follow(runner, &mut rx, &id, wait, tty(), None).await?;
        finish(&task, wait, global.output)
    })
}

fn json_of<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, CliError> {
    serde_json::to_value(v)
        .map_err(|e| CliError::new(ExitCode::Failed, format!("cannot write JSON: {e}")))
}

fn list(tasks: &[Task], format: &Format) -> Result<(), CliError> {
    print(format, &json_of(&tasks)?, || View::Table {
        columns: TASK_COLUMNS.to_vec(),
        rows: tasks.iter().rev().map(task_cells).collect(),
    })
}

/// One task: its steps and servers for a person (table, wide), else as `list` prints it.
fn show(task: &Task, format: &Format) -> Result<(), CliError> {
    use std::fmt::Write as _;
    if format.query.is_some() || !matches!(format.output, Output::Table | Output::Wide) {
        return list_one(task, format);
    }
    let mut s = String::new();
    writeln!(s, "{}", line(task)).ok();
    writeln!(
        s,
        "  created {} by {} in {} ({})",
        task.created_at.format("%Y-%m-%d %H:%M:%S"),
        task.principal,
        task.region,
        task.profile
    )
    .ok();
    for (i, step) in task.steps.iter().enumerate() {
        writeln!(
            s,
            "  step {}: {}  {:?}{}{}",
            i + 1,
            step.describe(),
            step.state,
            step.request_id
                .as_deref()
                .map(|r| format!("  request {r}"))
                .unwrap_or_default(),
            step.error
                .as_deref()
                .map(|e| format!("  error: {e}"))
                .unwrap_or_default()
        )
        .ok();
    }
    for (id, t) in &task.targets {
        writeln!(s, "  {} ({id}): {:?}", t.name, t.outcome).ok();
    }
    out::text(&s)
}

/// One task in a format other than a person's: its JSON, or its row.
fn list_one(task: &Task, format: &Format) -> Result<(), CliError> {
    print(format, &json_of(task)?, || View::Table {
        columns: TASK_COLUMNS.to_vec(),
        rows: vec![task_cells(task)],
    })
}
