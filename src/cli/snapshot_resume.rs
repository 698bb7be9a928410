//! `jobs resume TASK` of a snapshot task: one that no process follows goes on at its next step
//! (`jobs_cmd` takes it over); a rollback that failed is finished by a new task that attaches its
//! detached disks at their devices and starts the server if it ran.

use crate::config::{Paths, Profile};
use crate::runner::snapshot::op::SnapshotOp;
use crate::runner::{Op, Task, TaskState};

use super::args::{ChangeFlags, GlobalArgs};
use super::change_cmds::{runner, submit_and_follow};
use super::exit::{CliError, ExitCode};
use super::snapshot_cmds::{disk, known_of, server};
use super::{out, session};

/// What `jobs resume` does next.
pub enum Resumed {
    /// A rollback was finished here (or had nothing left to finish).
    Finished,
    /// The task goes on at its next step: `jobs_cmd` takes it over and follows it.
    GoOn,
}

/// `jobs resume TASK`: a snapshot task no process follows goes on at its next step; a rollback
/// that failed (or could not settle a step) is finished by a new task.
pub fn resume(
    global: &GlobalArgs,
    paths: &Paths,
    profile: &Profile,
    task: &Task,
) -> Result<Resumed, CliError> {
    let Op::Snapshot(op) = &task.op else {
        return Err(CliError::new(
            ExitCode::Refused,
            format!(
                "task {} is not a snapshot task: `hvecs jobs show {} --wait` follows it",
                task.id, task.id
            ),
        ));
    };
    let finishing = matches!(op, SnapshotOp::Rollback { .. })
        && matches!(task.state, TaskState::Failed | TaskState::Interrupted);
    if !finishing {
        return match task.state {
            TaskState::NotSent
            | TaskState::Unfollowed
            | TaskState::Running
            | TaskState::Interrupted => Ok(Resumed::GoOn),
            s => Err(CliError::new(
                ExitCode::Refused,
                format!("task {} is {}: nothing to resume", task.id, s.name()),
            )),
        };
    }
    let SnapshotOp::Rollback {
        server: of,
        members,
        was_running,
        ..
    } = op
    else {
        return Ok(Resumed::Finished);
    };
    let conn = profile.connect()?;
    let cloud = session::cloud(&conn, global)?;
    let gw = cloud.client(&task.region)?;
    let rt = session::runtime()?;
    rt.block_on(async {
        let s = server(&gw, &of.id).await?;
        let mut attach = Vec::new();
        for m in members {
            match disk(&gw, &m.disk.volume_id).await? {
                Some(d) if d.attachments.is_empty() => attach.push(m.disk.clone()),
                Some(_) => {}
                None => out::note(&format!(
                    "disk {} no longer exists: it is not attached again",
                    m.disk.name
                )),
            }
        }
        let start = *was_running && s.status.to_string() != "ACTIVE";
        if attach.is_empty() && !start {
            out::text(&format!(
                "{}: every disk of the set is attached and the server is as it was; nothing to finish\n",
                of.name
            ))?;
            return Ok(Resumed::Finished);
        }
        let op = Op::Snapshot(SnapshotOp::Finish {
            server: of.clone(),
            of_task: task.id.to_string(),
            attach,
            start,
        });
        let runner = runner(profile, &cloud, paths)?;
        let flags = ChangeFlags {
            wait: true,
            yes: true,
            timeout: None,
        };
        submit_and_follow(&runner, task.region.clone(), op, known_of(&s), &flags, global.output)
            .await?;
        Ok(Resumed::Finished)
    })
}
