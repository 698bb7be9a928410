//! Status changes by id, the words the jobs' effects are written in (`ops` while a job runs,
//! `outcome` at its end): a server's status, step and lock, a disk's or a snapshot's status.

use super::clock::Millis;
use super::model::Server;
use super::uid::AsUid;
use super::vm::VmStatus;
use super::world::World;

/// The server `id`, to change it.
pub fn server_mut<'a>(w: &'a mut World, id: &str) -> Option<&'a mut Server> {
    w.servers.get_mut(id)
}

/// A server's status and step (`task`), locked by `job` when given.
pub fn set_status(
    w: &mut World,
    id: &str,
    status: VmStatus,
    task: Option<&str>,
    job: Option<&str>,
) {
    if let Some(s) = server_mut(w, id) {
        s.status = status;
        s.task = task.map(str::to_owned);
        if let Some(j) = job {
            s.locked_by = Some(j.to_owned());
        }
    }
}

/// A disk's status (and its `updated` time when given).
pub fn set_volume(w: &mut World, id: &(impl AsUid + ?Sized), status: &str, at: Option<Millis>) {
    if let Some(v) = w.volumes.get_mut(id) {
        v.status = status.into();
        if let Some(t) = at {
            v.updated = t;
        }
    }
}

/// A snapshot's status (and its `updated` time when given).
pub fn set_snapshot(w: &mut World, id: &(impl AsUid + ?Sized), status: &str, at: Option<Millis>) {
    if let Some(s) = w.snapshots.get_mut(id) {
        s.status = status.into();
        if let Some(t) = at {
            s.updated = t;
        }
    }
}

/// An image's status (and its `updated` time when given).
pub fn set_image(w: &mut World, id: &(impl AsUid + ?Sized), status: &str, at: Option<Millis>) {
    if let Some(i) = w.images.get_mut(id) {
        i.status = status.to_owned();
        if let Some(t) = at {
            i.updated = t;
        }
    }
}

/// The server is held by `job` (SCVMM locks the objects a job works on).
pub fn lock(w: &mut World, server: &str, job: &str) {
    if let Some(s) = server_mut(w, server) {
        s.locked_by = Some(job.to_owned());
    }
}

/// The server is free again.
pub fn unlock(w: &mut World, server: &str) {
    if let Some(s) = server_mut(w, server) {
        s.locked_by = None;
    }
}
