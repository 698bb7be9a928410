//! Nova key pairs: `GET /v2.1/{project_id}/os-keypairs`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, Path, State};
use serde_json::{Value, json};

use super::input::Ctx;
use crate::sim::app::Sim;
use crate::sim::error::ApiResult;
use crate::sim::keypairs;

pub async fn list(
    State(sim): State<Arc<Sim>>,
    Extension(ctx): Extension<Ctx>,
    _p: Path<String>,
) -> ApiResult<Json<Value>> {
    let r = ctx.region()?;
    let w = sim.world();
    let list: Vec<Value> = w.regions[r].keypairs.iter().map(keypairs::render).collect();
    Ok(Json(json!({"keypairs": list})))
}
