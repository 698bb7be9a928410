//! The simulated inventory: regions, AZs, Hyper-V hosts, flavors, images, networks, servers,
//! disks and snapshots, as the simulator keeps them (the wire shapes are built in `render*`).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::clock::Millis;
use super::ids::Mac;
use super::keypairs::Keypair;
use super::sym::Sym;
use super::table::Keyed;
use super::uid::Uid;
use super::vm::VmStatus;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Region {
    pub name: String,
    pub locale: String,
    pub project_id: String,
    pub azs: Vec<String>,
    pub quota: Quota,
    /// The project's SSH key pairs (a state saved before they existed loads with none).
    #[serde(default)]
    pub keypairs: Vec<Keypair>,
}

/// A project's limits of the resources it counts (and, as `quota::Usage`, what it uses).
#[derive(Debug, Default, Clone, Copy, Serialize, Deserialize)]
pub struct Quota {
    pub instances: u64,
    pub cores: u64,
    pub ram_mb: u64,
    pub volumes: u64,
    pub gigabytes: u64,
    pub snapshots: u64,
    pub images: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Host {
    pub name: String,
    pub region: usize,
    pub az: String,
    pub cpu: u64,
    pub ram_mb: u64,
    pub storage_gb: u64,
    pub used_cpu: u64,
    pub used_ram_mb: u64,
    pub used_storage_gb: u64,
    pub maintenance: bool,
}

impl Host {
    pub fn free_cpu(&self) -> u64 {
        self.cpu.saturating_sub(self.used_cpu)
    }
    pub fn free_ram_mb(&self) -> u64 {
        self.ram_mb.saturating_sub(self.used_ram_mb)
    }
    pub fn free_storage_gb(&self) -> u64 {
        self.storage_gb.saturating_sub(self.used_storage_gb)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Flavor {
    pub id: String,
    pub vcpus: u64,
    pub ram_mb: u64,
    /// AZ names where it is sold out.
    pub sold_out: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Image {
    pub id: Uid,
    pub name: String,
    /// `None` for public images (every project sees them).
    pub owner: Option<usize>,
    pub os_type: String,
    pub os_version: String,
    pub platform: String,
    pub os_bit: String,
    pub min_disk: u64,
    pub min_ram: u64,
    pub size_bytes: u64,
    pub status: String,
    pub created: Millis,
    pub updated: Millis,
    pub tags: Vec<String>,
    pub description: String,
    /// The server it was made from (`__data_origin` `instance,<id>`); `None` for the seeded ones.
    #[serde(default)]
    pub origin_server: Option<Uid>,
}

impl Keyed for Image {
    fn key(&self) -> Uid {
        self.id
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Vpc {
    pub id: Uid,
    pub name: String,
    pub cidr: String,
    pub region: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Subnet {
    pub id: Uid,
    pub name: String,
    pub cidr: String,
    pub gateway_ip: String,
    pub vpc_id: Uid,
    pub az: Option<String>,
    pub region: usize,
    pub neutron_subnet_id: String,
    /// The last host part handed out (addresses are `prefix.(next)`).
    pub next_ip: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Nic {
    pub subnet_id: Uid,
    pub vpc_id: Uid,
    pub ip: Ipv4Addr,
    pub mac: Mac,
    pub port_id: Uid,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fault {
    pub code: u16,
    pub message: String,
    pub created: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Server {
    pub id: Uid,
    pub name: String,
    pub description: String,
    pub region: usize,
    pub az: Sym,
    pub host: Sym,
    pub flavor_id: Sym,
    pub image_id: Uid,
    pub vpc_id: Uid,
    pub nics: Vec<Nic>,
    /// Attached disk ids (the attachment details live on the disk).
    pub volumes: Vec<Uid>,
    pub status: VmStatus,
    /// The fine-grained task of the step running now (e.g. `spawning`).
    pub task: Option<String>,
    /// The job holding the server (SCVMM locks objects a job works on).
    pub locked_by: Option<String>,
    pub fault: Option<Fault>,
    pub tags: Vec<(String, String)>,
    pub metadata: BTreeMap<String, String>,
    pub key_name: Option<String>,
    pub created: Millis,
    pub updated: Millis,
    pub launched_at: Option<Millis>,
    pub instance_name: String,
}

impl Keyed for Server {
    fn key(&self) -> Uid {
        self.id
    }
    fn part(&self) -> usize {
        self.region
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attachment {
    pub server_id: Uid,
    pub attachment_id: Uid,
    pub device: Sym,
    pub attached_at: Millis,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Volume {
    pub id: Uid,
    pub name: String,
    pub description: String,
    pub region: usize,
    pub az: Sym,
    pub size: u64,
    pub volume_type: Sym,
    pub bootable: bool,
    pub status: Sym,
    pub attachment: Option<Attachment>,
    /// The image it was made from (system disks).
    pub image_id: Option<Uid>,
    pub snapshot_id: Option<Uid>,
    pub created: Millis,
    pub updated: Millis,
}

impl Keyed for Volume {
    fn key(&self) -> Uid {
        self.id
    }
    fn part(&self) -> usize {
        self.region
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub id: Uid,
    pub name: String,
    pub description: String,
    pub region: usize,
    pub volume_id: Uid,
    pub size: u64,
    pub status: Sym,
    pub progress: u8,
    pub metadata: BTreeMap<String, String>,
    pub created: Millis,
    pub updated: Millis,
}

impl Keyed for Snapshot {
    fn key(&self) -> Uid {
        self.id
    }
    fn part(&self) -> usize {
        self.region
    }
}
