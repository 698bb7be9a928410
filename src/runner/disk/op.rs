//! What a person asked of EVS data disks (`DiskOp`: create, optionally attached at once; attach,
//! detach, expand, rename, delete), with what the console last saw of the disk (`DiskRef`).

use serde::{Deserialize, Serialize};

use crate::runner::server_ref::ServerRef;

/// A disk as the person picked it, with what was last seen of it (the preconditions read it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiskRef {
    pub id: String,
    pub name: String,
    pub az: String,
    /// EVS `status` (available, in-use, creating…).
    pub status: String,
    pub size_gb: u64,
    /// A system disk (bootable, at the server's first device).
    pub bootable: bool,
    /// The server it is attached to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_id: Option<String>,
}

/// A server as picked for an attach, with its AZ (a disk attaches only in its own AZ).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerInAz {
    pub server: ServerRef,
    pub az: String,
}

/// Blank data disks to create (several: `NAME-0001`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDisks {
    pub name: String,
    pub az: String,
    pub volume_type: String,
    pub size_gb: u64,
    pub count: u32,
    /// Attach the new disk to this server in the same task (one disk only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_to: Option<ServerInAz>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "disk_op", rename_all = "snake_case")]
pub enum DiskOp {
    Create(NewDisks),
    Attach {
        disk: DiskRef,
        to: ServerInAz,
        /// The device asked for (`/dev/vdb`); the platform picks a free one otherwise.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<String>,
    },
    Detach {
        disk: DiskRef,
        from: ServerRef,
    },
    Expand {
        disk: DiskRef,
        new_size_gb: u64,
    },
    Rename {
        disk: DiskRef,
        name: String,
    },
    Delete {
        disk: DiskRef,
    },
}

impl DiskOp {
    /// The existing disk it acts on (none for a create).
    pub fn disk(&self) -> Option<&DiskRef> {
        match self {
            DiskOp::Create(_) => None,
            DiskOp::Attach { disk, .. }
            | DiskOp::Detach { disk, .. }
            | DiskOp::Expand { disk, .. }
            | DiskOp::Rename { disk, .. }
            | DiskOp::Delete { disk } => Some(disk),
        }
    }

    /// The server it attaches to or detaches from.
    pub fn server(&self) -> Option<&ServerRef> {
        match self {
            DiskOp::Create(n) => n.attach_to.as_ref().map(|t| &t.server),
            DiskOp::Attach { to, .. } => Some(&to.server),
            DiskOp::Detach { from, .. } => Some(from),
            _ => None,
        }
    }

    /// The disks whose outcome the task reports (a create's come with its answer): (id, name).
    pub fn targets(&self) -> Vec<(String, String)> {
        self.disk()
            .map(|d| (d.id.clone(), d.name.clone()))
            .into_iter()
            .collect()
    }

    /// Takes data away from a server or for good: detach and delete.
    pub fn is_destructive(&self) -> bool {
        matches!(self, DiskOp::Detach { .. } | DiskOp::Delete { .. })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            DiskOp::Create(n) if n.attach_to.is_some() => "disk-create-attach",
            DiskOp::Create(_) => "disk-create",
            DiskOp::Attach { .. } => "disk-attach",
            DiskOp::Detach { .. } => "disk-detach",
            DiskOp::Expand { .. } => "disk-expand",
            DiskOp::Rename { .. } => "disk-rename",
            DiskOp::Delete { .. } => "disk-delete",
        }
    }

    /// "attach data-1 to web-01", for the job strip and the CLI.
    pub fn describe(&self) -> String {
        match self {
            DiskOp::Create(n) => {
                let what = if n.count > 1 {
                    format!("create {} × disk {}", n.count, n.name)
                } else {
                    format!("create disk {}", n.name)
                };
                let size = format!(" ({} GB {})", n.size_gb, n.volume_type);
                match &n.attach_to {
                    Some(t) => format!("{what}{size} and attach it to {}", t.server.name),
                    None => format!("{what}{size}"),
                }
            }
            DiskOp::Attach { disk, to, .. } => {
                format!("attach disk {} to {}", disk.name, to.server.name)
            }
            DiskOp::Detach { disk, from } => {
                format!("detach disk {} from {}", disk.name, from.name)
            }
            DiskOp::Expand { disk, new_size_gb } => format!(
                "expand disk {} from {} to {new_size_gb} GB",
                disk.name, disk.size_gb
            ),
            DiskOp::Rename { disk, name } => format!("rename disk {} to {name}", disk.name),
            DiskOp::Delete { disk } => format!("delete disk {}", disk.name),
        }
    }
}

/// Test fixture: an available 20 GB data disk `d-1` named `data` in `az1`.
#[cfg(test)]
pub(crate) fn disk_of(status: &str) -> DiskRef {
    DiskRef {
        id: "d-1".into(),
        name: "data".into(),
        az: "az1".into(),
        status: status.into(),
        size_gb: 20,
        bootable: false,
        server_id: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attach_says_what_it_does_on_which_disk() {
        let op = DiskOp::Attach {
            disk: disk_of("available"),
            to: ServerInAz {
                server: ServerRef::new("s-1", "web-01"),
                az: "az1".into(),
            },
            device: None,
        };
        assert_eq!(op.describe(), "attach disk data to web-01");
        assert!(!op.is_destructive());
        assert_eq!(op.targets(), vec![("d-1".into(), "data".into())]);
        assert_eq!(op.server().map(|s| s.id.as_str()), Some("s-1"));
        let json = serde_json::to_string(&op).unwrap();
        assert_eq!(serde_json::from_str::<DiskOp>(&json).unwrap(), op);
    }
}
