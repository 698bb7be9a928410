//! The preconditions of snapshot ops, with a reason a person understands: the server's state, every
//! disk of a set still there and attached to that server, every snapshot `available`, names EVS
//! takes. Nothing here sends.

use crate::runner::known::{Known, state_reason};
use crate::runner::snapshot::op::{SnapshotOp, member_name};

/// A snapshot name: at most 255 bytes (EVS).
pub const NAME_BYTES: usize = 255;
/// EVS keeps names with this prefix for its backups' snapshots, and restricts them.
const BACKUP_PREFIX: &str = "autobk_snapshot_";

/// Why `name` is not a snapshot name EVS takes (`None`: it is).
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > NAME_BYTES {
        return Some(format!(
            "the name {name:?} has {} bytes: a snapshot name has 1 to {NAME_BYTES}",
            name.len()
        ));
    }
    if name.starts_with(BACKUP_PREFIX) {
        return Some(format!(
            "the name {name:?} starts with {BACKUP_PREFIX}, which EVS keeps for its backups"
        ));
    }
    None
}

/// Why `op` cannot be sent now (empty: it can).
pub fn reasons(op: &SnapshotOp, known: &Known) -> Vec<String> {
    let mut r = Vec::new();
    match op {
        SnapshotOp::Create {
            server,
            disks,
            name,
            taken_at,
            ..
        } => {
            if disks.is_empty() {
                r.push(format!(
                    "{} has no disk attached: nothing to snapshot",
                    server.name
                ));
            }
            for d in disks {
                let n = member_name(
                    &server.name,
                    name.as_deref(),
                    *taken_at,
                    &d.device,
                    disks.len(),
                );
                r.extend(name_problem(&n));
            }
            r.extend(state_reason(
                server,
                known,
                &["ACTIVE", "SHUTOFF"],
                "snapshot it",
                None,
            ));
        }
        SnapshotOp::Rollback {
            server,
            members,
            was_running,
            ..
        } => {
            if members.is_empty() {
                r.push("the set has no snapshot: nothing to roll back".into());
            }
            for m in members {
                if m.snapshot_status != "available" {
                    r.push(format!(
                        "snapshot {} of disk {} is {}: only an available snapshot can be rolled back to",
                        m.snapshot_id, m.disk.name, m.snapshot_status
                    ));
                }
                if !m.disk_exists {
                    r.push(format!(
                        "disk {} of the set no longer exists",
                        m.disk.volume_id
                    ));
                } else if m.attached_to.as_deref() != Some(server.id.as_str()) {
                    r.push(format!(
                        "disk {} is not attached to {}: a rollback puts back only the disks of its server",
                        m.disk.name, server.name
                    ));
                }
            }
            r.extend(state_reason(
                server,
                known,
                &["ACTIVE", "SHUTOFF"],
                "roll it back",
                None,
            ));
            if let Some(k) = known.get(&server.id)
                && (k.status == "ACTIVE") != *was_running
                && k.task_state.is_none()
            {
                r.push(format!(
                    "{} is {} now, not as the plan was made: look again",
                    server.name, k.status
                ));
            }
        }
        SnapshotOp::Finish { .. } => {}
        SnapshotOp::Delete { snapshots } => {
            for s in snapshots {
                if !matches!(s.status.as_str(), "available" | "error" | "error_deleting") {
                    r.push(format!(
                        "snapshot {} is {}: only an available (or failed) snapshot can be deleted",
                        s.name, s.status
                    ));
                }
            }
        }
        SnapshotOp::Rename { snapshot, name } => {
            if let Some(p) = name_problem(name) {
                r.push(p);
            } else if snapshot.name == *name {
                r.push(format!(
                    "snapshot {} is already named {name}: nothing to change",
                    snapshot.name
                ));
            }
        }
    }
    r
}
