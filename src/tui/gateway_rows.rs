//! The gateway's models made into the console's compact rows and describe lines.

use chrono::Local;
use serde_json::Value;

use super::rows::{
    DiskFields, DiskRow, ImageFields, ImageRow, ServerFields, ServerRow, SnapshotFields,
    SnapshotRow,
};
use super::source::{Detail, DetailLine};
use crate::gateway::model::{Disk, Image, Server, Snapshot, Timestamp};

/// A time for a table cell: local, to the minute; the API's text when it did not parse.
pub fn when(t: &Timestamp) -> String {
    match t.utc {
        Some(u) => u.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
        None => t.text.clone(),
    }
}

/// A server's image as a person knows it: the name the metadata keeps, else the image id (a
/// server booted from a disk has neither in `image`).
fn image_name(s: &Server) -> String {
    s.metadata
        .get("image_name")
        .filter(|n| !n.is_empty())
        .cloned()
        .unwrap_or_else(|| s.image_id.clone())
}

pub fn server_row(s: &Server) -> ServerRow {
    let image = image_name(s);
    ServerRow::new(&ServerFields {
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
    })
}

pub fn image_row(i: &Image) -> ImageRow {
    ImageRow::new(&ImageFields {
        id: i.id.clone(),
        name: i.name.clone(),
        status: i.status.clone(),
        os: if i.os_version.is_empty() {
            i.os_type.clone()
        } else {
            i.os_version.clone()
        },
        image_type: i.image_type.clone(),
        size: i.image_size.map(gib).unwrap_or_default(),
        min_disk: format!("{} GB", i.min_disk),
        created: when(&i.created_at),
    })
}

/// Bytes as GB with one decimal.
fn gib(bytes: u64) -> String {
    format!("{:.1} GB", bytes as f64 / (1u64 << 30) as f64)
}

/// `server` names the server a disk is attached to (its name when known, else its id).
pub fn disk_row(d: &Disk, server: impl Fn(&str) -> String) -> DiskRow {
    let att = d.attachments.first();
    DiskRow::new(&DiskFields {
        id: d.id.clone(),
        name: d.name.clone(),
        status: d.status.clone(),
        size: d.size.to_string(),
        disk_type: d.volume_type.clone(),
        az: d.availability_zone.clone(),
        server: att.map(|a| server(&a.server_id)).unwrap_or_default(),
        device: att.map(|a| a.device.clone()).unwrap_or_default(),
        bootable: d.bootable,
    })
}

/// `disk` names the snapshot's source disk.
pub fn snapshot_row(s: &Snapshot, disk: impl Fn(&str) -> String) -> SnapshotRow {
    SnapshotRow::new(&SnapshotFields {
        id: s.id.clone(),
        name: s.name.clone(),
        status: s.status.clone(),
        size: s.size.to_string(),
        disk: disk(&s.volume_id),
        progress: s.progress.clone(),
        created: when(&s.created_at),
    })
}

/// A server's describe: what an operator looks for first (state, host, fault, disks,
/// addresses), then every field of the API's object.
pub fn server_detail(raw: &Value, block_devices: &[Value]) -> Detail {
    let s: Server = crate::gateway::decode(raw);
    let f = |k: &str, v: String| DetailLine::Field(k.to_owned(), v);
    let mut lines = vec![
        f("name", s.name.clone()),
        f("id", s.id.clone()),
        f("status", s.status.as_str().to_owned()),
        f("task", s.task_state.clone().unwrap_or_default()),
        f(
            "power",
            match s.power_state {
                Some(1) => "running".to_owned(),
                Some(4) => "shut down".to_owned(),
                Some(n) => n.to_string(),
                None => String::new(),
            },
        ),
        f("az", s.availability_zone.clone()),
        f("host", s.host.clone()),
        f("host status", s.host_status.clone()),
        f(
            "flavor",
            format!(
                "{} ({} vCPU, {} MB)",
                s.flavor.name, s.flavor.vcpus, s.flavor.ram
            ),
        ),
        f(
            "image",
            match (image_name(&s), s.image_id.as_str()) {
                (name, id) if id.is_empty() || name == id => name,
                (name, id) => format!("{name} ({id})"),
            },
        ),
        f("created", s.created.to_string()),
        f("locked", s.locked.to_string()),
    ];
    if let Some(fault) = &s.fault {
        lines.push(DetailLine::Section("Fault".into()));
        lines.push(f("code", fault.code.clone()));
        lines.push(f("message", fault.message.clone()));
        if !fault.details.is_empty() {
            lines.push(f("details", fault.details.clone()));
        }
        lines.push(f("created", fault.created.to_string()));
    }
    lines.push(DetailLine::Section("Disks".into()));
    for b in block_devices {
        let text = |k: &str| b.get(k).map(scalar).unwrap_or_default();
        let boot = if text("bootIndex") == "0" {
            " (system)"
        } else {
            ""
        };
        lines.push(f(
            &text("device"),
            format!("{}  {} GB{boot}", text("volumeId"), text("size")),
        ));
    }
    if block_devices.is_empty() {
        for v in &s.volumes_attached {
            lines.push(f(&v.device, v.id.clone()));
        }
    }
    lines.push(DetailLine::Section("Addresses".into()));
    for (vpc, addrs) in &s.addresses {
        for a in addrs {
            lines.push(f(vpc, format!("{} {} {}", a.addr, a.kind, a.mac)));
        }
    }
    all_fields(raw, &mut lines);
    Detail {
        lines,
        raw_json: pretty(raw),
    }
}

/// Any other object: every field of its JSON.
pub fn plain_detail(raw: &Value) -> Detail {
    let mut lines = Vec::new();
    all_fields(raw, &mut lines);
    Detail {
        lines,
        raw_json: pretty(raw),
    }
}

fn all_fields(raw: &Value, lines: &mut Vec<DetailLine>) {
    lines.push(DetailLine::Section("All fields".into()));
    flatten("", raw, lines);
}

fn flatten(prefix: &str, v: &Value, out: &mut Vec<DetailLine>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, v) in m {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for (i, v) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), v, out);
            }
        }
        other => out.push(DetailLine::Field(prefix.to_owned(), scalar(other))),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Object(_) => "{}".to_owned(),
        Value::Array(_) => "[]".to_owned(),
        other => other.to_string(),
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::rows::{Row, StatusClass};

    fn fixture(name: &str) -> Value {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn documented_servers_become_rows_and_details() {
        let body = fixture("ecs_list_servers_detail.response.json");
        let raw = &body["servers"][0];
        let s: Server = crate::gateway::decode(raw);
        let r = server_row(&s);
        assert_eq!(r.id(), s.id);
        assert_eq!(r.name(), s.name);
        assert_ne!(r.status(), StatusClass::Unknown);
        let d = server_detail(raw, &[]);
        assert!(d.lines.contains(&DetailLine::Section("Addresses".into())));
        assert!(
            d.lines.iter().any(
                |l| matches!(l, DetailLine::Field(k, _) if k == "OS-EXT-AZ:availability_zone")
            )
        );
        assert!(d.raw_json.contains(&s.id));
    }

    #[test]
    fn describe_names_the_image_the_row_shows() {
        let body = fixture("ecs_list_servers_detail.response.json");
        let mut raw = body["servers"][0].clone();
        raw["metadata"]["image_name"] = "win2019".into();
        raw["image"] = serde_json::json!({"id": ""});
        let s: Server = crate::gateway::decode(&raw);
        assert_eq!(server_row(&s).field("image"), "win2019");
        let image = |d: &Detail| {
            d.lines.iter().find_map(|l| match l {
                DetailLine::Field(k, v) if k == "image" => Some(v.clone()),
                _ => None,
            })
        };
        assert_eq!(image(&server_detail(&raw, &[])).as_deref(), Some("win2019"));
        raw["image"] = serde_json::json!({"id": "img-1"});
        assert_eq!(
            image(&server_detail(&raw, &[])).as_deref(),
            Some("win2019 (img-1)")
        );
    }

    #[test]
    fn documented_images_disks_snapshots_become_rows() {
        let images = fixture("ims_list_images.response.json");
        let i: Image = crate::gateway::decode(&images["images"][0]);
        assert_eq!(image_row(&i).id(), i.id);
        let vols = fixture("evs_list_volumes.response.json");
        let d: Disk = crate::gateway::decode(&vols["volumes"][0]);
        let row = disk_row(&d, |id| format!("srv:{id}"));
        assert_eq!(row.id(), d.id);
        if let Some(a) = d.attachments.first() {
            assert_eq!(row.field("server"), format!("srv:{}", a.server_id));
        }
        let snaps = fixture("evs_list_snapshots.response.json");
        let s: Snapshot = crate::gateway::decode(&snaps["snapshots"][0]);
        assert_eq!(
            snapshot_row(&s, |v| v.to_owned()).field("disk"),
            s.volume_id
        );
    }
}
