//! The tasks this console has heard of from the runner (its events carry each task's snapshot):
//! what the job strip and the rows show.

use std::sync::Arc;

use crate::runner::{Task, TaskEvent, TaskId, TaskState};

/// How many finished tasks are kept for the strip.
const KEEP_FINISHED: usize = 20;

#[derive(Debug, Clone, Default)]
pub struct Jobs {
    /// Oldest first; a task's newest snapshot replaces the older one in place.
    tasks: Vec<Arc<Task>>,
}

impl Jobs {
    /// Takes in an event's snapshot of its task.
    pub fn record(&mut self, ev: &TaskEvent) {
        match self.tasks.iter_mut().find(|t| t.id == ev.id) {
            Some(t) => *t = ev.task.clone(),
            None => self.tasks.push(ev.task.clone()),
        }
        let finished = self.tasks.iter().filter(|t| !active(t)).count();
        if finished > KEEP_FINISHED {
            let mut drop = finished - KEEP_FINISHED;
            self.tasks.retain(|t| {
                if drop > 0 && !active(t) {
                    drop -= 1;
                    false
                } else {
                    true
                }
            });
        }
    }

    /// Queued and running tasks, oldest first.
    pub fn open(&self) -> impl Iterator<Item = &Arc<Task>> {
        self.tasks.iter().filter(|t| active(t))
    }

    /// Finished tasks, newest first.
    pub fn finished(&self) -> impl Iterator<Item = &Arc<Task>> {
        self.tasks.iter().rev().filter(|t| !active(t))
    }

    /// The open task that acts on server `id`, if any.
    pub fn on_server(&self, id: &str) -> Option<&Arc<Task>> {
        // `targets` is keyed by server id: no list of a thousand servers is walked per row.
        self.open().find(|t| t.targets.contains_key(id))
    }

    /// Every task this console knows that acts on object `id`, newest first.
    pub fn on_object(&self, id: &str) -> Vec<&Arc<Task>> {
        self.tasks
            .iter()
            .rev()
            .filter(|t| t.targets.contains_key(id) || t.op.servers().iter().any(|s| s.id == id))
            .collect()
    }

    pub fn get(&self, id: &TaskId) -> Option<&Arc<Task>> {
        self.tasks.iter().find(|t| &t.id == id)
    }
}

/// Queued or running: shown in the strip's first part and on its servers' rows.
pub fn active(t: &Task) -> bool {
    matches!(t.state, TaskState::Queued | TaskState::Running)
}
