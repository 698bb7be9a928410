//! The Jobs pane's effects, run against the runner: read every task, cancel a queued one,
//! re-submit what failed, send one never sent; each answer comes back as a message.

use chrono::Local;
use tokio::sync::mpsc::UnboundedSender;

use super::app::Msg;
use crate::runner::{Known, Runner, TaskId, TaskState};

const NO_RUNNER: &str = "this console has no task runner; nothing was sent";

/// `runner.tasks()` into `Msg::Tasks`.
pub(super) fn load_tasks(runner: Option<Runner>, tx: &UnboundedSender<Msg>) {
    let tx = tx.clone();
    tokio::spawn(async move {
        let result = match runner {
            Some(r) => r
                .tasks()
                .await
                .map_err(|e| format!("could not read the tasks: {e}")),
            None => Err("this console has no task runner, so it has no tasks".to_owned()),
        };
        let _ = tx.send(Msg::Tasks {
            result,
            at: Local::now(),
        });
    });
}

pub(super) fn cancel(runner: Option<Runner>, id: TaskId, tx: &UnboundedSender<Msg>) {
    let tx = tx.clone();
    tokio::spawn(async move {
        let answer = match runner {
            Some(r) => r
                .cancel(&id)
                .await
                .map(|()| format!("cancelled task {id}; nothing was sent"))
                .map_err(|e| e.to_string()),
            None => Err(NO_RUNNER.to_owned()),
        };
        let _ = tx.send(Msg::TaskAnswer(answer));
    });
}

pub(super) fn retry_failed(
    runner: Option<Runner>,
    id: TaskId,
    known: Known,
    tx: &UnboundedSender<Msg>,
) {
    let tx = tx.clone();
    tokio::spawn(async move {
        let answer = match runner {
            Some(r) if matches!(r.task(&id).await, Ok(Some(t)) if t.state == TaskState::NotSent) => {
                r.send_unsent(&id, &known)
                    .await
                    .map(|s| format!("queued: {} (never sent before)", s.task.op.describe()))
                    .map_err(|e| e.to_string())
            }
            Some(r) => r
                .retry_failed(&id, &known)
                .await
                .map(|s| format!("queued: {} (retry of {id})", s.task.op.describe()))
                .map_err(|e| e.to_string()),
            None => Err(NO_RUNNER.to_owned()),
        };
        let _ = tx.send(Msg::TaskAnswer(answer));
    });
}
