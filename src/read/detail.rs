//! A describe view's lines: a server's (what an operator looks for first, then every field) and
//! any other object's (every field of its JSON), with the raw JSON.

use crate::runner::precondition::IN_ERROR;
use serde_json::Value;

use super::catalog::ram_text;
use super::records::{image_name, image_record, origin_server, when};
use super::snapshot_sets::{SnapshotSet, of_server};
use super::source::{Detail, DetailLine};
use crate::gateway::model::{Disk, Image, Server};

/// A server's describe: what an operator looks for first (state, host, fault, disks,
/// addresses), then every field of the API's object. Its disks as EVS lists them (device, size,
/// type, status), else as its block devices or `volumes_attached` name them.
pub fn server_detail(raw: &Value, block_devices: &[Value], disks: &[Disk]) -> Detail {
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
        f("tags", s.tags.join(" ")),
    ];
    if s.status.as_str() == "ERROR" {
        lines.push(f("takes", IN_ERROR.to_owned()));
    }
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
    let listed = disk_lines(&s.id, disks, &mut lines);
    for b in block_devices.iter().filter(|_| !listed) {
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
    if block_devices.is_empty() && !listed {
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

/// "/dev/vdb  data-1  40 GB  SSD  in-use", one line per disk attached to `server`, by device;
/// whether there was any.
fn disk_lines(server: &str, disks: &[Disk], lines: &mut Vec<DetailLine>) -> bool {
    // A gateway that ignores the list's `server_id` filter answers with other disks too.
    let mut rows: Vec<(String, String)> = disks
        .iter()
        .filter_map(|d| {
            let device = d
                .attachments
                .iter()
                .find(|a| a.server_id == server)?
                .device
                .clone();
            let system = if d.bootable { "  (system)" } else { "" };
            let text = format!(
                "{}  {} GB  {}  {}{system}  {}",
                d.name, d.size, d.volume_type, d.status, d.id
            );
            Some((device, text))
        })
        .collect();
    rows.sort();
    let any = !rows.is_empty();
    lines.extend(rows.into_iter().map(|(k, v)| DetailLine::Field(k, v)));
    any
}

/// A server's snapshot sets (`snapshot_sets.rs`: tagged with it, or of one of its `disks`),
/// newest first, as a section after its disks: one line per set (name, time, disks, size,
/// status), or why they could not be read.
pub fn snapshot_set_lines(
    detail: &mut Detail,
    server_id: &str,
    disks: &[String],
    sets: Result<Vec<SnapshotSet>, String>,
) {
    let mut lines = vec![DetailLine::Section("Snapshot sets".into())];
    match &sets {
        Err(e) => lines.push(DetailLine::Field("(not read)".into(), e.clone())),
        Ok(all) => {
            let mine = of_server(all, server_id, disks);
            if mine.is_empty() {
                lines.push(DetailLine::Field("(none)".into(), String::new()));
            }
            for s in mine {
                lines.push(DetailLine::Field(
                    s.name(),
                    format!(
                        "{}  {} disk(s)  {} GB  {}  {}",
                        when(&s.taken),
                        s.members.len(),
                        s.size_gb,
                        s.status,
                        s.set
                    ),
                ));
            }
        }
    }
    let at = detail
        .lines
        .iter()
        .position(|l| *l == DetailLine::Section("Addresses".into()))
        .unwrap_or(detail.lines.len());
    detail.lines.splice(at..at, lines);
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

/// An image's describe: what it is (type, size, minimum disk and RAM, OS, the server it was made
/// from, by id: the console names it and adds the servers made from it), then every field.
pub fn image_detail(raw: &Value) -> Detail {
    let i: Image = crate::gateway::decode(raw);
    let r = image_record(&i);
    let f = |k: &str, v: String| DetailLine::Field(k.to_owned(), v);
    let mut lines = vec![
        f("name", r.name),
        f("id", r.id),
        f("status", r.status),
        f("type", r.image_type),
        f("size", r.size),
        f("min disk", r.min_disk),
        f("min RAM", ram_text(i.min_ram)),
        f("OS", r.os),
        f(
            FROM_SERVER,
            origin_server(&i).unwrap_or_default().to_owned(),
        ),
        f("created", r.created),
    ];
    all_fields(raw, &mut lines);
    Detail {
        lines,
        raw_json: pretty(raw),
    }
}

/// The line of an image's describe that names the server it was made from.
pub const FROM_SERVER: &str = "from server";

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

    fn fixture(name: &str) -> Value {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn documented_servers_become_details() {
        let body = fixture("ecs_list_servers_detail.response.json");
        let raw = &body["servers"][0];
        let s: Server = crate::gateway::decode(raw);
        let d = server_detail(raw, &[], &[]);
        assert!(d.lines.contains(&DetailLine::Section("Addresses".into())));
        assert!(
            d.lines.iter().any(
                |l| matches!(l, DetailLine::Field(k, _) if k == "OS-EXT-AZ:availability_zone")
            )
        );
        assert!(d.raw_json.contains(&s.id));
    }

    #[test]
    fn describe_lists_the_server_s_disks_by_device_with_size_type_and_status() {
        let body = fixture("ecs_list_servers_detail.response.json");
        let raw = &body["servers"][0];
        let s: Server = crate::gateway::decode(raw);
        let vols = fixture("evs_list_volumes.response.json");
        let mut d: Disk = crate::gateway::decode(&vols["volumes"][0]);
        d.name = "data-1".into();
        d.size = 40;
        d.volume_type = "SSD".into();
        d.status = "in-use".into();
        d.bootable = false;
        d.attachments = vec![crate::gateway::model::DiskAttachment {
            server_id: s.id.clone(),
            device: "/dev/vdb".into(),
            ..Default::default()
        }];
        let mut other = d.clone();
        other.attachments[0].server_id = "another".into();
        let detail = server_detail(raw, &[], &[other, d]);
        let at = detail
            .lines
            .iter()
            .position(|l| *l == DetailLine::Section("Disks".into()))
            .unwrap();
        let DetailLine::Field(device, text) = &detail.lines[at + 1] else {
            panic!("{:?}", detail.lines[at + 1]);
        };
        assert_eq!(device, "/dev/vdb");
        assert!(text.starts_with("data-1  40 GB  SSD  in-use"), "{text}");
        assert_eq!(
            detail.lines[at + 2],
            DetailLine::Section("Addresses".into()),
            "a disk of another server is not listed"
        );
    }

    #[test]
    fn describe_names_the_image_the_row_shows() {
        let body = fixture("ecs_list_servers_detail.response.json");
        let mut raw = body["servers"][0].clone();
        raw["metadata"]["image_name"] = "win2019".into();
        raw["image"] = serde_json::json!({"id": ""});
        let s: Server = crate::gateway::decode(&raw);
        assert_eq!(crate::read::records::server_record(&s).image, "win2019");
        let image = |d: &Detail| {
            d.lines.iter().find_map(|l| match l {
                DetailLine::Field(k, v) if k == "image" => Some(v.clone()),
                _ => None,
            })
        };
        assert_eq!(
            image(&server_detail(&raw, &[], &[])).as_deref(),
            Some("win2019")
        );
        raw["image"] = serde_json::json!({"id": "img-1"});
        assert_eq!(
            image(&server_detail(&raw, &[], &[])).as_deref(),
            Some("win2019 (img-1)")
        );
    }

    #[test]
    fn an_image_describe_says_what_it_is_and_the_server_it_came_from() {
        let raw = serde_json::json!({
            "id": "img-9", "name": "gold", "status": "active", "__imagetype": "gold",
            "__os_version": "CentOS 7.6 64bit", "__image_size": "2147483648",
            "min_disk": 40, "min_ram": 2048, "__data_origin": "instance,srv-1",
        });
        let d = image_detail(&raw);
        let field = |k: &str| {
            d.lines.iter().find_map(|l| match l {
                DetailLine::Field(key, v) if key == k => Some(v.clone()),
                _ => None,
            })
        };
        assert_eq!(field("type").as_deref(), Some("public"));
        assert_eq!(field("size").as_deref(), Some("2.0 GB"));
        assert_eq!(field("min disk").as_deref(), Some("40 GB"));
        assert_eq!(field("min RAM").as_deref(), Some("2 GB"));
        assert_eq!(field("OS").as_deref(), Some("CentOS 7.6 64bit"));
        assert_eq!(field(FROM_SERVER).as_deref(), Some("srv-1"));
        assert!(d.lines.contains(&DetailLine::Section("All fields".into())));
        let public = image_detail(&serde_json::json!({"id": "i", "__data_origin": ""}));
        assert!(
            public
                .lines
                .contains(&DetailLine::Field(FROM_SERVER.into(), String::new()))
        );
    }
    #[test]
    fn a_servers_sets_come_after_its_disks_newest_first_or_why_they_were_not_read() {
        use crate::gateway::model::{Snapshot, Timestamp};
        use crate::runner::snapshot::op::{SERVER_KEY, SET_KEY};
        let raw =
            serde_json::json!({"server": {"id": "s-1", "name": "web-01", "status": "ACTIVE"}});
        let snap = |id: &str, set: &str, server: &str, at: &str| {
            let mut s = Snapshot {
                id: id.into(),
                name: format!("{set}-name"),
                status: "available".into(),
                size: 10,
                volume_id: format!("d-{id}"),
                created_at: Timestamp::parse(at),
                ..Snapshot::default()
            };
            s.metadata.insert(SET_KEY.into(), set.into());
            s.metadata.insert(SERVER_KEY.into(), server.into());
            s
        };
        let snaps = [
            snap("a", "set-old", "s-1", "2026-12-01T10:00:00"),
            snap("b", "set-new", "s-1", "2026-12-07T10:00:00"),
            snap("c", "set-other", "s-2", "2026-12-07T11:00:00"),
        ];
        let mut d = server_detail(&raw["server"], &[], &[]);
        let sets = crate::read::snapshot_sets::group(&snaps, |_| None);
        snapshot_set_lines(&mut d, "s-1", &[], Ok(sets));
        let names: Vec<String> = d
            .lines
            .iter()
            .skip_while(|l| **l != DetailLine::Section("Snapshot sets".into()))
            .take_while(|l| **l != DetailLine::Section("Addresses".into()))
            .filter_map(|l| match l {
                DetailLine::Field(k, _) => Some(k.clone()),
                DetailLine::Section(_) => None,
            })
            .collect();
        assert_eq!(names, ["set-new-name", "set-old-name"]);
        let mut d = server_detail(&raw["server"], &[], &[]);
        snapshot_set_lines(&mut d, "s-1", &[], Err("EVS is down".into()));
        assert!(d.lines.contains(&DetailLine::Field(
            "(not read)".into(),
            "EVS is down".into()
        )));
    }
}
