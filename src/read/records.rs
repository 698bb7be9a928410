//! The typed records a list is made of (a server, an image, a snapshot, a disk, a region, an AZ),
//! each made from the gateway's model: what a person reads of it, ready for display.

use chrono::Local;

use crate::gateway::model::{Disk, Image, Keypair, Server, Snapshot, Timestamp};

/// What a server row is made of (the gateway's model is converted into this).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerFields {
    pub id: String,
    pub name: String,
    pub status: String,
    pub task_state: String,
    /// The region the server is in (the console stamps it with the region it read).
    pub region: String,
    pub az: String,
    pub flavor: String,
    pub ip: String,
    pub image: String,
    /// Already formatted for display (`2026-11-25 14:03`).
    pub created: String,
    /// The id of the image it was made from (empty for a server booted from a disk).
    pub image_id: String,
    /// The Hyper-V host it runs on (`OS-EXT-SRV-ATTR:host`; empty when the gateway hides it).
    pub host: String,
    /// Its tags, `key=value` (or `key` alone for an empty value), in the API's order.
    pub tags: Vec<String>,
    pub vcpus: u64,
    pub ram_mb: u64,
}

/// A server is known by its id in the page walk.
impl crate::gateway::model::Row for ServerFields {
    fn row_id(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(&self.id)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageFields {
    pub id: String,
    pub name: String,
    pub status: String,
    pub os: String,
    /// `public`, `private`, `shared`, `market` (the IMS `__imagetype` in words: `type_word`).
    pub image_type: String,
    pub size: String,
    pub min_disk: String,
    pub created: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnapshotFields {
    pub id: String,
    pub name: String,
    pub status: String,
    pub size: String,
    pub disk: String,
    pub progress: String,
    pub created: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiskFields {
    pub id: String,
    pub name: String,
    pub status: String,
    pub size: String,
    pub disk_type: String,
    pub az: String,
    pub server: String,
    pub device: String,
    pub bootable: bool,
    /// The id of the server it is attached to (empty: none).
    pub server_id: String,
}

/// A key pair: its name (which is its id), type and fingerprint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeypairFields {
    pub name: String,
    /// `ssh` or `x509`; empty when the API does not say.
    pub kind: String,
    pub fingerprint: String,
}

/// A region in the side pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    pub id: String,
}

/// An availability zone in the side pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzRow {
    pub name: String,
    pub available: bool,
}

/// A time for a table cell: local, to the minute; the API's text when it did not parse.
pub fn when(t: &Timestamp) -> String {
    match t.utc {
        Some(u) => u.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        None => t.text.clone(),
    }
}

/// A server's image as a person knows it: the name the metadata keeps, else the image id (a
/// server booted from a disk has neither in `image`).
pub(crate) fn image_name(s: &Server) -> String {
    s.metadata
        .get("image_name")
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| s.image_id.clone())
}

pub fn server_record(s: &Server) -> ServerFields {
    let image = image_name(s);
    ServerFields {
        id: s.id.clone(),
        name: s.name.clone(),
        status: s.status.as_str().to_owned(),
        task_state: s.task_state.clone().unwrap_or_default(),
        // The console stamps the row with the region it read it in.
        region: String::new(),
        az: s.availability_zone.clone(),
        flavor: s.flavor.name.clone(),
        ip: s.ips().first().map(|a| (*a).to_owned()).unwrap_or_default(),
        image,
        created: when(&s.created),
        image_id: s.image_id.clone(),
        host: s.host.clone(),
        tags: s.tags.iter().map(|t| tag_text(t)).collect(),
        vcpus: s.flavor.vcpus,
        ram_mb: s.flavor.ram,
    }
}

/// A tag as the list shows it: `key=value`, or `key` alone when its value is empty (ECS lists
/// tags as `key=value` strings; an older form, `key.value`, is left as it is).
fn tag_text(t: &str) -> String {
    t.strip_suffix('=').unwrap_or(t).to_owned()
}

pub fn image_record(i: &Image) -> ImageFields {
    ImageFields {
        id: i.id.clone(),
        name: i.name.clone(),
        status: i.status.clone(),
        os: os_text(i),
        image_type: type_word(&i.image_type).to_owned(),
        size: i.image_size.map(gib).unwrap_or_default(),
        min_disk: format!("{} GB", i.min_disk),
        created: when(&i.created_at),
    }
}

/// The word for an IMS `__imagetype`: `gold` is a public image.
pub fn type_word(api: &str) -> &str {
    match api {
        "gold" => "public",
        other => other,
    }
}

/// The server an image was made from: IMS `__data_origin` is `instance,<server id>` for an image
/// of a server (`file,…`, `server_backup,…` or empty otherwise).
pub fn origin_server(i: &Image) -> Option<&str> {
    i.data_origin
        .strip_prefix("instance,")
        .map(str::trim)
        .filter(|id| !id.is_empty())
}

/// An image's OS as people read it: its version ("Windows Server 2019 64bit"), else its type.
pub fn os_text(i: &Image) -> String {
    if i.os_version.is_empty() {
        i.os_type.clone()
    } else {
        i.os_version.clone()
    }
}

/// Bytes as GB with one decimal.
fn gib(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / (1u64 << 30) as f64)
}

/// `server` names the server a disk is attached to (its name when known, else its id).
pub fn disk_record(d: &Disk, server: impl Fn(&str) -> String) -> DiskFields {
    let att = d.attachments.first();
    DiskFields {
        id: d.id.clone(),
        name: d.name.clone(),
        status: d.status.clone(),
        size: d.size.to_string(),
        disk_type: d.volume_type.clone(),
        az: d.availability_zone.clone(),
        server: att.map(|a| server(&a.server_id)).unwrap_or_default(),
        device: att.map(|a| a.device.clone()).unwrap_or_default(),
        bootable: d.bootable,
        server_id: att.map(|a| a.server_id.clone()).unwrap_or_default(),
    }
}

/// `disk` names the snapshot's source disk.
pub fn snapshot_record(s: &Snapshot, disk: impl Fn(&str) -> String) -> SnapshotFields {
    SnapshotFields {
        id: s.id.clone(),
        name: s.name.clone(),
        status: s.status.clone(),
        size: s.size.to_string(),
        disk: disk(&s.volume_id),
        progress: s.progress.clone(),
        created: when(&s.created_at),
    }
}

pub fn keypair_record(k: &Keypair) -> KeypairFields {
    KeypairFields {
        name: k.name.clone(),
        kind: k.kind.clone(),
        fingerprint: k.fingerprint.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> serde_json::Value {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn documented_images_disks_snapshots_become_records() {
        let images = fixture("ims_list_images.response.json");
        let i: Image = crate::gateway::decode(&images["images"][0]);
        assert_eq!(image_record(&i).id, i.id);
        let vols = fixture("evs_list_volumes.response.json");
        let d: Disk = crate::gateway::decode(&vols["volumes"][0]);
        let row = disk_record(&d, |id| format!("srv:{id}"));
        assert_eq!(row.id, d.id);
        if let Some(a) = d.attachments.first() {
            assert_eq!(row.server, format!("srv:{}", a.server_id));
        }
        let snaps = fixture("evs_list_snapshots.response.json");
        let s: Snapshot = crate::gateway::decode(&snaps["snapshots"][0]);
        assert_eq!(snapshot_record(&s, |v| v.to_owned()).disk, s.volume_id);
    }
}
