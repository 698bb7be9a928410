//! The runner's answers to what the console asked of it (submit, list, cancel, retry), in the
//! runner's own types; the text is made where it is shown (`keys.rs`).

use std::sync::Arc;

use crate::runner::{RunnerError, SubmitError, Task, TaskId};

/// Why what the console asked of the runner was not done.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AskError {
    /// The console was opened without a runner: it only reads.
    #[error("this console has no task runner")]
    NoRunner,
    /// The runner's reason: a refusal (read-only, a precondition), a wrong state, its journal.
    #[error(transparent)]
    Runner(Arc<SubmitError>),
}

impl From<SubmitError> for AskError {
    fn from(e: SubmitError) -> Self {
        AskError::Runner(Arc::new(e))
    }
}

impl From<RunnerError> for AskError {
    fn from(e: RunnerError) -> Self {
        SubmitError::from(e).into()
    }
}

impl AskError {
    /// The reason on one line, and for a change that nothing was sent.
    pub fn nothing_sent(&self) -> String {
        match self {
            AskError::NoRunner => format!("{self}; nothing was sent"),
            AskError::Runner(e) => e.to_string().replace('\n', "; "),
        }
    }
}

/// What the runner did about a task of the Jobs pane (`C`, `t`).
#[derive(Debug, Clone)]
pub enum TaskDone {
    /// A queued task (or one never sent) cancelled: nothing was sent.
    Cancelled(TaskId),
    /// A task never sent, queued now as itself.
    Sent(Arc<Task>),
    /// The failed servers of task `of`, queued as a new task.
    Retried { of: TaskId, task: Arc<Task> },
}
