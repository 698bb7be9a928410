//! One API call of the snapshot family (`SnapshotCall`) and how a look at what it acts on reads:
//! a snapshot by id, the disk a rollback writes, the server a stop stops. Pure.

use serde::{Deserialize, Serialize};

use crate::runner::disk::call::{DiskLook, KnownDisk};

/// A snapshot as a look at the cloud shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownSnapshot {
    pub id: String,
    pub name: String,
    /// `creating`, `available`, `rollbacking`, `deleting`, `error`, `error_deleting`.
    pub status: String,
    pub volume_id: String,
    /// The set it belongs to (metadata `hvecs_set`), if any.
    pub set_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "snapshot_call", rename_all = "snake_case")]
pub enum SnapshotCall {
    /// One member of a set (`force` while attached).
    Create {
        volume_id: String,
        name: String,
        set_id: String,
        server_id: String,
        device: String,
        force: bool,
        /// Filled in from the answer (or found by looking after a lost one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        snapshot_id: Option<String>,
    },
    /// A soft stop whose server is watched, not its job, for `give_up_secs`; then the hard stop
    /// of the next step does it.
    SoftStop {
        server_id: String,
        give_up_secs: u64,
    },
    /// Sent only when the server is not SHUTOFF by then.
    HardStop {
        server_id: String,
    },
    Rollback {
        snapshot_id: String,
        volume_id: String,
    },
    Delete {
        snapshot_id: String,
    },
    Rename {
        snapshot_id: String,
        name: String,
    },
}

impl SnapshotCall {
    /// What it acts on: the disk (a create, a rollback), the server (stops), the snapshot.
    pub fn subject_ids(&self) -> Vec<String> {
        match self {
            SnapshotCall::Create { volume_id, .. } | SnapshotCall::Rollback { volume_id, .. } => {
                vec![volume_id.clone()]
            }
            SnapshotCall::SoftStop { server_id, .. } | SnapshotCall::HardStop { server_id } => {
                vec![server_id.clone()]
            }
            SnapshotCall::Delete { snapshot_id } | SnapshotCall::Rename { snapshot_id, .. } => {
                vec![snapshot_id.clone()]
            }
        }
    }

    /// The servers it acts on.
    pub fn server_ids(&self) -> Vec<String> {
        match self {
            SnapshotCall::SoftStop { server_id, .. } | SnapshotCall::HardStop { server_id } => {
                vec![server_id.clone()]
            }
            _ => Vec::new(),
        }
    }

    /// Whether its answer is the result (a rename).
    pub fn answers_at_once(&self) -> bool {
        matches!(self, SnapshotCall::Rename { .. })
    }

    pub fn describe(&self) -> String {
        match self {
            SnapshotCall::Create { name, device, .. } => {
                format!("snapshot the disk at {device} as {name}")
            }
            SnapshotCall::SoftStop { give_up_secs, .. } => {
                format!("stop the server (soft; hard after {give_up_secs} s)")
            }
            SnapshotCall::HardStop { .. } => {
                "stop the server hard (if the soft stop did not)".into()
            }
            SnapshotCall::Rollback { volume_id, .. } => format!("roll disk {volume_id} back"),
            SnapshotCall::Delete { .. } => "delete the snapshot".into(),
            SnapshotCall::Rename { name, .. } => format!("rename the snapshot to {name}"),
        }
    }

    /// Reads a look at a snapshot call's snapshot (`None`: it does not exist): create and
    /// delete only.
    pub fn look_snapshot(&self, snap: Option<&KnownSnapshot>) -> DiskLook {
        let Some(s) = snap else {
            return match self {
                SnapshotCall::Delete { .. } => DiskLook::Done,
                _ => DiskLook::Failed("the snapshot no longer exists".into()),
            };
        };
        let status = s.status.as_str();
        let (done, moving) = match self {
            SnapshotCall::Create { .. } => (status == "available", status == "creating"),
            SnapshotCall::Delete { .. } => (false, status == "deleting"),
            SnapshotCall::Rename { name, .. } => (s.name == *name, false),
            _ => (false, false),
        };
        if done {
            DiskLook::Done
        } else if moving {
            DiskLook::Moving
        } else if status.starts_with("error") {
            DiskLook::Failed(format!("snapshot {} is {status}", s.name))
        } else {
            DiskLook::Untouched
        }
    }

    /// Reads a look at a rollback's disk: `rollbacking` is under way, `available` after it done
    /// (once the call was answered), `error_rollbacking` failed.
    pub fn look_rollback(disk: Option<&KnownDisk>) -> DiskLook {
        match disk.map(|d| (d.name.as_str(), d.status.as_str())) {
            None => DiskLook::Failed("the disk no longer exists".into()),
            Some((_, "rollbacking" | "restoring")) => DiskLook::Moving,
            Some((_, "available")) => DiskLook::Done,
            Some((name, s)) if s.starts_with("error") => {
                DiskLook::Failed(format!("disk {name} is {s} after its rollback"))
            }
            Some(_) => DiskLook::Untouched,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(status: &str) -> KnownSnapshot {
        KnownSnapshot {
            id: "sn-1".into(),
            name: "web-01-20261207-2105".into(),
            status: status.into(),
            volume_id: "d-1".into(),
            set_id: Some("set-1".into()),
        }
    }

    #[test]
    fn a_look_at_a_snapshot_tells_done_moving_and_failed_apart() {
        let create = SnapshotCall::Create {
            volume_id: "d-1".into(),
            name: "n".into(),
            set_id: "set-1".into(),
            server_id: "s-1".into(),
            device: "/dev/vda".into(),
            force: true,
            snapshot_id: Some("sn-1".into()),
        };
        assert_eq!(
            create.look_snapshot(Some(&snap("available"))),
            DiskLook::Done
        );
        assert_eq!(
            create.look_snapshot(Some(&snap("creating"))),
            DiskLook::Moving
        );
        assert!(matches!(
            create.look_snapshot(Some(&snap("error"))),
            DiskLook::Failed(m) if m.contains("web-01-20261207-2105 is error")
        ));
        let delete = SnapshotCall::Delete {
            snapshot_id: "sn-1".into(),
        };
        assert_eq!(delete.look_snapshot(None), DiskLook::Done);
        assert_eq!(
            delete.look_snapshot(Some(&snap("deleting"))),
            DiskLook::Moving
        );
        assert!(matches!(
            delete.look_snapshot(Some(&snap("error_deleting"))),
            DiskLook::Failed(_)
        ));
    }
}
