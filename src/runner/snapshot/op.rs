//! What a person asked of server snapshots (`SnapshotOp`): take a set (one EVS snapshot per disk
//! of a server), roll a server back to a set, finish a rollback that stopped, delete, rename.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::runner::server_ref::ServerRef;

/// The metadata keys that tag each snapshot of a set.
pub const SET_KEY: &str = "hvecs_set";
pub const SERVER_KEY: &str = "hvecs_server";
pub const DEVICE_KEY: &str = "hvecs_device";

/// A disk of the server, where it is attached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedDisk {
    pub volume_id: String,
    pub name: String,
    /// `/dev/vda`, …
    pub device: String,
    /// The system disk.
    pub bootable: bool,
    pub size_gb: u64,
}

/// One member of a set to roll back: the snapshot and the disk it goes back onto.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetMember {
    pub snapshot_id: String,
    pub snapshot_status: String,
    pub disk: AttachedDisk,
    /// The server the disk is attached to now (none: detached), as last seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attached_to: Option<String>,
    /// The disk exists (as last seen).
    pub disk_exists: bool,
}

/// A snapshot as picked (delete, rename).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotRef {
    pub id: String,
    pub name: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "snapshot_op", rename_all = "snake_case")]
pub enum SnapshotOp {
    /// A set of the server's disks, taken together (`force` while attached).
    Create {
        server: ServerRef,
        set_id: String,
        disks: Vec<AttachedDisk>,
        /// The person's name; else `<server>-<yyyymmdd-hhmm>`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        taken_at: DateTime<Utc>,
    },
    /// Stop (soft, hard after `soft_stop_secs`) → detach each → roll back each → attach each at
    /// its device → start if it was running.
    Rollback {
        server: ServerRef,
        set_id: String,
        members: Vec<SetMember>,
        was_running: bool,
        soft_stop_secs: u64,
    },
    /// What a rollback that stopped left undone: attach these disks at their devices, start.
    Finish {
        server: ServerRef,
        of_task: String,
        attach: Vec<AttachedDisk>,
        start: bool,
    },
    Delete {
        snapshots: Vec<SnapshotRef>,
    },
    Rename {
        snapshot: SnapshotRef,
        name: String,
    },
}

/// A new set's id: `set-` and 12 hex digits.
pub fn new_set_id() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    format!("set-{}", &hex[..12])
}

/// The id of the set of server `server_id` taken `at`: `set-` and 12 hex digits of a digest of
/// both (the same server and instant give the same id; for a reducer, which makes no random id).
pub fn set_id_of(server_id: &str, at: DateTime<Utc>) -> String {
    use sha2::{Digest, Sha256};
    let stamp = at.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true);
    let digest = Sha256::digest(format!("{server_id}\n{stamp}").as_bytes());
    format!("set-{}", &hex::encode(digest)[..12])
}

/// The name of the snapshot of `disk` in a set of `of` disks: `<base>[-<device>]`, where `base`
/// is the person's name or `<server>-<yyyymmdd-hhmm>`.
pub fn member_name(
    server: &str,
    name: Option<&str>,
    at: DateTime<Utc>,
    device: &str,
    of: usize,
) -> String {
    let base = match name {
        Some(n) => n.to_owned(),
        None => format!("{server}-{}", at.format("%Y%m%d-%H%M")),
    };
    if of > 1 {
        let dev = device.rsplit('/').next().unwrap_or(device);
        format!("{base}-{dev}")
    } else {
        base
    }
}

impl SnapshotOp {
    /// The server it acts on.
    pub fn server(&self) -> Option<&ServerRef> {
        match self {
            SnapshotOp::Create { server, .. }
            | SnapshotOp::Rollback { server, .. }
            | SnapshotOp::Finish { server, .. } => Some(server),
            _ => None,
        }
    }

    /// The disks it touches (their ids).
    pub fn disk_ids(&self) -> Vec<String> {
        match self {
            SnapshotOp::Create { disks, .. } | SnapshotOp::Finish { attach: disks, .. } => {
                disks.iter().map(|d| d.volume_id.clone()).collect()
            }
            SnapshotOp::Rollback { members, .. } => {
                members.iter().map(|m| m.disk.volume_id.clone()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The snapshots it acts on.
    pub fn snapshot_ids(&self) -> Vec<String> {
        match self {
            SnapshotOp::Rollback { members, .. } => {
                members.iter().map(|m| m.snapshot_id.clone()).collect()
            }
            SnapshotOp::Delete { snapshots } => snapshots.iter().map(|s| s.id.clone()).collect(),
            SnapshotOp::Rename { snapshot, .. } => vec![snapshot.id.clone()],
            _ => Vec::new(),
        }
    }

    /// What the task reports an outcome for, (id, name): the disks (and the server when it is
    /// stopped or started), or the snapshots.
    pub fn targets(&self) -> Vec<(String, String)> {
        let disk = |d: &AttachedDisk| (d.volume_id.clone(), format!("{} ({})", d.name, d.device));
        match self {
            SnapshotOp::Create { disks, .. } => disks.iter().map(disk).collect(),
            SnapshotOp::Rollback {
                server,
                members,
                was_running,
                ..
            } => {
                let mut t: Vec<_> = members.iter().map(|m| disk(&m.disk)).collect();
                if *was_running {
                    t.push((server.id.clone(), server.name.clone()));
                }
                t
            }
            SnapshotOp::Finish {
                server,
                attach,
                start,
                ..
            } => {
                let mut t: Vec<_> = attach.iter().map(disk).collect();
                if *start {
                    t.push((server.id.clone(), server.name.clone()));
                }
                t
            }
            SnapshotOp::Delete { snapshots } => snapshots
                .iter()
                .map(|s| (s.id.clone(), s.name.clone()))
                .collect(),
            SnapshotOp::Rename { snapshot, .. } => {
                vec![(snapshot.id.clone(), snapshot.name.clone())]
            }
        }
    }

    /// A rollback discards every change since the snapshot; a delete loses the snapshots.
    pub fn is_destructive(&self) -> bool {
        matches!(
            self,
            SnapshotOp::Rollback { .. } | SnapshotOp::Delete { .. }
        )
    }

    pub fn kind(&self) -> &'static str {
        match self {
            SnapshotOp::Create { .. } => "snapshot-create",
            SnapshotOp::Rollback { .. } => "snapshot-rollback",
            SnapshotOp::Finish { .. } => "snapshot-rollback-finish",
            SnapshotOp::Delete { .. } => "snapshot-delete",
            SnapshotOp::Rename { .. } => "snapshot-rename",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            SnapshotOp::Create { server, disks, .. } => {
                format!("snapshot {} ({} disk(s))", server.name, disks.len())
            }
            SnapshotOp::Rollback {
                server, members, ..
            } => format!(
                "roll {} back ({} disk(s): stop, detach, roll back, attach, start)",
                server.name,
                members.len()
            ),
            SnapshotOp::Finish {
                server, of_task, ..
            } => {
                format!("finish the rollback of {} ({of_task})", server.name)
            }
            SnapshotOp::Delete { snapshots } => match snapshots.as_slice() {
                [one] => format!("delete snapshot {}", one.name),
                many => format!("delete {} snapshots", many.len()),
            },
            SnapshotOp::Rename { snapshot, name } => {
                format!("rename snapshot {} to {name}", snapshot.name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn members_are_named_after_the_server_the_time_and_their_device() {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 21, 5, 0).unwrap();
        assert_eq!(
            member_name("web-01", None, at, "/dev/vda", 1),
            "web-01-20261207-2105"
        );
        assert_eq!(
            member_name("web-01", None, at, "/dev/vdb", 2),
            "web-01-20261207-2105-vdb"
        );
        assert_eq!(
            member_name("web-01", Some("pre-patch"), at, "/dev/vdb", 2),
            "pre-patch-vdb"
        );
        assert!(new_set_id().starts_with("set-") && new_set_id().len() == 16);
        let id = set_id_of("id-1", at);
        assert!(id.starts_with("set-") && id.len() == 16, "{id}");
        assert_eq!(id, set_id_of("id-1", at));
        assert_ne!(id, set_id_of("id-2", at));
        assert_ne!(
            id,
            set_id_of("id-1", at + chrono::TimeDelta::nanoseconds(1))
        );
    }
}
