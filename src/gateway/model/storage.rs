//! IMS images, EVS disks and snapshots, and the EVS / IMS quotas.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::compute::signed;
use super::lenient::{self, Timestamp};

/// An image (IMS `/v2/cloudimages` item or Glance show). The `__` attributes are strings.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Image {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// `queued`, `saving`, `active`, `killed`, `deleted`, or as received.
    #[serde(deserialize_with = "lenient::string")]
    pub status: String,
    #[serde(deserialize_with = "lenient::string")]
    pub visibility: String,
    /// `gold` (public), `private`, `shared`, `market`.
    #[serde(rename = "__imagetype", deserialize_with = "lenient::string")]
    pub image_type: String,
    #[serde(rename = "__os_type", deserialize_with = "lenient::string")]
    pub os_type: String,
    #[serde(rename = "__os_version", deserialize_with = "lenient::string")]
    pub os_version: String,
    #[serde(rename = "__platform", deserialize_with = "lenient::string")]
    pub platform: String,
    #[serde(rename = "__os_bit", deserialize_with = "lenient::opt_number")]
    pub os_bit: Option<u64>,
    /// Bytes.
    #[serde(rename = "__image_size", deserialize_with = "lenient::opt_number")]
    pub image_size: Option<u64>,
    /// GB.
    #[serde(deserialize_with = "lenient::number")]
    pub min_disk: u64,
    /// MB.
    #[serde(deserialize_with = "lenient::number")]
    pub min_ram: u64,
    #[serde(deserialize_with = "lenient::string")]
    pub disk_format: String,
    #[serde(deserialize_with = "lenient::string")]
    pub owner: String,
    #[serde(deserialize_with = "lenient::boolean")]
    pub protected: bool,
    #[serde(deserialize_with = "lenient::string")]
    pub virtual_env_type: String,
    #[serde(deserialize_with = "lenient::list")]
    pub tags: Vec<String>,
    /// Where it came from: `instance,<server id>` for an image of a server; empty for a public one.
    #[serde(rename = "__data_origin", deserialize_with = "lenient::string")]
    pub data_origin: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Where a disk is attached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DiskAttachment {
    #[serde(deserialize_with = "lenient::string")]
    pub server_id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub device: String,
    #[serde(deserialize_with = "lenient::string")]
    pub attachment_id: String,
    pub attached_at: Timestamp,
}

/// An EVS disk (`/cloudvolumes/detail` item, show `volume`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Disk {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    /// `available`, `in-use`, `rollbacking`, … as received.
    #[serde(deserialize_with = "lenient::string")]
    pub status: String,
    /// GB.
    #[serde(deserialize_with = "lenient::number")]
    pub size: u64,
    #[serde(deserialize_with = "lenient::string")]
    pub volume_type: String,
    #[serde(deserialize_with = "lenient::boolean")]
    pub bootable: bool,
    #[serde(deserialize_with = "lenient::string")]
    pub availability_zone: String,
    #[serde(deserialize_with = "lenient::list")]
    pub attachments: Vec<DiskAttachment>,
    #[serde(deserialize_with = "lenient::boolean")]
    pub multiattach: bool,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub snapshot_id: Option<String>,
    #[serde(deserialize_with = "lenient::string_map")]
    pub metadata: BTreeMap<String, String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Disk {
    /// The servers the disk is attached to.
    pub fn server_ids(&self) -> Vec<&str> {
        self.attachments
            .iter()
            .map(|a| a.server_id.as_str())
            .collect()
    }
}

/// An EVS snapshot.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    #[serde(deserialize_with = "lenient::string")]
    pub id: String,
    #[serde(deserialize_with = "lenient::string")]
    pub name: String,
    #[serde(deserialize_with = "lenient::string")]
    pub description: String,
    #[serde(deserialize_with = "lenient::string")]
    pub status: String,
    /// GB.
    #[serde(deserialize_with = "lenient::number")]
    pub size: u64,
    #[serde(deserialize_with = "lenient::string")]
    pub volume_id: String,
    /// `"100%"` as received; see [`Snapshot::progress_percent`].
    #[serde(
        rename = "os-extended-snapshot-attributes:progress",
        deserialize_with = "lenient::string"
    )]
    pub progress: String,
    #[serde(deserialize_with = "lenient::string_map")]
    pub metadata: BTreeMap<String, String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Snapshot {
    pub fn progress_percent(&self) -> Option<u64> {
        self.progress.trim().trim_end_matches('%').parse().ok()
    }

    /// Made automatically by a server backup (`__system__enableActive`).
    pub fn is_automatic(&self) -> bool {
        self.metadata
            .get("__system__enableActive")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// One EVS quota line (`in_use`, `limit`, `reserved`; `-1` = unlimited).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct QuotaUsage {
    #[serde(deserialize_with = "signed")]
    pub in_use: Option<i64>,
    #[serde(deserialize_with = "signed")]
    pub limit: Option<i64>,
    #[serde(deserialize_with = "signed")]
    pub reserved: Option<i64>,
}

/// One IMS quota line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ImageQuota {
    #[serde(rename = "type", deserialize_with = "lenient::string")]
    pub kind: String,
    #[serde(deserialize_with = "signed")]
    pub used: Option<i64>,
    #[serde(deserialize_with = "signed")]
    pub quota: Option<i64>,
}
