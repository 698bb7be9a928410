//! What the change handlers share: registering a job (injected failures drawn from the fault
//! RNG), the 200/202 answer, the dry-run answer, and why a server refuses an operation now.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::sim::app::Sim;
use crate::sim::clock::now_ms;
use crate::sim::error::ApiError;
use crate::sim::job::Service;
use crate::sim::jobs::{self, SubmitTask};
use crate::sim::task::Task;
use crate::sim::vm::Operation;
use crate::sim::world::World;

/// Registers a job, drawing injected failures from the fault RNG.
pub fn submit(
    sim: &Sim,
    w: &mut World,
    service: Service,
    region: usize,
    job_type: &str,
    tasks: Vec<SubmitTask>,
) -> String {
    jobs::submit(w, service, region, job_type, tasks, now_ms(), |steps| {
        sim.faults.job_failure(steps)
    })
}

/// Registers a job of one sub-job: `sub_type` doing `task`.
pub fn submit_one(
    sim: &Sim,
    w: &mut World,
    service: Service,
    region: usize,
    (job_type, sub_type): (&str, &str),
    task: Task,
) -> String {
    submit(
        sim,
        w,
        service,
        region,
        job_type,
        vec![(sub_type.to_owned(), task, None)],
    )
}

/// The answer to an accepted change: 200, or now and then 202 "delivered, execution postponed
/// because the system is busy" (api.md §5). Both carry the body.
pub fn accepted(sim: &Sim, body: Value) -> Response {
    let status = if sim.postpone_next_submit() {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    (status, Json(body)).into_response()
}

/// The answer to a change asked with `dry_run`: the checks passed, nothing was done.
pub fn dry_run_ok() -> Response {
    (StatusCode::ACCEPTED, Json(json!({}))).into_response()
}

/// Why a server cannot take `op` now: 404 unknown, 409 locked (SCVMM Error 2602) or wrong state.
pub fn refusal(w: &World, r: usize, id: &str, op: Operation) -> Option<ApiError> {
    let Some(s) = w.server_in(r, id) else {
        return Some(ApiError::ecs_not_found("Instance", id));
    };
    if let Some(job) = &s.locked_by {
        return Some(ApiError::service(
            409,
            "Ecs.0213",
            format!(
                "Error (2602): server {id} is locked by another job ({job}): objects are locked by another job; wait for it to finish"
            ),
        ));
    }
    s.status
        .refuses(op)
        .map(|why| ApiError::service(409, "Ecs.0015", format!("server {id}: {why}")))
}
