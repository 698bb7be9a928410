//! The Jobs pane's part of `AppState::update` (pure, no IO): loading the runner's tasks, a task's
//! details on `Enter`, `C` (cancel a queued task) and `t` (re-submit only what failed).

use std::sync::Arc;

use chrono::{DateTime, Local};

use super::app::{AppState, Describe, Effect, Level, Mode};
use crate::read::source::View;
use crate::runner::{Known, Task, TaskEvent, TaskState};

impl AppState {
    /// Asks the runner for every task (this run's and the journal's).
    pub(super) fn load_tasks(&mut self) -> Effect {
        self.jobs_pane.list.loading = true;
        Effect::LoadTasks
    }

    /// The runner's answer to `LoadTasks`.
    pub(super) fn on_tasks(
        &mut self,
        result: Result<Vec<Arc<Task>>, String>,
        at: DateTime<Local>,
    ) -> Vec<Effect> {
        let list = &mut self.jobs_pane.list;
        list.loading = false;
        match result {
            Ok(tasks) => {
                self.jobs_pane.load(tasks, at);
                let height = self.table_height();
                self.jobs_pane.list.scroll(height);
                self.refresh_job_detail();
            }
            Err(e) => {
                list.stale = Some(super::list::Stale {
                    error: e,
                    request_id: None,
                });
            }
        }
        Vec::new()
    }

    /// A task's news reaches the pane (and its open describe view).
    pub(super) fn on_job_news(&mut self, ev: &TaskEvent) {
        self.jobs_pane.record(ev);
        let height = self.table_height();
        self.jobs_pane.list.scroll(height);
        self.refresh_job_detail();
    }

    fn refresh_job_detail(&mut self) {
        if let Mode::Describe(d) = &self.mode
            && d.view == View::Jobs
            && let Some(t) = self.jobs_pane.get(&d.id)
        {
            let detail = self.jobs_pane.detail(t);
            if let Mode::Describe(d) = &mut self.mode {
                d.detail = Some(detail);
            }
        }
    }

    /// `Enter` (or `y`) on a task: its details, at once (they are all in the task).
    pub(super) fn describe_job(&mut self, raw: bool) -> Vec<Effect> {
        let Some(t) = self.jobs_pane.selected().cloned() else {
            self.message = Some((Level::Info, "no task selected".to_owned()));
            return Vec::new();
        };
        let summary =
            super::list::any::AnyList::selected_cells(&self.jobs_pane.list).unwrap_or_default();
        self.mode = Mode::Describe(Box::new(Describe {
            view: View::Jobs,
            id: t.id.to_string(),
            region: t.region.clone(),
            summary,
            detail: Some(self.jobs_pane.detail(&t)),
            error: None,
            raw,
            scroll: 0,
            seq: 0,
        }));
        Vec::new()
    }

    /// `C`: cancels the selected task if it is queued; anything else says why not.
    pub(super) fn cancel_task(&mut self) -> Vec<Effect> {
        let Some(t) = self.task_for_key("cancel") else {
            return Vec::new();
        };
        let what = t.op.describe();
        match t.state {
            TaskState::Queued | TaskState::NotSent => {
                self.message = Some((Level::Info, format!("cancelling: {what}")));
                vec![Effect::CancelTask(t.id.clone())]
            }
            TaskState::Running => {
                self.message = Some((
                    Level::Error,
                    format!(
                        "{what} is running: its job is under way in the cloud and cannot be stopped; only a queued task can be cancelled"
                    ),
                ));
                Vec::new()
            }
            s => {
                self.message = Some((
                    Level::Info,
                    format!("{what} is {}: nothing to cancel", s.name()),
                ));
                Vec::new()
            }
        }
    }

    /// `t`: re-submits only the servers of the selected task that failed, as a new task; a task
    /// never sent ("not sent") is sent, itself.
    pub(super) fn retry_failed_task(&mut self) -> Vec<Effect> {
        let Some(t) = self.task_for_key("retry") else {
            return Vec::new();
        };
        let unsent = t.state == TaskState::NotSent;
        let failed = if unsent {
            t.unsent_op().servers().into_iter().map(|s| s.id).collect()
        } else {
            t.failed_ids()
        };
        if unsent {
            self.message = Some((
                Level::Info,
                format!("sending {} (it was never sent)", t.op.describe()),
            ));
            return vec![Effect::RetryFailed {
                id: t.id.clone(),
                known: self.known_of(&failed),
            }];
        }
        if failed.is_empty() || t.op.narrowed_to(&failed).is_none() {
            self.message = Some((
                Level::Info,
                format!(
                    "{} is {}: no server of it failed, so there is nothing to retry",
                    t.op.describe(),
                    t.state.name()
                ),
            ));
            return Vec::new();
        }
        let known = self.known_of(&failed);
        self.message = Some((
            Level::Info,
            format!(
                "retrying {} failed server(s) of {}",
                failed.len(),
                t.op.describe()
            ),
        ));
        vec![Effect::RetryFailed {
            id: t.id.clone(),
            known,
        }]
    }

    /// What the servers list knows of the servers `ids`, for the runner's preconditions.
    fn known_of(&self, ids: &[String]) -> Known {
        self.servers
            .all_rows()
            .iter()
            .filter(|r| ids.iter().any(|id| *id == r.record().id))
            .map(super::list::rows::ServerRow::known)
            .collect()
    }

    /// The selected task, unless read-only refuses changes (said in the message).
    fn task_for_key(&mut self, verb: &str) -> Option<Arc<Task>> {
        if self.session.read_only {
            self.message = Some((
                Level::Error,
                format!("read-only: {verb} is refused; nothing was sent (Ctrl-t leaves read-only)"),
            ));
            return None;
        }
        if self.view != View::Jobs {
            self.message = Some((Level::Info, format!("{verb} applies to tasks (press 5)")));
            return None;
        }
        let t = self.jobs_pane.selected().cloned();
        if t.is_none() {
            self.message = Some((Level::Info, "no task selected".to_owned()));
        }
        t
    }

    /// The runner's answer to a cancel or a retry.
    pub(super) fn on_task_answer(&mut self, result: Result<String, String>) -> Vec<Effect> {
        self.message = Some(match result {
            Ok(text) => (Level::Info, text),
            Err(why) => (Level::Error, why.replace('\n', "; ")),
        });
        Vec::new()
    }
}

#[cfg(test)]
#[path = "jobs_tests.rs"]
mod tests;
