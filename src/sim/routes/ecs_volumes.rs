//! ECS disk attach and detach (jobs); the system disk detaches only from a stopped server.

use std::collections::BTreeMap;

use axum::extract::Path;
use axum::response::Response;
use serde::Deserialize;
use serde_json::json;

use super::change::{accepted, dry_run_ok, refusal, submit_one};
use super::input::{Ecs, JsonBody, Project, Query, Svc};
use super::show::found;
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::ids::device_name;
use crate::sim::job::Service;
use crate::sim::task::Task;
use crate::sim::vm::Operation;

#[derive(Deserialize)]
pub(super) struct AttachBody {
    #[serde(rename = "volumeAttachment")]
    attachment: AttachInner,
    dry_run: Option<bool>,
}
#[derive(Deserialize)]
struct AttachInner {
    #[serde(rename = "volumeId")]
    volume_id: String,
    device: Option<String>,
}

pub async fn attach(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): Path<(String, String)>,
    JsonBody(req, ..): JsonBody<AttachBody, Ecs>,
) -> ApiResult<Response> {
    let vid = req.attachment.volume_id;
    let mut w = sim.world();
    if let Some(e) = refusal(&w, r, &id, Operation::Attach) {
        return Err(e);
    }
    let v = w.volume_in(r, &vid).ok_or_else(|| {
        ApiError::service(404, "Ecs.0044", format!("volume {vid} does not exist"))
    })?;
    let s = found(&w, r, &id)?;
    if v.status != "available" {
        return Err(ApiError::service(
            409,
            "Ecs.0041",
            format!("volume {vid} is {}, not available", v.status),
        ));
    }
    if v.az != s.az {
        return Err(ApiError::ecs_bad(format!(
            "volume {vid} is in {}, the server in {}",
            v.az, s.az
        )));
    }
    let used: BTreeMap<String, ()> = s
        .volumes
        .iter()
        .filter_map(|x| {
            w.volumes
                .get(x)
                .and_then(|v| v.attachment.as_ref())
                .map(|a| (a.device.to_string(), ()))
        })
        .collect();
    let device = match req.attachment.device {
        Some(d) => {
            let valid = d.len() == 8 && d.starts_with("/dev/vd")
                || d.starts_with("/dev/sd") && d.len() == 8;
            if !valid {
                return Err(ApiError::ecs_bad(format!(
                    "invalid device `{d}`: like /dev/vdb"
                )));
            }
            if used.contains_key(&d) {
                return Err(ApiError::service(
                    409,
                    "Ecs.0042",
                    format!("device {d} is already used on server {id}"),
                ));
            }
            d
        }
        None => (0..26)
            .map(device_name)
            .find(|d| !used.contains_key(d))
            .ok_or_else(|| {
                ApiError::service(409, "Ecs.0042", format!("server {id} has no free device"))
            })?,
    };
    if req.dry_run.unwrap_or(false) {
        return Ok(dry_run_ok());
    }
    let task = Task::Attach {
        server: id,
        volume: vid,
        device,
    };
    let job = submit_one(
        &sim,
        &mut w,
        Service::Ecs,
        r,
        ("attachVolume", "attachSingleVolume"),
        task,
    );
    drop(w);
    Ok(accepted(&sim, json!({"job_id": job})))
}

pub async fn detach(
    Project { sim, region: r, .. }: Project,
    Path((_, id, vid)): Path<(String, String, String)>,
    q: Query,
) -> ApiResult<Response> {
    q.int(Svc::Ecs, "delete_flag", 0, 1, 0)?;
    let mut w = sim.world();
    if let Some(e) = refusal(&w, r, &id, Operation::Detach) {
        return Err(e);
    }
    let s = found(&w, r, &id)?;
    let v = w
        .volume_in(r, &vid)
        .filter(|v| v.attachment.as_ref().is_some_and(|a| a.server_id == id))
        .ok_or_else(|| ApiError::ecs_not_attached(&vid, &id))?;
    if v.status != "in-use" {
        return Err(ApiError::service(
            409,
            "Ecs.0041",
            format!("volume {vid} is {}, not in-use", v.status),
        ));
    }
    let system = v
        .attachment
        .as_ref()
        .is_some_and(|a| a.device == device_name(0));
    if system && s.status.is_running() {
        return Err(ApiError::service(
            409,
            "Ecs.0015",
            format!("volume {vid} is the system disk: stop server {id} before detaching it"),
        ));
    }
    let task = Task::Detach {
        server: id,
        volume: vid,
    };
    let job = submit_one(
        &sim,
        &mut w,
        Service::Ecs,
        r,
        ("detachVolume", "detachSingleVolume"),
        task,
    );
    drop(w);
    Ok(accepted(&sim, json!({"job_id": job})))
}
