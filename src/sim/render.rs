//! The wire shapes (api.md §3–§7): flavor, disk, snapshot, image and job objects as JSON, with the
//! documented mix of string and number types and time formats (servers: `render_server`).

use serde_json::{Map, Value, json};

use super::clock::{Millis, iso_micros_nozone, iso_millis, iso_seconds};
use super::job::{Job, Service, SubJob};
use super::model::{Flavor, Image, Snapshot, Volume};
use super::task::{DiskChange, Task};
use super::world::World;

fn az_status(f: &Flavor, azs: &[String]) -> String {
    azs.iter()
        .map(|a| {
            format!(
                "{a}({})",
                if f.sold_out.contains(a) {
                    "sellout"
                } else {
                    "normal"
                }
            )
        })
        .collect::<Vec<_>>()
        .join(",")
}

pub fn flavor(f: &Flavor, azs: &[String], project: &str) -> Value {
    let all_sold = azs.iter().all(|a| f.sold_out.contains(a));
    json!({
        "id": f.id, "name": f.id, "vcpus": f.vcpus.to_string(), "ram": f.ram_mb, "disk": "0", "swap": "",
        "OS-FLV-EXT-DATA:ephemeral": 0, "OS-FLV-DISABLED:disabled": false, "rxtx_factor": 1.0,
        "rxtx_quota": null, "rxtx_cap": null, "os-flavor-access:is_public": true,
        "links": [{"rel": "self", "href": format!("/v1/{project}/cloudservers/flavors/{}", f.id), "type": null}],
        "os_extra_specs": {
            "ecs:performancetype": "normal", "ecs:generation": "hv1",
            "ecs:virtualization_env_types": "CloudCompute",
            "cond:operation:status": if all_sold { "sellout" } else { "normal" },
            "cond:operation:az": az_status(f, azs),
            "hw:numa_nodes": "1",
        },
        "attachableQuantity": {"free_scsi": 23, "free_blk": 23, "free_disk": 23, "free_nic": 11},
    })
}

pub fn volume(w: &World, v: &Volume) -> Value {
    let project = &w.regions[v.region].project_id;
    let attachments: Vec<Value> = v
        .attachment
        .iter()
        .map(|a| {
            let host = w.servers.get(&a.server_id).map_or("", |s| s.host.as_str());
            json!({"server_id": a.server_id, "attachment_id": a.attachment_id, "attached_at": iso_micros_nozone(a.attached_at),
                   "device": a.device, "host_name": host, "id": v.id, "volume_id": v.id})
        })
        .collect();
    let image_meta = match v.image_id.as_ref().and_then(|i| w.images.get(i)) {
        Some(i) => {
            json!({"image_id": i.id, "image_name": i.name, "min_disk": i.min_disk.to_string(), "min_ram": i.min_ram.to_string(), "__os_type": i.os_type})
        }
        None => json!({}),
    };
    json!({
        "id": v.id, "name": v.name, "description": v.description, "status": v.status, "size": v.size,
        "volume_type": v.volume_type, "bootable": if v.bootable { "true" } else { "false" },
        "availability_zone": v.az, "attachments": attachments, "multiattach": false,
        "metadata": {"hw:passthrough": "false", "__system__encrypted": "0"},
        "volume_image_metadata": image_meta,
        "snapshot_id": v.snapshot_id, "source_volid": null, "service_type": "EVS",
        "created_at": iso_micros_nozone(v.created), "updated_at": iso_micros_nozone(v.updated),
        "os-vol-tenant-attr:tenant_id": project, "os-vol-host-attr:host": format!("pod01.{}#{}", v.az, v.volume_type),
        "user_id": w.account.user_id, "encrypted": false, "replication_status": "disabled",
        "consistencygroup_id": null, "shareable": "false",
        "os-vol-mig-status-attr:migstat": null, "os-vol-mig-status-attr:name_id": null,
        "os-volume-replication:extended_status": null, "tags": {},
        "links": [{"rel": "self", "href": format!("/v2/{project}/volumes/{}", v.id)}],
    })
}

pub fn snapshot(w: &World, s: &Snapshot) -> Value {
    json!({
        "id": s.id, "name": s.name, "description": s.description, "status": s.status, "size": s.size,
        "volume_id": s.volume_id, "created_at": iso_micros_nozone(s.created), "updated_at": iso_micros_nozone(s.updated),
        "metadata": s.metadata,
        "os-extended-snapshot-attributes:progress": format!("{}%", s.progress),
        "os-extended-snapshot-attributes:project_id": w.regions[s.region].project_id,
        "service_type": "EVS",
    })
}

pub fn image(w: &World, i: &Image) -> Value {
    let owner = i
        .owner
        .map(|r| w.regions[r].project_id.clone())
        .unwrap_or_else(|| "1bed856811654c1cb661a6ca845ebc77".into());
    json!({
        "id": i.id, "name": i.name, "status": i.status,
        "visibility": if i.owner.is_some() { "private" } else { "public" },
        "__imagetype": if i.owner.is_some() { "private" } else { "gold" },
        "__os_type": i.os_type, "__os_version": i.os_version, "__platform": i.platform, "__os_bit": i.os_bit,
        "__image_size": i.size_bytes.to_string(), "__isregistered": "true", "__support_kvm": "false",
        "__image_source_type": "uds", "__description": i.description,
        "__data_origin": i.origin_server.as_ref().map(|s| format!("instance,{s}")).unwrap_or_default(),
        "min_disk": i.min_disk, "min_ram": i.min_ram, "disk_format": "vhd", "container_format": "bare",
        "owner": owner, "protected": i.owner.is_none(), "virtual_env_type": "FusionCompute",
        "tags": i.tags, "created_at": iso_seconds(i.created), "updated_at": iso_seconds(i.updated),
        "self": format!("/v2/images/{}", i.id), "file": format!("/v2/images/{}/file", i.id),
        "schema": "/v2/schemas/image", "size": 0, "virtual_size": null, "checksum": "d41d8cd98f00b204e9800998ecf8427e",
        "architecture": "x86",
        "active_at": if i.status == "active" { iso_seconds(i.updated) } else { String::new() },
    })
}

fn sub_entities(w: &World, sub: &SubJob, now: Millis) -> Value {
    let mut e = Map::new();
    if let Some(server) = sub.task.server() {
        e.insert("server_id".into(), json!(server));
    }
    match &sub.task {
        Task::Image { image, .. } => {
            e.insert("image_id".into(), json!(image));
            if let Some(i) = w.images.get(image) {
                e.insert("image_name".into(), json!(i.name));
            }
            let current = sub.steps.get(sub.done_steps).map(|s| s.task_state.clone());
            e.insert("current_task".into(), json!(current.unwrap_or_default()));
        }
        Task::Attach { volume, .. } | Task::Detach { volume, .. } => {
            e.insert("volume_id".into(), json!(volume));
        }
        Task::Disk { volume, change } => {
            e.insert("volume_id".into(), json!(volume));
            if let Some(v) = w.volumes.get(volume) {
                let size = match change {
                    DiskChange::Extend { new_size, .. } => *new_size,
                    _ => v.size,
                };
                e.insert("name".into(), json!(v.name));
                e.insert("size".into(), json!(size));
                e.insert("volume_type".into(), json!(v.volume_type));
            }
        }
        _ => {}
    }
    if let Some(reason) = &sub.fail_reason {
        let nested = json!({"badRequest": {"code": 400, "message": reason}}).to_string();
        e.insert("errorcode_message".into(), json!(nested));
    }
    e.insert("process_percent".into(), json!(sub.percent(now)));
    Value::Object(e)
}

fn common(
    job_id: &str,
    job_type: &str,
    status: &str,
    begin: Millis,
    end: Option<Millis>,
    code: &Option<String>,
    reason: &Option<String>,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("job_id".into(), json!(job_id));
    m.insert("job_type".into(), json!(job_type));
    m.insert("status".into(), json!(status));
    m.insert("begin_time".into(), json!(iso_millis(begin)));
    m.insert(
        "end_time".into(),
        json!(end.map(iso_millis).unwrap_or_default()),
    );
    m.insert("error_code".into(), json!(code));
    m.insert("fail_reason".into(), json!(reason));
    m
}

/// A job's sub-jobs, each with its entities.
fn sub_jobs(w: &World, j: &Job, now: Millis) -> Vec<Value> {
    j.subs
        .iter()
        .map(|s| {
            let mut sm = common(
                &s.id,
                &s.job_type,
                s.status.wire(),
                s.begin,
                s.end,
                &s.error_code,
                &s.fail_reason,
            );
            sm.insert("entities".into(), sub_entities(w, s, now));
            Value::Object(sm)
        })
        .collect()
}

/// `GET /v1/{p}/jobs/{job_id}`: ECS jobs carry `sub_jobs`, IMS and EVS jobs their entities flat.
pub fn job(w: &World, j: &Job, now: Millis) -> Value {
    let mut m = common(
        &j.id,
        &j.job_type,
        j.status.wire(),
        j.begin,
        j.end,
        &j.error_code,
        &j.fail_reason,
    );
    let entities = match j.service {
        Service::Ecs => {
            let subs = sub_jobs(w, j, now);
            let pct = if j.subs.is_empty() {
                100
            } else {
                j.subs
                    .iter()
                    .map(|s| s.percent(now) as usize)
                    .sum::<usize>()
                    / j.subs.len()
            };
            let mut e =
                json!({"sub_jobs_total": j.subs.len(), "sub_jobs": subs, "process_percent": pct});
            if let (1, Some(server)) = (j.subs.len(), j.subs.first().and_then(|s| s.task.server()))
            {
                e["server_id"] = json!(server);
            }
            e
        }
        Service::Evs if j.subs.len() > 1 => {
            json!({"sub_jobs": sub_jobs(w, j, now)})
        }
        Service::Ims | Service::Evs => j
            .subs
            .first()
            .map(|s| sub_entities(w, s, now))
            .unwrap_or_else(|| json!({})),
    };
    m.insert("entities".into(), entities);
    Value::Object(m)
}
