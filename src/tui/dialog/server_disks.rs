//! A server's attached disks as a snapshot dialog reads them (`What::ServerDisks`, asked when it
//! opens): reading, read (each at its device, the system disk first) or failed.

use crate::read::records::DiskFields;
use crate::read::source::{LoadError, Payload};
use crate::runner::snapshot::op::AttachedDisk;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerDisks {
    Reading,
    Read(Vec<AttachedDisk>),
    Failed(String),
}

impl ServerDisks {
    /// The answer to the read: the disks attached to `server_id`, by device.
    pub fn of(answer: Result<Payload, LoadError>, server_id: &str) -> ServerDisks {
        match answer {
            Ok(Payload::Disks(rows)) => {
                let mut disks: Vec<AttachedDisk> = rows
                    .iter()
                    .filter(|d| d.server_id == server_id)
                    .map(attached)
                    .collect();
                disks.sort_by(|a, b| (!a.bootable, &a.device).cmp(&(!b.bootable, &b.device)));
                ServerDisks::Read(disks)
            }
            Ok(_) => ServerDisks::Failed("the disks' read answered something else".into()),
            Err(e) => ServerDisks::Failed(e.quoted()),
        }
    }

    /// The disks, once read.
    pub fn read(&self) -> Option<&[AttachedDisk]> {
        match self {
            ServerDisks::Read(d) => Some(d),
            _ => None,
        }
    }

    /// Why `Enter` cannot act yet (reading, or the read failed): `None` once read.
    pub fn not_ready(&self, server: &str) -> Option<String> {
        match self {
            ServerDisks::Reading => Some(format!(
                "reading the disks of {server}: Enter again once they show"
            )),
            ServerDisks::Failed(e) => Some(format!("the disks of {server} were not read: {e}")),
            ServerDisks::Read(_) => None,
        }
    }
}

/// A disk as a snapshot op names it.
fn attached(d: &DiskFields) -> AttachedDisk {
    AttachedDisk {
        volume_id: d.id.clone(),
        name: d.name.clone(),
        device: d.device.clone(),
        bootable: d.bootable,
        size_gb: d.size.parse().unwrap_or(0),
    }
}

/// A disk as a dialog lists it: `/dev/vda  40 GB  sys-1 (system)`.
pub fn disk_line(d: &AttachedDisk) -> String {
    let system = if d.bootable { " (system)" } else { "" };
    format!("{}  {} GB  {}{system}", d.device, d.size_gb, d.name)
}
