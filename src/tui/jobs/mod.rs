//! The task book: every task this console knows (its runner's news, and the journal's once the
//! Jobs pane is opened), fed once per task event; the job strip, the rows and the Jobs pane read it.

pub mod answer;
pub mod detail;
mod keys;
pub mod row;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Local};

use super::list::ListState;
use crate::read::source::Detail;
use crate::runner::{Task, TaskEvent, TaskId, TaskState};
pub use row::JobRow;

/// How many finished tasks of this run are kept for the strip and the describe views.
const KEEP_FINISHED: usize = 20;

#[derive(Debug, Clone)]
pub struct TaskBook {
    /// Every task known, by id: each event's snapshot replaces the older one.
    tasks: HashMap<TaskId, Arc<Task>>,
    /// The tasks this run heard news of, oldest first: what the strip and the describe views
    /// show (the finished ones past `KEEP_FINISHED` leave this, not the pane).
    heard: Vec<TaskId>,
    /// The Jobs pane (`5`): every task as a row, newest first; filled when the runner's list
    /// arrives (it shows no half list), then kept row by row.
    pub list: ListState<JobRow>,
    /// The offset times are shown in (the machine's, at start).
    pub tz: FixedOffset,
}

impl Default for TaskBook {
    fn default() -> Self {
        TaskBook {
            tasks: HashMap::new(),
            heard: Vec::new(),
            list: ListState::default(),
            tz: *Local::now().offset(),
        }
    }
}

impl TaskBook {
    /// Takes in an event's snapshot of its task; its row of the pane changes in place.
    pub fn record(&mut self, ev: &TaskEvent) {
        let new = self.tasks.insert(ev.id.clone(), ev.task.clone()).is_none();
        if !self.heard.contains(&ev.id) {
            self.heard.push(ev.id.clone());
        }
        self.forget_finished();
        let Some(at) = self.list.fetched_at else {
            return;
        };
        if new {
            self.rebuild(at);
        } else {
            let row = JobRow::new(&ev.task, &self.tz);
            self.list.merge_rows(&[ev.id.to_string()], vec![row], at);
        }
    }

    /// The runner's list of every task (this run's and the journal's), read at `at`.
    pub fn load(&mut self, tasks: Vec<Arc<Task>>, at: DateTime<Local>) {
        for t in tasks {
            self.tasks.insert(t.id.clone(), t);
        }
        self.rebuild(at);
    }

    fn rebuild(&mut self, at: DateTime<Local>) {
        let mut all: Vec<&Arc<Task>> = self.tasks.values().collect();
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        let rows = all.into_iter().map(|t| JobRow::new(t, &self.tz)).collect();
        self.list.set_rows(rows, at);
    }

    /// The oldest finished tasks past `KEEP_FINISHED` leave `heard`.
    fn forget_finished(&mut self) {
        let tasks = &self.tasks;
        let finished = |id: &TaskId| tasks.get(id).is_none_or(|t| !active(t));
        let mut drop = self
            .heard
            .iter()
            .filter(|id| finished(id))
            .count()
            .saturating_sub(KEEP_FINISHED);
        if drop > 0 {
            self.heard.retain(|id| {
                let gone = drop > 0 && finished(id);
                drop -= usize::from(gone);
                !gone
            });
        }
    }

    fn heard(&self) -> impl DoubleEndedIterator<Item = &Arc<Task>> {
        self.heard.iter().filter_map(|id| self.tasks.get(id))
    }

    /// Queued and running tasks of this run, oldest first.
    pub fn open(&self) -> impl Iterator<Item = &Arc<Task>> {
        self.heard().filter(|t| active(t))
    }

    /// Finished tasks of this run, newest first.
    pub fn finished(&self) -> impl Iterator<Item = &Arc<Task>> {
        self.heard().rev().filter(|t| !active(t))
    }

    /// The open task that acts on server `id`, if any.
    pub fn on_server(&self, id: &str) -> Option<&Arc<Task>> {
        // `targets` is keyed by server id: no list of a thousand servers is walked per row.
        self.open().find(|t| t.targets.contains_key(id))
    }

    /// Every task of this run that acts on object `id`, newest first.
    pub fn on_object(&self, id: &str) -> Vec<&Arc<Task>> {
        self.heard()
            .rev()
            .filter(|t| t.targets.contains_key(id) || t.op.servers().iter().any(|s| s.id == id))
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&Arc<Task>> {
        self.tasks.get(id)
    }

    /// The task of the pane's selected row.
    pub fn selected(&self) -> Option<&Arc<Task>> {
        self.get(&self.list.selected_id()?)
    }

    /// Every detail of task `t`, for its describe view.
    pub fn detail(&self, t: &Task) -> Detail {
        detail::detail(t, &self.tz)
    }
}

/// Queued or running: shown in the strip's first part and on its servers' rows.
pub fn active(t: &Task) -> bool {
    matches!(t.state, TaskState::Queued | TaskState::Running)
}

#[cfg(test)]
#[path = "book_tests.rs"]
mod tests;
