//! One API call on EVS disks (`DiskCall`, planned from a `DiskOp`) and how a look at its disk
//! reads (`DiskLook`): done, under way, failed, or untouched. Pure: the executor's disk stages
//! (`disk_settle.rs`) act on it.

use serde::{Deserialize, Serialize};

use crate::runner::disk::op::{DiskOp, NewDisks};

/// A disk as a look at the cloud shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownDisk {
    pub id: String,
    pub name: String,
    pub status: String,
    pub size_gb: u64,
    /// The server it is attached to, if any.
    pub server_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "disk_call", rename_all = "snake_case")]
pub enum DiskCall {
    Create {
        spec: NewDisks,
        /// The `X-Client-Token`: a second send with it gives back the first job, not new disks.
        client_token: String,
    },
    Attach {
        /// Empty until the create of the same task answers with its disk.
        volume_id: String,
        server_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        device: Option<String>,
    },
    Detach {
        volume_id: String,
        server_id: String,
    },
    Expand {
        volume_id: String,
        new_size_gb: u64,
    },
    Rename {
        volume_id: String,
        name: String,
    },
    Delete {
        volume_id: String,
    },
}

/// What a look at a call's disk says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskLook {
    /// The change is there, and the disk is stable.
    Done,
    /// The change is under way (the disk shows its transient status).
    Moving,
    /// The change failed on the platform (the disk shows an error status, or is gone).
    Failed(String),
    /// No sign of the change.
    Untouched,
}

impl DiskCall {
    /// The calls of `op`, in order (a create with `attach_to` is a create then an attach of its
    /// disk, whose id the create's answer fills in).
    pub fn plan(op: &DiskOp) -> Vec<DiskCall> {
        match op {
            DiskOp::Create(n) => {
                let mut calls = vec![DiskCall::Create {
                    spec: NewDisks {
                        attach_to: None,
                        ..n.clone()
                    },
                    client_token: uuid::Uuid::new_v4().to_string(),
                }];
                if let Some(t) = &n.attach_to {
                    calls.push(DiskCall::Attach {
                        volume_id: String::new(),
                        server_id: t.server.id.clone(),
                        device: None,
                    });
                }
                calls
            }
            DiskOp::Attach { disk, to, device } => vec![DiskCall::Attach {
                volume_id: disk.id.clone(),
                server_id: to.server.id.clone(),
                device: device.clone(),
            }],
            DiskOp::Detach { disk, from } => vec![DiskCall::Detach {
                volume_id: disk.id.clone(),
                server_id: from.id.clone(),
            }],
            DiskOp::Expand { disk, new_size_gb } => vec![DiskCall::Expand {
                volume_id: disk.id.clone(),
                new_size_gb: *new_size_gb,
            }],
            DiskOp::Rename { disk, name } => vec![DiskCall::Rename {
                volume_id: disk.id.clone(),
                name: name.clone(),
            }],
            DiskOp::Delete { disk } => vec![DiskCall::Delete {
                volume_id: disk.id.clone(),
            }],
        }
    }

    /// The disk it acts on (none for a create, or an attach whose create has not answered).
    pub fn volume_id(&self) -> Option<&str> {
        let id = match self {
            DiskCall::Create { .. } => return None,
            DiskCall::Attach { volume_id, .. }
            | DiskCall::Detach { volume_id, .. }
            | DiskCall::Expand { volume_id, .. }
            | DiskCall::Rename { volume_id, .. }
            | DiskCall::Delete { volume_id } => volume_id,
        };
        Some(id.as_str()).filter(|id| !id.is_empty())
    }

    /// Whether its answer carries a job to follow (a rename answers at once).
    pub fn has_job(&self) -> bool {
        !matches!(self, DiskCall::Rename { .. })
    }

    /// Whether its job is an EVS job (attach and detach are ECS jobs).
    pub fn evs_job(&self) -> bool {
        !matches!(self, DiskCall::Attach { .. } | DiskCall::Detach { .. })
    }

    /// What the audit log names: the disk (`new:NAME` for a create) and the server it attaches
    /// to or detaches from.
    pub fn audit_targets(&self) -> Vec<String> {
        let mut t: Vec<String> = match (self, self.volume_id()) {
            (_, Some(id)) => vec![id.to_owned()],
            (DiskCall::Create { spec, .. }, None) => vec![format!("new:{}", spec.name)],
            _ => Vec::new(),
        };
        if let DiskCall::Attach { server_id, .. } | DiskCall::Detach { server_id, .. } = self {
            t.push(server_id.clone());
        }
        t
    }

    pub fn describe(&self) -> String {
        match self {
            DiskCall::Create { spec, .. } if spec.count > 1 => {
                format!("create {} × disk {}", spec.count, spec.name)
            }
            DiskCall::Create { spec, .. } => format!("create disk {}", spec.name),
            DiskCall::Attach { server_id, .. } => format!("attach disk to server {server_id}"),
            DiskCall::Detach { server_id, .. } => format!("detach disk from server {server_id}"),
            DiskCall::Expand { new_size_gb, .. } => format!("expand disk to {new_size_gb} GB"),
            DiskCall::Rename { name, .. } => format!("rename disk to {name}"),
            DiskCall::Delete { .. } => "delete disk".into(),
        }
    }

    /// Reads a look at the call's disk (`None`: it does not exist).
    pub fn look(&self, disk: Option<&KnownDisk>) -> DiskLook {
        let Some(d) = disk else {
            return match self {
                DiskCall::Delete { .. } => DiskLook::Done,
                DiskCall::Create { .. } => DiskLook::Untouched,
                _ => DiskLook::Failed("the disk no longer exists".into()),
            };
        };
        let status = d.status.as_str();
        let error = status == "error" || status.starts_with("error_");
        let (done, moving) = match self {
            DiskCall::Create { .. } => (status == "available", status == "creating"),
            DiskCall::Attach { server_id, .. } => (
                status == "in-use" && d.server_id.as_deref() == Some(server_id),
                status == "attaching",
            ),
            DiskCall::Detach { .. } => (
                status == "available" && d.server_id.is_none(),
                status == "detaching",
            ),
            DiskCall::Expand { new_size_gb, .. } => (
                d.size_gb >= *new_size_gb && matches!(status, "available" | "in-use"),
                status == "extending",
            ),
            DiskCall::Rename { name, .. } => (d.name == *name, false),
            DiskCall::Delete { .. } => (false, status == "deleting"),
        };
        if done {
            DiskLook::Done
        } else if moving {
            DiskLook::Moving
        } else if error {
            DiskLook::Failed(format!("disk {} is {status}", d.name))
        } else {
            DiskLook::Untouched
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disk(status: &str, size: u64, server: Option<&str>) -> KnownDisk {
        KnownDisk {
            id: "d-1".into(),
            name: "data".into(),
            status: status.into(),
            size_gb: size,
            server_id: server.map(str::to_owned),
        }
    }

    /// What a look makes of `call` when its disk is `status`, of `size` GB, on `server`.
    fn seen(call: &DiskCall, status: &str, size: u64, server: Option<&str>) -> DiskLook {
        call.look(Some(&disk(status, size, server)))
    }

    #[test]
    fn a_look_tells_done_moving_failed_and_untouched_apart() {
        let attach = DiskCall::Attach {
            volume_id: "d-1".into(),
            server_id: "s-1".into(),
            device: None,
        };
        assert_eq!(seen(&attach, "in-use", 20, Some("s-1")), DiskLook::Done);
        assert_eq!(
            seen(&attach, "in-use", 20, Some("s-2")),
            DiskLook::Untouched
        );
        assert_eq!(seen(&attach, "attaching", 20, None), DiskLook::Moving);
        assert_eq!(seen(&attach, "available", 20, None), DiskLook::Untouched);
        assert!(matches!(attach.look(None), DiskLook::Failed(_)));

        let expand = DiskCall::Expand {
            volume_id: "d-1".into(),
            new_size_gb: 40,
        };
        assert_eq!(seen(&expand, "in-use", 40, Some("s-1")), DiskLook::Done);
        assert_eq!(
            seen(&expand, "in-use", 20, Some("s-1")),
            DiskLook::Untouched
        );
        assert!(matches!(
            seen(&expand, "error_extending", 20, None),
            DiskLook::Failed(m) if m.contains("error_extending")
        ));

        let delete = DiskCall::Delete {
            volume_id: "d-1".into(),
        };
        assert_eq!(delete.look(None), DiskLook::Done);
        assert_eq!(seen(&delete, "deleting", 20, None), DiskLook::Moving);
        assert_eq!(seen(&delete, "available", 20, None), DiskLook::Untouched);
    }

    #[test]
    fn a_create_with_a_server_is_a_create_then_an_attach_of_its_disk() {
        use crate::runner::disk::op::ServerInAz;
        use crate::runner::server_ref::ServerRef;
        let op = DiskOp::Create(NewDisks {
            name: "data".into(),
            az: "az1".into(),
            volume_type: "SAS".into(),
            size_gb: 20,
            count: 1,
            attach_to: Some(ServerInAz {
                server: ServerRef::new("s-1", "web-01"),
                az: "az1".into(),
            }),
        });
        let calls = DiskCall::plan(&op);
        assert!(matches!(&calls[0], DiskCall::Create { spec, .. } if spec.attach_to.is_none()));
        assert!(matches!(
            &calls[1],
            DiskCall::Attach { volume_id, server_id, .. } if volume_id.is_empty() && server_id == "s-1"
        ));
        assert_eq!(op.kind(), "disk-create-attach");
        assert_eq!(calls[1].audit_targets(), vec!["s-1".to_owned()]);
    }

    #[test]
    fn an_attach_waiting_for_its_create_has_no_disk_yet() {
        let attach = DiskCall::Attach {
            volume_id: String::new(),
            server_id: "s-1".into(),
            device: None,
        };
        assert_eq!(attach.volume_id(), None);
        assert!(!attach.evs_job() && attach.has_job());
    }
}
