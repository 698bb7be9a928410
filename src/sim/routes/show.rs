//! One item of the caller's region: a server found by id (or the ECS 404), and a show, which
//! writes what a finder found (or its service's 404) under its key.

use axum::Json;
use serde_json::{Value, json};

use super::input::Project;
use crate::sim::error::{ApiError, ApiResult};
use crate::sim::model::Server;
use crate::sim::world::World;

/// The server `id` of region `r`, or the ECS 404.
pub fn found<'a>(w: &'a World, r: usize, id: &str) -> ApiResult<&'a Server> {
    w.server_in(r, id)
        .ok_or_else(|| ApiError::ecs_not_found("Instance", id))
}

/// `{key: render(item)}` for the item `find` finds with `id` in the caller's region.
pub fn show<T>(
    Project { sim, region: r, .. }: Project,
    (key, id): (&str, &str),
    find: for<'a> fn(&'a World, usize, &str) -> ApiResult<&'a T>,
    render: fn(&World, &T) -> Value,
) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let item = find(&w, r, id)?;
    Ok(Json(json!({ key: render(&w, item) })))
}
