//! The Jobs pane's effects, run against the runner: read every task, cancel a queued one,
//! re-submit what failed, send one never sent; each answer comes back as a message.

use chrono::Local;
use tokio::sync::mpsc::UnboundedSender;

use crate::runner::{Known, Runner, TaskId, TaskState};
use crate::tui::app::Msg;
use crate::tui::jobs::answer::{AskError, TaskDone};

/// `runner.tasks()` into `Msg::Tasks`.
pub(in crate::tui) fn load_tasks(runner: Option<Runner>, tx: &UnboundedSender<Msg>) {
    let tx = tx.clone();
    tokio::spawn(async move {
        let result = match runner {
            Some(r) => r.tasks().await.map_err(AskError::from),
            None => Err(AskError::NoRunner),
        };
        let _ = tx.send(Msg::Tasks {
            result,
            at: Local::now(),
        });
    });
}

pub(in crate::tui) fn cancel(runner: Option<Runner>, id: TaskId, tx: &UnboundedSender<Msg>) {
    let tx = tx.clone();
    tokio::spawn(async move {
        let answer = match runner {
            Some(r) => match r.cancel(&id).await {
                Ok(()) => Ok(TaskDone::Cancelled(id)),
                Err(e) => Err(e.into()),
            },
            None => Err(AskError::NoRunner),
        };
        let _ = tx.send(Msg::TaskAnswer(answer));
    });
}

pub(in crate::tui) fn retry_failed(
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
                    .map(|s| TaskDone::Sent(s.task))
                    .map_err(AskError::from)
            }
            Some(r) => r
                .retry_failed(&id, &known)
                .await
                .map(|s| TaskDone::Retried {
                    of: id,
                    task: s.task,
                })
                .map_err(AskError::from),
            None => Err(AskError::NoRunner),
        };
        let _ = tx.send(Msg::TaskAnswer(answer));
    });
}
