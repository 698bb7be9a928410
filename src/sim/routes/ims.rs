//! IMS: image list (filters, `marker`), show, create from a server (a job), rename by JSON
//! patch, delete (204), quota. The project comes from `X-Project-Id` or the token.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::change::{accepted, submit_one};
use super::input::{Ims, JsonBody, Project, Query, Svc};
use crate::sim::clock::now_ms;
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::job::Service;
use crate::sim::model::Image;
use crate::sim::render;
use crate::sim::task::Task;
use crate::sim::uid::AsUid;
use crate::sim::vm::{Operation, VmStatus};
use crate::sim::world::World;

fn not_found(id: &str) -> ApiError {
    ApiError::service(404, "IMG.0027", format!("image {id} does not exist"))
}

fn kind(i: &Image) -> &'static str {
    if i.owner.is_some() { "private" } else { "gold" }
}

pub async fn list(Project { sim, region: r, .. }: Project, q: Query) -> ApiResult<Json<Value>> {
    let limit = q.int(Svc::Ims, "limit", 1, 1000, 500)? as usize;
    if let Some(t) = q.get("__imagetype")
        && !["gold", "private", "shared", "market"].contains(&t)
    {
        return Err(ApiError::service(
            400,
            "IMG.0024",
            "The imagetype is invalid.",
        ));
    }
    let desc = q.sort_desc(Svc::Ims)?;
    let sort_key = q.get("sort_key").unwrap_or("created_at");
    if ![
        "created_at",
        "name",
        "status",
        "id",
        "size",
        "updated_at",
        "min_disk",
    ]
    .contains(&sort_key)
    {
        return Err(Svc::Ims.bad(format!("invalid sort_key `{sort_key}`")));
    }
    let min_disk = q.int(Svc::Ims, "min_disk", 0, 1 << 20, 0)?;
    let protected = q.bool(Svc::Ims, "protected")?;
    let w = sim.world();
    let mut list: Vec<&Image> = w
        .images
        .iter()
        .filter(|i| i.owner.is_none() || i.owner == Some(r))
        .filter(|i| q.get("__imagetype").is_none_or(|t| t == kind(i)))
        .filter(|i| q.get("status").is_none_or(|s| s == i.status))
        .filter(|i| q.get("name").is_none_or(|n| n == i.name))
        .filter(|i| q.get("id").is_none_or(|n| n == i.id))
        .filter(|i| q.get("__os_type").is_none_or(|n| n == i.os_type))
        .filter(|i| q.get("__platform").is_none_or(|n| n == i.platform))
        .filter(|i| q.get("__os_bit").is_none_or(|n| n == i.os_bit))
        .filter(|i| {
            q.get("visibility").is_none_or(|v| {
                v == if i.owner.is_some() {
                    "private"
                } else {
                    "public"
                }
            })
        })
        .filter(|i| q.get("tag").is_none_or(|t| i.tags.iter().any(|x| x == t)))
        .filter(|i| {
            q.get("owner")
                .is_none_or(|o| i.owner.is_some_and(|r| w.regions[r].project_id == o))
        })
        .filter(|i| protected.is_none_or(|p| p == i.owner.is_none()))
        .filter(|i| i.min_disk >= min_disk)
        .collect();
    list.sort_by(|a, b| {
        let o = match sort_key {
            "name" => a.name.cmp(&b.name),
            "status" => a.status.cmp(&b.status),
            "id" => a.id.cmp(&b.id),
            "size" => a.size_bytes.cmp(&b.size_bytes),
            "updated_at" => a.updated.cmp(&b.updated),
            "min_disk" => a.min_disk.cmp(&b.min_disk),
            _ => a.created.cmp(&b.created),
        }
        .then(a.id.cmp(&b.id));
        if desc { o.reverse() } else { o }
    });
    if let Some(m) = q.get("marker") {
        let i = list.iter().position(|x| x.id == m).ok_or_else(|| {
            Svc::Ims.bad(format!("invalid marker `{m}`: no such image in the list"))
        })?;
        list.drain(..=i);
    }
    let more = list.len() > limit;
    let page: Vec<Value> = list
        .iter()
        .take(limit)
        .map(|i| render::image(&w, i))
        .collect();
    let mut out = json!({"images": page, "page_info": {"next_marker": null}});
    if more && let Some(last) = list.get(limit - 1) {
        out["page_info"] = json!({"next_marker": last.id});
    }
    Ok(Json(out))
}

fn visible<'a>(w: &'a World, r: usize, id: &str) -> ApiResult<&'a Image> {
    w.image_for(r, id).ok_or_else(|| not_found(id))
}

/// A private image of region `r` that may be changed; a public one is refused (403, naming `verb`).
fn own<'a>(w: &'a World, r: usize, id: &str, verb: &str) -> ApiResult<&'a Image> {
    let img = visible(w, r, id)?;
    if img.owner.is_none() {
        return Err(ApiError::service(
            403,
            "IMG.0011",
            format!("image {id} is a public image and cannot be {verb}"),
        ));
    }
    Ok(img)
}

pub async fn show(
    Project { sim, region: r, .. }: Project,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let i = visible(&w, r, &id)?;
    Ok(Json(render::image(&w, i)))
}

#[derive(Deserialize)]
pub(super) struct CreateBody {
    name: Option<String>,
    instance_id: Option<String>,
    description: Option<String>,
    tags: Option<Vec<String>>,
    image_tags: Option<Vec<TagBody>>,
    min_ram: Option<u64>,
    data_images: Option<Value>,
}

#[derive(Deserialize)]
struct TagBody {
    key: String,
    value: String,
}

pub async fn create(
    Project { sim, region: r, .. }: Project,
    JsonBody(req, ..): JsonBody<CreateBody, Ims>,
) -> ApiResult<Response> {
    if req.data_images.is_some() && req.instance_id.is_none() {
        return Err(Svc::Ims.bad(
            "data-disk images (data_images) are not supported by this simulator; use instance_id",
        ));
    }
    let name = req.name.ok_or_else(|| Svc::Ims.bad("name is required"))?;
    if name.is_empty() || name.chars().count() > 128 {
        return Err(Svc::Ims.bad(format!("invalid name `{name}`: 1 to 128 characters")));
    }
    let server = req
        .instance_id
        .ok_or_else(|| Svc::Ims.bad("instance_id is required"))?;
    let mut w = sim.world();
    let s = w.server_in(r, &server).cloned().ok_or_else(|| {
        ApiError::service(400, "IMG.0005", format!("The ECS {server} does not exist"))
    })?;
    if s.locked_by.is_some() {
        return Err(ApiError::service(
            400,
            "IMG.0010",
            format!("The ECS {server} has in-progress tasks"),
        ));
    }
    let was_running = sim.image_from_running && s.status == VmStatus::Running;
    if let Some(why) = s.status.refuses(Operation::Image).filter(|_| !was_running) {
        return Err(ApiError::service(
            400,
            "IMG.0008",
            format!(
                "The ECS {server} cannot be used to create images because it is not in stopped state: {why}"
            ),
        ));
    }
    if w.images
        .iter()
        .any(|i| i.owner == Some(r) && i.name == name)
    {
        return Err(ApiError::service(
            400,
            "IMG.0009",
            format!("An image named {name} already exists"),
        ));
    }
    let used = w.images.iter().filter(|i| i.owner == Some(r)).count() as u64;
    if used >= w.regions[r].quota.images {
        return Err(ApiError::service(
            400,
            "IMG.0015",
            format!(
                "The private image quota is reached ({used} of {})",
                w.regions[r].quota.images
            ),
        ));
    }
    let base = w.images.get(&s.image_id).cloned();
    let root = s
        .volumes
        .first()
        .and_then(|v| w.volumes.get(v))
        .map(|v| v.size)
        .unwrap_or(40);
    let mut tags = req.tags.unwrap_or_default();
    tags.extend(
        req.image_tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| format!("{}.{}", t.key, t.value)),
    );
    let now = now_ms();
    let id = w.new_uuid();
    w.images.insert(Image {
        id,
        name,
        owner: Some(r),
        os_type: base
            .as_ref()
            .map(|b| b.os_type.clone())
            .unwrap_or_else(|| "Windows".into()),
        os_version: base
            .as_ref()
            .map(|b| b.os_version.clone())
            .unwrap_or_default(),
        platform: base
            .as_ref()
            .map(|b| b.platform.clone())
            .unwrap_or_else(|| "Windows".into()),
        os_bit: "64".into(),
        min_disk: root,
        min_ram: req
            .min_ram
            .unwrap_or(base.as_ref().map(|b| b.min_ram).unwrap_or(1024)),
        size_bytes: root * 400_000_000,
        status: "saving".into(),
        created: now,
        updated: now,
        tags,
        description: req.description.unwrap_or_default(),
        origin_server: server.as_uid(),
    });
    let task = Task::Image {
        server,
        image: id.to_string(),
        was_running,
    };
    let job = submit_one(
        &sim,
        &mut w,
        Service::Ims,
        r,
        ("imsCreateImageByInstance", "imsCreateImageByInstance"),
        task,
    );
    drop(w);
    Ok(accepted(&sim, json!({"job_id": job})))
}

#[derive(Deserialize)]
pub(super) struct PatchOp {
    op: String,
    path: String,
    value: Option<Value>,
}

pub async fn update(
    Project { sim, region: r, .. }: Project,
    Path(id): Path<String>,
    JsonBody(ops, ..): JsonBody<Vec<PatchOp>, Ims>,
) -> ApiResult<Json<Value>> {
    if ops.is_empty() {
        return Err(Svc::Ims.bad(
            "the patch is empty: send [{\"op\":\"replace\",\"path\":\"/name\",\"value\":…}]",
        ));
    }
    let mut w = sim.world();
    let img = own(&w, r, &id, "changed")?;
    let mut changed = img.clone();
    for o in &ops {
        if o.op != "replace" && o.op != "add" {
            return Err(Svc::Ims.bad(format!("invalid op `{}`: replace or add", o.op)));
        }
        let text = || o.value.as_ref().and_then(|v| v.as_str()).map(str::to_owned);
        let number = || {
            o.value.as_ref().and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
        };
        match o.path.as_str() {
            "/name" => {
                let n = text()
                    .filter(|n| !n.is_empty() && n.chars().count() <= 128)
                    .ok_or_else(|| Svc::Ims.bad("/name needs a string of 1 to 128 characters"))?;
                changed.name = n;
            }
            "/__description" | "/description" => {
                changed.description =
                    text().ok_or_else(|| Svc::Ims.bad(format!("{} needs a string", o.path)))?
            }
            "/min_ram" => {
                changed.min_ram = number().ok_or_else(|| Svc::Ims.bad("/min_ram needs a number"))?
            }
            "/min_disk" => {
                changed.min_disk =
                    number().ok_or_else(|| Svc::Ims.bad("/min_disk needs a number"))?
            }
            p => {
                return Err(Svc::Ims.bad(format!(
                    "invalid path `{p}`: /name, /__description, /min_ram or /min_disk"
                )));
            }
        }
    }
    changed.updated = now_ms();
    if let Some(i) = w.images.get_mut(&id) {
        *i = changed.clone();
    }
    w.touch();
    Ok(Json(render::image(&w, &changed)))
}

pub async fn delete(
    Project { sim, region: r, .. }: Project,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let mut w = sim.world();
    let img = own(&w, r, &id, "deleted")?;
    if img.status == "saving" {
        return Err(ApiError::service(
            409,
            "IMG.0010",
            format!("image {id} has in-progress tasks"),
        ));
    }
    w.images.remove(&id);
    w.touch();
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub async fn quota(Project { sim, region: r, .. }: Project) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let used = w.images.iter().filter(|i| i.owner == Some(r)).count();
    let max = w.regions[r].quota.images;
    Ok(Json(
        json!({"quotas": {"resources": [{"type": "image", "used": used, "quota": max, "min": 1, "max": max.max(1000)}]}}),
    ))
}
