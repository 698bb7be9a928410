//! What the runner tells the TUI and the CLI (`TaskEvent`), and the coalescing that keeps a
//! thousand sub-jobs from flooding them.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use super::task::{Task, TaskId};

/// What happened. Every event carries the task as it is now, so a receiver never has to ask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// Accepted and waiting; `note` on the task says for what (another task, the limit).
    Queued,
    Started,
    /// Step `index` (0-based) changed: sent, its job id known, confirming, done.
    Step {
        index: usize,
    },
    Progress,
    Succeeded,
    Failed,
    Cancelled,
    /// The outcome could not be settled; the task's note says what is known.
    Interrupted,
    /// No longer followed by this console; the job goes on in the cloud.
    Unfollowed,
    /// Found after a restart with its next request never sent: it waits for a person.
    NotSent,
    /// Found open in the journal at start and followed again.
    Reattached,
}

#[derive(Debug, Clone)]
pub struct TaskEvent {
    pub id: TaskId,
    pub kind: EventKind,
    pub task: Arc<Task>,
}

impl TaskEvent {
    pub fn new(kind: EventKind, task: &Task) -> Self {
        TaskEvent {
            id: task.id.clone(),
            kind,
            task: Arc::new(task.clone()),
        }
    }

    /// The task has reached an end (for now): receivers can refresh what it touched.
    pub fn is_end(&self) -> bool {
        matches!(
            self.kind,
            EventKind::Succeeded
                | EventKind::Failed
                | EventKind::Cancelled
                | EventKind::Interrupted
                | EventKind::Unfollowed
                | EventKind::NotSent
        )
    }
}

/// Lets a progress event through at most every `interval`, and only when the whole percent or
/// the done count changed. State changes are never held back (they do not go through here).
#[derive(Debug, Clone)]
pub struct Coalescer {
    interval: Duration,
    last: Option<(Instant, (u8, u32))>,
}

/// The progress events of one task: at most ten a second.
pub const PROGRESS_INTERVAL: Duration = Duration::from_millis(100);

impl Coalescer {
    pub fn new(interval: Duration) -> Self {
        Coalescer {
            interval,
            last: None,
        }
    }

    /// Whether to emit progress `key` (whole percent, sub-jobs done) at `now`.
    pub fn admit(&mut self, now: Instant, key: (u8, u32)) -> bool {
        match self.last {
            Some((_, k)) if k == key => false,
            Some((t, _)) if now.duration_since(t) < self.interval => false,
            _ => {
                self.last = Some((now, key));
                true
            }
        }
    }

    /// Call when a forced event (a step change) carried the progress anyway.
    pub fn note(&mut self, now: Instant, key: (u8, u32)) {
        self.last = Some((now, key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thousand_sub_jobs_make_few_events() {
        let start = Instant::now();
        let mut c = Coalescer::new(PROGRESS_INTERVAL);
        let mut sent = 0;
        // 1000 sub-jobs finish over 2 s, one every 2 ms.
        for done in 1..=1000u32 {
            let now = start + Duration::from_millis(2 * u64::from(done));
            if c.admit(now, ((done / 10) as u8, done)) {
                sent += 1;
            }
        }
        assert!(sent <= 21, "{sent} events for 2 s of progress");
        assert!(sent >= 10, "progress still shows: {sent}");
    }

    #[test]
    fn unchanged_progress_is_not_repeated() {
        let start = Instant::now();
        let mut c = Coalescer::new(PROGRESS_INTERVAL);
        assert!(c.admit(start, (5, 1)));
        assert!(!c.admit(start + Duration::from_secs(5), (5, 1)));
        assert!(c.admit(start + Duration::from_secs(5), (6, 1)));
    }
}
