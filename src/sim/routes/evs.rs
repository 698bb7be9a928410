//! EVS: disks (item `offset` or `marker`), snapshots (list, show, create, rename, rollback,
//! delete; the rollback rules of api.md §7) and quotas.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::change::submit_one;
use super::input::{Evs, JsonBody, Project, Query, Relabel, Svc};
use super::show::show;
use crate::sim::app::Sim;
use crate::sim::clock::now_ms;
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::job::Service;
use crate::sim::model::{Snapshot, Volume};
use crate::sim::quota;
use crate::sim::render;
use crate::sim::task::Task;
use crate::sim::uid::Uid;
use crate::sim::world::World;

type P2 = Path<(String, String)>;

pub(super) fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::service(404, "EVS.0002", format!("{what} {id} does not exist"))
}

/// Disk `id` of region `r`, or the EVS 404.
pub(super) fn volume<'a>(w: &'a World, r: usize, id: &str) -> ApiResult<&'a Volume> {
    w.volume_in(r, id).ok_or_else(|| not_found("volume", id))
}

/// Snapshot `id` of region `r`, or the EVS 404.
fn snapshot<'a>(w: &'a World, r: usize, id: &str) -> ApiResult<&'a Snapshot> {
    w.snapshot_in(r, id)
        .ok_or_else(|| not_found("snapshot", id))
}

fn conflict(msg: String) -> ApiError {
    ApiError::service(409, "EVS.0003", msg)
}

fn next_link(kind: &str, p: &str, limit: usize, last: Option<Uid>) -> Vec<Value> {
    last.map(|id| vec![json!({"rel": "next", "href": format!("/v2/{p}/{kind}/detail?limit={limit}&marker={id}")})])
        .unwrap_or_default()
}

/// `ids` as the API documents it (`ids=['a','b']`), or a plain comma list.
fn id_list(v: &str) -> Vec<String> {
    v.trim_matches(|c| c == '[' || c == ']')
        .split(',')
        .map(|s| s.trim().trim_matches(|c| c == '\'' || c == '"').to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

pub async fn list_volumes(
    Project { sim, region: r, .. }: Project,
    Path(p): Path<String>,
    q: Query,
) -> ApiResult<Json<Value>> {
    let limit = q.int(Svc::Evs, "limit", 1, 1000, 1000)? as usize;
    let offset = q.int(Svc::Evs, "offset", 0, u32::MAX as u64, 0)? as usize;
    let multiattach = q.bool(Svc::Evs, "multiattach")?;
    let ids = q.get("ids").map(id_list);
    let desc = q.sort_desc(Svc::Evs)?;
    let key = q.get("sort_key").unwrap_or("created_at");
    if !["created_at", "id", "name", "size", "updated_at"].contains(&key) {
        return Err(Svc::Evs.bad(format!(
            "invalid sort_key `{key}`: created_at, id, name, size or updated_at"
        )));
    }
    let w = sim.world();
    let unfiltered = ["name", "status", "availability_zone", "server_id"]
        .iter()
        .all(|k| q.get(k).is_none())
        && multiattach.is_none()
        && ids.is_none();
    if unfiltered && key == "created_at" && desc {
        // The region's disks newest first, paged in place.
        let bad = |m: &str| Svc::Evs.bad(format!("invalid marker `{m}`: no such disk in the list"));
        let mut page: Vec<&Volume> = match q.get("marker") {
            Some(m) => w
                .volumes
                .newest_after_in(r, m)
                .ok_or_else(|| bad(m))?
                .take(limit + 1)
                .collect(),
            None => w.volumes.newest_in(r, offset).take(limit + 1).collect(),
        };
        let more = page.len() > limit;
        page.truncate(limit);
        return Ok(Json(volume_page(
            &w,
            &p,
            limit,
            w.volumes.len_in(r),
            page,
            more,
        )));
    }
    let keep = |v: &&Volume| {
        v.region == r
            && q.get("name").is_none_or(|n| v.name.contains(n))
            && q.get("status").is_none_or(|s| s == v.status)
            && q.get("availability_zone").is_none_or(|a| a == v.az)
            && q.get("server_id")
                .is_none_or(|s| v.attachment.as_ref().is_some_and(|a| a.server_id == s))
            && multiattach.is_none_or(|m| !m)
            && ids.as_ref().is_none_or(|l| l.iter().any(|i| v.id == *i))
    };
    let mut list: Vec<&Volume> = w.volumes.iter().rev().filter(keep).collect();
    if key != "created_at" || !desc {
        list.sort_by(|a, b| {
            let o = match key {
                "id" => a.id.cmp(&b.id),
                "name" => a.name.cmp(&b.name),
                "size" => a.size.cmp(&b.size),
                "updated_at" => a.updated.cmp(&b.updated),
                _ => a.created.cmp(&b.created),
            };
            if desc { o.reverse() } else { o }
        });
    }
    let count = list.len();
    let (page, more) = page_after(&list, |v| &v.id, (q.get("marker"), offset, limit), "disk")?;
    Ok(Json(volume_page(&w, &p, limit, count, page, more)))
}

/// The page of `list` after the item named `marker` (else from item `offset`), at most `limit`
/// items, and whether more follow; a marker not in the list is refused, naming `what` it lists.
fn page_after<'a, T>(
    list: &[&'a T],
    id: impl Fn(&T) -> &Uid,
    (marker, offset, limit): (Option<&str>, usize, usize),
    what: &str,
) -> ApiResult<(Vec<&'a T>, bool)> {
    let start = match marker {
        Some(m) => list
            .iter()
            .position(|x| *id(x) == m)
            .map(|i| i + 1)
            .ok_or_else(|| {
                Svc::Evs.bad(format!("invalid marker `{m}`: no such {what} in the list"))
            })?,
        None => offset,
    };
    let page: Vec<&T> = list.iter().skip(start).take(limit).copied().collect();
    let more = start + page.len() < list.len();
    Ok((page, more))
}

/// A page of disks: `count`, the disks, and a next link when `more` follow.
fn volume_page(
    w: &World,
    p: &str,
    limit: usize,
    count: usize,
    page: Vec<&Volume>,
    more: bool,
) -> Value {
    let links = next_link(
        "cloudvolumes",
        p,
        limit,
        page.last().filter(|_| more).map(|v| v.id),
    );
    let volumes: Vec<Value> = page.into_iter().map(|v| render::volume(w, v)).collect();
    json!({"count": count, "volumes": volumes, "volumes_links": links})
}

pub async fn show_volume(p: Project, Path((_, id)): P2) -> ApiResult<Json<Value>> {
    show(p, ("volume", &id), volume, render::volume)
}

fn snapshot_page(sim: &Sim, r: usize, q: &Query, cinder: bool, p: &str) -> ApiResult<Value> {
    let limit = q.int(Svc::Evs, "limit", 1, 1000, 1000)? as usize;
    let offset = q.int(Svc::Evs, "offset", 0, u32::MAX as u64, 0)? as usize;
    let ids = q.all("id");
    let w = sim.world();
    let list: Vec<&Snapshot> = w
        .snapshots
        .iter()
        .rev()
        .filter(|s| s.region == r)
        .filter(|s| q.get("name").is_none_or(|n| s.name == n))
        .filter(|s| q.get("status").is_none_or(|x| s.status == x))
        .filter(|s| q.get("volume_id").is_none_or(|v| s.volume_id == v))
        .filter(|s| {
            q.get("availability_zone")
                .is_none_or(|a| w.volumes.get(&s.volume_id).is_some_and(|v| v.az == a))
        })
        .filter(|s| ids.is_empty() || ids.iter().any(|i| s.id == *i))
        .collect();
    let count = list.len();
    let marker = (q.get("marker"), offset, limit);
    let (page, more) = page_after(&list, |s| &s.id, marker, "snapshot")?;
    let kind = if cinder {
        "snapshots"
    } else {
        "cloudsnapshots"
    };
    let links = next_link(kind, p, limit, page.last().filter(|_| more).map(|s| s.id));
    let snapshots: Vec<Value> = page.into_iter().map(|s| render::snapshot(&w, s)).collect();
    let mut out = json!({"snapshots": snapshots, "snapshots_links": links});
    if !cinder {
        out["count"] = json!(count);
    }
    Ok(out)
}

pub async fn list_snapshots(
    Project { sim, region: r, .. }: Project,
    Path(p): Path<String>,
    q: Query,
) -> ApiResult<Json<Value>> {
    if q.get("marker").is_some() {
        return Err(
            Svc::Evs.bad("cloudsnapshots/detail pages with offset (an item index), not marker")
        );
    }
    snapshot_page(&sim, r, &q, false, &p).map(Json)
}

pub async fn list_snapshots_cinder(
    Project { sim, region: r, .. }: Project,
    Path(p): Path<String>,
    q: Query,
) -> ApiResult<Json<Value>> {
    snapshot_page(&sim, r, &q, true, &p).map(Json)
}

pub async fn show_snapshot(p: Project, Path((_, id)): P2) -> ApiResult<Json<Value>> {
    show(p, ("snapshot", &id), snapshot, render::snapshot)
}

#[derive(Deserialize)]
pub(super) struct CreateBody {
    snapshot: CreateInner,
}
#[derive(Deserialize)]
struct CreateInner {
    volume_id: String,
    name: Option<String>,
    description: Option<String>,
    force: Option<bool>,
    #[serde(default)]
    metadata: BTreeMap<String, String>,
}

/// A snapshot name: at most 255 bytes (the documents' limit), not empty.
fn check_name(n: &str) -> ApiResult<()> {
    if n.is_empty() || n.len() > 255 {
        return Err(Svc::Evs.bad(format!("invalid name `{n}`: 1 to 255 bytes")));
    }
    Ok(())
}

pub async fn create_snapshot(
    Project { sim, region: r, .. }: Project,
    JsonBody(req, ..): JsonBody<CreateBody, Evs>,
) -> ApiResult<Response> {
    let c = req.snapshot;
    if let Some(n) = &c.name {
        check_name(n)?;
    }
    let mut w = sim.world();
    let v = volume(&w, r, &c.volume_id)?.clone();
    match v.status.as_str() {
        "available" => {}
        "in-use" if c.force == Some(true) => {}
        "in-use" => {
            return Err(Svc::Evs.bad(format!(
                "volume {} is attached (in-use): set force to true to snapshot it",
                v.id
            )));
        }
        other => {
            return Err(conflict(format!(
                "volume {} is {other}: a snapshot needs it available or in-use",
                v.id
            )));
        }
    }
    let u = quota::usage(&w, r);
    if u.snapshots >= w.regions[r].quota.snapshots {
        // The documents give CreateSnapshot a 400 for every refusal (as for the disks' quotas).
        return Err(ApiError::service(
            400,
            "EVS.0004",
            format!(
                "Quota exceeded for snapshots: {} of {}",
                u.snapshots, w.regions[r].quota.snapshots
            ),
        ));
    }
    let now = now_ms();
    let id = w.new_uuid();
    let snap = Snapshot {
        id,
        name: c
            .name
            .unwrap_or_else(|| format!("snapshot-{}", &id.to_string()[..8])),
        description: c.description.unwrap_or_default(),
        region: r,
        volume_id: v.id,
        size: v.size,
        status: "creating".into(),
        progress: 0,
        metadata: c.metadata,
        created: now,
        updated: now,
    };
    w.snapshots.insert(snap.clone());
    submit_one(
        &sim,
        &mut w,
        Service::Evs,
        r,
        ("createSnapshot", "createSnapshot"),
        Task::Snapshot {
            snapshot: id.to_string(),
        },
    );
    let out = json!({"snapshot": render::snapshot(&w, &snap)});
    Ok((StatusCode::ACCEPTED, Json(out)).into_response())
}

#[derive(Deserialize)]
pub(super) struct RenameBody {
    snapshot: Relabel,
}

pub async fn rename_snapshot(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): P2,
    JsonBody(req, ..): JsonBody<RenameBody, Evs>,
) -> ApiResult<Json<Value>> {
    req.snapshot.given(Svc::Evs, "snapshot")?;
    if let Some(n) = &req.snapshot.name {
        check_name(n)?;
    }
    let mut w = sim.world();
    snapshot(&w, r, &id)?;
    let now = now_ms();
    if let Some(s) = w.snapshots.get_mut(&id) {
        req.snapshot.apply(&mut s.name, &mut s.description);
        s.updated = now;
    }
    w.touch();
    let s = w
        .snapshots
        .get(&id)
        .ok_or_else(|| not_found("snapshot", &id))?;
    Ok(Json(json!({"snapshot": render::snapshot(&w, s)})))
}

#[derive(Deserialize)]
pub(super) struct RollbackBody {
    rollback: RollbackInner,
}
#[derive(Deserialize)]
struct RollbackInner {
    volume_id: String,
    name: Option<String>,
}

pub async fn rollback(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): P2,
    JsonBody(req, ..): JsonBody<RollbackBody, Evs>,
) -> ApiResult<Response> {
    let mut w = sim.world();
    let s = snapshot(&w, r, &id)?.clone();
    if s.status != "available" {
        return Err(conflict(format!(
            "snapshot {id} is {}, not available",
            s.status
        )));
    }
    if req.rollback.volume_id != s.volume_id {
        return Err(Svc::Evs.bad(format!(
            "snapshot {id} rolls back only to its own source disk {}, not {}",
            s.volume_id, req.rollback.volume_id
        )));
    }
    let v = volume(&w, r, &s.volume_id.to_string())?.clone();
    if v.status != "available" && v.status != "error_rollbacking" {
        return Err(Svc::Evs.bad(format!(
            "volume {} is {}: a rollback needs the disk detached (available); stop the server and detach the disk first",
            v.id, v.status
        )));
    }
    if let Some(n) = &req.rollback.name {
        check_name(n)?;
    }
    submit_one(
        &sim,
        &mut w,
        Service::Evs,
        r,
        ("rollbackSnapshot", "rollbackSnapshot"),
        Task::Rollback {
            snapshot: id,
            volume: v.id.to_string(),
        },
    );
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({"rollback": {"volume_id": v.id, "volume_name": v.name}})),
    )
        .into_response())
}

pub async fn delete_snapshot(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): P2,
) -> ApiResult<Response> {
    let mut w = sim.world();
    let s = snapshot(&w, r, &id)?;
    if !matches!(s.status.as_str(), "available" | "error" | "error_deleting") {
        return Err(conflict(format!(
            "snapshot {id} is {}: only available or error snapshots can be deleted",
            s.status
        )));
    }
    submit_one(
        &sim,
        &mut w,
        Service::Evs,
        r,
        ("deleteSnapshot", "deleteSnapshot"),
        Task::DeleteSnapshot { snapshot: id },
    );
    Ok(StatusCode::ACCEPTED.into_response())
}

pub async fn quotas(
    Project { sim, region: r, .. }: Project,
    Path((p, target)): P2,
    q: Query,
) -> ApiResult<Json<Value>> {
    if p != target {
        return Err(ApiError::service(
            403,
            "EVS.0005",
            format!("project {p} cannot read the quotas of project {target}"),
        ));
    }
    let usage = q
        .get("usage")
        .is_some_and(|u| u.eq_ignore_ascii_case("true"));
    let w = sim.world();
    let u = quota::usage(&w, r);
    let quota = &w.regions[r].quota;
    let mut per_type: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for v in w.volumes.iter().filter(|v| v.region == r) {
        let e = per_type.entry(match v.volume_type.as_str() {
            "SAS" => "SAS",
            "SSD" => "SSD",
            "GPSSD" => "GPSSD",
            _ => "SATA",
        });
        let e = e.or_default();
        e.0 += 1;
        e.1 += v.size;
    }
    let item = |used: u64, limit: i64| {
        if usage {
            json!({"in_use": used, "limit": limit, "reserved": 0, "allocated": 0})
        } else {
            json!(limit)
        }
    };
    let mut set = json!({
        "id": p,
        "volumes": item(u.volumes, quota.volumes as i64),
        "gigabytes": item(u.gigabytes, quota.gigabytes as i64),
        "snapshots": item(u.snapshots, quota.snapshots as i64),
        "backups": item(0, 100), "backup_gigabytes": item(0, 10240),
        "per_volume_gigabytes": item(0, 32768),
    });
    for t in ["SATA", "SAS", "SSD", "GPSSD"] {
        let (n, gb) = per_type.get(t).copied().unwrap_or((0, 0));
        set[format!("volumes_{t}")] = item(n, -1);
        set[format!("gigabytes_{t}")] = item(gb, -1);
        set[format!("snapshots_{t}")] = item(0, -1);
    }
    Ok(Json(json!({"quota_set": set})))
}
