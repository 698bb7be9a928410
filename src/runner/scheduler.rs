//! The scheduler's ordering and locks, as plain data: one task per resource at a time (a second
//! waits, and says for what), at most `limit` running tasks, interactive before bulk, and
//! first come first served among equals. Preconditions and read-only are in `precondition.rs`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use super::op::Resource;
use super::task::{Priority, TaskId};

#[derive(Debug, Clone)]
struct Waiting {
    id: TaskId,
    priority: Priority,
    seq: u64,
    resources: Vec<Resource>,
}

/// Why a queued task does not run yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitReason {
    /// Another task holds (or is ahead in line for) one of its resources.
    Locked { resource: Resource, behind: TaskId },
    /// `running` tasks run already, the most allowed.
    Limit { running: usize, limit: usize },
}

impl fmt::Display for WaitReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitReason::Locked { resource, behind } => {
                let what = match resource {
                    Resource::Server(id) => format!("server {id}"),
                    Resource::Image(id) => format!("image {id}"),
                    Resource::Disk(id) => format!("disk {id}"),
                    Resource::Snapshot(id) => format!("snapshot {id}"),
                };
                write!(f, "waiting for task {behind} on {what}")
            }
            WaitReason::Limit { running, limit } => {
                write!(f, "waiting: {running} of {limit} tasks are running")
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Scheduler {
    limit: usize,
    seq: u64,
    queue: Vec<Waiting>,
    running: BTreeMap<TaskId, Vec<Resource>>,
}

impl Scheduler {
    /// `limit` is the profile's `max_parallel_tasks` (at least 1).
    pub fn new(limit: usize) -> Self {
        Scheduler {
            limit: limit.max(1),
            seq: 0,
            queue: Vec::new(),
            running: BTreeMap::new(),
        }
    }

    pub fn enqueue(&mut self, id: TaskId, priority: Priority, resources: Vec<Resource>) {
        self.seq += 1;
        self.queue.push(Waiting {
            id,
            priority,
            seq: self.seq,
            resources,
        });
    }

    /// Takes a task that is already running in the cloud (reattached from the journal): it holds
    /// its locks at once and counts as running, even past the limit.
    pub fn adopt(&mut self, id: TaskId, resources: Vec<Resource>) {
        self.running.insert(id, resources);
    }

    /// Removes a queued task; `false` if it is not queued (running tasks cannot be cancelled).
    pub fn cancel(&mut self, id: &TaskId) -> bool {
        let before = self.queue.len();
        self.queue.retain(|w| &w.id != id);
        self.queue.len() != before
    }

    /// A running task ended: its locks are free.
    pub fn finish(&mut self, id: &TaskId) {
        self.running.remove(id);
    }

    pub fn is_queued(&self, id: &TaskId) -> bool {
        self.queue.iter().any(|w| &w.id == id)
    }

    pub fn running_count(&self) -> usize {
        self.running.len()
    }

    /// The queue in the order it will be served.
    fn order(&self) -> Vec<&Waiting> {
        let mut order: Vec<&Waiting> = self.queue.iter().collect();
        order.sort_by_key(|w| (w.priority, w.seq));
        order
    }

    /// Starts what can start: moves those tasks to running and returns them, in order.
    pub fn take_ready(&mut self) -> Vec<TaskId> {
        let mut claimed: HashSet<Resource> = self.running.values().flatten().cloned().collect();
        let mut started = Vec::new();
        let mut running = self.running.len();
        for w in self.order() {
            if running >= self.limit {
                break;
            }
            let free = w.resources.iter().all(|r| !claimed.contains(r));
            // A task that must wait still claims its resources: later tasks on the same server
            // line up behind it instead of overtaking.
            claimed.extend(w.resources.iter().cloned());
            if free {
                started.push((w.id.clone(), w.resources.clone()));
                running += 1;
            }
        }
        for (id, resources) in &started {
            self.queue.retain(|w| &w.id != id);
            self.running.insert(id.clone(), resources.clone());
        }
        started.into_iter().map(|(id, _)| id).collect()
    }

    /// Why a queued task waits; `None` if it is not queued.
    pub fn wait_reason(&self, id: &TaskId) -> Option<WaitReason> {
        let mut holders: HashMap<&Resource, &TaskId> = HashMap::new();
        for (tid, rs) in &self.running {
            for r in rs {
                holders.insert(r, tid);
            }
        }
        for w in self.order() {
            if &w.id == id {
                for r in &w.resources {
                    if let Some(h) = holders.get(r) {
                        return Some(WaitReason::Locked {
                            resource: r.clone(),
                            behind: (*h).clone(),
                        });
                    }
                }
                return Some(WaitReason::Limit {
                    running: self.running.len(),
                    limit: self.limit,
                });
            }
            for r in &w.resources {
                holders.entry(r).or_insert(&w.id);
            }
        }
        None
    }

    /// Queued tasks, in the order they will be served.
    pub fn queued(&self) -> Vec<TaskId> {
        self.order().into_iter().map(|w| w.id.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u32) -> TaskId {
        TaskId::parse(&format!("t{n:010x}")).unwrap()
    }

    fn server(s: &str) -> Vec<Resource> {
        vec![Resource::Server(s.into())]
    }

    #[test]
    fn a_second_task_on_the_same_server_waits_and_says_why() {
        let mut s = Scheduler::new(4);
        s.enqueue(id(1), Priority::Interactive, server("web-01"));
        s.enqueue(id(2), Priority::Interactive, server("web-01"));
        s.enqueue(id(3), Priority::Interactive, server("web-02"));
        assert_eq!(s.take_ready(), vec![id(1), id(3)]);
        assert_eq!(
            s.wait_reason(&id(2)),
            Some(WaitReason::Locked {
                resource: Resource::Server("web-01".into()),
                behind: id(1)
            })
        );
        assert!(s.take_ready().is_empty(), "web-01 is still locked");
        s.finish(&id(1));
        assert_eq!(s.take_ready(), vec![id(2)]);
    }

    #[test]
    fn a_batch_locks_every_server_it_touches() {
        let mut s = Scheduler::new(4);
        let batch: Vec<Resource> = ["a", "b", "c"]
            .iter()
            .map(|n| Resource::Server((*n).into()))
            .collect();
        s.enqueue(id(1), Priority::Bulk, batch);
        s.enqueue(id(2), Priority::Interactive, server("c"));
        // Interactive first: the single stop on c runs, the batch waits for c.
        assert_eq!(s.take_ready(), vec![id(2)]);
        assert!(matches!(
            s.wait_reason(&id(1)),
            Some(WaitReason::Locked { behind, .. }) if behind == id(2)
        ));
        s.finish(&id(2));
        assert_eq!(s.take_ready(), vec![id(1)]);
    }

    #[test]
    fn later_tasks_do_not_overtake_one_waiting_for_the_same_server() {
        let mut s = Scheduler::new(4);
        s.enqueue(id(1), Priority::Bulk, server("x"));
        assert_eq!(s.take_ready(), vec![id(1)]);
        s.enqueue(
            id(2),
            Priority::Bulk,
            vec![Resource::Server("x".into()), Resource::Server("y".into())],
        );
        s.enqueue(id(3), Priority::Bulk, server("y"));
        assert!(s.take_ready().is_empty(), "3 must wait behind 2 for y");
        assert!(matches!(
            s.wait_reason(&id(3)),
            Some(WaitReason::Locked { behind, .. }) if behind == id(2)
        ));
        s.finish(&id(1));
        assert_eq!(s.take_ready(), vec![id(2)]);
    }

    #[test]
    fn the_limit_holds_and_interactive_goes_first() {
        let mut s = Scheduler::new(2);
        for n in 1..=3 {
            s.enqueue(id(n), Priority::Bulk, server(&format!("b{n}")));
        }
        s.enqueue(id(9), Priority::Interactive, server("i"));
        assert_eq!(s.take_ready(), vec![id(9), id(1)]);
        assert_eq!(
            s.wait_reason(&id(2)),
            Some(WaitReason::Limit {
                running: 2,
                limit: 2
            })
        );
        assert_eq!(s.running_count(), 2);
        s.finish(&id(9));
        assert_eq!(s.take_ready(), vec![id(2)]);
        assert_eq!(s.queued(), vec![id(3)]);
    }

    #[test]
    fn queued_tasks_can_be_cancelled_running_ones_cannot() {
        let mut s = Scheduler::new(1);
        s.enqueue(id(1), Priority::Bulk, server("a"));
        s.enqueue(id(2), Priority::Bulk, server("b"));
        assert_eq!(s.take_ready(), vec![id(1)]);
        assert!(!s.cancel(&id(1)));
        assert!(s.cancel(&id(2)));
        s.finish(&id(1));
        assert!(s.take_ready().is_empty());
    }

    #[test]
    fn adopted_tasks_hold_their_locks() {
        let mut s = Scheduler::new(1);
        s.adopt(id(1), server("a"));
        s.enqueue(id(2), Priority::Interactive, server("a"));
        assert!(s.take_ready().is_empty());
        s.finish(&id(1));
        assert_eq!(s.take_ready(), vec![id(2)]);
    }
}
