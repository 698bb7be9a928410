//! How jobs end: the effects of a sub-job's success or failure on servers, disks, images and
//! snapshots, and the wording of injected failures.

use super::clock::Millis;
use super::disk_jobs;
use super::ids::device_name;
use super::job::Settle;
use super::model::{Attachment, Fault};
use super::status::{server_mut, set_image, set_snapshot, set_volume, unlock};
use super::task::{Failure, Task};
use super::uid::{AsUid, Uid};
use super::vm::VmStatus;
use super::world::World;

/// A server's status settles this long (scaled) after its job's SUCCESS.
const SETTLE_MS: f64 = 1500.0;

fn settle(w: &mut World, server: &str, status: VmStatus, at: Millis) {
    let delay = w.scaled(SETTLE_MS);
    w.settles.push(Settle {
        at: at + delay,
        server_id: server.to_owned(),
        status,
    });
}

/// Effects when a sub-job succeeds.
pub fn succeed(w: &mut World, task: &Task, at: Millis) {
    match task {
        Task::Create(spec) => {
            if let Some(s) = server_mut(w, &spec.server_id) {
                s.launched_at = Some(at);
            }
            settle(w, &spec.server_id, VmStatus::Running, at);
        }
        Task::Start { server } | Task::Reboot { server, .. } => {
            settle(w, server, VmStatus::Running, at)
        }
        Task::Stop { server, .. } => settle(w, server, VmStatus::PowerOff, at),
        Task::Resize {
            server,
            was_running,
            ..
        } => {
            let st = if *was_running {
                VmStatus::Running
            } else {
                VmStatus::PowerOff
            };
            settle(w, server, st, at)
        }
        Task::Delete {
            server,
            delete_volumes,
            ..
        } => remove_server(w, server, *delete_volumes, at),
        Task::Attach {
            server,
            volume,
            device,
        } => {
            let attachment_id = w.new_uuid();
            // A string that is not an id names no record (the tables hold ids only).
            if let (Some(server_id), Some(volume_id)) = (server.as_uid(), volume.as_uid()) {
                if let Some(v) = w.volumes.get_mut(&volume_id) {
                    v.status = "in-use".into();
                    v.updated = at;
                    v.attachment = Some(Attachment {
                        server_id,
                        attachment_id,
                        device: device.as_str().into(),
                        attached_at: at,
                    });
                }
                if let Some(s) = server_mut(w, server) {
                    s.volumes.push(volume_id);
                    s.locked_by = None;
                }
            }
        }
        Task::Detach { server, volume } => {
            if let Some(v) = w.volumes.get_mut(volume) {
                v.status = "available".into();
                v.attachment = None;
                v.updated = at;
            }
            if let Some(s) = server_mut(w, server) {
                s.volumes.retain(|v| v != volume);
                s.locked_by = None;
            }
        }
        Task::Image {
            server,
            image,
            was_running,
        } => {
            set_image(w, image, "active", Some(at));
            if *was_running {
                unlock(w, server);
            } else {
                settle(w, server, VmStatus::PowerOff, at)
            }
        }
        Task::Snapshot { snapshot } => {
            set_snapshot(w, snapshot, "available", Some(at));
            if let Some(s) = w.snapshots.get_mut(snapshot) {
                s.progress = 100;
            }
        }
        Task::Rollback { snapshot, volume } => {
            set_volume(w, volume, "available", Some(at));
            set_snapshot(w, snapshot, "available", Some(at));
        }
        Task::DeleteSnapshot { snapshot } => {
            w.snapshots.remove(snapshot);
        }
        Task::Disk { volume, change } => disk_jobs::succeed(w, volume, change, at),
    }
}

fn remove_server(w: &mut World, server: &str, delete_volumes: bool, at: Millis) {
    let Some(s) = w.servers.remove(server) else {
        return;
    };
    let flavor = w.flavor(&s.flavor_id).cloned();
    let mut freed_gb = 0;
    for vid in &s.volumes {
        let system = w.volumes.get(vid).is_some_and(|v| {
            v.attachment
                .as_ref()
                .is_some_and(|a| a.device == device_name(0))
        });
        if system || delete_volumes {
            if let Some(v) = w.volumes.remove(vid) {
                freed_gb += v.size;
            }
            let snaps: Vec<Uid> = w
                .snapshots
                .iter()
                .filter(|sn| sn.volume_id == *vid)
                .map(|sn| sn.id)
                .collect();
            for id in snaps {
                w.snapshots.remove(&id);
            }
        } else if let Some(v) = w.volumes.get_mut(vid) {
            v.status = "available".into();
            v.attachment = None;
            v.updated = at;
        }
    }
    if let Some(h) = w.host_mut(&s.host) {
        if let Some(f) = flavor {
            h.used_cpu = h.used_cpu.saturating_sub(f.vcpus);
            h.used_ram_mb = h.used_ram_mb.saturating_sub(f.ram_mb);
        }
        h.used_storage_gb = h.used_storage_gb.saturating_sub(freed_gb);
    }
}

/// Effects when a sub-job fails.
pub fn fail(w: &mut World, task: &Task, f: &Failure, at: Millis) {
    let fault = |w: &mut World, id: &str, status: VmStatus| {
        if let Some(s) = server_mut(w, id) {
            s.status = status;
            s.task = None;
            s.locked_by = None;
            s.updated = at;
            if status.ecs(None).status == "ERROR" {
                s.fault = Some(Fault {
                    code: 500,
                    message: f.reason.clone(),
                    created: at,
                });
            }
        }
    };
    match task {
        Task::Create(spec) => fault(w, &spec.server_id, VmStatus::CreationFailed),
        Task::Start { server } => fault(w, server, VmStatus::PowerOff),
        Task::Stop { server, .. } | Task::Reboot { server, .. } => {
            fault(w, server, VmStatus::Running)
        }
        Task::Delete { server, prior, .. } => fault(w, server, *prior),
        Task::Resize {
            server,
            was_running,
            ..
        } => {
            let capacity = f.code == "Ecs.0311";
            let st = match (capacity, was_running) {
                (false, _) => VmStatus::UpdateFailed,
                (true, true) => VmStatus::Running,
                (true, false) => VmStatus::PowerOff,
            };
            fault(w, server, st)
        }
        Task::Attach { server, volume, .. } => {
            set_volume(w, volume, "available", Some(at));
            unlock(w, server);
        }
        Task::Detach { server, volume } => {
            set_volume(w, volume, "in-use", Some(at));
            unlock(w, server);
        }
        Task::Image {
            server,
            image,
            was_running,
        } => {
            set_image(w, image, "killed", Some(at));
            if *was_running {
                unlock(w, server);
            } else {
                fault(w, server, VmStatus::PowerOff)
            }
        }
        Task::Snapshot { snapshot } => set_snapshot(w, snapshot, "error", Some(at)),
        Task::Rollback { snapshot, volume } => {
            set_volume(w, volume, "error_rollbacking", Some(at));
            set_snapshot(w, snapshot, "available", Some(at));
        }
        Task::DeleteSnapshot { snapshot } => set_snapshot(w, snapshot, "error_deleting", Some(at)),
        Task::Disk { volume, change } => disk_jobs::fail(w, volume, change, at),
    }
}

/// The failure an injected `jobfail` produces, worded like the backend's errors.
pub fn injected_failure(task: &Task) -> Failure {
    let (code, reason) = match task {
        Task::Create(_) => (
            "Ecs.0204",
            "Task-fail: Error (12700): VMM cannot complete the host operation on the server: the virtual hard disk copy failed",
        ),
        Task::Image { .. } => (
            "IMG.0031",
            "Error (2912): An internal error has occurred trying to contact the host agent while exporting the VHDX",
        ),
        Task::Disk { .. } => (
            "EVS.2024",
            "Error (2912): the storage operation on the virtual hard disk failed on the host",
        ),
        Task::Snapshot { .. } | Task::Rollback { .. } | Task::DeleteSnapshot { .. } => (
            "EVS.2024",
            "Error (2912): the checkpoint operation failed on the host",
        ),
        _ => (
            "Ecs.0204",
            "Task-fail: Error (12711): VMM cannot complete the WMI operation on the server",
        ),
    };
    Failure {
        code: code.into(),
        reason: reason.into(),
    }
}
