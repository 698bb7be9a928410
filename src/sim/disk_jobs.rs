//! What an EVS disk job (create, expand, delete) does: its steps, and its effects on the disk
//! when it begins, succeeds or fails (`ops` and `outcome` hand `Task::Disk` over to here).

use super::clock::Millis;
use super::status::set_volume;
use super::task::DiskChange;
use super::world::World;

/// The steps: (status shown while it runs, min seconds, max seconds), before `--speed`.
/// backend.md gives none for EVS disks; these are our choice, of the order of an attach.
pub fn plan(change: &DiskChange) -> Vec<(String, f64, f64)> {
    let (state, lo, hi) = match change {
        DiskChange::Create => ("creating", 5.0, 20.0),
        DiskChange::Extend { .. } => ("extending", 5.0, 30.0),
        DiskChange::Delete => ("deleting", 5.0, 20.0),
    };
    vec![(state.to_owned(), lo, hi)]
}

/// Effects when the job is accepted: the disk shows the job's transient status.
pub fn begin(w: &mut World, volume: &str, change: &DiskChange) {
    let status = match change {
        DiskChange::Create => "creating",
        DiskChange::Extend { .. } => "extending",
        DiskChange::Delete => "deleting",
    };
    set_volume(w, volume, status, None);
}

/// Effects when the job succeeds.
pub fn succeed(w: &mut World, volume: &str, change: &DiskChange, at: Millis) {
    match change {
        DiskChange::Create => set_volume(w, volume, "available", Some(at)),
        DiskChange::Extend { new_size, prior } => {
            if let Some(v) = w.volumes.get_mut(volume) {
                v.size = *new_size;
            }
            set_volume(w, volume, prior, Some(at));
        }
        DiskChange::Delete => {
            w.volumes.remove(volume);
        }
    }
}

/// Effects when the job fails: the disk keeps its size and shows the failure's status (EVS's
/// `error`, `error_extending`, `error_deleting`).
pub fn fail(w: &mut World, volume: &str, change: &DiskChange, at: Millis) {
    let status = match change {
        DiskChange::Create => "error",
        DiskChange::Extend { .. } => "error_extending",
        DiskChange::Delete => "error_deleting",
    };
    set_volume(w, volume, status, Some(at));
}
