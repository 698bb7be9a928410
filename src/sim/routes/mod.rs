//! The HTTP surface: every route of api.md, and the gateway in front of them (request ids,
//! injected faults, statistics, authentication and the project check).

mod change;
mod create;
mod ecs_read;
mod ecs_volumes;
mod ecs_write;
mod evs;
mod evs_volumes;
mod gateway;
mod iam;
mod ims;
mod input;
mod jobs;
mod keypairs;
mod remote_console;
mod server_tags;
mod show;
mod vpc;

use std::sync::Arc;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post, put};

use super::app::Sim;

pub fn router(sim: Arc<Sim>) -> Router {
    let api = Router::new()
        // IAM
        .route("/v3/auth/tokens", post(iam::create_token))
        .route("/v3/regions", get(iam::regions))
        .route("/v3/auth/projects", get(iam::auth_projects))
        .route("/v3/projects", get(iam::projects))
        // ECS reads
        .route(
            "/v2.1/{project_id}/os-availability-zone",
            get(ecs_read::nova_azs),
        )
        .route("/v1/{project_id}/availability-zones", get(ecs_read::azs))
        .route("/v2.1/{project_id}/os-keypairs", get(keypairs::list))
        .route(
            "/v1/{project_id}/cloudservers/flavors",
            get(ecs_read::flavors),
        )
        .route(
            "/v1/{project_id}/cloudservers/resize_flavors",
            get(ecs_read::resize_flavors),
        )
        .route(
            "/v1/{project_id}/cloudservers/detail",
            get(ecs_read::list_v1),
        )
        .route(
            "/v1.1/{project_id}/cloudservers/detail",
            get(ecs_read::list_v11),
        )
        .route(
            "/v2.1/{project_id}/servers/detail",
            get(ecs_read::list_nova),
        )
        .route(
            "/v2.1/{project_id}/servers/{server_id}",
            get(ecs_read::show_nova),
        )
        .route(
            "/v1/{project_id}/cloudservers/limits",
            get(ecs_read::limits),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}",
            get(ecs_read::show).put(ecs_write::update),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}/block_device",
            get(ecs_read::block_devices),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}/remote_console",
            post(remote_console::show),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}/block_device/{volume_id}",
            get(ecs_read::block_device),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}/tags",
            get(server_tags::show),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}/tags/action",
            post(server_tags::action),
        )
        // ECS writes
        .route("/v1/{project_id}/cloudservers", post(ecs_write::create_v1))
        .route(
            "/v1.1/{project_id}/cloudservers",
            post(ecs_write::create_v11),
        )
        .route(
            "/v1/{project_id}/cloudservers/action",
            post(ecs_write::action),
        )
        .route(
            "/v1/{project_id}/cloudservers/delete",
            post(ecs_write::delete),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}/resize",
            post(ecs_write::resize),
        )
        .route(
            "/v1.1/{project_id}/cloudservers/{server_id}/resize",
            post(ecs_write::resize),
        )
        .route(
            "/v1/{project_id}/cloudservers/server-name",
            put(ecs_write::rename_many),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}/attachvolume",
            post(ecs_volumes::attach),
        )
        .route(
            "/v1/{project_id}/cloudservers/{server_id}/detachvolume/{volume_id}",
            axum::routing::delete(ecs_volumes::detach),
        )
        .route("/v1/{project_id}/jobs/{job_id}", get(jobs::show))
        // IMS
        .route("/v2/cloudimages", get(ims::list))
        .route("/v2/cloudimages/action", post(ims::create))
        .route(
            "/v2/cloudimages/{image_id}",
            axum::routing::patch(ims::update),
        )
        .route("/v2/images/{image_id}", get(ims::show).delete(ims::delete))
        .route("/v1/cloudimages/quota", get(ims::quota))
        .route("/v1/cloudimages/job/{job_id}", get(jobs::show_ims))
        // EVS
        .route(
            "/v2/{project_id}/cloudvolumes/detail",
            get(evs::list_volumes),
        )
        .route(
            "/v2/{project_id}/cloudvolumes/{volume_id}",
            get(evs::show_volume)
                .put(evs_volumes::update)
                .delete(evs_volumes::delete),
        )
        .route("/v2.1/{project_id}/cloudvolumes", post(evs_volumes::create))
        .route(
            "/v2.1/{project_id}/cloudvolumes/{volume_id}/action",
            post(evs_volumes::resize),
        )
        .route(
            "/v2/{project_id}/cloudsnapshots/detail",
            get(evs::list_snapshots),
        )
        .route(
            "/v2/{project_id}/cloudsnapshots",
            post(evs::create_snapshot),
        )
        .route(
            "/v2/{project_id}/cloudsnapshots/{snapshot_id}",
            get(evs::show_snapshot)
                .put(evs::rename_snapshot)
                .delete(evs::delete_snapshot),
        )
        .route(
            "/v2/{project_id}/cloudsnapshots/{snapshot_id}/rollback",
            post(evs::rollback),
        )
        .route(
            "/v2/{project_id}/snapshots/detail",
            get(evs::list_snapshots_cinder),
        )
        .route(
            "/v2/{project_id}/snapshots/{snapshot_id}",
            get(evs::show_snapshot),
        )
        .route(
            "/v2/{project_id}/os-quota-sets/{target_project_id}",
            get(evs::quotas),
        )
        // VPC
        .route("/v1/{project_id}/vpcs", get(vpc::vpcs))
        .route("/v1/{project_id}/subnets", get(vpc::subnets))
        .route_layer(from_fn_with_state(sim.clone(), gateway::authenticate))
        .route_layer(from_fn(gateway::remember_route));
    Router::new()
        .route("/_sim/stats", get(jobs::stats))
        .route_layer(from_fn(gateway::remember_route))
        .merge(api)
        .fallback(gateway::no_such_api)
        .layer(from_fn_with_state(sim.clone(), gateway::front))
        .with_state(sim)
}
