//! `jobs cancel` (a task never sent, given up) and `jobs retry` (the servers a task failed on,
//! as a new task).

use crate::config::{Paths, Profile};
use crate::gateway::Gateway;
use crate::runner::{Runner, Task, TaskState};

use super::args::GlobalArgs;
use super::change_cmds::{finish, refusal, resolve, runner, tty};
use super::exit::{CliError, ExitCode};
use super::follow::{follow, take_over};
use super::{out, session};

/// Cancels `found` if it was never sent; a task that was sent has a job in the cloud that
/// hvecs cannot stop, and a task that ended has nothing left to cancel.
pub fn cancel(
    global: &GlobalArgs,
    paths: &Paths,
    profile: &Profile,
    found: &Task,
) -> Result<(), CliError> {
    let id = &found.id;
    match found.state {
        TaskState::NotSent => {}
        s if s.is_final() => {
            return Err(CliError::new(
                ExitCode::Refused,
                format!("task {id} already ended ({}): nothing to cancel", s.name()),
            ));
        }
        s => {
            return Err(CliError::new(
                ExitCode::Refused,
                format!(
                    "task {id} is {}: its request was sent, and a job running in the cloud cannot be stopped; `hvecs jobs show {id} --wait` follows it",
                    s.name()
                ),
            ));
        }
    }
    let conn = profile.connect()?;
    let cloud = session::cloud(&conn, global)?;
    let rt = session::runtime()?;
    rt.block_on(async {
        let runner = runner(profile, &cloud, paths)?;
        take_over(&runner, id).await?;
        runner
            .cancel(id)
            .await
            .map_err(|e| CliError::new(ExitCode::Refused, e.to_string()))?;
        out::text(&format!(
            "task {id} cancelled: it was never sent, nothing changed\n"
        ))
    })
}

/// Submits again, as a new task, what `found` failed on (after the same checks as a new
/// change); follows the new task to its end with `wait`.
pub fn retry(
    global: &GlobalArgs,
    paths: &Paths,
    profile: &Profile,
    found: &Task,
    wait: bool,
) -> Result<(), CliError> {
    let id = &found.id;
    let Some(again) = found.retry_failed() else {
        return Err(CliError::new(
            ExitCode::Refused,
            format!(
                "task {id} is {}: only a task that failed on some server can be retried",
                found.state.name()
            ),
        ));
    };
    in_task_region(global, paths, profile, found, async |runner, gw| {
        let ids: Vec<String> = again.op.servers().into_iter().map(|s| s.id).collect();
        let (_, known) = resolve(gw, &ids).await?;
        let mut rx = runner.subscribe();
        let sent = runner.retry_failed(id, &known).await.map_err(refusal)?;
        let new = sent.task.id.clone();
        out::note(&format!(
            "task {new}: retrying {} (what task {id} failed on)",
            sent.task.op.describe()
        ));
        let task = follow(runner, &mut rx, &new, wait, tty(), None).await?;
        finish(&task, wait, global.output)
    })
}

/// Runs `work` with the profile's runner and the gateway of `found`'s region (a task acts in its
/// own region: its servers are looked at there).
pub(super) fn in_task_region(
    global: &GlobalArgs,
    paths: &Paths,
    profile: &Profile,
    found: &Task,
    work: impl AsyncFnOnce(&Runner, &Gateway) -> Result<(), CliError>,
) -> Result<(), CliError> {
    let conn = profile.connect()?;
    let cloud = session::cloud(&conn, global)?;
    let gw = cloud.client(&found.region)?;
    let rt = session::runtime()?;
    rt.block_on(async {
        let runner = runner(profile, &cloud, paths)?;
        work(&runner, &gw).await
    })
}
