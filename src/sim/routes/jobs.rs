//! The job API (one table for ECS, IMS and EVS jobs) and the simulator-only `/_sim/stats`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, Path, State};
use serde_json::Value;

use super::input::Ctx;
use crate::sim::app::{Sim, lock};
use crate::sim::clock::now_ms;
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::jobs::{self as job_table};
use crate::sim::render;

fn find(sim: &Sim, ctx: &Ctx, id: &str, code: &str) -> ApiResult<Value> {
    let r = ctx.region()?;
    let w = sim.world();
    let j = w.jobs.get(id).filter(|j| j.region == r).ok_or_else(|| {
        ApiError::service(
            404,
            code,
            format!("job {id} does not exist (or finished more than a day ago)"),
        )
    })?;
    Ok(render::job(&w, j, now_ms()))
}

pub async fn show(
    State(sim): State<Arc<Sim>>,
    Extension(ctx): Extension<Ctx>,
    Path((_, id)): Path<(String, String)>,
) -> ApiResult<Json<Value>> {
    find(&sim, &ctx, &id, "Ecs.0103").map(Json)
}

pub async fn show_ims(
    State(sim): State<Arc<Sim>>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    find(&sim, &ctx, &id, "IMG.0027").map(Json)
}

pub async fn stats(State(sim): State<Arc<Sim>>) -> Json<Value> {
    let counts = job_table::counts(&sim.world());
    let jobs: Vec<(&str, usize)> = counts.iter().map(|(s, n)| (s.wire(), *n)).collect();
    Json(lock(&sim.stats).to_json(&jobs))
}
