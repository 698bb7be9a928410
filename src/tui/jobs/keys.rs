//! The task book's part of `AppState::update` (pure, no IO): a task's news, loading the runner's
//! tasks, a task's details on `Enter`, `C` (cancel a queued task) and `t` (re-submit only what
//! failed).

use std::sync::Arc;

use chrono::{DateTime, Local};

use super::answer::{AskError, TaskDone};
use crate::read::source::View;
use crate::runner::{Known, Op, Task, TaskEvent, TaskState};
use crate::tui::app::{AppState, Describe, Effect, Level, Mode};

impl AppState {
    /// Asks the runner for every task (this run's and the journal's).
    pub(in crate::tui) fn load_tasks(&mut self) -> Effect {
        self.jobs.list.loading = true;
        Effect::LoadTasks
    }

    /// The runner's answer to `LoadTasks`.
    pub(in crate::tui) fn on_tasks(
        &mut self,
        result: Result<Vec<Arc<Task>>, AskError>,
        at: DateTime<Local>,
    ) -> Vec<Effect> {
        let list = &mut self.jobs.list;
        list.loading = false;
        match result {
            Ok(tasks) => {
                self.jobs.load(tasks, at);
                let height = self.table_height();
                self.jobs.list.scroll(height);
                self.refresh_job_detail();
            }
            Err(e) => {
                let error = match e {
                    AskError::NoRunner => format!("{e}, so it has no tasks"),
                    AskError::Runner(e) => format!("could not read the tasks: {e}"),
                };
                list.stale = Some(crate::tui::list::Stale {
                    error,
                    request_id: None,
                });
            }
        }
        Vec::new()
    }

    /// A task's news, into the book: the strip, the rows and the pane (and its open describe
    /// view) show it; when it ends, the rows it touched are read again.
    pub(in crate::tui) fn on_task_event(&mut self, ev: TaskEvent) -> Vec<Effect> {
        self.jobs.record(&ev);
        let height = self.table_height();
        self.jobs.list.scroll(height);
        self.refresh_job_detail();
        let images = self.images_after_task(&ev);
        if !ev.is_end() {
            return images;
        }
        // Its "queued: …" is stale now (unless another message took its place).
        if let Some((_, said)) = self.queued_note.take_if(|(id, _)| *id == ev.task.id)
            && self.message.as_ref().is_some_and(|(_, m)| *m == said)
        {
            self.message = None;
        }
        if ev.task.state == TaskState::Failed {
            self.message = Some((Level::Error, ev.task.failure()));
        }
        self.hint_stop_first(&ev);
        if let Op::Disk(d) = &ev.task.op {
            return self.reread_after_disk_task(&ev.task.region, d);
        }
        if let Op::Snapshot(s) = &ev.task.op {
            return self.reread_after_snapshot_task(&ev.task.region, s);
        }
        let ids: Vec<String> = ev.task.op.servers().into_iter().map(|s| s.id).collect();
        let mut effects = self.reread_after_task(&ev.task.region, ids);
        effects.extend(images);
        effects
    }

    fn refresh_job_detail(&mut self) {
        if let Mode::Describe(d) = &self.mode
            && d.view == View::Jobs
            && let Some(t) = self.jobs.get(&d.id)
        {
            let detail = self.jobs.detail(t);
            if let Mode::Describe(d) = &mut self.mode {
                d.detail = Some(detail);
            }
        }
    }

    /// `Enter` (or `y`) on a task: its details, at once (they are all in the task).
    pub(in crate::tui) fn describe_job(&mut self, raw: bool) -> Vec<Effect> {
        let Some(t) = self.jobs.selected().cloned() else {
            self.message = Some((Level::Info, "no task selected".to_owned()));
            return Vec::new();
        };
        let summary =
            crate::tui::list::any::AnyList::selected_cells(&self.jobs.list).unwrap_or_default();
        self.mode = Mode::Describe(Box::new(Describe::new(
            View::Jobs,
            t.id.to_string(),
            t.region.clone(),
            summary,
            Some(self.jobs.detail(&t)),
            raw,
        )));
        Vec::new()
    }

    /// `C`: cancels the selected task if it is queued; anything else says why not.
    pub(in crate::tui) fn cancel_task(&mut self) -> Vec<Effect> {
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
    /// never sent ("not sent") is sent, itself; a rollback that stopped is finished.
    pub(in crate::tui) fn retry_failed_task(&mut self) -> Vec<Effect> {
        let Some(t) = self.task_for_key("retry") else {
            return Vec::new();
        };
        if let Some(effects) = self.finish_rollback(&t) {
            return effects;
        }
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
            .map(crate::tui::list::rows::ServerRow::known)
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
        let t = self.jobs.selected().cloned();
        if t.is_none() {
            self.message = Some((Level::Info, "no task selected".to_owned()));
        }
        t
    }

    /// The runner's answer to a submission.
    pub(in crate::tui) fn on_submitted(
        &mut self,
        result: Result<Arc<Task>, AskError>,
    ) -> Vec<Effect> {
        match result {
            Ok(task) => self.say_queued(&task, String::new()),
            Err(e) => self.message = Some((Level::Error, e.nothing_sent())),
        }
        Vec::new()
    }

    /// "queued: stop web-01", until the task ends (`queued_note`).
    fn say_queued(&mut self, task: &Task, why: String) {
        let said = format!("queued: {}{why}", task.op.describe());
        self.queued_note = Some((task.id.clone(), said.clone()));
        self.message = Some((Level::Info, said));
    }

    /// The runner's answer to a cancel or a retry.
    pub(in crate::tui) fn on_task_answer(
        &mut self,
        result: Result<TaskDone, AskError>,
    ) -> Vec<Effect> {
        match result {
            Ok(TaskDone::Cancelled(id)) => {
                self.message = Some((
                    Level::Info,
                    format!("cancelled task {id}; nothing was sent"),
                ))
            }
            Ok(TaskDone::Sent(t)) => self.say_queued(&t, " (never sent before)".to_owned()),
            Ok(TaskDone::Retried { of, task }) => {
                self.say_queued(&task, format!(" (retry of {of})"))
            }
            Err(e) => self.message = Some((Level::Error, e.nothing_sent())),
        }
        Vec::new()
    }
}

#[cfg(test)]
#[path = "jobs_tests.rs"]
mod tests;
