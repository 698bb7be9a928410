//! ECS remote login (`ShowServerRemoteConsole`): a one-time noVNC URL for an ACTIVE server.

use axum::Json;
use axum::extract::Path;
use serde::Deserialize;
use serde_json::{Value, json};

use super::input::{Ecs, JsonBody, Project};
use super::show::found;
use crate::sim::error::{ApiError, ApiResult};

#[derive(Deserialize)]
pub(super) struct Body {
    remote_console: Options,
}

#[derive(Deserialize)]
struct Options {
    protocol: String,
    #[serde(rename = "type")]
    kind: String,
}

pub async fn show(
    Project { sim, region: r, .. }: Project,
    Path((_, id)): Path<(String, String)>,
    JsonBody(req, ..): JsonBody<Body, Ecs>,
) -> ApiResult<Json<Value>> {
    // The documents allow one pair.
    if req.remote_console.protocol != "vnc" || req.remote_console.kind != "novnc" {
        return Err(ApiError::ecs_bad(format!(
            "remote_console: protocol {:?} and type {:?} are not supported; use vnc and novnc",
            req.remote_console.protocol, req.remote_console.kind
        )));
    }
    let mut w = sim.world();
    let s = found(&w, r, &id)?;
    let status = s.status.ecs(s.task.as_deref()).status;
    if status != "ACTIVE" {
        return Err(ApiError::service(
            409,
            "Ecs.0011",
            format!("server {id} is {status}: remote login needs it ACTIVE"),
        ));
    }
    let az = s.az;
    let token = w.new_uuid();
    Ok(Json(json!({"remote_console": {
        "type": "novnc",
        "protocol": "vnc",
        "url": format!(
            "https://nova-novncproxy.{az}.hvecs-sim.invalid:8002/vnc_auto.html?token={token}&lang=EN&tLength=70"
        ),
    }})))
}
