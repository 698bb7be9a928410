//! What a sub-job does (`Task`: create, start, stop, … with what it works on), the servers it
//! creates (`CreateSpec`), and how a step fails (`Failure`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::sym::Sym;
use super::vm::VmStatus;

/// A disk to make: (volume type, size GB).
pub type DiskSpec = (Sym, u64);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreateSpec {
    pub server_id: String,
    pub name: String,
    pub description: String,
    pub region: usize,
    pub az: Sym,
    pub flavor: Sym,
    pub image: String,
    pub vpc: String,
    pub subnets: Vec<String>,
    pub root: DiskSpec,
    pub data: Vec<DiskSpec>,
    pub key_name: Option<String>,
    pub metadata: BTreeMap<String, String>,
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Task {
    Create(Box<CreateSpec>),
    Start {
        server: String,
    },
    Stop {
        server: String,
        hard: bool,
    },
    Reboot {
        server: String,
        hard: bool,
    },
    Delete {
        server: String,
        delete_volumes: bool,
        prior: VmStatus,
    },
    Resize {
        server: String,
        flavor: String,
        with_stop: bool,
        was_running: bool,
    },
    Attach {
        server: String,
        volume: String,
        device: String,
    },
    Detach {
        server: String,
        volume: String,
    },
    Image {
        server: String,
        image: String,
        /// Made from a running server (only when the simulator allows it): it stays running.
        #[serde(default)]
        was_running: bool,
    },
    Snapshot {
        snapshot: String,
    },
    Rollback {
        snapshot: String,
        volume: String,
    },
    DeleteSnapshot {
        snapshot: String,
    },
    /// An EVS disk job (create, expand, delete) on disk `volume`.
    Disk {
        volume: String,
        change: DiskChange,
    },
}

/// What an EVS disk job does to its disk.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum DiskChange {
    /// The disk was registered as `creating` at submit; the job makes it `available`.
    Create,
    /// Grows the disk to `new_size` GB; it returns to `prior` (`available` or `in-use`).
    Extend { new_size: u64, prior: String },
    /// Removes the disk.
    Delete,
}

impl Task {
    /// The server the task works on, if any.
    pub fn server(&self) -> Option<&str> {
        match self {
            Task::Create(s) => Some(&s.server_id),
            Task::Start { server }
            | Task::Stop { server, .. }
            | Task::Reboot { server, .. }
            | Task::Delete { server, .. }
            | Task::Resize { server, .. }
            | Task::Attach { server, .. }
            | Task::Detach { server, .. }
            | Task::Image { server, .. } => Some(server),
            _ => None,
        }
    }
}

/// A step failure: the job's `error_code` and `fail_reason`.
#[derive(Debug, Clone)]
pub struct Failure {
    pub code: String,
    pub reason: String,
}
