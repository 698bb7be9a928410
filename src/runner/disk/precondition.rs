//! The preconditions of disk ops, with a reason a person understands: the disk's status and AZ
//! as last seen, the server's state, sizes that only grow. Nothing here sends.

use crate::runner::disk::op::{DiskOp, DiskRef, NewDisks, ServerInAz};
use crate::runner::known::{Known, state_reason};
use crate::runner::op::ServerRef;

/// A data disk's size range in GB (EVS).
pub const DATA_DISK_GB: (u64, u64) = (10, 32768);
/// A system disk grows to this many GB at most.
pub const SYSTEM_DISK_MAX_GB: u64 = 1024;
/// Disks one create makes at most.
pub const MAX_COUNT: u32 = 100;

/// Why `op` cannot be sent now (empty: it can).
pub fn reasons(op: &DiskOp, known: &Known) -> Vec<String> {
    let mut r = Vec::new();
    match op {
        DiskOp::Create(n) => create(n, known, &mut r),
        DiskOp::Attach { disk, to, device } => {
            if disk.status != "available" {
                r.push(not_available(disk));
            }
            if disk.az != to.az {
                r.push(format!(
                    "disk {} is in {} and server {} in {}: a disk attaches only to a server of its AZ",
                    disk.name, disk.az, to.server.name, to.az
                ));
            }
            if let Some(d) = device.as_deref().and_then(device_problem) {
                r.push(d);
            }
            r.extend(server_ready(&to.server, known, "attach a disk to it"));
        }
        DiskOp::Detach { disk, from } => {
            if disk.server_id.as_deref() != Some(from.id.as_str()) {
                r.push(format!(
                    "disk {} is not attached to {}: nothing to detach",
                    disk.name, from.name
                ));
            } else if disk.status != "in-use" {
                r.push(format!(
                    "disk {} is {}: only an in-use disk can be detached",
                    disk.name, disk.status
                ));
            }
            let allowed: &[&str] = if disk.bootable {
                &["SHUTOFF"]
            } else {
                &["ACTIVE", "SHUTOFF"]
            };
            let system_hint = format!(
                "disk {} is its system disk: stop the server first",
                disk.name
            );
            let hint = disk.bootable.then_some(system_hint.as_str());
            r.extend(state_reason(
                from,
                known,
                allowed,
                "detach a disk from it",
                hint,
            ));
        }
        DiskOp::Expand { disk, new_size_gb } => {
            if !matches!(disk.status.as_str(), "available" | "in-use") {
                r.push(format!(
                    "disk {} is {}: only an available or in-use disk can be expanded",
                    disk.name, disk.status
                ));
            }
            let max = if disk.bootable {
                SYSTEM_DISK_MAX_GB
            } else {
                DATA_DISK_GB.1
            };
            if *new_size_gb <= disk.size_gb {
                r.push(format!(
                    "disk {} has {} GB: a disk only grows, so the new size must be more than that (asked {new_size_gb})",
                    disk.name, disk.size_gb
                ));
            } else if *new_size_gb > max {
                r.push(format!(
                    "disk {} can grow to {max} GB at most (asked {new_size_gb})",
                    disk.name
                ));
            }
        }
        DiskOp::Rename { disk, name } => {
            let len = name.chars().count();
            if len == 0 || len > 64 {
                r.push(format!(
                    "the name {name:?} has {len} characters: a disk name has 1 to 64"
                ));
            } else if disk.name == *name {
                r.push(format!(
                    "disk {} is already named {name}: nothing to change",
                    disk.name
                ));
            }
        }
        DiskOp::Delete { disk } => {
            if let Some(s) = &disk.server_id {
                r.push(format!(
                    "disk {} is attached to server {s}: detach it first",
                    disk.name
                ));
            } else if !deletable(&disk.status) {
                r.push(format!(
                    "disk {} is {}: only an available (or failed) disk can be deleted",
                    disk.name, disk.status
                ));
            }
        }
    }
    r
}

fn create(n: &NewDisks, known: &Known, r: &mut Vec<String>) {
    let len = n.name.chars().count();
    if len == 0 || len > 64 {
        r.push(format!(
            "the name {:?} has {len} characters: a disk name has 1 to 64",
            n.name
        ));
    }
    if !(DATA_DISK_GB.0..=DATA_DISK_GB.1).contains(&n.size_gb) {
        r.push(format!(
            "a data disk has {} to {} GB (asked {})",
            DATA_DISK_GB.0, DATA_DISK_GB.1, n.size_gb
        ));
    }
    if !(1..=MAX_COUNT).contains(&n.count) {
        r.push(format!(
            "one create makes 1 to {MAX_COUNT} disks (asked {})",
            n.count
        ));
    }
    if n.az.is_empty() {
        r.push("the disk needs an availability zone".into());
    }
    if n.volume_type.is_empty() {
        r.push("the disk needs a type (SAS, SSD, GPSSD…)".into());
    }
    if let Some(ServerInAz { server, az }) = &n.attach_to {
        if n.count != 1 {
            r.push(format!(
                "only one disk can be attached to {} at its create (asked {})",
                server.name, n.count
            ));
        }
        if *az != n.az {
            r.push(format!(
                "server {} is in {az} and the disk would be in {}: a disk attaches only to a server of its AZ",
                server.name, n.az
            ));
        }
        r.extend(server_ready(server, known, "attach a disk to it"));
    }
}

fn server_ready(s: &ServerRef, known: &Known, verb: &str) -> Option<String> {
    state_reason(s, known, &["ACTIVE", "SHUTOFF"], verb, None)
}

fn not_available(disk: &DiskRef) -> String {
    match &disk.server_id {
        Some(s) => format!(
            "disk {} is {} (attached to server {s}): detach it first",
            disk.name, disk.status
        ),
        None => format!(
            "disk {} is {}: only an available disk can be attached",
            disk.name, disk.status
        ),
    }
}

/// Statuses EVS deletes a disk from.
fn deletable(status: &str) -> bool {
    matches!(
        status,
        "available" | "error" | "error_extending" | "error_deleting" | "error_rollbacking"
    )
}

/// A device name the attach API takes: `/dev/vdX` or `/dev/sdX`.
fn device_problem(d: &str) -> Option<String> {
    let ok = (d.starts_with("/dev/vd") || d.starts_with("/dev/sd"))
        && d.len() == 8
        && d.as_bytes()[7].is_ascii_lowercase();
    (!ok).then(|| format!("invalid device {d:?}: like /dev/vdb"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runner::disk::op::disk_of;
    use crate::runner::known::KnownServer;

    fn known(status: &str) -> Known {
        [(
            "s-1".to_owned(),
            KnownServer {
                id: "s-1".into(),
                name: "web-01".into(),
                status: status.into(),
                task_state: None,
                flavor_id: None,
            },
        )]
        .into()
    }

    fn to(az: &str) -> ServerInAz {
        ServerInAz {
            server: ServerRef::new("s-1", "web-01"),
            az: az.into(),
        }
    }

    #[test]
    fn an_attach_to_another_az_is_refused_naming_both() {
        let op = DiskOp::Attach {
            disk: disk_of("available"),
            to: to("az2"),
            device: None,
        };
        let r = reasons(&op, &known("ACTIVE"));
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].contains("az1") && r[0].contains("az2") && r[0].contains("its AZ"));
        let ok = DiskOp::Attach {
            disk: disk_of("available"),
            to: to("az1"),
            device: Some("/dev/vdc".into()),
        };
        assert!(reasons(&ok, &known("ACTIVE")).is_empty());
        let busy = DiskOp::Attach {
            disk: disk_of("in-use"),
            to: to("az1"),
            device: Some("vdc".into()),
        };
        assert_eq!(reasons(&busy, &known("ACTIVE")).len(), 2);
    }

    #[test]
    fn a_system_disk_detaches_only_from_a_stopped_server() {
        let mut disk = disk_of("in-use");
        disk.server_id = Some("s-1".into());
        disk.bootable = true;
        let op = DiskOp::Detach {
            disk: disk.clone(),
            from: ServerRef::new("s-1", "web-01"),
        };
        let r = reasons(&op, &known("ACTIVE"));
        assert!(r[0].contains("system disk: stop the server first"), "{r:?}");
        assert!(reasons(&op, &known("SHUTOFF")).is_empty());
        disk.bootable = false;
        let data = DiskOp::Detach {
            disk,
            from: ServerRef::new("s-1", "web-01"),
        };
        assert!(reasons(&data, &known("ACTIVE")).is_empty());
    }

    #[test]
    fn expand_only_grows_and_delete_takes_a_detached_disk() {
        let grow = |n| DiskOp::Expand {
            disk: disk_of("in-use"),
            new_size_gb: n,
        };
        assert!(reasons(&grow(20), &Known::new())[0].contains("only grows"));
        assert!(reasons(&grow(40), &Known::new()).is_empty());
        assert!(reasons(&grow(40_000), &Known::new())[0].contains("32768"));
        let mut attached = disk_of("in-use");
        attached.server_id = Some("s-1".into());
        let r = reasons(&DiskOp::Delete { disk: attached }, &Known::new());
        assert!(r[0].contains("detach it first"), "{r:?}");
        assert!(
            reasons(
                &DiskOp::Delete {
                    disk: disk_of("error")
                },
                &Known::new()
            )
            .is_empty()
        );
    }

    #[test]
    fn a_create_attached_at_once_is_one_disk_in_the_servers_az() {
        let op = DiskOp::Create(NewDisks {
            name: "data".into(),
            az: "az1".into(),
            volume_type: "SAS".into(),
            size_gb: 5,
            count: 2,
            attach_to: Some(to("az2")),
        });
        let r = reasons(&op, &known("ACTIVE"));
        assert_eq!(r.len(), 3, "{r:?}");
    }
}
