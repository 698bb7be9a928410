//! The job API (one table for ECS, IMS and EVS jobs) and the simulator-only `/_sim/stats`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use serde_json::Value;

use super::input::Project;
use crate::sim::app::{Sim, lock};
use crate::sim::clock::now_ms;
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::jobs::{self as job_table};
use crate::sim::render;

/// The job `id` of the caller's project, or a 404 with `code`.
fn find(p: &Project, id: &str, code: &str) -> ApiResult<Value> {
    let w = p.sim.world();
    let j = w
        .jobs
        .get(id)
        .filter(|j| j.region == p.region)
        .ok_or_else(|| {
            ApiError::service(
                404,
                code,
                format!("job {id} does not exist (or finished more than a day ago)"),
            )
        })?;
    Ok(render::job(&w, j, now_ms()))
}

pub async fn show(p: Project, Path((_, id)): Path<(String, String)>) -> ApiResult<Json<Value>> {
    find(&p, &id, "Ecs.0103").map(Json)
}

pub async fn show_ims(p: Project, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    find(&p, &id, "IMG.0027").map(Json)
}

pub async fn stats(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let counts = job_table::counts(&sim.world());
    let jobs: Vec<(&str, usize)> = counts.iter().map(|(s, n)| (s.wire(), *n)).collect();
    Json(lock(&sim.stats).to_json(&jobs))
}
