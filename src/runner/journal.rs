//! The journal, `<state>/<profile>/journal.jsonl`: one line per change of a task (the whole task,
//! so the last line of a task is its state), appended and flushed before the request it announces.
//! A task followed by a console holds an advisory lock (`tasks/<id>.lock`), so two consoles never
//! follow or reconcile the same task. Compaction keeps open tasks and the latest finished ones;
//! unreadable lines are skipped, the file as it was set aside once, the readable tasks kept.

use std::collections::HashMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::task::{Task, TaskId};

/// Finished tasks kept by compaction (open ones are always kept).
pub const KEEP_FINISHED: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal {path}: {what}: {source}")]
    Io {
        path: PathBuf,
        what: &'static str,
        source: std::io::Error,
    },
}

fn io(path: &Path, what: &'static str) -> impl FnOnce(std::io::Error) -> JournalError {
    let path = path.to_path_buf();
    move |source| JournalError::Io { path, what, source }
}

#[derive(Serialize, Deserialize)]
struct Line<T> {
    v: u32,
    at: DateTime<Utc>,
    task: T,
}

/// What the journal holds, read back.
#[derive(Debug, Default)]
pub struct Replay {
    /// The latest state of each task, oldest task first.
    pub tasks: Vec<Task>,
    /// Lines that could not be read (a line cut short by a crash, a newer format).
    pub skipped: usize,
    /// Lines read, for deciding when to compact.
    pub lines: usize,
    /// Where `recover` kept the journal as it was, unreadable lines and all.
    pub set_aside: Option<PathBuf>,
}

impl Replay {
    /// What a person should be told once about unreadable lines, if `recover` set some aside.
    pub fn notice(&self) -> Option<String> {
        self.set_aside.as_ref().map(|p| {
            format!(
                "the journal had {} unreadable record(s): skipped, the {} readable task(s) kept; the file as it was is at {}",
                self.skipped,
                self.tasks.len(),
                p.display()
            )
        })
    }
}

/// Reads journal bytes: the last line of each task wins; a line that is not UTF-8 or not a
/// task of this format is skipped (and counted). Pure.
pub fn replay(bytes: &[u8]) -> Replay {
    let mut order: Vec<TaskId> = Vec::new();
    let mut latest: HashMap<TaskId, Task> = HashMap::new();
    let mut r = Replay::default();
    for line in bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.trim_ascii().is_empty())
    {
        r.lines += 1;
        match serde_json::from_slice::<Line<Task>>(line) {
            Ok(l) if l.v == 1 => {
                if !latest.contains_key(&l.task.id) {
                    order.push(l.task.id.clone());
                }
                latest.insert(l.task.id.clone(), l.task);
            }
            _ => r.skipped += 1,
        }
    }
    r.tasks = order
        .into_iter()
        .filter_map(|id| latest.remove(&id))
        .collect();
    r
}

/// One journal line (without its newline) holding the task's current state. Pure.
pub fn encode(task: &Task) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Line {
        v: 1,
        at: Utc::now(),
        task,
    })
}

/// What compaction keeps: every task that is not final, and the `keep` most recent final ones.
/// Pure; the order is kept.
pub fn compacted(tasks: Vec<Task>, keep: usize) -> Vec<Task> {
    let finals = tasks.iter().filter(|t| t.state.is_final()).count();
    let mut drop = finals.saturating_sub(keep);
    tasks
        .into_iter()
        .filter(|t| {
            if drop > 0 && t.state.is_final() {
                drop -= 1;
                false
            } else {
                true
            }
        })
        .collect()
}

/// The journal of one profile.
#[derive(Debug, Clone)]
pub struct Journal {
    dir: PathBuf,
    file: PathBuf,
    lock: PathBuf,
}

/// This console follows the task; dropping it lets another console take it.
#[derive(Debug)]
pub struct Claim {
    _file: File,
}

impl Journal {
    /// The journal in a profile's state folder (made if missing).
    pub fn open(dir: &Path) -> Result<Journal, JournalError> {
        std::fs::create_dir_all(dir.join("tasks")).map_err(io(dir, "cannot make the folder"))?;
        Ok(Journal {
            dir: dir.to_path_buf(),
            file: dir.join("journal.jsonl"),
            lock: dir.join("journal.lock"),
        })
    }

    pub fn path(&self) -> &Path {
        &self.file
    }

    /// Holds the journal's write lock while `f` runs (short: one append, or a compaction).
    fn locked<T>(&self, f: impl FnOnce() -> Result<T, JournalError>) -> Result<T, JournalError> {
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock)
            .map_err(io(&self.lock, "cannot open the lock file"))?;
        lock.lock().map_err(io(&self.lock, "cannot lock"))?;
        let out = f();
        lock.unlock().ok();
        out
    }

    /// Appends the task's current state and waits until it is on disk.
    pub fn append(&self, task: &Task) -> Result<(), JournalError> {
        let mut line = encode(task)
            .map_err(|e| io(&self.file, "cannot encode a task")(std::io::Error::other(e)))?;
        line.push('\n');
        self.locked(|| {
            let mut f = OpenOptions::new()
                .create(true)
                .read(true)
                .append(true)
                .open(&self.file)
                .map_err(io(&self.file, "cannot open"))?;
            // A line cut short by a crash must not swallow this one.
            if !ends_a_line(&mut f).map_err(io(&self.file, "cannot read"))? {
                line.insert(0, '\n');
            }
            f.write_all(line.as_bytes())
                .map_err(io(&self.file, "cannot write"))?;
            f.sync_data().map_err(io(&self.file, "cannot flush"))
        })
    }

    /// Reads every task back. A missing journal is an empty one.
    pub fn load(&self) -> Result<Replay, JournalError> {
        match std::fs::read(&self.file) {
            Ok(bytes) => Ok(replay(&bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Replay::default()),
            Err(e) => Err(io(&self.file, "cannot read")(e)),
        }
    }

    /// Reads every task back; when some lines cannot be read, copies the file as it is to
    /// `journal.jsonl.corrupt-<time>` and rewrites the journal with the readable tasks, so that
    /// the next reader is not told again (`Replay::set_aside`, `Replay::notice`).
    pub fn recover(&self) -> Result<Replay, JournalError> {
        let first = self.load()?;
        if first.skipped == 0 {
            return Ok(first);
        }
        self.locked(|| {
            let mut r = self.load()?;
            if r.skipped == 0 {
                return Ok(r);
            }
            let aside = self.dir.join(format!(
                "journal.jsonl.corrupt-{}",
                Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
            ));
            std::fs::copy(&self.file, &aside).map_err(io(&aside, "cannot keep a copy"))?;
            self.rewrite(&r.tasks)?;
            r.set_aside = Some(aside);
            Ok(r)
        })
    }

    /// Replaces the journal with one line per task, atomically. Call with the lock held.
    fn rewrite(&self, tasks: &[Task]) -> Result<(), JournalError> {
        let tmp = self.dir.join("journal.jsonl.tmp");
        let mut f = File::create(&tmp).map_err(io(&tmp, "cannot create"))?;
        for t in tasks {
            let line = encode(t)
                .map_err(|e| io(&tmp, "cannot encode a task")(std::io::Error::other(e)))?;
            writeln!(f, "{line}").map_err(io(&tmp, "cannot write"))?;
        }
        f.sync_all().map_err(io(&tmp, "cannot flush"))?;
        std::fs::rename(&tmp, &self.file).map_err(io(&self.file, "cannot replace"))
    }

    /// Rewrites the journal with one line per kept task (see `compacted`), atomically. Returns
    /// (lines before, lines after).
    pub fn compact(&self, keep: usize) -> Result<(usize, usize), JournalError> {
        self.locked(|| {
            let before = self.load()?;
            let lines = before.lines;
            let kept = compacted(before.tasks, keep);
            self.rewrite(&kept)?;
            // Lock files of tasks that are gone from the journal are no longer needed.
            if let Ok(entries) = std::fs::read_dir(self.dir.join("tasks")) {
                let open: Vec<String> = kept
                    .iter()
                    .filter(|t| !t.state.is_final())
                    .map(|t| format!("{}.lock", t.id))
                    .collect();
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    if !open.contains(&name) {
                        std::fs::remove_file(e.path()).ok();
                    }
                }
            }
            Ok((lines, kept.len()))
        })
    }

    /// Takes the right to follow a task, or `None` when another console has it.
    pub fn claim(&self, id: &TaskId) -> Result<Option<Claim>, JournalError> {
        let path = self.dir.join("tasks").join(format!("{id}.lock"));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io(&path, "cannot open the task lock"))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Claim { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(io(&path, "cannot lock the task")(e)),
        }
    }
}

/// Whether the file is empty or its last byte ends a line.
fn ends_a_line(f: &mut File) -> std::io::Result<bool> {
    if f.metadata()?.len() == 0 {
        return Ok(true);
    }
    f.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    f.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::op::{Hardness, Op, PowerAction, ServerRef};
    use crate::runner::task::{Priority, TaskState};

    fn task(n: usize) -> Task {
        Task::new(
            Op::Power {
                action: PowerAction::Stop(Hardness::Soft),
                servers: vec![ServerRef::new(format!("id-{n}"), format!("web-{n}"))],
            },
            Priority::Interactive,
            "lab",
            "region-1",
            "ops",
        )
    }

    #[test]
    fn the_last_line_of_a_task_wins_and_a_torn_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(dir.path()).unwrap();
        let mut a = task(1);
        let b = task(2);
        j.append(&a).unwrap();
        j.append(&b).unwrap();
        a.become_(TaskState::Running, Utc::now()).unwrap();
        a.steps[0].job_id = Some("job-a".into());
        j.append(&a).unwrap();
        // A crash in the middle of a write leaves half a line.
        let mut f = OpenOptions::new().append(true).open(j.path()).unwrap();
        f.write_all(b"{\"v\":1,\"at\":\"2026-").unwrap();
        let r = j.load().unwrap();
        assert_eq!(r.skipped, 1);
        assert_eq!(r.tasks.len(), 2);
        assert_eq!(r.tasks[0], a, "task a at its latest state, first by age");
        assert_eq!(r.tasks[1], b);
    }

    #[test]
    fn unreadable_lines_are_set_aside_once_and_the_next_line_is_whole() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(dir.path()).unwrap();
        let (a, b, c) = (task(1), task(2), task(3));
        j.append(&a).unwrap();
        let mut f = OpenOptions::new().append(true).open(j.path()).unwrap();
        f.write_all(b"{\"v\":1,\"task\":\"\xff\"}\n{\"v\":1,\"at\":\"2026-")
            .unwrap();
        // Appended after a torn line: it starts a line of its own.
        j.append(&b).unwrap();
        let before = std::fs::read(j.path()).unwrap();
        let r = j.recover().unwrap();
        assert_eq!((r.skipped, r.tasks.len()), (2, 2));
        assert_eq!(r.tasks, vec![a.clone(), b.clone()]);
        let aside = r.set_aside.clone().unwrap();
        assert_eq!(std::fs::read(&aside).unwrap(), before);
        assert!(r.notice().unwrap().contains("2 unreadable record(s)"));
        let again = j.recover().unwrap();
        assert_eq!((again.skipped, again.set_aside), (0, None));
        j.append(&c).unwrap();
        assert_eq!(j.load().unwrap().tasks, vec![a, b, c]);
    }

    #[test]
    fn compaction_keeps_open_tasks_and_the_latest_finished() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(dir.path()).unwrap();
        let now = Utc::now();
        let mut open = task(0);
        open.become_(TaskState::Running, now).unwrap();
        j.append(&open).unwrap();
        let mut finished = Vec::new();
        for n in 1..=5 {
            let mut t = task(n);
            j.append(&t).unwrap();
            t.become_(TaskState::Running, now).unwrap();
            t.become_(TaskState::Succeeded, now).unwrap();
            j.append(&t).unwrap();
            finished.push(t);
        }
        let (before, after) = j.compact(2).unwrap();
        assert_eq!((before, after), (11, 3));
        let r = j.load().unwrap();
        assert_eq!(r.lines, 3);
        assert_eq!(
            r.tasks,
            vec![open, finished[3].clone(), finished[4].clone()]
        );
    }

    #[test]
    fn two_consoles_never_follow_the_same_task() {
        let dir = tempfile::tempdir().unwrap();
        let first = Journal::open(dir.path()).unwrap();
        let second = Journal::open(dir.path()).unwrap();
        let t = task(1);
        let claim = first.claim(&t.id).unwrap();
        assert!(claim.is_some());
        assert!(
            second.claim(&t.id).unwrap().is_none(),
            "held by the first console"
        );
        drop(claim);
        assert!(
            second.claim(&t.id).unwrap().is_some(),
            "free once the first lets go"
        );
    }
}
