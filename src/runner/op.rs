//! What the user asked for (`Op`), the resources it touches, and how it splits into API calls.

use serde::{Deserialize, Serialize};

use super::disk::op::DiskOp;
use super::image::op::ImageOp;
pub use super::server_ref::ServerRef;
use super::snapshot::op::SnapshotOp;
use super::tags::TagChange;
use crate::config::Secret;

/// The most servers one batch call takes (api.md §4).
pub const BATCH_LIMIT: usize = 1000;

/// Soft (ask the guest) or hard (pull the plug).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hardness {
    Soft,
    Hard,
}

impl Hardness {
    pub fn api_name(self) -> &'static str {
        match self {
            Hardness::Soft => "SOFT",
            Hardness::Hard => "HARD",
        }
    }
}

/// A power action of the batch action API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "action", content = "type")]
pub enum PowerAction {
    Start,
    Stop(Hardness),
    Reboot(Hardness),
}

impl PowerAction {
    pub fn verb(self) -> &'static str {
        match self {
            PowerAction::Start => "start",
            PowerAction::Stop(Hardness::Soft) => "stop",
            PowerAction::Stop(Hardness::Hard) => "hard stop",
            PowerAction::Reboot(Hardness::Soft) => "reboot",
            PowerAction::Reboot(Hardness::Hard) => "hard reboot",
        }
    }
}

/// Something a task can hold a lock on. Servers now; images, disks and snapshots take the same
/// locks when their operations come.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum Resource {
    Server(String),
    Image(String),
    Disk(String),
    Snapshot(String),
}

/// A disk of a server to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeSpec {
    /// SATA, SAS, SSD, GPSSD, ESSD…
    pub volume_type: String,
    pub size_gb: u32,
}

/// Everything a create needs. The admin password is never written anywhere: it is skipped by
/// serde, so a task read back from the journal has `admin_pass: None` and `had_admin_pass: true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateSpec {
    pub name: String,
    pub image_id: String,
    pub flavor_id: String,
    pub vpc_id: String,
    pub subnet_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability_zone: Option<String>,
    pub root_volume: VolumeSpec,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_volumes: Vec<VolumeSpec>,
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_name: Option<String>,
    #[serde(skip)]
    pub admin_pass: Option<Secret>,
    #[serde(default)]
    pub had_admin_pass: bool,
}

/// An operation the user asked for. Each becomes a task (see `task.rs`) of one or more steps.
/// Image, snapshot-set, rollback and disk operations join this list as new variants: they name
/// their resources in `resources()` and their API calls in `Call`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    CreateServers(CreateSpec),
    Power {
        action: PowerAction,
        servers: Vec<ServerRef>,
    },
    Resize {
        server: ServerRef,
        flavor_id: String,
        /// ACTIVE servers only: the platform stops, resizes and starts again.
        with_stop: bool,
    },
    Rename {
        server: ServerRef,
        name: String,
    },
    Delete {
        servers: Vec<ServerRef>,
        delete_volumes: bool,
    },
    /// An image from a server, an image's rename or delete (`image_op.rs`).
    Image(ImageOp),
    /// An EVS data-disk change (`disk_op.rs`).
    Disk(DiskOp),
    /// A server snapshot: a set, a rollback to one, its finish, delete, rename (`snapshot/`).
    Snapshot(SnapshotOp),
    /// Tags added to and removed from servers (`tags.rs`).
    Tags {
        servers: Vec<ServerRef>,
        change: TagChange,
    },
}

impl Op {
    /// The servers the user named (none for a create: its servers do not exist yet).
    pub fn servers(&self) -> Vec<ServerRef> {
        match self {
            Op::CreateServers(_) | Op::Disk(_) => Vec::new(),
            Op::Power { servers, .. } | Op::Delete { servers, .. } | Op::Tags { servers, .. } => {
                servers.clone()
            }
            Op::Resize { server, .. } | Op::Rename { server, .. } => vec![server.clone()],
            Op::Snapshot(s) => s.server().cloned().into_iter().collect(),
            Op::Image(op) => op
                .server()
                .map(|s| ServerRef::new(s.id.clone(), s.name.clone()))
                .into_iter()
                .collect(),
        }
    }

    /// What the task reports an outcome for, (id, name): its servers, or what another family
    /// acts on (the disk of a disk op, the image of an image op).
    pub fn targets(&self) -> Vec<(String, String)> {
        match self {
            Op::Image(op) => op.targets(),
            Op::Disk(d) => d.targets(),
            Op::Snapshot(s) => s.targets(),
            _ => self.servers().into_iter().map(|s| (s.id, s.name)).collect(),
        }
    }

    /// What the task locks while it runs: one task per resource at a time.
    pub fn resources(&self) -> Vec<Resource> {
        if let Op::Disk(d) = self {
            let disk = d.disk().map(|x| Resource::Disk(x.id.clone()));
            let server = d.server().map(|s| Resource::Server(s.id.clone()));
            return disk.into_iter().chain(server).collect();
        }
        if let Op::Snapshot(s) = self {
            let server = s.server().map(|x| Resource::Server(x.id.clone()));
            let disks = s.disk_ids().into_iter().map(Resource::Disk);
            let snaps = s.snapshot_ids().into_iter().map(Resource::Snapshot);
            return server.into_iter().chain(disks).chain(snaps).collect();
        }
        let images = match self {
            Op::Image(op) => op.image_ids(),
            _ => Vec::new(),
        };
        self.servers()
            .into_iter()
            .map(|s| Resource::Server(s.id))
            .chain(images.into_iter().map(Resource::Image))
            .collect()
    }

    /// Changes the servers' data; the confirmation and the CLI's `--yes` depend on it.
    pub fn is_destructive(&self) -> bool {
        if let Op::Image(op) = self {
            return op.is_destructive();
        }
        if let Op::Disk(d) = self {
            return d.is_destructive();
        }
        if let Op::Snapshot(s) = self {
            return s.is_destructive();
        }
        !matches!(
            self,
            Op::CreateServers(_)
                | Op::Power {
                    action: PowerAction::Start,
                    ..
                }
                | Op::Rename { .. }
                | Op::Tags { .. }
        )
    }

    /// A short name for the audit log and the journal (`stop-soft`, `delete`…).
    pub fn kind(&self) -> &'static str {
        match self {
            Op::CreateServers(_) => "create",
            Op::Power { action, .. } => match action {
                PowerAction::Start => "start",
                PowerAction::Stop(Hardness::Soft) => "stop-soft",
                PowerAction::Stop(Hardness::Hard) => "stop-hard",
                PowerAction::Reboot(Hardness::Soft) => "reboot-soft",
                PowerAction::Reboot(Hardness::Hard) => "reboot-hard",
            },
            Op::Resize { .. } => "resize",
            Op::Rename { .. } => "rename",
            Op::Delete {
                delete_volumes: true,
                ..
            } => "delete-with-disks",
            Op::Delete { .. } => "delete",
            Op::Image(op) => op.kind(),
            Op::Disk(d) => d.kind(),
            Op::Snapshot(s) => s.kind(),
            Op::Tags { .. } => "tags",
        }
    }

    /// What a person reads in the job strip: "stop web-01", "stop 3 servers".
    pub fn describe(&self) -> String {
        fn targets(s: &[ServerRef]) -> String {
            match s {
                [one] => one.name.clone(),
                many => format!("{} servers", many.len()),
            }
        }
        match self {
            Op::CreateServers(spec) if spec.count > 1 => {
                format!("create {} × {}", spec.count, spec.name)
            }
            Op::CreateServers(spec) => format!("create {}", spec.name),
            Op::Power { action, servers } => format!("{} {}", action.verb(), targets(servers)),
            Op::Resize {
                server, flavor_id, ..
            } => format!("resize {} to {flavor_id}", server.name),
            Op::Rename { server, name } => format!("rename {} to {name}", server.name),
            Op::Delete {
                servers,
                delete_volumes,
            } => format!(
                "delete {}{}",
                targets(servers),
                if *delete_volumes { " with disks" } else { "" }
            ),
            Op::Image(op) => op.describe(),
            Op::Disk(d) => d.describe(),
            Op::Snapshot(s) => s.describe(),
            Op::Tags { servers, change } => {
                format!("tag {} {}", targets(servers), change.describe())
            }
        }
    }

    /// The same op on a subset of its servers ("retry failed"). `None` for ops on one server or
    /// none, or when no id is left.
    pub fn narrowed_to(&self, ids: &[String]) -> Option<Op> {
        let keep = |servers: &[ServerRef]| -> Vec<ServerRef> {
            servers
                .iter()
                .filter(|s| ids.contains(&s.id))
                .cloned()
                .collect()
        };
        let op = match self {
            Op::Power { action, servers } => Op::Power {
                action: *action,
                servers: keep(servers),
            },
            Op::Delete {
                servers,
                delete_volumes,
            } => Op::Delete {
                servers: keep(servers),
                delete_volumes: *delete_volumes,
            },
            Op::Tags { servers, change } => Op::Tags {
                servers: keep(servers),
                change: change.clone(),
            },
            Op::Resize { server, .. } | Op::Rename { server, .. } => {
                return ids.contains(&server.id).then(|| self.clone());
            }
            Op::CreateServers(_) | Op::Disk(_) | Op::Snapshot(_) => return None,
            Op::Image(op) => return op.narrowed_to(ids).map(Op::Image),
        };
        (!op.servers().is_empty()).then_some(op)
    }
}

/// Test fixture: a valid create of `count` servers named `web` (key pair `ops-key`, no password).
#[cfg(test)]
pub(crate) fn create_spec_of(count: u32) -> CreateSpec {
    CreateSpec {
        name: "web".into(),
        image_id: "img".into(),
        flavor_id: "small".into(),
        vpc_id: "vpc".into(),
        subnet_id: "sub".into(),
        availability_zone: None,
        root_volume: VolumeSpec {
            volume_type: "SSD".into(),
            size_gb: 40,
        },
        data_volumes: vec![],
        count,
        key_name: Some("ops-key".into()),
        admin_pass: None,
        had_admin_pass: false,
    }
}

/// Test fixture: a soft stop of `n` servers, `id-0`/`s0`, `id-1`/`s1`, ….
#[cfg(test)]
pub(crate) fn soft_stop_of(n: usize) -> Op {
    Op::Power {
        action: PowerAction::Stop(Hardness::Soft),
        servers: (0..n)
            .map(|i| ServerRef::new(format!("id-{i}"), format!("s{i}")))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(n: usize) -> Vec<ServerRef> {
        (0..n)
            .map(|i| ServerRef::new(format!("id-{i}"), format!("web-{i:02}")))
            .collect()
    }

    #[test]
    fn ops_describe_what_they_do() {
        let stop = Op::Power {
            action: PowerAction::Stop(Hardness::Hard),
            servers: refs(1),
        };
        assert_eq!(stop.describe(), "hard stop web-00");
        assert_eq!(stop.kind(), "stop-hard");
        assert!(stop.is_destructive());
        let start = Op::Power {
            action: PowerAction::Start,
            servers: refs(3),
        };
        assert_eq!(start.describe(), "start 3 servers");
        assert!(!start.is_destructive());
        assert_eq!(
            start.resources(),
            vec![
                Resource::Server("id-0".into()),
                Resource::Server("id-1".into()),
                Resource::Server("id-2".into())
            ]
        );
    }

    #[test]
    fn retry_narrows_to_the_failed_servers() {
        let op = Op::Delete {
            servers: refs(4),
            delete_volumes: true,
        };
        let again = op.narrowed_to(&["id-1".into(), "id-3".into()]).unwrap();
        assert_eq!(
            again
                .servers()
                .iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>(),
            ["id-1", "id-3"]
        );
        assert!(op.narrowed_to(&["other".into()]).is_none());
    }

    #[test]
    fn the_admin_password_never_reaches_json() {
        let spec = CreateSpec {
            admin_pass: Some(Secret::new("Sup3rSecret!")),
            had_admin_pass: true,
            ..create_spec_of(1)
        };
        let json = serde_json::to_string(&Op::CreateServers(spec)).unwrap();
        assert!(!json.contains("Sup3rSecret"), "{json}");
        let back: Op = serde_json::from_str(&json).unwrap();
        let Op::CreateServers(back) = back else {
            panic!("not a create")
        };
        assert!(back.admin_pass.is_none() && back.had_admin_pass);
    }
}
