//! EVS disk changes: create (`count`, the volume and gigabyte quotas, `X-Client-Token`), rename,
//! expand (only grows; an in-use disk too) and delete (an `available` or failed disk without
//! snapshots), each but the rename a job of EVS's job API.

use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::change::{submit, submit_one};
use super::evs::{not_found, volume};
use super::input::{Evs, JsonBody, Project, Relabel, Svc};
use crate::sim::clock::now_ms;
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::job::Service;
use crate::sim::model::Volume;
use crate::sim::quota;
use crate::sim::render;
use crate::sim::seed::VOLUME_TYPES;
use crate::sim::task::{DiskChange, Task};
use crate::sim::vm::VmStatus;
use crate::sim::world::World;

type P2 = Path<(String, String)>;

/// A data disk's size range in GB (EVS: 10 GB to 32 TB).
const DATA_GB: (u64, u64) = (10, 32768);
/// A system disk grows to 1 TB at most.
const SYSTEM_MAX_GB: u64 = 1024;
/// Disks one request may create.
const MAX_COUNT: u64 = 100;

fn check_name(n: &str) -> ApiResult<()> {
    if n.is_empty() || n.chars().count() > 64 {
        return Err(Svc::Evs.bad(format!("invalid name `{n}`: 1 to 64 characters")));
    }
    Ok(())
}

fn check_description(d: &str) -> ApiResult<()> {
    if d.chars().count() > 255 {
        return Err(Svc::Evs.bad("invalid description: at most 255 characters"));
    }
    Ok(())
}

/// The quota check of disks to add (`volumes`, `gigabytes`): 400 EVS.0004 naming the quota.
fn within_quota(w: &World, r: usize, volumes: u64, gigabytes: u64) -> ApiResult<()> {
    let u = quota::usage(w, r);
    let q = &w.regions[r].quota;
    // The quota, in use, asked, its limit, the unit.
    let checks = [
        ("volumes", u.volumes, volumes, q.volumes, ""),
        ("gigabytes", u.gigabytes, gigabytes, q.gigabytes, " GB"),
    ];
    for (name, used, asked, limit, unit) in checks {
        if used + asked > limit {
            return Err(ApiError::service(
                400,
                "EVS.0004",
                format!(
                    "Quota exceeded for {name}: {used}{unit} in use, {asked}{unit} asked, quota {limit}{unit}"
                ),
            ));
        }
    }
    Ok(())
}

#[derive(Deserialize)]
pub(super) struct CreateBody {
    volume: CreateInner,
    #[serde(rename = "bssParam")]
    bss: Option<Bss>,
    server_id: Option<String>,
}
#[derive(Deserialize)]
struct CreateInner {
    availability_zone: String,
    volume_type: String,
    size: Option<u64>,
    name: Option<String>,
    description: Option<String>,
    count: Option<u64>,
    #[serde(rename = "imageRef")]
    image_ref: Option<String>,
    snapshot_id: Option<String>,
    backup_id: Option<String>,
    multiattach: Option<bool>,
}
#[derive(Deserialize)]
struct Bss {
    #[serde(rename = "chargingMode")]
    charging_mode: Option<String>,
}

/// What the simulator does not make: disks from images, snapshots or backups, shared disks,
/// yearly/monthly disks.
fn unsupported(req: &CreateBody) -> Option<&'static str> {
    let c = &req.volume;
    if c.image_ref.is_some() || c.snapshot_id.is_some() || c.backup_id.is_some() {
        return Some("disks from an image, a snapshot or a backup");
    }
    if c.multiattach == Some(true) {
        return Some("shared (multiattach) disks");
    }
    let prepaid = req.bss.as_ref().and_then(|b| b.charging_mode.as_deref()) == Some("prePaid");
    if prepaid || req.server_id.is_some() {
        return Some("yearly/monthly (prePaid) disks");
    }
    None
}

pub async fn create(
    Project { sim, region: r, .. }: Project,
    headers: HeaderMap,
    JsonBody(req, ..): JsonBody<CreateBody, Evs>,
) -> ApiResult<Response> {
    if let Some(what) = unsupported(&req) {
        return Err(Svc::Evs.bad(format!("this simulator does not create {what}")));
    }
    let c = req.volume;
    let size = c
        .size
        .ok_or_else(|| Svc::Evs.bad("volume.size is required for a blank disk"))?;
    if !(DATA_GB.0..=DATA_GB.1).contains(&size) {
        return Err(Svc::Evs.bad(format!(
            "invalid size {size}: a data disk has {} to {} GB",
            DATA_GB.0, DATA_GB.1
        )));
    }
    let count = c.count.unwrap_or(1);
    if !(1..=MAX_COUNT).contains(&count) {
        return Err(Svc::Evs.bad(format!("invalid count {count}: 1 to {MAX_COUNT}")));
    }
    if !VOLUME_TYPES.contains(&c.volume_type.as_str()) {
        return Err(Svc::Evs.bad(format!(
            "volume type {} is not sold here: {}",
            c.volume_type,
            VOLUME_TYPES.join(", ")
        )));
    }
    if let Some(n) = &c.name {
        check_name(n)?;
    }
    if let Some(d) = &c.description {
        check_description(d)?;
    }
    let token = headers
        .get("X-Client-Token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut w = sim.world();
    if !w.regions[r].azs.contains(&c.availability_zone) {
        return Err(Svc::Evs.bad(format!(
            "invalid availability_zone `{}`: {}",
            c.availability_zone,
            w.regions[r].azs.join(", ")
        )));
    }
    if let Some(t) = &token
        && let Some((job, _)) = w.client_tokens.get(t)
    {
        let job = job.clone();
        let ids = volumes_of_job(&w, &job);
        return Ok((
            StatusCode::ACCEPTED,
            Json(json!({"job_id": job, "volume_ids": ids})),
        )
            .into_response());
    }
    within_quota(&w, r, count, count * size)?;
    let now = now_ms();
    let mut ids = Vec::new();
    for n in 0..count {
        let id = w.new_uuid();
        let name = match (&c.name, count) {
            (Some(base), 1) => base.clone(),
            (Some(base), _) => format!("{base}-{:04}", n + 1),
            (None, _) => format!("volume-{}", &id.to_string()[..8]),
        };
        w.volumes.insert(Volume {
            id,
            name,
            description: c.description.clone().unwrap_or_default(),
            region: r,
            az: c.availability_zone.as_str().into(),
            size,
            volume_type: c.volume_type.as_str().into(),
            bootable: false,
            status: "creating".into(),
            attachment: None,
            image_id: None,
            snapshot_id: None,
            created: now,
            updated: now,
        });
        ids.push(id);
    }
    let (job_type, sub_type) = if count == 1 {
        ("createVolume", "createVolume")
    } else {
        ("batchCreateVolume", "createVolume")
    };
    let tasks = ids
        .iter()
        .map(|id| {
            let task = Task::Disk {
                volume: id.to_string(),
                change: DiskChange::Create,
            };
            (sub_type.to_owned(), task, None)
        })
        .collect();
    let job = submit(&sim, &mut w, Service::Evs, r, job_type, tasks);
    if let Some(t) = token {
        w.client_tokens.insert(t, (job.clone(), now));
    }
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"job_id": job, "volume_ids": ids})),
    )
        .into_response())
}

/// The disks a create job made, in order.
fn volumes_of_job(w: &World, job: &str) -> Vec<String> {
    w.jobs
        .get(job)
        .map(|j| {
            j.subs
                .iter()
                .filter_map(|s| match &s.task {
                    Task::Disk { volume, .. } => Some(volume.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Deserialize)]
pub(super) struct UpdateBody {
    volume: Relabel,
}

/// `PUT /v2/{p}/cloudvolumes/{id}`: the new name and description, answered with the disk
/// itself (the document's answer is the disk's fields, not wrapped in `volume`).
pub async fn update(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): P2,
    JsonBody(req, ..): JsonBody<UpdateBody, Evs>,
) -> ApiResult<Json<Value>> {
    let u = req.volume;
    u.given(Svc::Evs, "volume")?;
    if let Some(n) = &u.name {
        check_name(n)?;
    }
    if let Some(d) = &u.description {
        check_description(d)?;
    }
    let mut w = sim.world();
    volume(&w, r, &id)?;
    let now = now_ms();
    if let Some(v) = w.volumes.get_mut(&id) {
        u.apply(&mut v.name, &mut v.description);
        v.updated = now;
    }
    w.touch();
    let v = w.volumes.get(&id).ok_or_else(|| not_found("volume", &id))?;
    Ok(Json(render::volume(&w, v)))
}

#[derive(Deserialize)]
pub(super) struct ResizeBody {
    #[serde(rename = "os-extend")]
    extend: Extend,
}
#[derive(Deserialize)]
struct Extend {
    new_size: u64,
}

/// `POST /v2.1/{p}/cloudvolumes/{id}/action` with `os-extend`: grows a disk, available or
/// in-use (then its server must be ACTIVE or SHUTOFF: the document's constraint).
pub async fn resize(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): P2,
    JsonBody(req, ..): JsonBody<ResizeBody, Evs>,
) -> ApiResult<Response> {
    let new_size = req.extend.new_size;
    let mut w = sim.world();
    let v = volume(&w, r, &id)?.clone();
    if !matches!(v.status.as_str(), "available" | "in-use") {
        return Err(ApiError::service(
            400,
            "EVS.0003",
            format!(
                "volume {id} is {}: only an available or in-use disk can be expanded",
                v.status
            ),
        ));
    }
    if new_size <= v.size {
        return Err(Svc::Evs.bad(format!(
            "new_size {new_size} GB must be larger than the disk's {} GB: a disk only grows",
            v.size
        )));
    }
    let max = if v.bootable { SYSTEM_MAX_GB } else { DATA_GB.1 };
    if new_size > max {
        return Err(Svc::Evs.bad(format!(
            "new_size {new_size} GB is more than this disk's {max} GB"
        )));
    }
    if let Some(a) = &v.attachment {
        let status = w.servers.get(&a.server_id).map(|s| s.status);
        if !matches!(status, Some(VmStatus::Running | VmStatus::PowerOff)) {
            return Err(ApiError::service(
                400,
                "EVS.0003",
                format!(
                    "volume {id} is attached to server {} which is not ACTIVE or SHUTOFF: wait for it",
                    a.server_id
                ),
            ));
        }
    }
    within_quota(&w, r, 0, new_size - v.size)?;
    let task = Task::Disk {
        volume: id,
        change: DiskChange::Extend {
            new_size,
            prior: v.status.to_string(),
        },
    };
    let job = submit_one(
        &sim,
        &mut w,
        Service::Evs,
        r,
        ("extendVolume", "extendVolume"),
        task,
    );
    Ok((StatusCode::ACCEPTED, Json(json!({"job_id": job}))).into_response())
}

/// `DELETE /v2/{p}/cloudvolumes/{id}`: an `available` disk (or one whose last job failed)
/// without snapshots; this API has no `cascade`, so its snapshots go first.
pub async fn delete(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): P2,
) -> ApiResult<Json<Value>> {
    let mut w = sim.world();
    let v = volume(&w, r, &id)?;
    if v.attachment.is_some() {
        return Err(ApiError::service(
            400,
            "EVS.0003",
            format!(
                "volume {id} is {} (attached): detach it before deleting it",
                v.status
            ),
        ));
    }
    if !matches!(
        v.status.as_str(),
        "available" | "error" | "error_extending" | "error_deleting" | "error_rollbacking"
    ) {
        return Err(ApiError::service(
            400,
            "EVS.0003",
            format!(
                "volume {id} is {}: only an available (or failed) disk can be deleted",
                v.status
            ),
        ));
    }
    let snaps = w.snapshots.iter().filter(|s| s.volume_id == id).count();
    if snaps > 0 {
        return Err(ApiError::service(
            400,
            "EVS.0003",
            format!("volume {id} has {snaps} snapshot(s): delete them before the disk"),
        ));
    }
    let task = Task::Disk {
        volume: id,
        change: DiskChange::Delete,
    };
    let job = submit_one(
        &sim,
        &mut w,
        Service::Evs,
        r,
        ("deleteVolume", "deleteVolume"),
        task,
    );
    Ok(Json(json!({"job_id": job})))
}
