//! ECS objects: servers (v1 `ServerDetail`), flavors with their sale state per AZ, AZs, quotas.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::lenient::{self, Timestamp};

/// A server status (api.md §6); values not in the table are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServerStatus {
    Build,
    Active,
    Reboot,
    HardReboot,
    Rebuild,
    Migrating,
    Resize,
    VerifyResize,
    RevertResize,
    Shutoff,
    Error,
    Deleted,
    Shelved,
    ShelvedOffloaded,
    Unknown,
    /// Anything else, as the API wrote it (`PAUSED`, `SUSPENDED`, …).
    Other(String),
}

impl ServerStatus {
    pub fn parse(text: &str) -> ServerStatus {
        match text {
            "BUILD" => ServerStatus::Build,
            "ACTIVE" => ServerStatus::Active,
            "REBOOT" => ServerStatus::Reboot,
            "HARD_REBOOT" => ServerStatus::HardReboot,
            "REBUILD" => ServerStatus::Rebuild,
            "MIGRATING" => ServerStatus::Migrating,
            "RESIZE" => ServerStatus::Resize,
            "VERIFY_RESIZE" => ServerStatus::VerifyResize,
            "REVERT_RESIZE" => ServerStatus::RevertResize,
            "SHUTOFF" => ServerStatus::Shutoff,
            "ERROR" => ServerStatus::Error,
            "DELETED" => ServerStatus::Deleted,
            "SHELVED" => ServerStatus::Shelved,
            "SHELVED_OFFLOADED" => ServerStatus::ShelvedOffloaded,
            "UNKNOWN" => ServerStatus::Unknown,
            other => ServerStatus::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            ServerStatus::Build => "BUILD",
            ServerStatus::Active => "ACTIVE",
            ServerStatus::Reboot => "REBOOT",
            ServerStatus::HardReboot => "HARD_REBOOT",
            ServerStatus::Rebuild => "REBUILD",
            ServerStatus::Migrating => "MIGRATING",
            ServerStatus::Resize => "RESIZE",
            ServerStatus::VerifyResize => "VERIFY_RESIZE",
            ServerStatus::RevertResize => "REVERT_RESIZE",
            ServerStatus::Shutoff => "SHUTOFF",
            ServerStatus::Error => "ERROR",
            ServerStatus::Deleted => "DELETED",
            ServerStatus::Shelved => "SHELVED",
            ServerStatus::ShelvedOffloaded => "SHELVED_OFFLOADED",
            ServerStatus::Unknown => "UNKNOWN",
            ServerStatus::Other(s) => s,
        }
    }
}

impl Default for ServerStatus {
    fn default() -> Self {
        ServerStatus::Other(String::new())
    }
}

lenient::wire_status!(ServerStatus);

/// The flavor as a server carries it (v1: numbers as strings; v1.1: integers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ServerFlavor {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::number")]
    pub vcpus: u64,
    /// MB.
    #[serde(deserialize_with = "lenient::number")]
    pub ram: u64,
    /// GB.
    #[serde(deserialize_with = "lenient::number")]
    pub disk: u64,
}

/// One address of a server on one VPC.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Address {
    #[serde(deserialize_with = "lenient::string")]
    pub addr: String,
    #[serde(deserialize_with = "lenient::number")]
    pub version: u64,
    /// `fixed` or `floating`.
    #[serde(rename = "OS-EXT-IPS:type", deserialize_with = "lenient::string")]
    pub kind: String,
    #[serde(
        rename = "OS-EXT-IPS-MAC:mac_addr",
        deserialize_with = "lenient::string"
    )]
    pub mac: String,
}

/// A disk as a server lists it (`os-extended-volumes:volumes_attached`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AttachedVolume {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub device: String,
    /// `0` is the boot disk.
    #[serde(rename = "bootIndex", deserialize_with = "lenient::opt_number")]
    pub boot_index: Option<u64>,
}

/// The error a server in `ERROR` carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ServerFault {
    #[serde(deserialize_with = "lenient::string")]
    pub code: String,
    #[serde(deserialize_with = "lenient::string")]
    pub message: String,
    #[serde(deserialize_with = "lenient::string")]
    pub details: String,
    pub created: Timestamp,
}

/// A server (`ServerDetail` of ECS v1 list and show).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Server {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    pub status: ServerStatus,
    #[serde(deserialize_with = "lenient::string")]
    pub description: String,
    pub created: Timestamp,
    pub updated: Timestamp,
    #[serde(rename = "OS-SRV-USG:launched_at")]
    pub launched_at: Timestamp,
    #[serde(deserialize_with = "lenient::or_default")]
    pub flavor: ServerFlavor,
    /// `image.id` of the body (empty for a server booted from a disk, where `image` is `""`).
    #[serde(rename = "image", deserialize_with = "image_id")]
    pub image_id: String,
    /// VPC id → addresses on it.
    #[serde(deserialize_with = "lenient::or_default")]
    pub addresses: BTreeMap<String, Vec<Address>>,
    #[serde(deserialize_with = "lenient::string_map")]
    pub metadata: BTreeMap<String, String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub key_name: Option<String>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub locked: bool,
    #[serde(deserialize_with = "lenient::list")]
    pub tags: Vec<String>,
    #[serde(
        rename = "OS-EXT-AZ:availability_zone",
        deserialize_with = "lenient::string"
    )]
    pub availability_zone: String,
    #[serde(rename = "OS-EXT-STS:vm_state", deserialize_with = "lenient::string")]
    pub vm_state: String,
    /// `None` when no transition runs.
    #[serde(
        rename = "OS-EXT-STS:task_state",
        deserialize_with = "lenient::opt_string"
    )]
    pub task_state: Option<String>,
    /// 0 NOSTATE, 1 RUNNING, 4 SHUTDOWN.
    #[serde(
        rename = "OS-EXT-STS:power_state",
        deserialize_with = "lenient::opt_number"
    )]
    pub power_state: Option<u64>,
    #[serde(
        rename = "os-extended-volumes:volumes_attached",
        deserialize_with = "lenient::list"
    )]
    pub volumes_attached: Vec<AttachedVolume>,
    #[serde(rename = "OS-EXT-SRV-ATTR:host", deserialize_with = "lenient::string")]
    pub host: String,
    #[serde(deserialize_with = "lenient::string")]
    pub host_status: String,
    #[serde(deserialize_with = "lenient::string")]
    pub tenant_id: String,
    #[serde(deserialize_with = "lenient::or_default")]
    pub fault: Option<ServerFault>,
}

fn image_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match &v {
        serde_json::Value::Object(_) => v.get("id").and_then(lenient::value_to_string),
        other => lenient::value_to_string(other),
    }
    .unwrap_or_default())
}

impl Server {
    /// The fixed IPv4/IPv6 addresses, in VPC order.
    pub fn ips(&self) -> Vec<&str> {
        self.addresses
            .values()
            .flatten()
            .map(|a| a.addr.as_str())
            .collect()
    }

    /// The VPC the server sits in (from `metadata.vpc_id`, else its first address).
    pub fn vpc_id(&self) -> Option<&str> {
        self.metadata
            .get("vpc_id")
            .map(String::as_str)
            .or_else(|| self.addresses.keys().next().map(String::as_str))
    }
}

/// The sale state of a flavor (`cond:operation:status`, or its AZ entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaleState {
    Normal,
    Abandon,
    Sellout,
    Obt,
    Promotion,
    Other(String),
}

impl SaleState {
    pub fn parse(text: &str) -> SaleState {
        match text.trim() {
            "normal" => SaleState::Normal,
            "abandon" => SaleState::Abandon,
            "sellout" => SaleState::Sellout,
            "obt" => SaleState::Obt,
            "promotion" => SaleState::Promotion,
            other => SaleState::Other(other.to_owned()),
        }
    }

    /// Whether a new server may use it (`abandon` and `sellout` hide the flavor).
    pub fn is_on_sale(&self) -> bool {
        !matches!(self, SaleState::Abandon | SaleState::Sellout)
    }
}

/// A flavor (`/cloudservers/flavors`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Flavor {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::number")]
    pub vcpus: u64,
    /// MB.
    #[serde(deserialize_with = "lenient::number")]
    pub ram: u64,
    #[serde(deserialize_with = "lenient::number")]
    pub disk: u64,
    #[serde(
        rename = "OS-FLV-DISABLED:disabled",
        deserialize_with = "lenient::boolean"
    )]
    pub disabled: bool,
    #[serde(deserialize_with = "lenient::string_map")]
    pub os_extra_specs: BTreeMap<String, String>,
}

impl Flavor {
    /// The flavor's overall sale state (`normal` when not given).
    pub fn sale_state(&self) -> SaleState {
        self.os_extra_specs
            .get("cond:operation:status")
            .map(|s| SaleState::parse(s))
            .unwrap_or(SaleState::Normal)
    }

    /// The sale state per AZ from `cond:operation:az` (`az1(normal),az2(sellout)`).
    pub fn sale_by_az(&self) -> Vec<(String, SaleState)> {
        let Some(spec) = self.os_extra_specs.get("cond:operation:az") else {
            return Vec::new();
        };
        spec.split(',')
            .filter_map(|part| {
                let part = part.trim();
                let (az, rest) = part.split_once('(')?;
                let state = rest.strip_suffix(')')?;
                Some((az.trim().to_owned(), SaleState::parse(state)))
            })
            .collect()
    }

    /// Whether a new server in `az` may use this flavor.
    pub fn on_sale_in(&self, az: &str) -> bool {
        if self.disabled || !self.sale_state().is_on_sale() {
            return false;
        }
        self.sale_by_az()
            .iter()
            .find(|(a, _)| a == az)
            .is_none_or(|(_, s)| s.is_on_sale())
    }

    pub fn performance_type(&self) -> Option<&str> {
        self.os_extra_specs
            .get("ecs:performancetype")
            .map(String::as_str)
    }
}

/// An availability zone (Nova `os-availability-zone`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AvailabilityZone {
    #[serde(rename = "zoneName", deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(rename = "zoneState", deserialize_with = "zone_available")]
    pub available: bool,
}

fn zone_available<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(v.get("available").and_then(serde_json::Value::as_bool) == Some(true))
}

/// ECS quotas (`/cloudservers/limits` → `absolute`). Missing numbers are `None`; `-1` means no limit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ComputeQuota {
    #[serde(rename = "maxTotalInstances", deserialize_with = "signed")]
    pub max_instances: Option<i64>,
    #[serde(rename = "totalInstancesUsed", deserialize_with = "signed")]
    pub instances_used: Option<i64>,
    #[serde(rename = "maxTotalCores", deserialize_with = "signed")]
    pub max_cores: Option<i64>,
    #[serde(rename = "totalCoresUsed", deserialize_with = "signed")]
    pub cores_used: Option<i64>,
    /// MB.
    #[serde(rename = "maxTotalRAMSize", deserialize_with = "signed")]
    pub max_ram_mb: Option<i64>,
    #[serde(rename = "totalRAMUsed", deserialize_with = "signed")]
    pub ram_used_mb: Option<i64>,
}

pub use super::lenient::signed;
