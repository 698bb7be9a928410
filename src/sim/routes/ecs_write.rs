//! ECS changes: create (v1, v1.1; `count`, `dry_run`, `X-Client-Token`), batch start/stop/reboot,
//! delete, resize, update and rename. Each change is a job (`ops`, `jobs`); disks: `ecs_volumes`.

use std::collections::HashSet;

use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::change::{accepted, dry_run_ok, refusal, submit, submit_one};
use super::create::{CreateBody, check_name, validate_create};
use super::input::{Ecs, JsonBody, Project};
use super::show::found;
use crate::sim::app::Sim;
use crate::sim::clock::now_ms;
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::job::Service;
use crate::sim::jobs::SubmitTask;
use crate::sim::task::Task;
use crate::sim::vm::Operation;
use crate::sim::world::World;
use crate::sim::{quota, render_server};

fn error_parts(e: &ApiError) -> (String, String) {
    match e {
        ApiError::Service { code, msg, .. } => (code.clone(), msg.clone()),
        other => ("Ecs.0204".into(), format!("{other:?}")),
    }
}

pub async fn create_v1(p: Project, h: HeaderMap, JsonBody(b, ..): Create) -> ApiResult<Response> {
    create(p, h, b, false).await
}

pub async fn create_v11(p: Project, h: HeaderMap, JsonBody(b, ..): Create) -> ApiResult<Response> {
    create(p, h, b, true).await
}

/// The body of both creates.
type Create = JsonBody<CreateBody, Ecs>;

async fn create(
    Project { sim, region: r, .. }: Project,
    headers: HeaderMap,
    req: CreateBody,
    v11: bool,
) -> ApiResult<Response> {
    let token = headers
        .get("x-client-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut w = sim.world();
    if let Some(t) = &token
        && let Some((job, _)) = w.client_tokens.get(t)
    {
        return Ok((StatusCode::OK, Json(json!({"job_id": job}))).into_response());
    }
    let prepaid = v11
        && req
            .server
            .extendparam
            .as_ref()
            .and_then(|e| e.charging_mode.as_deref())
            == Some("prePaid");
    let specs = validate_create(&mut w, r, &req)?;
    if req.dry_run.unwrap_or(false) {
        return Ok(dry_run_ok());
    }
    let tasks = specs
        .into_iter()
        .map(|s| {
            (
                "createSingleServer".to_owned(),
                Task::Create(Box::new(s)),
                None,
            )
        })
        .collect();
    let job = submit(&sim, &mut w, Service::Ecs, r, "createServer", tasks);
    if let Some(t) = token {
        w.client_tokens.insert(t, (job.clone(), now_ms()));
    }
    // Quirk of the documented examples: no `serverIds`; the ids are in the job's sub-jobs.
    let mut out = json!({"job_id": job});
    if prepaid {
        out["order_id"] = json!(w.new_hex32());
    }
    drop(w);
    Ok(accepted(&sim, out))
}

#[derive(Deserialize)]
struct IdRef {
    id: String,
}

#[derive(Deserialize)]
struct BatchBody {
    servers: Vec<IdRef>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ActionBody {
    #[serde(rename = "os-start")]
    start: Option<BatchBody>,
    #[serde(rename = "os-stop")]
    stop: Option<BatchBody>,
    reboot: Option<BatchBody>,
}

fn server_ids(list: &[IdRef]) -> ApiResult<Vec<String>> {
    if list.is_empty() || list.len() > 1000 {
        return Err(ApiError::ecs_bad(format!(
            "servers must list 1 to 1000 servers, not {}",
            list.len()
        )));
    }
    let mut seen = HashSet::new();
    for s in list {
        if !seen.insert(s.id.as_str()) {
            return Err(ApiError::ecs_bad(format!(
                "server {} is listed twice",
                s.id
            )));
        }
    }
    Ok(list.iter().map(|s| s.id.clone()).collect())
}

fn hard(kind: Option<&str>, required: bool) -> ApiResult<bool> {
    match kind {
        None if required => Err(ApiError::ecs_bad("reboot.type is required: SOFT or HARD")),
        None | Some("SOFT") => Ok(false),
        Some("HARD") => Ok(true),
        Some(k) => Err(ApiError::ecs_bad(format!(
            "invalid type `{k}`: SOFT or HARD"
        ))),
    }
}

/// A batch job: a sub-job per server; servers that cannot take the operation fail their
/// sub-job at once. A single server that cannot is refused with 404/409 instead.
fn batch(
    sim: &Sim,
    w: &mut World,
    r: usize,
    ids: Vec<String>,
    op: Operation,
    job_type: &str,
    make: impl Fn(&World, String) -> Task,
) -> ApiResult<Response> {
    if ids.len() == 1
        && let Some(e) = refusal(w, r, &ids[0], op)
    {
        return Err(e);
    }
    if let Some(missing) = ids.iter().find(|id| w.server_in(r, id).is_none()) {
        return Err(ApiError::ecs_not_found("Instance", missing));
    }
    let sub_type = format!("{job_type}Single");
    let tasks: Vec<SubmitTask> = ids
        .into_iter()
        .map(|id| {
            let refused = refusal(w, r, &id, op).map(|e| error_parts(&e));
            (sub_type.clone(), make(w, id), refused)
        })
        .collect();
    let job = submit(sim, w, Service::Ecs, r, job_type, tasks);
    Ok(accepted(sim, json!({"job_id": job})))
}

pub async fn action(
    Project { sim, region: r, .. }: Project,
    JsonBody(req, ..): JsonBody<ActionBody, Ecs>,
) -> ApiResult<Response> {
    let mut w = sim.world();
    // Which of the three (a stop's or reboot's `type` is checked before its servers).
    let (b, op, job_type): (_, _, &str) = match (req.start, req.stop, req.reboot) {
        (Some(b), None, None) => (b, Operation::Start, "startServer"),
        (None, Some(b), None) => {
            let hard = hard(b.kind.as_deref(), false)?;
            (b, Operation::Stop { hard }, "stopServer")
        }
        (None, None, Some(b)) => {
            let hard = hard(b.kind.as_deref(), true)?;
            (b, Operation::Reboot { hard }, "rebootServer")
        }
        _ => {
            return Err(ApiError::ecs_bad(
                "the body must hold exactly one of os-start, os-stop, reboot",
            ));
        }
    };
    let ids = server_ids(&b.servers)?;
    batch(&sim, &mut w, r, ids, op, job_type, |_, server| match op {
        Operation::Stop { hard } => Task::Stop { server, hard },
        Operation::Reboot { hard } => Task::Reboot { server, hard },
        _ => Task::Start { server }, // `op` is the start
    })
}

#[derive(Deserialize)]
pub(super) struct DeleteBody {
    servers: Vec<IdRef>,
    /// Accepted (and type-checked); the simulator has no floating IPs.
    #[allow(dead_code)]
    delete_publicip: Option<bool>,
    delete_volume: Option<bool>,
}

pub async fn delete(
    Project { sim, region: r, .. }: Project,
    JsonBody(req, ..): JsonBody<DeleteBody, Ecs>,
) -> ApiResult<Response> {
    let ids = server_ids(&req.servers)?;
    let delete_volumes = req.delete_volume.unwrap_or(false);
    let mut w = sim.world();
    batch(
        &sim,
        &mut w,
        r,
        ids,
        Operation::Delete,
        "deleteServer",
        |w, server| {
            let prior = w
                .servers
                .get(&server)
                .map(|s| s.status)
                .unwrap_or(crate::sim::vm::VmStatus::PowerOff);
            Task::Delete {
                server,
                delete_volumes,
                prior,
            }
        },
    )
}

#[derive(Deserialize)]
pub(super) struct ResizeBody {
    resize: ResizeInner,
    dry_run: Option<bool>,
}
#[derive(Deserialize)]
struct ResizeInner {
    #[serde(rename = "flavorRef")]
    flavor_ref: String,
    mode: Option<String>,
}

pub async fn resize(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): Path<(String, String)>,
    JsonBody(req, ..): JsonBody<ResizeBody, Ecs>,
) -> ApiResult<Response> {
    let with_stop = match req.resize.mode.as_deref() {
        None => false,
        Some("withStopServer") => true,
        Some(m) => {
            return Err(ApiError::ecs_bad(format!(
                "invalid resize.mode `{m}`: only withStopServer"
            )));
        }
    };
    let mut w = sim.world();
    let flavor = w.flavor(&req.resize.flavor_ref).cloned().ok_or_else(|| {
        ApiError::ecs_bad(format!(
            "invalid flavorRef `{}`: no such flavor",
            req.resize.flavor_ref
        ))
    })?;
    if let Some(e) = refusal(&w, r, &id, Operation::Resize { with_stop }) {
        return Err(e);
    }
    let s = found(&w, r, &id)?.clone();
    if s.flavor_id == flavor.id {
        return Err(ApiError::ecs_bad(format!(
            "the server already has flavor {}",
            flavor.id
        )));
    }
    if flavor.sold_out.iter().any(|z| *z == s.az) {
        return Err(ApiError::ecs_bad(format!(
            "flavor {} is sold out in {}",
            flavor.id, s.az
        )));
    }
    if let Some(img) = w.images.get(&s.image_id)
        && flavor.ram_mb < img.min_ram
    {
        return Err(ApiError::ecs_bad(format!(
            "flavor {} has {} MB memory; the image needs at least {} MB",
            flavor.id, flavor.ram_mb, img.min_ram
        )));
    }
    let old = w.flavor(&s.flavor_id).cloned();
    let u = quota::usage(&w, r);
    let q = w.regions[r].quota;
    let (oc, or) = old.map(|f| (f.vcpus, f.ram_mb)).unwrap_or((0, 0));
    if u.cores + flavor.vcpus > q.cores + oc || u.ram_mb + flavor.ram_mb > q.ram_mb + or {
        return Err(ApiError::service(
            403,
            "Ecs.0605",
            format!(
                "Quota exceeded for cores or ram: flavor {} needs {} vCPU and {} MB",
                flavor.id, flavor.vcpus, flavor.ram_mb
            ),
        ));
    }
    if req.dry_run.unwrap_or(false) {
        return Ok(dry_run_ok());
    }
    let was_running = s.status.is_running();
    let task = Task::Resize {
        server: id,
        flavor: flavor.id,
        with_stop,
        was_running,
    };
    let job = submit_one(
        &sim,
        &mut w,
        Service::Ecs,
        r,
        ("resizeServer", "resizeSingleServer"),
        task,
    );
    drop(w);
    Ok(accepted(&sim, json!({"job_id": job})))
}

#[derive(Deserialize)]
pub(super) struct UpdateBody {
    server: UpdateInner,
}
#[derive(Deserialize)]
struct UpdateInner {
    name: Option<String>,
    description: Option<String>,
    /// Accepted (and type-checked); the simulated guest keeps its hostname and user data.
    #[allow(dead_code)]
    hostname: Option<String>,
    #[allow(dead_code)]
    user_data: Option<String>,
}

pub async fn update(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): Path<(String, String)>,
    JsonBody(req, ..): JsonBody<UpdateBody, Ecs>,
) -> ApiResult<Json<Value>> {
    let u = req.server;
    if let Some(n) = &u.name {
        check_name(n)?;
    }
    if let Some(d) = &u.description
        && d.chars().count() > 85
    {
        return Err(ApiError::ecs_bad(
            "description is longer than 85 characters",
        ));
    }
    let mut w = sim.world();
    found(&w, r, &id)?;
    let now = now_ms();
    if let Some(s) = w.servers.get_mut(&id) {
        if let Some(n) = u.name {
            s.name = n;
        }
        if let Some(d) = u.description {
            s.description = d;
        }
        s.updated = now;
    }
    w.touch();
    let s = w
        .servers
        .get(&id)
        .ok_or_else(|| ApiError::ecs_not_found("Instance", &id))?;
    Ok(Json(json!({"server": render_server::server_update(&w, s)})))
}

#[derive(Deserialize)]
pub(super) struct RenameBody {
    name: String,
    servers: Vec<IdRef>,
    dry_run: Option<bool>,
}

pub async fn rename_many(
    Project { sim, region: r, .. }: Project,
    JsonBody(req, ..): JsonBody<RenameBody, Ecs>,
) -> ApiResult<Response> {
    check_name(&req.name)?;
    let ids = server_ids(&req.servers)?;
    let mut w = sim.world();
    if let Some(m) = ids.iter().find(|id| w.server_in(r, id).is_none()) {
        return Err(ApiError::ecs_not_found("Instance", m));
    }
    if req.dry_run.unwrap_or(false) {
        return Ok(dry_run_ok());
    }
    let now = now_ms();
    for id in &ids {
        if let Some(s) = w.servers.get_mut(id) {
            s.name = req.name.clone();
            s.updated = now;
        }
    }
    w.touch();
    let response: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    Ok(Json(json!({"response": response})).into_response())
}
