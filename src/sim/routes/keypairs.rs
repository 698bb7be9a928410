//! Nova key pairs: `GET /v2.1/{project_id}/os-keypairs`.

use axum::Json;
use serde_json::{Value, json};

use super::input::Project;
use crate::sim::error::ApiResult;
use crate::sim::keypairs;

pub async fn list(Project { sim, region: r, .. }: Project) -> ApiResult<Json<Value>> {
    let w = sim.world();
    let list: Vec<Value> = w.regions[r].keypairs.iter().map(keypairs::render).collect();
    Ok(Json(json!({"keypairs": list})))
}
